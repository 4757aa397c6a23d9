//! Internal DTD subsets (`<!DOCTYPE rss [ <!ENTITY show "…"> ]>`), which some feed generators
//! write and neither `rss` nor `atom_syndication` understands: the general entities declared
//! in the subset are expanded here and the doctype removed, so the feed parses like any other.
//!
//! Safe by construction: each entity is expanded once, expansion adds at most
//! [`MAX_EXPANSION_BYTES`] in total (every reference costs its value's length, at least one
//! byte, so a "billion laughs" fails after a megabyte of work), entities nest at most
//! [`MAX_ENTITY_NESTING`] deep, and external
//! entities (`SYSTEM`/`PUBLIC`) are never fetched or read: they expand to nothing. Parameter
//! entities (`%name;`) only matter inside a DTD and are ignored.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::ParseError;

/// The most bytes entity expansion may add to a feed, over all references together.
pub const MAX_EXPANSION_BYTES: usize = 1 << 20;
/// How deep entity values may refer to other entities.
pub const MAX_ENTITY_NESTING: usize = 16;

/// Where markup is not parsed (CDATA sections, comments, processing instructions): no
/// reference is expanded there. Shared with the Atom date fix-up.
pub(super) const UNPARSED: &str = r"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<\?.*?\?>";

/// One general entity declaration: name, then the quoted value, or `SYSTEM`/`PUBLIC`.
static DECLARATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?s)<!ENTITY\s+(%\s+)?([^\s%;&<>"']+)\s+(?:"([^"]*)"|'([^']*)'|(?:SYSTEM|PUBLIC)\b[^>]*)\s*>"#,
    )
    .expect("valid entity declaration regex")
});

/// A reference to a general entity, outside the unparsed parts.
static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?s){UNPARSED}|&([^\s#%;&<>]+);")).expect("valid entity reference regex")
});

static COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").expect("valid comment regex"));

/// The feed text with its internal subset's entities expanded and the doctype removed;
/// unchanged (borrowed) when the prolog has no doctype with an internal subset.
pub(super) fn expand(text: &str) -> Result<Cow<'_, str>, ParseError> {
    let Some(doctype) = find_doctype(text)? else { return Ok(Cow::Borrowed(text)) };
    let entities = declarations(doctype.subset);
    let body = format!("{}{}", &text[..doctype.start], &text[doctype.end..]);
    if entities.is_empty() {
        return Ok(Cow::Owned(body));
    }
    Expander::new(entities).expand(&body, 0).map(Cow::Owned)
}

/// A doctype with an internal subset: its byte range in the text and the subset.
struct Doctype<'a> {
    start: usize,
    end: usize,
    subset: &'a str,
}

/// The doctype of the prolog (after comments and processing instructions), when it has an
/// internal subset.
fn find_doctype(text: &str) -> Result<Option<Doctype<'_>>, ParseError> {
    let mut at = text.len() - text.trim_start().len();
    loop {
        let rest = &text[at..];
        let skip_to = |end: &str| rest.find(end).map(|i| i + end.len());
        let skipped = if rest.starts_with("<!--") {
            skip_to("-->")
        } else if rest.starts_with("<?") {
            skip_to("?>")
        } else if rest.starts_with("<!DOCTYPE") {
            return doctype_at(text, at);
        } else {
            None
        };
        // Anything else (the root, or a prolog cut short) is for format detection to name.
        let Some(skipped) = skipped else { return Ok(None) };
        at += skipped;
        at += text[at..].len() - text[at..].trim_start().len();
    }
}

/// Reads the doctype starting at `start`: quoted strings and comments may hold `[`, `]` and
/// `>`, which end nothing.
fn doctype_at(text: &str, start: usize) -> Result<Option<Doctype<'_>>, ParseError> {
    let bytes = text.as_bytes();
    let mut at = start + "<!DOCTYPE".len();
    let mut subset_start = None;
    while at < bytes.len() {
        match bytes[at] {
            quote @ (b'"' | b'\'') => at = closing(text, at + 1, char::from(quote))?,
            b'<' if text[at..].starts_with("<!--") => at = closing(text, at, '>')?,
            b'[' if subset_start.is_none() => subset_start = Some(at + 1),
            b']' if subset_start.is_some() => {
                let end = closing(text, at, '>')?;
                let subset = &text[subset_start.unwrap_or(at)..at];
                return Ok(Some(Doctype { start, end: end + 1, subset }));
            }
            b'>' if subset_start.is_none() => return Ok(None),
            _ => {}
        }
        at += 1;
    }
    Err(unclosed_prolog())
}

/// The index of the next `wanted` at or after `from` (comments end at their `-->`).
fn closing(text: &str, from: usize, wanted: char) -> Result<usize, ParseError> {
    let found = if text[from..].starts_with("<!--") {
        text[from..].find("-->").map(|i| i + 2)
    } else {
        text[from..].find(wanted)
    };
    found.map(|i| from + i).ok_or_else(unclosed_prolog)
}

fn unclosed_prolog() -> ParseError {
    ParseError::Malformed("the document type declaration is never closed".into())
}

/// The general entities of a subset: name → value (external ones are empty). The first
/// declaration of a name wins, as in XML.
fn declarations(subset: &str) -> HashMap<String, String> {
    let subset = COMMENT.replace_all(subset, "");
    let mut entities = HashMap::new();
    for caps in DECLARATION.captures_iter(&subset) {
        if caps.get(1).is_some() {
            continue;
        }
        let value = caps.get(3).or(caps.get(4)).map_or("", |value| value.as_str());
        entities.entry(caps[2].to_owned()).or_insert_with(|| value.to_owned());
    }
    entities
}

struct Expander {
    /// Declared name → raw value.
    entities: HashMap<String, String>,
    /// Name → value with its own references expanded (each entity is expanded once).
    expanded: HashMap<String, String>,
    /// Bytes expansion may still add.
    budget: usize,
}

impl Expander {
    fn new(entities: HashMap<String, String>) -> Expander {
        Expander { entities, expanded: HashMap::new(), budget: MAX_EXPANSION_BYTES }
    }

    /// `text` with every declared entity's reference replaced by its expanded value. Each
    /// reference costs its value's length from the budget (at least one byte).
    fn expand(&mut self, text: &str, nesting: usize) -> Result<String, ParseError> {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for caps in REFERENCE.captures_iter(text) {
            let Some(name) = caps.get(1) else { continue };
            let Some(value) = self.value_of(name.as_str(), nesting)? else { continue };
            self.budget = self.budget.checked_sub(value.len().max(1)).ok_or_else(|| {
                ParseError::Malformed(format!(
                    "internal DTD entities expand to more than {MAX_EXPANSION_BYTES} bytes"
                ))
            })?;
            let whole = caps.get(0).expect("group 0 always matches");
            out.push_str(&text[last..whole.start()]);
            out.push_str(&value);
            last = whole.end();
        }
        out.push_str(&text[last..]);
        Ok(out)
    }

    /// The expanded value of a declared entity, `None` for any other name. Quotes are
    /// escaped, so a value stays inside an attribute.
    fn value_of(&mut self, name: &str, nesting: usize) -> Result<Option<String>, ParseError> {
        if let Some(value) = self.expanded.get(name) {
            return Ok(Some(value.clone()));
        }
        let Some(raw) = self.entities.get(name).cloned() else { return Ok(None) };
        if nesting >= MAX_ENTITY_NESTING {
            return Err(ParseError::Malformed(format!(
                "entity {name:?} nests deeper than {MAX_ENTITY_NESTING} entities (or refers to itself)"
            )));
        }
        let value = self.expand(&raw, nesting + 1)?.replace('"', "&quot;").replace('\'', "&apos;");
        self.expanded.insert(name.to_owned(), value.clone());
        Ok(Some(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(text: &str) -> String {
        expand(text).unwrap().into_owned()
    }

    #[test]
    fn internal_entities_are_expanded_and_the_doctype_removed() {
        let feed = r#"<!-- generated --><!DOCTYPE rss [
            <!-- a comment with ] and > in it -->
            <!ENTITY show "Street &amp; Talk">
            <!ENTITY full 'The &show; "podcast"'>
            <!ENTITY show "ignored: the first declaration wins">
            <!ELEMENT rss ANY>
        ]>
        <rss a="&full;"><t>&full; &unknown; &amp; &#169;</t><![CDATA[&show;]]><!--&show;--></rss>"#;
        let text = expanded(feed);
        assert!(!text.contains("DOCTYPE") && !text.contains("ENTITY"), "{text}");
        assert!(text.starts_with("<!-- generated -->"), "{text}");
        let expected = "<rss a=\"The Street &amp; Talk &quot;podcast&quot;\">\
                        <t>The Street &amp; Talk &quot;podcast&quot; &unknown; &amp; &#169;</t>\
                        <![CDATA[&show;]]><!--&show;--></rss>";
        assert!(text.ends_with(expected), "{text}");
    }

    #[test]
    fn external_and_parameter_entities_are_never_read() {
        let feed = r#"<!DOCTYPE rss [
            <!ENTITY secret SYSTEM "file:///etc/passwd">
            <!ENTITY remote PUBLIC "-//X//EN" "http://127.0.0.1:9/x.dtd">
            <!ENTITY % param SYSTEM "http://127.0.0.1:9/p.dtd"> %param;
        ]><rss><t>[&secret;][&remote;][&param;]</t></rss>"#;
        assert_eq!(expanded(feed).trim(), "<rss><t>[][][&param;]</t></rss>");
    }

    /// `lol0` is `value`, each `lolN` ten references to `lolN-1`: `&lol9;` is 10^9 values,
    /// referenced 100,000 times.
    fn laughs(value: &str) -> String {
        let mut subset = format!("<!ENTITY lol0 \"{value}\">");
        for level in 1..10 {
            let lol = format!("&lol{};", level - 1).repeat(10);
            subset.push_str(&format!("<!ENTITY lol{level} \"{lol}\">"));
        }
        format!("<!DOCTYPE rss [{subset}]><rss>{}</rss>", "&lol9;".repeat(100_000))
    }

    #[test]
    fn billion_laughs_fail_cleanly() {
        let error = expand(&laughs("lol")).unwrap_err().to_string();
        assert_eq!(error, "malformed feed XML: internal DTD entities expand to more than 1048576 bytes");
        let expanded = expand(&laughs("")).unwrap().into_owned();
        assert_eq!(expanded, "<rss></rss>", "empty values are expanded once each, in linear time");
    }

    #[test]
    fn self_reference_fails_cleanly() {
        let error = expand("<!DOCTYPE rss [<!ENTITY a \"x&a;\">]><rss>&a;</rss>").unwrap_err();
        assert!(error.to_string().contains("nests deeper than 16 entities"), "{error}");
    }

    #[test]
    fn documents_without_a_subset_are_untouched() {
        for text in ["<rss/>", "<!DOCTYPE rss SYSTEM \"x.dtd\"><rss/>", "<?pi x?><!--c--><feed/>", "<!-- x"] {
            assert!(matches!(expand(text), Ok(Cow::Borrowed(same)) if same == text), "{text}");
        }
        assert_eq!(expanded("<!DOCTYPE rss [ ]>\n<rss/>"), "\n<rss/>");
    }

    #[test]
    fn unclosed_doctypes_are_malformed() {
        for text in ["<!DOCTYPE rss [ <!ENTITY a \"x\"> <rss/>", "<!DOCTYPE rss [ \"]>"] {
            let error = expand(text).unwrap_err().to_string();
            assert_eq!(error, "malformed feed XML: the document type declaration is never closed", "{text}");
        }
    }
}
