//! Generated hostile feeds (deep nesting, dates at the edges of the calendar, control
//! characters, huge and negative numbers, odd encodings) driven through parse → store →
//! publish: never a panic, and every feed written parses back with `rss`, `atom_syndication`
//! and `serde_json`.

use proptest::prelude::*;

use super::*;
use crate::publish::FeedFormat;

/// Text as hostile as a field gets: anything, control characters, markup, RTL, emoji.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f\\x7f<>&\"'\\]\\[ a-z]{0,24}",
        Just("\u{202e}evil\u{feff}\u{fffe}\u{1F600}".to_owned()),
        Just("]]><script>alert(1)</script>".to_owned()),
    ]
}

fn date() -> impl Strategy<Value = String> {
    let edges = [
        "Mon, 24 Nov 2025 17:00:00 GMT",
        "2025-11-24T17:00:00Z",
        "+12345-01-01",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "1969-12-31T23:59:59Z",
        "Mon, 01 Jan 0000 00:00:00 +9999",
        "2025-11",
        "9999",
    ];
    prop_oneof![proptest::sample::select(edges.to_vec()).prop_map(str::to_owned), text()]
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i128>().prop_map(|n| n.to_string()),
        Just("99999999999999999999999999999".to_owned()),
        Just("1e400".to_owned()),
        Just("-0".to_owned()),
        Just("1.5".to_owned()),
    ]
}

/// One entry's hostile fields.
#[derive(Debug, Clone)]
struct Entry {
    id: String,
    title: String,
    date: String,
    number: String,
    url: String,
    notes: String,
    depth: usize,
}

fn entry() -> impl Strategy<Value = Entry> {
    (text(), text(), date(), number(), text(), text(), 0..200usize).prop_map(
        |(id, title, date, number, url, notes, depth)| Entry { id, title, date, number, url, notes, depth },
    )
}

fn xml(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

fn nested(depth: usize) -> String {
    format!("{}{}", "<x:n>".repeat(depth), "</x:n>".repeat(depth))
}

fn rss(entries: &[Entry]) -> String {
    let items: String = entries
        .iter()
        .map(|e| {
            format!(
                "<item><guid>{}</guid><title>{}</title><pubDate>{}</pubDate><link>{}</link>\
                 <enclosure url=\"{}\" length=\"{}\" type=\"{}\"/><itunes:duration>{}</itunes:duration>\
                 <itunes:image href=\"{}\"/><description><![CDATA[{}]]></description>{}</item>",
                xml(&e.id),
                xml(&e.title),
                xml(&e.date),
                xml(&e.url),
                xml(&e.url),
                xml(&e.number),
                xml(&e.title),
                xml(&e.number),
                xml(&e.url),
                e.notes.replace("]]>", ""),
                nested(e.depth),
            )
        })
        .collect();
    format!(
        "<rss xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" xmlns:x=\"urn:x\">\
         <channel>{items}</channel></rss>"
    )
}

fn atom(entries: &[Entry]) -> String {
    let items: String = entries
        .iter()
        .map(|e| {
            format!(
                "<entry><id>{}</id><title>{}</title><published>{}</published><updated>{}</updated>\
                 <link href=\"{}\"/><content type=\"html\">{}</content><yt:videoId>{}</yt:videoId>\
                 <media:group><media:thumbnail url=\"{}\"/></media:group>{}</entry>",
                xml(&e.id),
                xml(&e.title),
                xml(&e.date),
                xml(&e.date),
                xml(&e.url),
                xml(&e.notes),
                xml(&e.id),
                xml(&e.url),
                nested(e.depth),
            )
        })
        .collect();
    format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:yt=\"http://www.youtube.com/xml/schemas/2015\" \
         xmlns:media=\"http://search.yahoo.com/mrss/\" xmlns:x=\"urn:x\">{items}</feed>"
    )
}

fn json(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

fn apple(entries: &[Entry]) -> String {
    let results: Vec<String> = entries
        .iter()
        .map(|e| {
            format!(
                r#"{{"wrapperType": "podcastEpisode", "trackId": {}, "trackName": {}, "releaseDate": {},
                    "trackViewUrl": {}, "description": {}, "trackTimeMillis": {}, "episodeUrl": {},
                    "episodeGuid": {}, "artworkUrl600": {}, "deep": {}{}}}"#,
                e.number,
                json(&e.title),
                json(&e.date),
                json(&e.url),
                json(&e.notes),
                e.number,
                json(&e.url),
                json(&e.id),
                json(&e.url),
                "[".repeat(e.depth),
                "]".repeat(e.depth),
            )
        })
        .collect();
    format!(r#"{{"results": [{}]}}"#, results.join(","))
}

fn spotify(entries: &[Entry]) -> String {
    let items: Vec<String> = entries
        .iter()
        .map(|e| {
            format!(
                r#"{{"id": {}, "name": {}, "release_date": {}, "release_date_precision": "day",
                    "html_description": {}, "duration_ms": {}, "external_urls": {{"spotify": {}}},
                    "images": [{{"url": {}}}]}}"#,
                json(&e.id),
                json(&e.title),
                json(&e.date),
                json(&e.notes),
                e.number,
                json(&e.url),
                json(&e.url),
            )
        })
        .collect();
    format!(r#"{{"items": [{}], "next": null}}"#, items.join(","))
}

/// How the document's bytes are encoded.
#[derive(Debug, Clone, Copy)]
enum Encoding {
    Utf8,
    Utf8Bom,
    Latin1Declared,
    Utf16LeBom,
    UnknownDeclared,
}

fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Encoding::Latin1Declared => {
            let declared = format!("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>{text}");
            declared.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect()
        }
        Encoding::Utf16LeBom => {
            [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect()
        }
        Encoding::UnknownDeclared => {
            format!("<?xml version=\"1.0\" encoding=\"x-klingon\"?>{text}").into_bytes()
        }
    }
}

fn encoding() -> impl Strategy<Value = Encoding> {
    proptest::sample::select(vec![
        Encoding::Utf8,
        Encoding::Utf8Bom,
        Encoding::Latin1Declared,
        Encoding::Utf16LeBom,
        Encoding::UnknownDeclared,
    ])
}

/// Every feed parses back with the crate made for its format.
fn assert_well_formed(files: &[Feed]) {
    assert_eq!(files.len(), 6);
    for Feed { path, format, text } in files {
        let parsed = match format {
            FeedFormat::Json => {
                serde_json::from_str::<serde_json::Value>(text).map(drop).map_err(|e| e.to_string())
            }
            FeedFormat::Atom => {
                atom_syndication::Feed::read_from(text.as_bytes()).map(drop).map_err(|e| e.to_string())
            }
            FeedFormat::Rss => rss::Channel::read_from(text.as_bytes()).map(drop).map_err(|e| e.to_string()),
        };
        parsed.unwrap_or_else(|e| panic!("{path}: {e}\n{text}"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn hostile_feeds_never_panic_and_publish_well_formed_feeds(
        entries in proptest::collection::vec(entry(), 1..4),
        encoding in encoding(),
    ) {
        let store = Store::temporary().unwrap();
        let now = Utc::now();
        let bodies = [
            (Platform::Podcast, encode(&rss(&entries), encoding)),
            (Platform::Youtube, encode(&atom(&entries), encoding)),
            (Platform::Apple, apple(&entries).into_bytes()),
            (Platform::Spotify, spotify(&entries).into_bytes()),
        ];
        let json_numbers_fit = entries.iter().all(|e| e.number != "1e400");
        for (platform, bytes) in bodies {
            match ingest_and_publish(&store, "hostile", platform, &bytes, now) {
                Ok(files) => assert_well_formed(&files),
                Err(e) => prop_assert!(
                    platform != Platform::Spotify || !json_numbers_fit,
                    "valid JSON with any strings reaches the feeds: {e}"
                ),
            }
        }
        for episode in store.channel_episodes("hostile").unwrap() {
            for copy in &episode.copies {
                let published = copy.published.expect("undated copies get their first-seen time");
                prop_assert!(published.timestamp() >= 0 && published <= now + chrono::Duration::days(2));
            }
        }
    }
}

#[test]
fn a_good_feed_goes_all_the_way_to_the_feeds() {
    let store = Store::temporary().unwrap();
    let podcast = include_bytes!("../../tests/fixtures/podcast.xml");
    let files = ingest_and_publish(&store, "mlst", Platform::Podcast, podcast, Utc::now()).unwrap();
    assert_well_formed(&files);
    assert_eq!(store.count_episodes("mlst"), 4);
    let merged = files.iter().find(|f| f.format == FeedFormat::Json && f.path != "feed.json").unwrap();
    assert!(merged.text.contains("Llion Jones"), "{}", merged.text);
}

#[test]
fn a_channel_id_the_config_would_refuse_is_an_error() {
    let store = Store::temporary().unwrap();
    let podcast = include_bytes!("../../tests/fixtures/podcast.xml");
    for channel in ["a:podcast", "", "A"] {
        let error = ingest_and_publish(&store, channel, Platform::Podcast, podcast, Utc::now()).unwrap_err();
        assert!(error.to_string().starts_with("invalid channel id"), "{channel:?}: {error}");
    }
    assert!(store.channel_episodes("a:podcast").unwrap().is_empty(), "nothing recorded");
}

#[test]
fn a_100000_deep_feed_is_an_error_not_a_crash() {
    let store = Store::temporary().unwrap();
    let deep = format!("<rss><channel><item>{}</item></channel></rss>", nested(100_000));
    let error = ingest_and_publish(&store, "deep", Platform::Feed, deep.as_bytes(), Utc::now()).unwrap_err();
    assert_eq!(error.to_string(), "feed nested deeper than 128 elements");
}
