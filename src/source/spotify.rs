//! Spotify: a page of the Web API's show episodes (`/v1/shows/{id}/episodes`) into [`Item`]s
//! plus the next page's URL, when to stop paging, and the client-credentials token response.
//! A token's value never appears in `Debug` output or in an error message.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::Deserialize;

use super::dates::plausible;
use super::json::{Detail, each_lenient, from_json, lenient, millis_to_secs, text_as_html};
use super::{ParseError, dedupe, non_blank};
use crate::model::{DatePrecision, Item, Platform, Podcasting};

/// One page of a show's episodes.
#[derive(Debug, Clone, PartialEq)]
pub struct SpotifyPage {
    pub items: Vec<Item>,
    /// The next page's URL as Spotify gave it; `None` on the last page.
    pub next: Option<String>,
}

/// Every field of an entry is lenient: a value of the wrong type drops that field (and an
/// entry that is no object, that entry), logged, never the page.
#[derive(Deserialize)]
struct Page {
    #[serde(deserialize_with = "each_lenient")]
    items: Vec<Option<Episode>>,
    #[serde(default, deserialize_with = "lenient")]
    next: Option<String>,
}

#[derive(Deserialize)]
struct Episode {
    #[serde(default, deserialize_with = "lenient")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    name: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    release_date: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    release_date_precision: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    html_description: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    description: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    external_urls: Option<ExternalUrls>,
    #[serde(default, deserialize_with = "lenient")]
    images: Option<Vec<Image>>,
    #[serde(default, deserialize_with = "lenient")]
    duration_ms: Option<u64>,
}

#[derive(Deserialize)]
struct ExternalUrls {
    #[serde(default, deserialize_with = "lenient")]
    spotify: Option<String>,
}

#[derive(Deserialize)]
struct Image {
    #[serde(default, deserialize_with = "lenient")]
    url: Option<String>,
}

/// Parses one episodes page. `null` entries (episodes not available in the market) and
/// entries without an `id` are skipped. A `release_date` only names a day (or a month or a
/// year, read as its first day), so items get midnight UTC with [`DatePrecision::Day`]; a
/// date before 1970 or in the far future (`+12345-01-01`) is dropped (see
/// [`super::plausible_at`]).
pub fn parse_spotify_page(bytes: &[u8]) -> Result<SpotifyPage, ParseError> {
    let page: Page = from_json(bytes, Detail::Full)?;
    let items = page.items.into_iter().flatten().filter_map(normalise).collect();
    Ok(SpotifyPage { items: dedupe(items), next: non_blank(page.next.as_deref()) })
}

/// Whether paging should stop: every item of the page is already `known` (an empty page
/// counts as known).
pub fn page_is_known(items: &[Item], known: impl Fn(&Item) -> bool) -> bool {
    items.iter().all(known)
}

/// One episode as an [`Item`]; `None` without an `id`.
fn normalise(episode: Episode) -> Option<Item> {
    let precision = episode.release_date_precision.as_deref();
    let platform_id = non_blank(episode.id.as_deref())?;
    let released = episode.release_date.as_deref().and_then(|date| release_date(date, precision));
    let published = released.and_then(|date| plausible(date, format_args!("Spotify episode {platform_id}")));
    Some(Item {
        platform: Platform::Spotify,
        platform_id,
        title: non_blank(episode.name.as_deref()).unwrap_or_default(),
        link: non_blank(episode.external_urls.and_then(|urls| urls.spotify).as_deref()),
        published,
        precision: DatePrecision::Day,
        description_html: non_blank(episode.html_description.as_deref())
            .or_else(|| text_as_html(episode.description.as_deref()))
            .unwrap_or_default(),
        thumbnail: episode.images.and_then(|images| non_blank(images.first()?.url.as_deref())),
        enclosure: None,
        duration_secs: episode.duration_ms.map(millis_to_secs),
        is_short: false,
        podcast_guid: None,
        podcasting: Podcasting::default(),
    })
}

/// Midnight UTC of the date, read as `day` (`2025-11-25`), `month` (`2025-11`) or `year`
/// (`2025`) precision; without a precision the date's shape decides.
fn release_date(date: &str, precision: Option<&str>) -> Option<DateTime<Utc>> {
    let date = date.trim();
    let precision = precision.map(str::trim).unwrap_or(match date.matches('-').count() {
        0 => "year",
        1 => "month",
        _ => "day",
    });
    let full = match precision {
        "day" => date.to_owned(),
        "month" => format!("{date}-01"),
        "year" => format!("{date}-01-01"),
        _ => return None,
    };
    let day = NaiveDate::parse_from_str(&full, "%Y-%m-%d").ok()?;
    Some(day.and_time(NaiveTime::MIN).and_utc())
}

/// An OAuth access token and when it stops being valid.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    pub access_token: String,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<u64>,
}

/// How long a token lives when the response does not say (Spotify's documented hour).
const DEFAULT_EXPIRES_IN: u64 = 3600;

/// Parses a client-credentials token response received at `now`. Errors carry only the
/// position of a problem, never text from the body.
pub fn parse_token(bytes: &[u8], now: DateTime<Utc>) -> Result<Token, ParseError> {
    let response: TokenResponse = from_json(bytes, Detail::Position)?;
    let token_error = |what: &str| ParseError::Json(format!("token response {what}"));
    let access_token =
        non_blank(response.access_token.as_deref()).ok_or_else(|| token_error("has no access_token"))?;
    if response.token_type.is_some_and(|kind| !kind.trim().eq_ignore_ascii_case("bearer")) {
        return Err(token_error("has a token_type other than Bearer"));
    }
    let lifetime = i64::try_from(response.expires_in.unwrap_or(DEFAULT_EXPIRES_IN)).ok();
    let expires_at = lifetime
        .and_then(TimeDelta::try_seconds)
        .and_then(|lifetime| now.checked_add_signed(lifetime))
        .ok_or_else(|| token_error("has an expires_in out of range"))?;
    Ok(Token { access_token, expires_at })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE_1: &[u8] = include_bytes!("../../tests/fixtures/spotify-episodes-1.json");
    const PAGE_2: &[u8] = include_bytes!("../../tests/fixtures/spotify-episodes-2.json");
    const TOKEN: &[u8] = include_bytes!("../../tests/fixtures/spotify-token.json");
    const SECRET: &str = "BQC4made-up-token_value";

    fn midnight(date: &str) -> Option<DateTime<Utc>> {
        Some(NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap().and_time(NaiveTime::MIN).and_utc())
    }

    fn now() -> DateTime<Utc> {
        midnight("2025-11-25").unwrap()
    }

    fn check(item: &Item, id: &str, released: &str, duration: u64) {
        assert_eq!((item.platform, item.platform_id.as_str()), (Platform::Spotify, id));
        assert_eq!((item.published, item.precision), (midnight(released), DatePrecision::Day));
        assert_eq!(item.duration_secs, Some(duration));
        assert_eq!(item.link, Some(format!("https://open.spotify.com/episode/{id}")));
        assert!(item.description_html.starts_with("<p>"), "{}", item.description_html);
        assert!(item.thumbnail.as_deref().unwrap().starts_with("https://i.scdn.co/image/ab6765630000ba8a"));
        assert_eq!((item.enclosure.as_ref(), item.podcast_guid.as_ref()), (None, None));
    }

    #[test]
    fn episode_pages() {
        let first = parse_spotify_page(PAGE_1).unwrap();
        check(&first.items[0], "5Qm2cXb7TzR1vK9dLw3JpA", "2025-11-25", 5025);
        check(&first.items[1], "0hT8nV4sYpE6wQ2kUc9BrM", "2025-11-17", 2830);
        assert_eq!(first.items[1].title, "Listener Mailbag #12: Benchmarks, Scaling and Your Questions");
        assert_eq!(
            first.next.as_deref(),
            Some("{upstream}/v1/shows/4yx0000000000000000000/episodes?offset=2&limit=2")
        );
        let second = parse_spotify_page(PAGE_2).unwrap();
        check(&second.items[0], "7Ld3fG9xZa1NqS5tRw8KyE", "2025-11-13", 3891);
        check(&second.items[1], "2Wc6pH0jXm4VbT7yNe3QsL", "2025-11-07", 3961);
        assert_eq!((first.items.len(), second.items.len(), second.next), (2, 2, None));
    }

    #[test]
    fn null_and_id_less_items_are_skipped_and_plain_text_is_escaped() {
        let json = r#"{"items": [null, {"name": "no id"},
            {"id": "abc", "description": "Q&A", "images": [], "external_urls": {}}], "next": " "}"#;
        let page = parse_spotify_page(json.as_bytes()).unwrap();
        assert_eq!(page.items.len(), 1);
        let item = &page.items[0];
        assert_eq!((item.platform_id.as_str(), item.description_html.as_str()), ("abc", "Q&amp;A"));
        assert_eq!((item.published, item.thumbnail.as_ref(), item.link.as_ref()), (None, None, None));
        assert_eq!(page.next, None);
    }

    #[test]
    fn release_date_precision() {
        assert_eq!(release_date("2025-11-25", Some("day")), midnight("2025-11-25"));
        assert_eq!(release_date("2025-11", Some("month")), midnight("2025-11-01"));
        assert_eq!(release_date(" 2025 ", Some("year")), midnight("2025-01-01"));
        assert_eq!(release_date("2025-11", None), midnight("2025-11-01"));
        assert_eq!(release_date("2025-11-25", None), midnight("2025-11-25"));
        assert_eq!(release_date("2025-11-25", Some("year")), None);
        assert_eq!(release_date("2025-11-25", Some("week")), None);
        assert_eq!(release_date("2025-02-30", Some("day")), None);
        assert_eq!(release_date("soon", None), None);
    }

    #[test]
    fn release_dates_at_the_edges_of_the_calendar_are_dropped() {
        let edges = [
            ("+12345-01-01", "day"),
            ("+12345", "year"),
            ("0000-01-01", "day"),
            ("0000", "year"),
            ("9999-12", "month"),
            ("9999", "year"),
            ("1969-12-31", "day"),
            ("-0044-03-15", "day"),
        ];
        let entries: Vec<String> = edges
            .iter()
            .enumerate()
            .map(|(i, (date, precision))| {
                format!(
                    r#"{{"id": "e{i}", "release_date": "{date}", "release_date_precision": "{precision}"}}"#
                )
            })
            .collect();
        let json =
            format!(r#"{{"items": [{}, {{"id": "ok", "release_date": "2025-11"}}]}}"#, entries.join(","));
        let page = parse_spotify_page(json.as_bytes()).unwrap();
        assert_eq!(page.items.len(), edges.len() + 1, "every episode is kept, undated");
        let dates: Vec<_> = page.items.iter().map(|i| i.published).collect();
        assert!(dates[..edges.len()].iter().all(Option::is_none), "{dates:?}");
        assert_eq!(dates[edges.len()], midnight("2025-11-01"));
    }

    #[test]
    fn one_mistyped_episode_or_field_does_not_fail_the_page() {
        let json = r#"{"items": [
            {"id": "a", "name": "fine", "duration_ms": 5025000, "release_date": "2025-11-25"},
            {"id": "b", "name": ["not", "text"], "duration_ms": -1, "release_date": 20251125,
             "images": "none", "external_urls": {"spotify": 7}},
            {"id": "c", "duration_ms": 1e300},
            {"id": 42, "name": "an id of the wrong type"},
            "not an episode"
        ], "next": 17}"#;
        let page = parse_spotify_page(json.as_bytes()).unwrap();
        let ids: Vec<_> = page.items.iter().map(|i| i.platform_id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(
            (page.items[0].duration_secs, page.items[0].published),
            (Some(5025), midnight("2025-11-25"))
        );
        let b = &page.items[1];
        assert_eq!((b.title.as_str(), b.duration_secs, b.published), ("", None, None));
        assert_eq!((b.thumbnail.as_ref(), b.link.as_ref()), (None, None));
        assert_eq!((page.items[2].duration_secs, page.next.as_ref()), (None, None));
    }

    #[test]
    fn paging_stops_on_a_known_or_empty_page() {
        let items = parse_spotify_page(PAGE_1).unwrap().items;
        assert!(page_is_known(&items, |_| true));
        assert!(!page_is_known(&items, |item| item.platform_id == "5Qm2cXb7TzR1vK9dLw3JpA"));
        assert!(page_is_known(&[], |_| false));
    }

    #[test]
    fn bad_pages_are_clear_errors() {
        let error = |bytes: &[u8]| parse_spotify_page(bytes).unwrap_err().to_string();
        assert_eq!(error(b"\n"), "empty body");
        assert_eq!(error(b"<!DOCTYPE html>"), "invalid JSON: got an HTML or XML page instead");
        assert_eq!(error(br#"{"next": null}"#), "invalid JSON: missing field `items` at line 1 column 14");
    }

    #[test]
    fn token_response() {
        let token = parse_token(TOKEN, now()).unwrap();
        assert!(token.access_token.starts_with(SECRET));
        assert_eq!(token.expires_at, now() + TimeDelta::hours(1));
        let debug = format!("{token:?}");
        assert!(debug.contains(r#"access_token: "<redacted>""#) && !debug.contains(SECRET), "{debug}");
        let lifeless = parse_token(br#"{"access_token": "t"}"#, now()).unwrap();
        assert_eq!(lifeless.expires_at, now() + TimeDelta::hours(1));
    }

    #[test]
    fn token_errors_never_quote_the_body() {
        let error = |json: &str| parse_token(json.as_bytes(), now()).unwrap_err().to_string();
        assert_eq!(error(r#"{"token_type": "Bearer"}"#), "invalid JSON: token response has no access_token");
        let mac = error(&format!(r#"{{"access_token": "{SECRET}", "token_type": "mac"}}"#));
        assert_eq!(mac, "invalid JSON: token response has a token_type other than Bearer");
        let huge = error(&format!(r#"{{"access_token": "{SECRET}", "expires_in": {}}}"#, u64::MAX));
        assert_eq!(huge, "invalid JSON: token response has an expires_in out of range");
        let typed = error(&format!(r#"{{"access_token": "t", "expires_in": "{SECRET}"}}"#));
        assert_eq!(typed, "invalid JSON: data error at line 1 column 61");
        let cut = std::str::from_utf8(&TOKEN[..40]).unwrap();
        assert_eq!(error(cut), "invalid JSON: eof error at line 1 column 40");
    }

    #[test]
    fn never_panics_on_truncated_input() {
        for fixture in [PAGE_1, PAGE_2] {
            for end in 0..fixture.trim_ascii_end().len() {
                assert!(parse_spotify_page(&fixture[..end]).is_err(), "prefix of {end} bytes parsed");
            }
        }
        for end in 0..TOKEN.trim_ascii_end().len() {
            let message = parse_token(&TOKEN[..end], now()).unwrap_err().to_string();
            assert!(!message.contains("BQC4"), "{message}");
        }
    }
}
