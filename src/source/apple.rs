//! Apple Podcasts: the iTunes lookup API's JSON (`/lookup?id=…&entity=podcastEpisode`) into
//! [`Item`]s. The show itself comes back as the first result and is skipped; every field is
//! optional because real payloads leave fields out.

use serde::Deserialize;

use super::dates::{parse_date, plausible};
use super::json::{Detail, each_lenient, from_json, lenient, millis_to_secs, text_as_html};
use super::{ParseError, dedupe, non_blank};
use crate::model::{DatePrecision, Enclosure, Item, Platform, Podcasting};

/// The `wrapperType` of an episode result (the show is a `track`).
const EPISODE: &str = "podcastEpisode";

/// Every field of a result is lenient: a value of the wrong type drops that field (and a
/// result that is no object, that result), logged, never the lookup.
#[derive(Deserialize)]
struct Lookup {
    #[serde(deserialize_with = "each_lenient")]
    results: Vec<Option<LookupResult>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LookupResult {
    #[serde(default, deserialize_with = "lenient")]
    wrapper_type: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    track_id: Option<u64>,
    #[serde(default, deserialize_with = "lenient")]
    track_name: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    release_date: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    episode_guid: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    track_view_url: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    description: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    short_description: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    artwork_url600: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    artwork_url160: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    track_time_millis: Option<u64>,
    #[serde(default, deserialize_with = "lenient")]
    episode_url: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    episode_file_extension: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    episode_content_type: Option<String>,
}

/// Parses an iTunes lookup body into the show's episodes, in the order Apple lists them.
///
/// Only `podcastEpisode` results with a `trackId` become items; `description` and
/// `shortDescription` are plain text and come out HTML-escaped. Dates are exact.
pub fn parse_apple(bytes: &[u8]) -> Result<Vec<Item>, ParseError> {
    let lookup: Lookup = from_json(bytes, Detail::Full)?;
    let results = lookup.results.into_iter().flatten();
    let episodes = results.filter(|r| r.wrapper_type.as_deref() == Some(EPISODE));
    Ok(dedupe(episodes.filter_map(normalise).collect()))
}

/// One episode result as an [`Item`]; `None` without a `trackId`.
fn normalise(result: LookupResult) -> Option<Item> {
    let platform_id = result.track_id?.to_string();
    let published = result.release_date.as_deref().and_then(parse_date);
    let published = published.and_then(|date| plausible(date, format_args!("Apple episode {platform_id}")));
    Some(Item {
        platform: Platform::Apple,
        platform_id,
        title: non_blank(result.track_name.as_deref()).unwrap_or_default(),
        link: non_blank(result.track_view_url.as_deref()),
        published,
        precision: DatePrecision::Exact,
        description_html: text_as_html(result.description.as_deref())
            .or_else(|| text_as_html(result.short_description.as_deref()))
            .unwrap_or_default(),
        thumbnail: non_blank(result.artwork_url600.as_deref())
            .or_else(|| non_blank(result.artwork_url160.as_deref())),
        enclosure: enclosure(&result),
        duration_secs: result.track_time_millis.map(millis_to_secs),
        is_short: false,
        podcast_guid: non_blank(result.episode_guid.as_deref()),
        podcasting: Podcasting::default(),
    })
}

/// The audio file when `episodeUrl` is there; Apple gives a kind (`audio`) and an extension
/// (`mp3`) rather than a MIME type, so one is made from them.
fn enclosure(result: &LookupResult) -> Option<Enclosure> {
    let url = non_blank(result.episode_url.as_deref())?;
    let kind = non_blank(result.episode_content_type.as_deref()).unwrap_or_else(|| "audio".into());
    let extension = non_blank(result.episode_file_extension.as_deref()).unwrap_or_default();
    Some(Enclosure { url, mime_type: mime_type(&kind, &extension.to_ascii_lowercase()), length: None })
}

fn mime_type(kind: &str, extension: &str) -> String {
    match (kind, extension) {
        (kind, _) if kind.contains('/') => kind.to_owned(),
        (_, "mp3") => "audio/mpeg".into(),
        (_, "m4a") => "audio/mp4".into(),
        (_, "m4v") => "video/mp4".into(),
        (_, "") => "application/octet-stream".into(),
        (kind, extension) => format!("{kind}/{extension}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    const FIXTURE: &[u8] = include_bytes!("../../tests/fixtures/apple-lookup.json");

    fn parse(json: &str) -> Vec<Item> {
        parse_apple(json.as_bytes()).unwrap()
    }

    fn check(item: &Item, id: &str, guid: &str, published: &str, duration: u64) {
        assert_eq!(item.platform, Platform::Apple);
        assert_eq!(item.platform_id, id);
        assert_eq!(item.podcast_guid.as_deref(), Some(guid));
        assert_eq!(item.published, Some(DateTime::parse_from_rfc3339(published).unwrap().to_utc()));
        assert_eq!(item.precision, DatePrecision::Exact);
        assert_eq!(item.duration_secs, Some(duration));
        assert!(item.link.as_deref().unwrap().ends_with(&format!("?i={id}&uo=4")));
    }

    #[test]
    fn lookup_fixture() {
        let items = parse_apple(FIXTURE).unwrap();
        assert_eq!(items.len(), 4, "the show result is skipped");
        check(
            &items[0],
            "1000738009211",
            "4f1c9a7e-2b3d-4e8f-9a61-0c5d7e2b8f13",
            "2025-11-24T17:00:00Z",
            5025,
        );
        check(
            &items[1],
            "1000736911872",
            "9d2e6b10-7c4a-4f55-b8e3-21a6f0c94d7b",
            "2025-11-16T10:30:00Z",
            2830,
        );
        check(
            &items[2],
            "1000736254103",
            "e6b94d21-0f3a-4c7e-8d15-b2a7c9e04f68",
            "2025-11-12T20:00:00Z",
            3891,
        );
        check(
            &items[3],
            "1000735580406",
            "7b3f0d4c-8e2a-4c61-95fd-3a1b2c4d5e6f",
            "2025-11-06T09:00:00Z",
            3961,
        );
        let llion = &items[0];
        assert_eq!(
            llion.title,
            "He Co-Invented the Transformer. Now: Continuous Thought Machines - Llion Jones"
        );
        assert_eq!(
            llion.link.as_deref(),
            Some(
                "https://podcasts.apple.com/tw/podcast/he-co-invented-the-transformer-now-continuous-thought/id1510472996?i=1000738009211&uo=4"
            )
        );
        assert!(
            llion.description_html.starts_with("Llion Jones joins us to talk about life after \"Attention")
        );
        assert!(llion.description_html.contains("TIMESTAMPS:\n00:00 Intro"));
        assert!(llion.thumbnail.as_deref().unwrap().ends_with("/mza_1000738009211.jpg/600x600bb.jpg"));
        let audio = llion.enclosure.as_ref().unwrap();
        assert!(audio.url.starts_with("https://anchor.fm/s/1e4a0eac/podcast/play/111820415/"));
        assert_eq!((audio.mime_type.as_str(), audio.length), ("audio/mpeg", None));
    }

    #[test]
    fn fixture_fallbacks() {
        let items = parse_apple(FIXTURE).unwrap();
        let (mailbag, part2, part1) = (&items[1], &items[2], &items[3]);
        assert_eq!(
            mailbag.description_html,
            "We answer your questions about benchmarks, scaling laws and the ARC challenge."
        );
        assert!(part2.description_html.contains("world models &amp; what a planner needs"));
        assert!(part1.thumbnail.as_deref().unwrap().ends_with("160x160bb.jpg"));
        assert_eq!(part1.enclosure, None);
    }

    #[test]
    fn entries_without_track_id_or_of_other_kinds_are_skipped() {
        let json = r#"{"results": [
            {"wrapperType": "track", "trackId": 1},
            null,
            {"wrapperType": "podcastEpisode", "trackName": "no id"},
            {"wrapperType": "podcastEpisode", "trackId": 7, "trackViewUrl": "  https://x/y?i=7 \n",
             "releaseDate": "garbage", "episodeUrl": "https://a/b.m4a", "episodeFileExtension": "M4A"},
            {"wrapperType": "podcastEpisode", "trackId": 7, "trackName": "repeat"}
        ]}"#;
        let items = parse(json);
        assert_eq!(items.len(), 1);
        let only = &items[0];
        assert_eq!((only.platform_id.as_str(), only.title.as_str()), ("7", ""));
        assert_eq!(only.link.as_deref(), Some("https://x/y?i=7"));
        assert_eq!((only.published, only.podcast_guid.as_deref(), only.duration_secs), (None, None, None));
        assert_eq!(only.enclosure.as_ref().unwrap().mime_type, "audio/mp4");
        assert!(parse(r#"{"resultCount": 0, "results": []}"#).is_empty());
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime_type("audio", "mp3"), "audio/mpeg");
        assert_eq!(mime_type("video", "m4v"), "video/mp4");
        assert_eq!(mime_type("audio/x-m4a", "m4a"), "audio/x-m4a");
        assert_eq!(mime_type("audio", "ogg"), "audio/ogg");
        assert_eq!(mime_type("audio", ""), "application/octet-stream");
    }

    #[test]
    fn bad_bodies_are_clear_errors() {
        let error = |bytes: &[u8]| parse_apple(bytes).unwrap_err().to_string();
        assert_eq!(error(b""), "empty body");
        assert_eq!(
            error(b"<html><body>Not Found</body></html>"),
            "invalid JSON: got an HTML or XML page instead"
        );
        assert_eq!(error(b"{}"), "invalid JSON: missing field `results` at line 1 column 2");
        assert!(error(br#"{"results": "x"}"#).starts_with("invalid JSON: invalid type: string"));
    }

    #[test]
    fn one_mistyped_result_or_field_does_not_fail_the_lookup() {
        let json = r#"{"results": [
            {"wrapperType": "podcastEpisode", "trackId": "x"},
            {"wrapperType": "podcastEpisode", "trackId": 1, "trackTimeMillis": -5,
             "releaseDate": "9999-12-31T00:00:00Z", "trackName": 3},
            {"wrapperType": "podcastEpisode", "trackId": 2, "trackTimeMillis": 1e30,
             "releaseDate": "0000-01-01T00:00:00Z", "episodeGuid": {"a": 1}},
            {"wrapperType": "podcastEpisode", "trackId": 3, "releaseDate": "1969-12-31T00:00:00Z"},
            {"wrapperType": "podcastEpisode", "trackId": 4, "trackTimeMillis": 60000,
             "releaseDate": "2025-11-24T17:00:00Z"},
            [1, 2, 3]
        ]}"#;
        let items = parse(json);
        let ids: Vec<_> = items.iter().map(|i| i.platform_id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "3", "4"]);
        assert!(items[..3].iter().all(|i| i.published.is_none() && i.duration_secs.is_none()));
        assert_eq!((items[0].title.as_str(), items[1].podcast_guid.as_ref()), ("", None));
        assert_eq!(items[3].duration_secs, Some(60));
        assert_eq!(
            items[3].published,
            Some(DateTime::parse_from_rfc3339("2025-11-24T17:00:00Z").unwrap().to_utc())
        );
    }

    #[test]
    fn never_panics_on_truncated_input() {
        for end in 0..FIXTURE.trim_ascii_end().len() {
            assert!(parse_apple(&FIXTURE[..end]).is_err(), "prefix of {end} bytes parsed");
        }
    }
}
