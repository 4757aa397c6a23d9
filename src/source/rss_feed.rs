//! RSS 2.0 (and RSS 1.0/RDF) normalisation via the `rss` crate, including the `itunes:`,
//! `content:encoded`, `dc:date` and Podcasting 2.0 (`podcast:`, see `podcasting`) extensions
//! podcast hosts and blogs use.

use rss::{Channel, Item as RssItem};

use super::dates::{parse_date, parse_duration, plausible};
use super::link_id::link_id;
use super::{ParseError, hashed_id, non_blank, podcasting};
use crate::model::{DatePrecision, Enclosure, Item, Person, Platform};

/// Parses UTF-8 RSS text into items, in feed order.
pub(super) fn items(text: &str, platform: Platform) -> Result<Vec<Item>, ParseError> {
    let channel = Channel::read_from(text.as_bytes()).map_err(|e| ParseError::Malformed(e.to_string()))?;
    let prefixes = podcasting::prefixes(channel.namespaces());
    let show = Show {
        image: channel.itunes_ext().and_then(|ext| non_blank(ext.image())),
        persons: podcasting::persons(channel.extensions(), &prefixes),
        prefixes,
    };
    Ok(channel.items().iter().map(|item| normalise(item, platform, &show)).collect())
}

/// What the channel says that its items inherit.
struct Show {
    /// The show's `itunes:image`.
    image: Option<String>,
    /// The channel's `podcast:person`s, which stand for an item that names none.
    persons: Vec<Person>,
    /// The prefixes the feed binds to the Podcasting 2.0 namespace.
    prefixes: Vec<String>,
}

/// The channel's title and whether any item has an enclosure.
pub(super) fn show(text: &str) -> Result<super::FeedShow, ParseError> {
    let channel = Channel::read_from(text.as_bytes()).map_err(|e| ParseError::Malformed(e.to_string()))?;
    Ok(super::FeedShow {
        title: non_blank(Some(channel.title())),
        youtube_channel: None,
        has_enclosures: channel.items().iter().any(|item| item.enclosure().is_some()),
    })
}

/// One RSS item as an [`Item`]; the thumbnail is the episode's `itunes:image`, else the
/// show's.
fn normalise(item: &RssItem, platform: Platform, show: &Show) -> Item {
    let title = item.title().unwrap_or_default().trim().to_owned();
    let raw_date = raw_date(item);
    let link = link(item);
    let itunes = item.itunes_ext();
    let platform_id = identity(item, link.as_deref(), &title, raw_date.unwrap_or_default());
    let published = raw_date.and_then(parse_date).and_then(|date| plausible(date, &platform_id));
    Item {
        platform,
        platform_id,
        title,
        link,
        published,
        precision: DatePrecision::Exact,
        description_html: description(item),
        thumbnail: non_blank(itunes.and_then(|ext| ext.image())).or_else(|| show.image.clone()),
        enclosure: item.enclosure().and_then(enclosure),
        duration_secs: itunes.and_then(|ext| ext.duration()).and_then(parse_duration),
        is_short: false,
        podcast_guid: None,
        podcasting: podcasting::podcasting(item.extensions(), &show.prefixes, &show.persons),
    }
}

/// The dedupe id: the guid, else the link (without tracking parameters, see
/// [`link_id`]), else [`hashed_id`] of the title and raw date.
fn identity(item: &RssItem, link: Option<&str>, title: &str, raw_date: &str) -> String {
    non_blank(item.guid().map(|guid| guid.value()))
        .or_else(|| link.map(link_id))
        .unwrap_or_else(|| hashed_id(title, raw_date))
}

/// The `<link>`, else a guid that is a permalink URL.
fn link(item: &RssItem) -> Option<String> {
    non_blank(item.link()).or_else(|| {
        let guid = item.guid().filter(|guid| guid.is_permalink())?;
        non_blank(Some(guid.value())).filter(|url| url.starts_with("http"))
    })
}

/// The trimmed `pubDate`, else the first `dc:date` (RSS 1.0 feeds use only that).
fn raw_date(item: &RssItem) -> Option<&str> {
    let dc_date = || item.dublin_core_ext()?.dates().first().map(String::as_str);
    item.pub_date().or_else(dc_date).map(str::trim).filter(|date| !date.is_empty())
}

/// `content:encoded` when it is longer than `description`, else `description`, else
/// `itunes:summary`, else empty.
fn description(item: &RssItem) -> String {
    let description = non_blank(item.description());
    let content = non_blank(item.content());
    let richest = match (content, description) {
        (Some(content), Some(description)) if content.len() > description.len() => Some(content),
        (content, description) => description.or(content),
    };
    let summary = || non_blank(item.itunes_ext().and_then(|ext| ext.summary()));
    richest.or_else(summary).unwrap_or_default()
}

/// The enclosure when it has a URL; a length that is not a positive integer is dropped.
fn enclosure(enclosure: &rss::Enclosure) -> Option<Enclosure> {
    Some(Enclosure {
        url: non_blank(Some(enclosure.url()))?,
        mime_type: enclosure.mime_type().trim().to_owned(),
        length: enclosure.length().trim().parse().ok().filter(|len| *len > 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn parse(bytes: &[u8]) -> Vec<Item> {
        let text = std::str::from_utf8(bytes).unwrap();
        items(text, Platform::Podcast).unwrap()
    }

    fn instant(rfc3339: &str) -> Option<DateTime<Utc>> {
        Some(DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc())
    }

    #[test]
    fn podcast_fixture() {
        let items = parse(include_bytes!("../../tests/fixtures/podcast.xml"));
        assert_eq!(items.len(), 4);
        let llion = &items[0];
        assert_eq!(llion.platform, Platform::Podcast);
        assert_eq!(llion.platform_id, "4f1c9a7e-2b3d-4e8f-9a61-0c5d7e2b8f13");
        assert_eq!(
            llion.title,
            "He Co-Invented the Transformer. Now: Continuous Thought Machines - Llion Jones"
        );
        assert_eq!(llion.published, instant("2025-11-24T17:00:00Z"));
        assert_eq!(llion.duration_secs, Some(5025));
        assert!(llion.description_html.starts_with("<p>Llion Jones joins us"));
        assert!(llion.link.as_deref().unwrap().ends_with("Llion-Jones-e3b7k2q"));
        assert_eq!(
            llion.thumbnail.as_deref(),
            Some(
                "https://d3t3ozftmdmh3i.cloudfront.net/staging/podcast_uploaded_episode/4981699/llion-jones.jpg"
            )
        );
        let audio = llion.enclosure.as_ref().unwrap();
        assert!(audio.url.starts_with("https://anchor.fm/s/1e4a0eac/podcast/play/111820415/"));
        assert_eq!((audio.mime_type.as_str(), audio.length), ("audio/mpeg", Some(120_582_144)));
        assert!(!llion.is_short && llion.podcast_guid.is_none());
    }

    #[test]
    fn podcast_fixture_variants() {
        let items = parse(include_bytes!("../../tests/fixtures/podcast.xml"));
        let durations: Vec<_> = items.iter().map(|i| i.duration_secs).collect();
        assert_eq!(durations, [Some(5025), Some(2830), Some(3891), Some(3961)]);
        let show_cover =
            "https://d3t3ozftmdmh3i.cloudfront.net/production/podcast_uploaded_nologo/4981699/show-cover.jpg";
        assert_eq!(items[1].thumbnail.as_deref(), Some(show_cover));
        assert!(items[2].description_html.contains("Recorded in London."));
        assert_eq!(items[3].enclosure.as_ref().unwrap().length, None);
        assert_eq!(items[3].published, instant("2025-11-06T09:00:00Z"));
    }

    #[test]
    fn blog_fixture_identity_and_dates() {
        let items = parse(include_bytes!("../../tests/fixtures/blog-rss.xml"));
        let ids: Vec<_> = items.iter().map(|i| i.platform_id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "https://notes.example.org/?p=311",
                "https://notes.example.org/2025/11/no-guid/",
                "sha256:c2dea692fe2ee61fb890cfae9fa0387a",
                "https://notes.example.org/2025/11/iso-dates/",
                "notes-undated-1",
                "https://notes.example.org/?p=311",
            ]
        );
        assert_eq!(items[0].title, "Parsing sloppy dates");
        assert_eq!(items[0].link.as_deref(), Some("https://notes.example.org/2025/11/sloppy-dates/"));
        assert_eq!(items[0].description_html, "<p>Feeds lie about <em>time</em>.</p>");
        let dates: Vec<_> = items.iter().map(|i| i.published).collect();
        let expected = ["2025-11-04T09:05:00Z", "2025-11-12T22:30:00Z", "2025-11-15T08:00:00Z"];
        assert_eq!(dates[..3], expected.map(instant));
        assert_eq!(dates[3], instant("2025-11-18T10:00:00Z"));
        assert_eq!(dates[4], None);
        assert_eq!(items[2].link, None);
        assert!(items.iter().all(|i| i.enclosure.is_none() && i.thumbnail.is_none()));
    }

    #[test]
    fn latin1_fixture_decodes() {
        let bytes = include_bytes!("../../tests/fixtures/latin1.xml");
        let items = crate::source::parse_feed(bytes, Platform::Feed).unwrap();
        assert_eq!(items[0].title, "Café à Zürich");
        assert_eq!(items[0].description_html, "Crème brûlée, façade, naïveté: «très bien».");
        assert_eq!(items[0].published, instant("2025-11-08T15:45:00Z"));
    }

    #[test]
    fn rdf_feed_with_dc_date() {
        let rdf = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
            xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel rdf:about="https://rdf.example.com/"><title>RDF</title></channel>
            <item rdf:about="https://rdf.example.com/1"><title>One</title>
            <link>https://rdf.example.com/1</link><dc:date>2025-11-03T08:00:00+02:00</dc:date>
            </item></rdf:RDF>"#;
        let items = items(rdf, Platform::Feed).unwrap();
        assert_eq!(items[0].platform_id, "https://rdf.example.com/1");
        assert_eq!(items[0].published, instant("2025-11-03T06:00:00Z"));
    }

    #[test]
    fn dates_at_the_edges_of_the_calendar_are_dropped() {
        let dates = [
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "Mon, 01 Jan 0000 00:00:00 GMT",
            "Wed, 31 Dec 1969 23:59:59 GMT",
            "+12345-01-01T00:00:00Z",
            "Mon, 24 Nov 2025 17:00:00 GMT",
        ];
        let entries: String = dates
            .iter()
            .enumerate()
            .map(|(i, date)| format!("<item><guid>{i}</guid><pubDate>{date}</pubDate></item>"))
            .collect();
        let feed = format!("<rss><channel>{entries}</channel></rss>");
        let published: Vec<_> =
            items(&feed, Platform::Podcast).unwrap().iter().map(|i| i.published).collect();
        assert_eq!(published, [None, None, None, None, instant("2025-11-24T17:00:00Z")]);
    }

    #[test]
    fn huge_or_negative_numbers_are_dropped() {
        let feed = r#"<rss xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
            <item><guid>a</guid><enclosure url="https://x/a.mp3" length="99999999999999999999999" type="audio/mpeg"/>
            <itunes:duration>99999999999999999999999</itunes:duration></item>
            <item><guid>b</guid><enclosure url="https://x/b.mp3" length="-5" type="audio/mpeg"/>
            <itunes:duration>-1:00</itunes:duration></item>
            <item><guid>c</guid><enclosure url="https://x/c.mp3" length="18446744073709551615" type="audio/mpeg"/>
            </item></channel></rss>"#;
        let items = items(feed, Platform::Podcast).unwrap();
        let lengths: Vec<_> = items.iter().map(|i| i.enclosure.as_ref().unwrap().length).collect();
        assert_eq!(lengths, [None, None, Some(u64::MAX)]);
        assert!(items.iter().all(|i| i.duration_secs.is_none()));
    }

    #[test]
    fn item_with_nothing_still_gets_a_hashed_id() {
        let items = items("<rss><channel><item></item></channel></rss>", Platform::Feed).unwrap();
        assert_eq!(items[0].platform_id, hashed_id("", ""));
        assert_eq!((items[0].title.as_str(), items[0].published), ("", None));
    }
}
