//! The attributes of `<link>`, `<meta>` and `<base>` tags in an HTML page: all discovery needs
//! from a page, read by a small scanner instead of a whole HTML parser. Comments and the raw
//! text of `<script>` and `<style>` are skipped, attribute values may be double-, single- or
//! unquoted, names are case-insensitive and values have their character references decoded.
//! Linear in the page's length whatever it holds.

/// One tag's attributes, names in lowercase, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub attributes: Vec<(String, String)>,
}

impl Tag {
    /// The value of the attribute `name` (lowercase), if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Whether the space-separated `rel` (or `itemprop`…) list holds `token`, ignoring case.
    pub fn has_token(&self, attribute: &str, token: &str) -> bool {
        self.get(attribute)
            .is_some_and(|list| list.split_ascii_whitespace().any(|t| t.eq_ignore_ascii_case(token)))
    }
}

/// Every `<link>`, `<meta>` and `<base>` tag of `html`, in document order.
pub fn head_tags(html: &str) -> Vec<Tag> {
    let lower = html.to_ascii_lowercase();
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(offset) = lower[at..].find('<') {
        let start = at + offset;
        at = match tag_at(html, &lower, start) {
            Scanned::Skip(end) => end,
            Scanned::Tag(tag, end) => {
                tags.push(tag);
                end
            }
        };
    }
    tags
}

enum Scanned {
    /// Nothing wanted here; scanning goes on at this offset.
    Skip(usize),
    /// A wanted tag, and the offset after it.
    Tag(Tag, usize),
}

/// What starts at `start` (a `<`).
fn tag_at(html: &str, lower: &str, start: usize) -> Scanned {
    let rest = &lower[start..];
    if rest.starts_with("<!--") {
        return Scanned::Skip(lower[start..].find("-->").map_or(lower.len(), |end| start + end + 3));
    }
    let name_len = rest[1..].find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len() - 1);
    let name = &rest[1..1 + name_len];
    let (attributes, end) = attributes(html, start + 1 + name_len);
    match name {
        "script" | "style" => {
            let close = format!("</{name}");
            Scanned::Skip(lower[end..].find(&close).map_or(lower.len(), |at| end + at + close.len()))
        }
        "link" | "meta" | "base" => Scanned::Tag(Tag { name: name.to_owned(), attributes }, end),
        _ => Scanned::Skip(start + 1 + name_len),
    }
}

/// The attributes from `at` to the tag's `>`, and the offset after it.
fn attributes(html: &str, mut at: usize) -> (Vec<(String, String)>, usize) {
    let bytes = html.as_bytes();
    let mut attributes = Vec::new();
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        if at >= bytes.len() || bytes[at] == b'>' {
            return (attributes, (at + 1).min(bytes.len()));
        }
        let name_end = find(bytes, at, |b| b.is_ascii_whitespace() || matches!(b, b'=' | b'>' | b'/'));
        let name = html[at..name_end].to_ascii_lowercase();
        let (value, end) = value(html, skip_space(bytes, name_end));
        attributes.push((name, value));
        at = end.max(name_end.max(at + 1));
    }
}

/// An attribute's value after its name (`="…"`, `='…'`, `=bare`, or none), decoded.
fn value(html: &str, at: usize) -> (String, usize) {
    let bytes = html.as_bytes();
    if bytes.get(at) != Some(&b'=') {
        return (String::new(), at);
    }
    let at = skip_space(bytes, at + 1);
    let (start, end, after) = match bytes.get(at) {
        Some(&quote @ (b'"' | b'\'')) => {
            let end = find(bytes, at + 1, |b| b == quote);
            (at + 1, end, (end + 1).min(bytes.len()))
        }
        _ => {
            let end = find(bytes, at, |b| b.is_ascii_whitespace() || b == b'>');
            (at, end, end)
        }
    };
    (html_escape::decode_html_entities(&html[start..end]).into_owned(), after)
}

fn skip_space(bytes: &[u8], at: usize) -> usize {
    find(bytes, at, |b| !b.is_ascii_whitespace())
}

/// The first offset from `at` whose byte matches, else the end.
fn find(bytes: &[u8], at: usize, matches: impl Fn(u8) -> bool) -> usize {
    bytes[at.min(bytes.len())..].iter().position(|&b| matches(b)).map_or(bytes.len(), |i| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(tag: &Tag) -> Vec<(&str, &str)> {
        tag.attributes.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
    }

    #[test]
    fn reads_every_quoting_and_skips_comments_and_scripts() {
        let html = r#"<!DOCTYPE html><HTML><Head>
            <!-- <link rel="alternate" href="/commented"> -->
            <script>var s = '<link rel="alternate" href="/scripted">';</script>
            <LINK REL="Alternate" type='application/rss+xml' href=/feed.xml title="A &amp; B">
            <meta property="og:url" content="https://x/?a=1&amp;b=2"/>
            <base href="https://example.com/blog/">
            <style>a::before { content: "<meta name=x>" }</style>
            <link async rel = "canonical" href = "https://example.com/" >
            </head><body><p>not a <linker> tag</p></body></HTML>"#;
        let tags = head_tags(html);
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["link", "meta", "base", "link"]);
        assert_eq!(
            attrs(&tags[0]),
            [
                ("rel", "Alternate"),
                ("type", "application/rss+xml"),
                ("href", "/feed.xml"),
                ("title", "A & B")
            ]
        );
        assert!(tags[0].has_token("rel", "alternate"));
        assert_eq!(tags[1].get("content"), Some("https://x/?a=1&b=2"));
        assert_eq!(attrs(&tags[3]), [("async", ""), ("rel", "canonical"), ("href", "https://example.com/")]);
    }

    #[test]
    fn truncated_pages_end_cleanly() {
        for html in ["<link", "<link rel=", "<link rel=\"alt", "<!-- <link", "<script>", "<", "<link a=b"] {
            let _ = head_tags(html);
        }
        assert_eq!(head_tags("<link rel=\"alt").first().and_then(|t| t.get("rel")), Some("alt"));
    }

    proptest::proptest! {
        #[test]
        fn any_text_scans_without_panicking(html in "\\PC{0,200}") {
            let _ = head_tags(&html);
        }

        #[test]
        fn tag_soup_scans_without_panicking(html in "(<|>|=|\"|'|/| |link|meta|script|--|!|a)*") {
            let _ = head_tags(&html);
        }
    }
}
