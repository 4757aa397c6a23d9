//! Feed autodiscovery in any web page: the `<link rel="alternate">` tags whose type is RSS,
//! Atom or JSON Feed, resolved against the page's URL (or its `<base href>`), in the order
//! they are tried: RSS and Atom in document order, then JSON Feed (which `sync` cannot read,
//! so it is named in the error when it is all a page offers). Pure.

use url::Url;

use super::tags::Tag;

/// A feed a page links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternate {
    pub url: Url,
    pub format: Format,
}

/// The format an alternate link announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Rss,
    Atom,
    JsonFeed,
}

impl Format {
    fn of(mime: &str) -> Option<Format> {
        match mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase().as_str() {
            "application/rss+xml" | "application/rdf+xml" => Some(Format::Rss),
            "application/atom+xml" => Some(Format::Atom),
            "application/feed+json" | "application/json" => Some(Format::JsonFeed),
            _ => None,
        }
    }

    /// Whether `sync` can poll a feed of this format.
    pub fn is_readable(self) -> bool {
        !matches!(self, Format::JsonFeed)
    }
}

/// The feeds `tags` (of a page at `page_url`) link to, best first, each once.
pub fn alternates(tags: &[Tag], page_url: &Url) -> Vec<Alternate> {
    let base = tags
        .iter()
        .filter(|t| t.name == "base")
        .find_map(|t| t.get("href").and_then(|href| page_url.join(href).ok()))
        .unwrap_or_else(|| page_url.clone());
    let mut found: Vec<Alternate> = Vec::new();
    for tag in tags.iter().filter(|t| t.name == "link" && t.has_token("rel", "alternate")) {
        let Some(format) = tag.get("type").and_then(Format::of) else { continue };
        let Some(url) =
            tag.get("href").map(str::trim).filter(|h| !h.is_empty()).and_then(|h| base.join(h).ok())
        else {
            continue;
        };
        if matches!(url.scheme(), "http" | "https") && !found.iter().any(|a| a.url == url) {
            found.push(Alternate { url, format });
        }
    }
    found.sort_by_key(|a| !a.format.is_readable());
    found
}

#[cfg(test)]
mod tests {
    use super::super::tags::head_tags;
    use super::*;

    fn check(head: &str, page: &str, expected: &[(&str, Format)]) {
        let page = Url::parse(page).unwrap();
        let found = alternates(&head_tags(head), &page);
        let found: Vec<(&str, Format)> = found.iter().map(|a| (a.url.as_str(), a.format)).collect();
        assert_eq!(found, expected, "{head}");
    }

    #[test]
    fn alternate_links_of_every_kind() {
        let head = r#"<link rel="alternate" type="application/feed+json" href="/feed.json">
            <link rel="alternate" type="application/rss+xml" title="Posts" href="/index.xml">
            <link rel="alternate" type="application/atom+xml; charset=utf-8" href="https://cdn.example.org/atom.xml">
            <link rel="alternate" hreflang="de" href="/de/">
            <link rel="stylesheet" type="application/rss+xml" href="/not-alternate.xml">
            <link rel="alternate" type="application/rss+xml" href="/index.xml">
            <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">"#;
        check(
            head,
            "https://blog.example.com/posts/hello/",
            &[
                ("https://blog.example.com/index.xml", Format::Rss),
                ("https://cdn.example.org/atom.xml", Format::Atom),
                ("https://blog.example.com/feed.json", Format::JsonFeed),
            ],
        );
    }

    #[test]
    fn relative_links_follow_the_base_and_the_page() {
        let link = r#"<link rel="alternate" type="application/rss+xml" href="feed.xml">"#;
        check(link, "https://example.com/blog/post", &[("https://example.com/blog/feed.xml", Format::Rss)]);
        let based = format!(r#"<base href="https://other.example/root/">{link}"#);
        check(
            &based,
            "https://example.com/blog/post",
            &[("https://other.example/root/feed.xml", Format::Rss)],
        );
    }

    #[test]
    fn a_page_without_feeds_has_none() {
        check("<title>Nothing</title><link rel=\"icon\" href=\"/favicon.ico\">", "https://example.com/", &[]);
    }
}
