//! Format detection and decoding: turns raw bytes into UTF-8 text without an XML
//! declaration (so the parsers never re-interpret a declared encoding), and tells RSS from
//! Atom by the root element, rejecting HTML pages and other documents with a clear error.

use std::sync::LazyLock;

use encoding_rs::{Encoding, UTF_8};
use regex::bytes::Regex;

use super::ParseError;

/// The wire format of a feed, told by its root element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    /// `<rss>` (RSS 0.9x/2.0) or `<rdf:RDF>` (RSS 1.0).
    Rss,
    /// `<feed>` (Atom 1.0).
    Atom,
}

/// The `encoding` pseudo-attribute of a leading XML declaration.
static DECLARED_ENCODING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']"#).expect("valid encoding regex")
});

/// Decodes `bytes` to UTF-8 and strips the XML declaration.
///
/// A BOM (UTF-8, UTF-16LE/BE) wins; otherwise the encoding named in the XML declaration is
/// used, and UTF-8 when none is named. A label that only makes sense with a BOM (`UTF-16`) is
/// read as UTF-8, as browsers do. Invalid sequences become U+FFFD rather than failing the feed.
pub(super) fn decode(bytes: &[u8]) -> Result<String, ParseError> {
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((encoding, bom_len)) => (encoding, &bytes[bom_len..]),
        None => (declared_encoding(bytes)?, bytes),
    };
    let (text, _had_errors) = encoding.decode_without_bom_handling(body);
    let text = strip_declaration(&text);
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    Ok(text.to_owned())
}

fn declared_encoding(bytes: &[u8]) -> Result<&'static Encoding, ParseError> {
    let Some(label) = DECLARED_ENCODING.captures(bytes).and_then(|caps| caps.get(1)) else {
        return Ok(UTF_8);
    };
    Encoding::for_label(label.as_bytes())
        .map(Encoding::output_encoding)
        .ok_or_else(|| ParseError::Encoding(String::from_utf8_lossy(label.as_bytes()).into()))
}

/// The text without a leading `<?xml …?>` declaration (other processing instructions stay).
fn strip_declaration(text: &str) -> &str {
    let trimmed = text.trim_start();
    let is_declaration = trimmed
        .strip_prefix("<?xml")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_whitespace() || c == '?'));
    match trimmed.find("?>") {
        Some(end) if is_declaration => &trimmed[end + 2..],
        _ => text,
    }
}

/// Tells the format from the root element, skipping processing instructions, comments and
/// a doctype.
pub(super) fn detect(text: &str) -> Result<Format, ParseError> {
    let root = root_element(text)?;
    match root {
        "rss" | "rdf:RDF" => Ok(Format::Rss),
        "feed" => Ok(Format::Atom),
        _ if root.eq_ignore_ascii_case("html") => Err(html_page()),
        _ => {
            Err(ParseError::NotAFeed(format!("an XML document whose root is <{root}>, not <rss> or <feed>")))
        }
    }
}

fn root_element(text: &str) -> Result<&str, ParseError> {
    let mut rest = text.trim_start();
    loop {
        if !rest.starts_with('<') {
            return Err(ParseError::NotAFeed("a body that is not XML".into()));
        }
        let terminator = if rest.starts_with("<!--") {
            "-->"
        } else if rest.starts_with("<?") {
            "?>"
        } else if rest.starts_with("<!") {
            if is_html_doctype(rest) {
                return Err(html_page());
            }
            ">"
        } else {
            return element_name(&rest[1..]);
        };
        let end = rest.find(terminator).ok_or_else(truncated)?;
        rest = rest[end + terminator.len()..].trim_start();
    }
}

fn element_name(after_bracket: &str) -> Result<&str, ParseError> {
    let end =
        after_bracket.find(|c: char| c.is_whitespace() || c == '>' || c == '/').ok_or_else(truncated)?;
    match &after_bracket[..end] {
        "" => Err(ParseError::Malformed("the root element has no name".into())),
        name => Ok(name),
    }
}

fn is_html_doctype(markup: &str) -> bool {
    let head: String = markup.chars().take(14).collect();
    head.eq_ignore_ascii_case("<!doctype html")
}

/// What [`ParseError::NotAFeed`] says of an HTML page.
pub(super) const HTML_PAGE: &str = "an HTML page";

fn html_page() -> ParseError {
    ParseError::NotAFeed(HTML_PAGE.into())
}

fn truncated() -> ParseError {
    ParseError::Malformed("the document ends before its root element".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<Format, ParseError>) {
        let result = decode(input.as_bytes()).and_then(|text| detect(&text));
        assert_eq!(result, expected, "detecting {input:?}");
    }

    fn not_a_feed(what: &str) -> Result<Format, ParseError> {
        Err(ParseError::NotAFeed(what.into()))
    }

    #[test]
    fn detects_the_format_by_root_element() {
        let cases = [
            ("<rss version=\"2.0\"><channel/></rss>", Ok(Format::Rss)),
            ("<?xml version=\"1.0\"?>\n<rss>", Ok(Format::Rss)),
            ("<?xml version=\"1.0\"?><?xml-stylesheet href=\"s.xsl\"?><rss>", Ok(Format::Rss)),
            ("<!-- generated --><rdf:RDF xmlns:rdf=\"x\">", Ok(Format::Rss)),
            ("\n  <feed xmlns=\"http://www.w3.org/2005/Atom\">", Ok(Format::Atom)),
            ("<!DOCTYPE feed><feed>", Ok(Format::Atom)),
            ("<!DOCTYPE html>\n<html>", not_a_feed("an HTML page")),
            ("<!doctype HTML><html>", not_a_feed("an HTML page")),
            ("<HTML><body>", not_a_feed("an HTML page")),
            (
                "<opml version=\"2.0\">",
                not_a_feed("an XML document whose root is <opml>, not <rss> or <feed>"),
            ),
            ("{\"items\": []}", not_a_feed("a body that is not XML")),
            ("<?xml version=\"1.0\"?>", Err(ParseError::Empty)),
            ("   ", Err(ParseError::Empty)),
            ("<!-- never closed", Err(truncated())),
            ("<rss", Err(truncated())),
        ];
        for (input, expected) in cases {
            check(input, expected);
        }
    }

    #[test]
    fn decodes_the_declared_encoding_and_strips_the_declaration() {
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss>Caf\xe9</rss>";
        assert_eq!(decode(latin1).unwrap(), "<rss>Café</rss>");
        let single_quoted = b"<?xml version='1.0' encoding='windows-1252'?><rss>\x80</rss>";
        assert_eq!(decode(single_quoted).unwrap(), "<rss>€</rss>");
        let utf16_label = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss>é</rss>";
        assert_eq!(decode(utf16_label.as_bytes()).unwrap(), "<rss>é</rss>");
    }

    #[test]
    fn a_bom_wins_over_the_declaration() {
        let mut utf8 = b"\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>".to_vec();
        utf8.extend("<rss>é</rss>".as_bytes());
        assert_eq!(decode(&utf8).unwrap(), "<rss>é</rss>");

        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><feed>Zürich</feed>";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le).unwrap(), "<feed>Zürich</feed>");
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap(), "<feed>Zürich</feed>");
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        assert_eq!(decode(b"<rss>a\xffb</rss>").unwrap(), "<rss>a\u{FFFD}b</rss>");
    }

    #[test]
    fn unknown_encoding_label_is_named() {
        let err = decode(b"<?xml version=\"1.0\" encoding=\"EBCDIC-FR\"?><rss/>").unwrap_err();
        assert_eq!(err, ParseError::Encoding("EBCDIC-FR".into()));
    }
}
