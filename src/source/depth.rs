//! How deep a feed's elements nest, measured before the document reaches `rss` or
//! `atom_syndication`: both parse unknown extension elements recursively, so a few thousand
//! nested elements (45 KB) overflow the stack and abort the whole process. A flat scan with
//! quick-xml (the version those crates already use) counts the depth in one pass, without
//! recursion, and a feed nested deeper than [`MAX_DEPTH`] fails alone with a clear error.
//!
//! Descriptions are HTML, read later by html5ever (through ammonia), whose tree builder does
//! work proportional to the depth for every tag: a description nested thousands deep costs
//! minutes. [`html_too_deep`] estimates that depth so such a description can be flattened.

use std::sync::LazyLock;

use quick_xml::Reader;
use quick_xml::events::Event;
use regex::Regex;

use super::ParseError;

/// The deepest element nesting a feed may have. Real feeds nest under 10 levels (`rss >
/// channel > item > media:group > media:content > …`); Atom XHTML content a few more. The
/// parsers' frames are a few KiB each in a debug build, so 128 levels stay far below a
/// 2 MiB async worker stack.
pub const MAX_DEPTH: usize = 128;

/// Fails with [`ParseError::TooDeep`] when elements of `text` nest deeper than [`MAX_DEPTH`].
///
/// The scan is as lenient as quick-xml can be (end names unchecked, unmatched ends allowed),
/// so a syntax error it meets is one every quick-xml reader meets at the same place: it stops
/// there and leaves the error to the real parser, which cannot nest deeper than the elements
/// before that point either.
pub(super) fn check(text: &str) -> Result<(), ParseError> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ParseError::TooDeep(MAX_DEPTH));
                }
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
    }
}

/// The deepest HTML nesting a description may have before it is kept as plain text.
pub const MAX_HTML_DEPTH: usize = 256;

/// An HTML start or end tag: `/` of an end tag, the name, `/` of a self-closing tag.
static HTML_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*?)?(/?)>").expect("valid HTML tag regex")
});

/// Elements HTML never nests anything in.
const VOID_ELEMENTS: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
    "wbr",
];

/// Whether `html` may nest deeper than [`MAX_HTML_DEPTH`] elements. Start tags open an
/// element (void and self-closed ones excepted); an end tag closes up to the innermost open
/// element of its name and is ignored when none is open, as html5ever does; so the estimate
/// is never below what html5ever builds, bar the few elements it implies (`tbody`, `tr`).
///
/// Every open element took a `<`, so a description with no more `<` than the limit (nearly
/// all of them) is answered by one byte count, without the tag regex.
pub(super) fn html_too_deep(html: &str) -> bool {
    if html.bytes().filter(|byte| *byte == b'<').count() <= MAX_HTML_DEPTH {
        return false;
    }
    let mut open: Vec<String> = Vec::new();
    for tag in HTML_TAG.captures_iter(html) {
        let name = tag[2].to_ascii_lowercase();
        if &tag[1] == "/" {
            if let Some(at) = open.iter().rposition(|o| *o == name) {
                open.truncate(at);
            }
        } else if tag[3].is_empty() && !VOID_ELEMENTS.contains(&name.as_str()) {
            open.push(name);
            if open.len() > MAX_HTML_DEPTH {
                return true;
            }
        }
    }
    false
}

/// The text of `html` without any tag, as inert HTML (a stray `<` escaped).
pub(super) fn flatten_html(html: &str) -> String {
    static ANY_TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^<>]*>").expect("valid tag regex"));
    ANY_TAG.replace_all(html, " ").replace('<', "&lt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(levels: usize, leaf: &str) -> String {
        format!("{}{leaf}{}", "<x:a>".repeat(levels), "</x:a>".repeat(levels))
    }

    #[test]
    fn the_limit_is_inclusive() {
        assert_eq!(check(&nested(MAX_DEPTH, "text")), Ok(()));
        assert_eq!(check(&nested(MAX_DEPTH + 1, "")), Err(ParseError::TooDeep(MAX_DEPTH)));
    }

    #[test]
    fn empty_elements_and_siblings_do_not_add_up() {
        let wide = "<a/>".repeat(10_000) + &"<b></b>".repeat(10_000);
        assert_eq!(check(&format!("<rss>{wide}</rss>")), Ok(()));
    }

    #[test]
    fn depth_counts_even_when_never_closed_or_misnamed() {
        assert_eq!(check(&"<a>".repeat(100_000)), Err(ParseError::TooDeep(MAX_DEPTH)));
        let misnamed = "<a>".repeat(MAX_DEPTH + 1) + &"</b>".repeat(MAX_DEPTH + 1);
        assert_eq!(check(&misnamed), Err(ParseError::TooDeep(MAX_DEPTH)));
        assert_eq!(check(&"<a></b>".repeat(100_000)), Ok(()));
    }

    #[test]
    fn a_syntax_error_stops_the_scan_but_not_before_the_limit() {
        assert_eq!(check(&format!("{}<<<", "<a>".repeat(10))), Ok(()));
        assert_eq!(check(&format!("{}<<<", "<a>".repeat(200))), Err(ParseError::TooDeep(MAX_DEPTH)));
    }

    #[test]
    fn markup_in_cdata_and_comments_is_not_nesting() {
        let hidden = format!("<![CDATA[{}]]><!--{}-->", "<a>".repeat(1000), "<b>".repeat(1000));
        assert_eq!(check(&format!("<rss><channel>{hidden}</channel></rss>")), Ok(()));
    }

    #[test]
    fn html_depth_is_estimated_like_html5ever_builds_it() {
        let deep =
            |levels: usize| format!("{}x{}", "<div class=\"a\">".repeat(levels), "</div>".repeat(levels));
        assert!(!html_too_deep(&deep(MAX_HTML_DEPTH)));
        assert!(html_too_deep(&deep(MAX_HTML_DEPTH + 1)));
        assert!(html_too_deep(&deep(100_000)));
        assert!(html_too_deep(&"<b></i>".repeat(MAX_HTML_DEPTH + 1)), "stray end tags close nothing");
        let flat = "<p>a<br>b<img src=x><hr/></p><ul><li>c</li></ul>".repeat(10_000);
        assert!(!html_too_deep(&flat));
    }

    #[test]
    fn flattened_html_has_no_tags_left() {
        assert_eq!(flatten_html("<div><p>Q&amp;A</p></div><a href='x'>link</a> <"), "  Q&amp;A   link  &lt;");
    }
}
