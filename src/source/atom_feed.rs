//! Atom 1.0 normalisation via `atom_syndication`, including YouTube channel feeds
//! (`yt:videoId`, `media:group` with `media:description` and `media:thumbnail`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use atom_syndication::extension::Extension;
use atom_syndication::{Entry, Feed, Text, TextType};
use chrono::{DateTime, Utc};
use regex::{Captures, Regex};

use super::dates::{parse_date, plausible};
use super::dtd::UNPARSED;
use super::link_id::link_id;
use super::{ParseError, hashed_id, non_blank};
use crate::model::{DatePrecision, Item, Platform, Podcasting};

const YOUTUBE_NS: &str = "http://www.youtube.com/xml/schemas/2015";
const MEDIA_NS: &str = "http://search.yahoo.com/mrss/";

/// The text of a `<published>` or `<updated>` element, or a part of the document where
/// markup is not parsed (CDATA show notes, comments), which is left alone.
static ATOM_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?s){UNPARSED}|<published>([^<]*)</published>|<updated>([^<]*)</updated>"))
        .expect("valid Atom date regex")
});

/// Parses UTF-8 Atom text into items, in feed order.
pub(super) fn items(text: &str, platform: Platform) -> Result<Vec<Item>, ParseError> {
    let feed = Feed::read_from(normalise_dates(text).as_bytes())
        .map_err(|e| ParseError::Malformed(e.to_string()))?;
    let entries = feed.entries().iter();
    Ok(entries.map(|entry| normalise(&feed, entry, platform)).collect())
}

/// The feed's title, for a YouTube channel feed its feed-level `yt:channelId` (which YouTube
/// writes without the `UC` every channel id starts with: put back), and whether
/// any entry links an enclosure.
pub(super) fn show(text: &str) -> Result<super::FeedShow, ParseError> {
    let feed = Feed::read_from(normalise_dates(text).as_bytes())
        .map_err(|e| ParseError::Malformed(e.to_string()))?;
    let prefix = prefix_of(YOUTUBE_NS, feed.namespaces()).unwrap_or("yt");
    let channel = feed.extensions().get(prefix).and_then(|ext| ext.get("channelId")?.first());
    Ok(super::FeedShow {
        title: non_blank(Some(&feed.title().value)),
        youtube_channel: channel.and_then(|ext| non_blank(ext.value())).map(|id| {
            match id.starts_with("UC") {
                true => id,
                false => format!("UC{id}"),
            }
        }),
        has_enclosures: feed.entries().iter().any(|e| e.links().iter().any(|l| l.rel() == "enclosure")),
    })
}

/// Rewrites every `<published>`/`<updated>` value through the lenient [`parse_date`] as
/// RFC 3339, or empties it when unparseable or implausible: `atom_syndication` rejects a
/// whole feed over one date it cannot read, whereas an unreadable date should only make that
/// date `None`. Text inside CDATA sections and comments is not markup and stays as it is.
fn normalise_dates(text: &str) -> Cow<'_, str> {
    ATOM_DATE.replace_all(text, |caps: &Captures| {
        let (tag, raw) = match (caps.get(1), caps.get(2)) {
            (Some(raw), _) => ("published", raw.as_str()),
            (None, Some(raw)) => ("updated", raw.as_str()),
            (None, None) => return caps[0].to_owned(),
        };
        let date = parse_date(raw).and_then(|date| plausible(date, format_args!("an Atom <{tag}>")));
        let date = date.map(|d| d.to_rfc3339()).unwrap_or_default();
        format!("<{tag}>{date}</{tag}>")
    })
}

/// One entry's extensions, looked up by namespace URI whatever prefix the feed chose.
struct Extensions<'a> {
    feed: &'a Feed,
    entry: &'a Entry,
}

impl<'a> Extensions<'a> {
    /// The first `<prefix:name>` child of the entry whose prefix is bound to `namespace`.
    fn get(&self, namespace: &str, conventional_prefix: &str, name: &str) -> Option<&'a Extension> {
        let prefix = prefix_of(namespace, self.entry.namespaces())
            .or_else(|| prefix_of(namespace, self.feed.namespaces()))
            .unwrap_or(conventional_prefix);
        self.entry.extensions().get(prefix)?.get(name)?.first()
    }

    /// A Media RSS element, inside `media:group` or directly in the entry.
    fn media(&self, name: &str) -> Option<&'a Extension> {
        let group = self.get(MEDIA_NS, "media", "group");
        let grouped = group.and_then(|group| group.children().get(name)?.first());
        grouped.or_else(|| self.get(MEDIA_NS, "media", name))
    }
}

fn prefix_of<'m>(namespace: &str, namespaces: &'m BTreeMap<String, String>) -> Option<&'m str> {
    let mut bound = namespaces.iter().filter(|(_, uri)| uri.trim() == namespace);
    bound.next().map(|(prefix, _)| prefix.as_str())
}

fn normalise(feed: &Feed, entry: &Entry, platform: Platform) -> Item {
    let extensions = Extensions { feed, entry };
    let title = entry.title().value.trim().to_owned();
    let link = alternate_link(entry);
    let published = published(entry);
    let video_id = video_id(&extensions, entry);
    let is_short = video_id.is_some() && link.as_deref().is_some_and(is_shorts_url);
    Item {
        platform,
        platform_id: video_id.unwrap_or_else(|| identity(entry, link.as_deref(), &title, published)),
        title,
        link,
        published,
        precision: DatePrecision::Exact,
        description_html: description(&extensions, entry),
        thumbnail: extensions
            .media("thumbnail")
            .and_then(|t| non_blank(t.attrs().get("url").map(String::as_str))),
        enclosure: None,
        duration_secs: None,
        is_short,
        podcast_guid: None,
        podcasting: Podcasting::default(),
    }
}

/// `yt:videoId`, else the entry id without its `yt:video:` prefix; `None` off YouTube.
fn video_id(extensions: &Extensions, entry: &Entry) -> Option<String> {
    let tagged = extensions.get(YOUTUBE_NS, "yt", "videoId").and_then(|ext| non_blank(ext.value()));
    tagged.or_else(|| non_blank(entry.id().trim().strip_prefix("yt:video:")))
}

/// The dedupe id of a non-YouTube entry: its id, else its link (see [`link_id`]), else
/// [`hashed_id`] of the title and the date in RFC 3339 (the parser keeps no raw date string
/// for Atom).
fn identity(entry: &Entry, link: Option<&str>, title: &str, date: Option<DateTime<Utc>>) -> String {
    let raw_date = date.map(|d| d.to_rfc3339()).unwrap_or_default();
    non_blank(Some(entry.id())).or_else(|| link.map(link_id)).unwrap_or_else(|| hashed_id(title, &raw_date))
}

/// The `rel="alternate"` link (the default rel), else the first link.
fn alternate_link(entry: &Entry) -> Option<String> {
    let links = entry.links();
    let alternate = links.iter().find(|link| link.rel() == "alternate");
    non_blank(alternate.or(links.first()).map(|link| link.href()))
}

/// `published`; `updated` only when there is no `published`, because YouTube bumps
/// `updated` whenever view counts change. An absent `updated` (the epoch) is `None`, and so
/// is an implausible date the fix-up did not see (a prefixed element name).
fn published(entry: &Entry) -> Option<DateTime<Utc>> {
    let date = entry.published().unwrap_or(entry.updated()).to_utc();
    let date = (date != DateTime::UNIX_EPOCH).then_some(date)?;
    plausible(date, format_args!("Atom entry {:?}", entry.id()))
}

/// True when the URL's path is under `/shorts/`.
fn is_shorts_url(url: &str) -> bool {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme.split_once('/').is_some_and(|(_, path)| path.starts_with("shorts/"))
}

/// `content`, else `summary`, else `media:description`; plain text is HTML-escaped.
fn description(extensions: &Extensions, entry: &Entry) -> String {
    let content = entry.content().and_then(|content| {
        let html = matches!(content.content_type(), Some("html" | "xhtml" | "text/html"));
        as_html(content.value()?, html)
    });
    let summary = || entry.summary().and_then(text_html);
    let media = || as_html(extensions.media("description")?.value()?, false);
    content.or_else(summary).or_else(media).unwrap_or_default()
}

fn text_html(text: &Text) -> Option<String> {
    as_html(&text.value, text.r#type != TextType::Text)
}

fn as_html(value: &str, is_html: bool) -> Option<String> {
    let value = value.trim();
    match (value.is_empty(), is_html) {
        (true, _) => None,
        (false, true) => Some(value.to_owned()),
        (false, false) => Some(html_escape::encode_text(value).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Vec<Item> {
        items(std::str::from_utf8(bytes).unwrap(), Platform::Youtube).unwrap()
    }

    fn instant(rfc3339: &str) -> Option<DateTime<Utc>> {
        Some(DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc())
    }

    #[test]
    fn youtube_fixture() {
        let items = parse(include_bytes!("../../tests/fixtures/youtube.xml"));
        let ids: Vec<_> = items.iter().map(|i| i.platform_id.as_str()).collect();
        assert_eq!(ids, ["Xk3pQ9LJt0s", "s7Hq2VbYk1E", "Rp2W8nXo4aQ", "Lm5Tq0aZc3U"]);
        let llion = &items[0];
        assert_eq!(
            llion.title,
            "He Co-Invented the Transformer. Now: Continuous Thought Machines [Llion Jones]"
        );
        assert_eq!(llion.link.as_deref(), Some("https://www.youtube.com/watch?v=Xk3pQ9LJt0s"));
        assert_eq!(llion.published, instant("2025-11-23T16:00:05Z"));
        assert_eq!(llion.thumbnail.as_deref(), Some("https://i2.ytimg.com/vi/Xk3pQ9LJt0s/hqdefault.jpg"));
        assert!(llion.description_html.starts_with(
            "Llion Jones joins us to talk about life after \"Attention Is All You Need\" &amp; why"
        ));
        assert!(llion.description_html.contains("31:40 Neurons that keep time"));
        assert_eq!((llion.enclosure.as_ref(), llion.duration_secs), (None, None));
        assert_eq!(llion.platform, Platform::Youtube);
    }

    #[test]
    fn youtube_shorts_and_publish_times() {
        let items = parse(include_bytes!("../../tests/fixtures/youtube.xml"));
        let shorts: Vec<_> = items.iter().map(|i| i.is_short).collect();
        assert_eq!(shorts, [false, true, false, false]);
        let published: Vec<_> = items.iter().map(|i| i.published).collect();
        let expected =
            ["2025-11-23T16:00:05Z", "2025-11-20T18:30:00Z", "2025-11-12T15:00:00Z", "2025-11-05T15:00:00Z"];
        assert_eq!(published, expected.map(instant));
    }

    #[test]
    fn video_id_falls_back_to_the_entry_id_under_any_prefix() {
        let feed = r#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:m="http://search.yahoo.com/mrss/">
            <entry><id> yt:video:abcDEF12345 </id><title>T</title>
            <link rel="alternate" href="https://youtube.com/shorts/abcDEF12345"/>
            <updated>2025-11-02T10:00:00Z</updated>
            <m:group><m:thumbnail url=" https://i.ytimg.com/vi/abcDEF12345/hq.jpg "/></m:group>
            </entry></feed>"#;
        let item = &items(feed, Platform::Youtube).unwrap()[0];
        assert_eq!(item.platform_id, "abcDEF12345");
        assert!(item.is_short);
        assert_eq!(item.published, instant("2025-11-02T10:00:00Z"));
        assert_eq!(item.thumbnail.as_deref(), Some("https://i.ytimg.com/vi/abcDEF12345/hq.jpg"));
    }

    #[test]
    fn blog_atom_fixture() {
        let items = parse(include_bytes!("../../tests/fixtures/blog-atom.xml"));
        let ids: Vec<_> = items.iter().map(|i| i.platform_id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "tag:fieldnotes.example.net,2025:post-17",
                "tag:fieldnotes.example.net,2025:post-16",
                "tag:fieldnotes.example.net,2025:post-15",
            ]
        );
        assert_eq!(items[0].link.as_deref(), Some("https://fieldnotes.example.net/2025/11/html-content/"));
        assert_eq!(items[0].description_html, "<p>The full post, with <strong>markup</strong>.</p>");
        assert_eq!(items[0].published, instant("2025-11-21T08:30:00Z"));
        assert_eq!(items[1].title, "Plain-text summaries & escaping");
        assert_eq!(items[1].description_html, "Use a &lt;pre&gt; block &amp; say why.");
        assert_eq!(items[1].published, instant("2025-11-14T23:00:00Z"));
        assert_eq!(items[2].description_html, "<p>This entry has no published element.</p>");
        assert_eq!(items[2].published, instant("2025-11-07T07:07:07Z"));
        assert!(items.iter().all(|i| !i.is_short && i.thumbnail.is_none()));
    }

    #[test]
    fn entry_without_id_link_or_date() {
        let feed = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><title> x </title></entry></feed>"#;
        let item = &items(feed, Platform::Feed).unwrap()[0];
        assert_eq!(item.platform_id, hashed_id("x", ""));
        assert_eq!((item.link.as_deref(), item.published), (None, None));
    }

    #[test]
    fn sloppy_or_unreadable_dates_do_not_fail_the_feed() {
        let feed = r#"<feed xmlns="http://www.w3.org/2005/Atom">
            <entry><id>a</id><published>Tue, 4 Nov 2025 09:05 -0000</published></entry>
            <entry><id>b</id><published>junk</published><updated>2025-11-02T10:00:00Z</updated></entry>
            <entry><id>c</id><published> </published><updated>soon</updated></entry>
            </feed>"#;
        let published: Vec<_> = items(feed, Platform::Feed).unwrap().iter().map(|i| i.published).collect();
        assert_eq!(published, [instant("2025-11-04T09:05:00Z"), instant("2025-11-02T10:00:00Z"), None]);
    }

    #[test]
    fn dates_at_the_edges_of_the_calendar_are_dropped() {
        let dates = ["9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "1969-07-20T20:17:00Z", "+12345-01-01"];
        let mut feed = String::from(
            r#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:a="http://www.w3.org/2005/Atom">"#,
        );
        for (i, date) in dates.iter().enumerate() {
            feed += &format!("<entry><id>p{i}</id><published>{date}</published></entry>");
            feed += &format!("<entry><id>u{i}</id><updated>{date}</updated></entry>");
            feed += &format!("<entry><id>x{i}</id><a:published>{date}</a:published></entry>");
        }
        feed += "</feed>";
        let parsed = items(&feed, Platform::Feed).unwrap();
        assert_eq!(parsed.len(), 12);
        assert!(parsed.iter().all(|i| i.published.is_none()), "{parsed:?}");
    }

    #[test]
    fn dates_inside_cdata_show_notes_are_left_alone() {
        let notes = "<published>Tue, 4 Nov 2025 09:05 GMT</published> and <updated>soon</updated>";
        let feed = format!(
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>a</id>
            <published>Tue, 4 Nov 2025 09:05 -0000</published>
            <content type="html"><![CDATA[{notes}]]></content>
            <!-- <updated>never</updated> --></entry></feed>"#
        );
        let item = &items(&feed, Platform::Feed).unwrap()[0];
        assert_eq!(item.description_html, notes);
        assert_eq!(item.published, instant("2025-11-04T09:05:00Z"));
    }

    #[test]
    fn shorts_urls() {
        assert!(is_shorts_url("https://www.youtube.com/shorts/abc"));
        assert!(!is_shorts_url("https://www.youtube.com/watch?v=abc&list=shorts/"));
        assert!(!is_shorts_url("https://shorts.example.com/abc"));
    }
}
