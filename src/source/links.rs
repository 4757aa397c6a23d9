//! What a feed says about itself besides its items: the WebSub hub it is published through
//! and its own URL (`<link rel="hub">` and `<link rel="self">` in Atom, `<atom:link>` in an
//! RSS channel), and the entries it reports deleted (`<at:deleted-entry ref="…">`, RFC 6721,
//! which YouTube's hub pushes for a removed video). A flat quick-xml scan, no recursion;
//! links inside an entry or item are not the feed's. Pure.

use quick_xml::encoding::Decoder;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::{ParseError, feed};

/// The feed-level links and tombstones of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedLinks {
    /// The first `rel="hub"` link's URL.
    pub hub: Option<String>,
    /// The first `rel="self"` link's URL: the topic a hub knows the feed by.
    pub self_url: Option<String>,
    /// The `ref` of every `deleted-entry`: an entry id (`yt:video:<id>` on YouTube).
    pub deleted: Vec<String>,
}

/// The longest URL or id kept; anything longer is not a real one.
const MAX_VALUE_BYTES: usize = 2048;
/// The most tombstones kept from one document.
const MAX_DELETED: usize = 1000;

/// Scans an RSS or Atom body for its [`FeedLinks`]. A syntax error ends the scan with what was
/// found before it; only a body that is not XML at all is an error.
pub fn feed_links(bytes: &[u8]) -> Result<FeedLinks, ParseError> {
    scan(bytes, false)
}

/// [`feed_links`] up to the first entry or item, where feeds put their own links: the cheap
/// read of a whole fetched feed (tombstones after that point are not seen).
pub fn feed_head(bytes: &[u8]) -> Result<FeedLinks, ParseError> {
    scan(bytes, true)
}

fn scan(bytes: &[u8], head_only: bool) -> Result<FeedLinks, ParseError> {
    let text = feed::decode(bytes)?;
    let mut reader = Reader::from_str(&text);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    let mut links = FeedLinks::default();
    let mut in_entry = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(element)) => {
                if is_entry(&element) && head_only {
                    return Ok(links);
                } else if is_entry(&element) {
                    in_entry += 1;
                } else if in_entry == 0 {
                    links.note(&element, reader.decoder());
                }
            }
            Ok(Event::Empty(element)) if in_entry == 0 => links.note(&element, reader.decoder()),
            Ok(Event::End(element)) if matches!(element.local_name().as_ref(), b"entry" | b"item") => {
                in_entry = in_entry.saturating_sub(1);
            }
            Ok(Event::Eof) | Err(_) => return Ok(links),
            Ok(_) => {}
        }
    }
}

fn is_entry(element: &BytesStart) -> bool {
    matches!(element.local_name().as_ref(), b"entry" | b"item")
}

impl FeedLinks {
    /// Records `element` when it is a hub or self link or a tombstone.
    fn note(&mut self, element: &BytesStart, decoder: Decoder) {
        let attribute = |name| attribute(element, name, decoder);
        match element.local_name().as_ref() {
            b"link" => match attribute(b"rel").as_deref() {
                Some("hub") if self.hub.is_none() => self.hub = attribute(b"href"),
                Some("self") if self.self_url.is_none() => self.self_url = attribute(b"href"),
                _ => {}
            },
            b"deleted-entry" if self.deleted.len() < MAX_DELETED => self.deleted.extend(attribute(b"ref")),
            _ => {}
        }
    }
}

/// The trimmed, unescaped value of the attribute `name` (any prefix), if present, non-empty
/// and not absurdly long.
fn attribute(element: &BytesStart, name: &[u8], decoder: Decoder) -> Option<String> {
    let found = element.attributes().flatten().find(|a| a.key.local_name().as_ref() == name)?;
    let value = found.decoded_and_normalized_value(XmlVersion::Implicit1_0, decoder).ok()?.trim().to_owned();
    (!value.is_empty() && value.len() <= MAX_VALUE_BYTES).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_atom_feed_names_its_hub_and_itself() {
        let feed = br#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
            <link rel="hub" href="https://hub.example/"/>
            <link rel="self" href="https://blog.example/atom.xml?a=1&amp;b=2"/>
            <link rel="hub" href="https://second.example/"/>
            <entry><link rel="self" href="https://blog.example/entry"/><link rel="hub" href="x"/></entry>
            </feed>"#;
        let links = feed_links(feed).unwrap();
        assert_eq!(links.hub.as_deref(), Some("https://hub.example/"));
        assert_eq!(links.self_url.as_deref(), Some("https://blog.example/atom.xml?a=1&b=2"));
        assert!(links.deleted.is_empty());
    }

    #[test]
    fn an_rss_channel_names_them_with_atom_link() {
        let feed = br#"<rss xmlns:atom="http://www.w3.org/2005/Atom"><channel>
            <item><atom:link rel="hub" href="https://wrong.example/"/></item>
            <atom:link rel="hub" href=" https://hub.example/ "/>
            <atom:link href="https://podcast.example/feed" rel="self" type="application/rss+xml"/>
            <link>https://podcast.example/</link></channel></rss>"#;
        let links = feed_links(feed).unwrap();
        assert_eq!(links.hub.as_deref(), Some("https://hub.example/"));
        assert_eq!(links.self_url.as_deref(), Some("https://podcast.example/feed"));
        assert_eq!(feed_head(feed).unwrap().hub, None, "the head ends at the first item");
        let head_first =
            br#"<rss><channel><atom:link rel="hub" href="https://hub.example/"/><item/></channel></rss>"#;
        assert_eq!(feed_head(head_first).unwrap().hub.as_deref(), Some("https://hub.example/"));
    }

    #[test]
    fn youtube_tombstones_are_read() {
        let push =
            br#"<feed xmlns:at="http://purl.org/atompub/tombstones/1.0" xmlns="http://www.w3.org/2005/Atom">
            <at:deleted-entry ref="yt:video:Xk3pQ9LJt0s" when="2025-11-24T10:00:00+00:00">
            <link href="https://www.youtube.com/watch?v=Xk3pQ9LJt0s"/></at:deleted-entry></feed>"#;
        let links = feed_links(push).unwrap();
        assert_eq!(links.deleted, ["yt:video:Xk3pQ9LJt0s"]);
        assert_eq!(links.hub, None);
    }

    #[test]
    fn broken_or_hostile_documents_give_what_came_before() {
        assert_eq!(feed_links(b"").unwrap_err(), ParseError::Empty);
        let cut = br#"<feed><link rel="hub" href="https://hub.example/"/><entry><title>unclosed"#;
        assert_eq!(feed_links(cut).unwrap().hub.as_deref(), Some("https://hub.example/"));
        let long = format!("<feed><link rel=\"hub\" href=\"https://{}\"/></feed>", "a".repeat(5000));
        assert_eq!(feed_links(long.as_bytes()).unwrap().hub, None);
        let many = format!("<feed>{}</feed>", "<at:deleted-entry ref=\"x\"/>".repeat(5000));
        assert_eq!(feed_links(many.as_bytes()).unwrap().deleted.len(), MAX_DELETED);
        let deep = format!("<feed>{}</feed>", "<x>".repeat(100_000));
        assert_eq!(feed_links(deep.as_bytes()).unwrap(), FeedLinks::default());
    }
}
