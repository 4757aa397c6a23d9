//! What a pasted URL is, told by its shape alone (no network): a YouTube channel, a YouTube
//! page the channel must be read from, an Apple Podcasts show, a Spotify show or episode, or
//! any other page or feed. `add` resolves each shape; `check` uses it to spot page URLs
//! pasted into the config where feed or API URLs belong.

use url::Url;

use crate::model::Platform;

/// A pasted URL, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// The channel id is in the URL: `/channel/UC…` or a channel feed URL.
    YoutubeChannel(String),
    /// A YouTube page holding the channel id (`/@handle`, `/c/name`, `/user/name`, a video),
    /// as the canonical `https://www.youtube.com/…` URL to fetch.
    YoutubePage(Url),
    /// An Apple Podcasts show or episode page: the show's id and the store country in the
    /// path, if any (`/tw/podcast/…/id1510472996`).
    Apple { show_id: String, country: Option<String> },
    /// `open.spotify.com/show/<id>`.
    SpotifyShow(String),
    /// `open.spotify.com/episode/<id>`.
    SpotifyEpisode(String),
    /// Anything else: a feed, or a page that may link to one.
    Web(Url),
}

impl Shape {
    /// Classifies `url`.
    pub fn of(url: &Url) -> Shape {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let segments: Vec<&str> =
            url.path_segments().map(|s| s.filter(|s| !s.is_empty()).collect()).unwrap_or_default();
        let known = match host.trim_start_matches("www.").trim_start_matches("m.") {
            "youtube.com" | "music.youtube.com" => youtube(url, &segments),
            "youtu.be" => segments.first().and_then(|id| video_id(id)).map(watch_page),
            "podcasts.apple.com" | "itunes.apple.com" => apple(url, &segments),
            "open.spotify.com" => spotify(&segments),
            "api.spotify.com" => spotify_api(&segments),
            _ => None,
        };
        known.unwrap_or_else(|| Shape::Web(url.clone()))
    }
}

/// The platform whose web page `url` is (a YouTube, Apple Podcasts or Spotify page rather
/// than a feed or API URL `sync` can poll), told by its shape alone, for `check`.
pub fn pasted_page(url: &Url) -> Option<Platform> {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let (platform, pollable) = match host.trim_start_matches("www.").trim_start_matches("m.") {
        "youtube.com" | "music.youtube.com" | "youtu.be" => {
            (Platform::Youtube, url.path() == "/feeds/videos.xml")
        }
        "podcasts.apple.com" => (Platform::Apple, false),
        "itunes.apple.com" => (Platform::Apple, url.path() == "/lookup"),
        "open.spotify.com" => (Platform::Spotify, false),
        _ => return None,
    };
    (!pollable).then_some(platform)
}

fn youtube(url: &Url, segments: &[&str]) -> Option<Shape> {
    let query = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    match segments {
        ["feeds", "videos.xml"] => {
            query("channel_id").filter(|id| is_channel_id(id)).map(Shape::YoutubeChannel)
        }
        ["channel", id, ..] if is_channel_id(id) => Some(Shape::YoutubeChannel((*id).to_owned())),
        [handle, ..] if handle.starts_with('@') && handle.len() > 1 => Some(page(&format!("/{handle}"))),
        [kind @ ("c" | "user"), name, ..] => Some(page(&format!("/{kind}/{name}"))),
        ["watch"] => query("v").as_deref().and_then(video_id).map(watch_page),
        ["shorts" | "live" | "embed", id, ..] => video_id(id).map(watch_page),
        _ => None,
    }
}

/// `https://www.youtube.com<path>`.
fn page(path: &str) -> Shape {
    let mut url = Url::parse("https://www.youtube.com/").expect("a valid base");
    url.set_path(path);
    Shape::YoutubePage(url)
}

fn watch_page(video: &str) -> Shape {
    let mut url = Url::parse("https://www.youtube.com/watch").expect("a valid base");
    url.query_pairs_mut().append_pair("v", video);
    Shape::YoutubePage(url)
}

/// `UC` and 22 characters of `[A-Za-z0-9_-]`.
pub fn is_channel_id(id: &str) -> bool {
    id.len() == 24
        && id.starts_with("UC")
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn video_id(id: &str) -> Option<&str> {
    (id.len() == 11 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')).then_some(id)
}

/// `/[country/]podcast/[slug/]id<digits>`, or a lookup URL `/lookup?id=<digits>[&country=…]`.
fn apple(url: &Url, segments: &[&str]) -> Option<Shape> {
    let query = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    let (id, country) = match segments {
        ["lookup"] => (query("id")?, query("country")),
        [.., last] if segments.contains(&"podcast") => {
            (last.strip_prefix("id")?.to_owned(), segments.first().map(|c| c.to_string()))
        }
        _ => return None,
    };
    let is_id = (1..=15).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit());
    let country = country.filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()));
    is_id.then(|| Shape::Apple { show_id: id, country: country.map(|c| c.to_ascii_lowercase()) })
}

/// `/[intl-xx/]show/<id>` or `/[intl-xx/]episode/<id>`; ids are 22 base-62 characters.
fn spotify(segments: &[&str]) -> Option<Shape> {
    let segments = match segments.first() {
        Some(first) if first.starts_with("intl-") => &segments[1..],
        _ => segments,
    };
    match segments {
        ["show", id, ..] if is_spotify_id(id) => Some(Shape::SpotifyShow((*id).to_owned())),
        ["episode", id, ..] if is_spotify_id(id) => Some(Shape::SpotifyEpisode((*id).to_owned())),
        _ => None,
    }
}

/// `/v1/shows/<id>[/episodes]`: a show's API URL, pasted as is.
fn spotify_api(segments: &[&str]) -> Option<Shape> {
    match segments {
        ["v1", "shows", id] | ["v1", "shows", id, "episodes"] if is_spotify_id(id) => {
            Some(Shape::SpotifyShow((*id).to_owned()))
        }
        _ => None,
    }
}

/// 22 base-62 characters.
fn is_spotify_id(id: &str) -> bool {
    id.len() == 22 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(url: &str) -> Shape {
        Shape::of(&Url::parse(url).unwrap())
    }

    fn youtube_page(url: &str) -> Shape {
        Shape::YoutubePage(Url::parse(url).unwrap())
    }

    #[test]
    fn youtube_urls() {
        let id = "UCMLtBahI5DMrt0NPvDSoIRQ";
        for (url, expected) in [
            (format!("https://www.youtube.com/channel/{id}"), Shape::YoutubeChannel(id.into())),
            (format!("https://youtube.com/channel/{id}/videos"), Shape::YoutubeChannel(id.into())),
            (
                format!("https://www.youtube.com/feeds/videos.xml?channel_id={id}"),
                Shape::YoutubeChannel(id.into()),
            ),
            ("https://www.youtube.com/@MLST".into(), youtube_page("https://www.youtube.com/@MLST")),
            ("https://m.youtube.com/@MLST/videos?x=1".into(), youtube_page("https://www.youtube.com/@MLST")),
            (
                "https://www.youtube.com/c/Some%20Name".into(),
                youtube_page("https://www.youtube.com/c/Some%20Name"),
            ),
            ("https://www.youtube.com/user/name/".into(), youtube_page("https://www.youtube.com/user/name")),
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1".into(),
                youtube_page("https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
            ),
            (
                "https://youtu.be/dQw4w9WgXcQ?si=x".into(),
                youtube_page("https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
            ),
            (
                "https://www.youtube.com/shorts/dQw4w9WgXcQ".into(),
                youtube_page("https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
            ),
        ] {
            assert_eq!(shape(&url), expected, "{url}");
        }
        for web in [
            "https://www.youtube.com/",
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/channel/UCshort",
        ] {
            assert_eq!(shape(web), Shape::Web(Url::parse(web).unwrap()), "{web}");
        }
    }

    #[test]
    fn apple_urls() {
        let tw = Shape::Apple { show_id: "1510472996".into(), country: Some("tw".into()) };
        assert_eq!(
            shape("https://podcasts.apple.com/tw/podcast/machine-learning-street-talk/id1510472996"),
            tw
        );
        assert_eq!(shape("https://podcasts.apple.com/TW/podcast/x/id1510472996?i=1000712345678"), tw);
        let none = Shape::Apple { show_id: "42".into(), country: None };
        assert_eq!(shape("https://podcasts.apple.com/podcast/id42"), none);
        let us = Shape::Apple { show_id: "42".into(), country: Some("us".into()) };
        assert_eq!(shape("https://itunes.apple.com/us/podcast/x/id42"), us);
        assert_eq!(shape("https://itunes.apple.com/lookup?id=42&entity=podcastEpisode&country=us"), us);
        assert_eq!(shape("https://itunes.apple.com/lookup?id=42"), none);
        for web in ["https://podcasts.apple.com/tw/browse", "https://podcasts.apple.com/tw/podcast/idabc"] {
            assert_eq!(shape(web), Shape::Web(Url::parse(web).unwrap()), "{web}");
        }
    }

    #[test]
    fn spotify_urls() {
        let id = "4yx0000000000000000000";
        assert_eq!(
            shape(&format!("https://open.spotify.com/show/{id}?si=abc")),
            Shape::SpotifyShow(id.into())
        );
        assert_eq!(
            shape(&format!("https://open.spotify.com/intl-de/episode/{id}")),
            Shape::SpotifyEpisode(id.into())
        );
        let api = format!("https://api.spotify.com/v1/shows/{id}/episodes?market=TW&limit=50");
        assert_eq!(shape(&api), Shape::SpotifyShow(id.into()));
        let short = "https://open.spotify.com/show/short";
        assert_eq!(shape(short), Shape::Web(Url::parse(short).unwrap()));
    }

    #[test]
    fn pasted_pages_are_told_from_pollable_urls() {
        let mlst = Url::parse("https://www.youtube.com/@MLST").unwrap();
        assert_eq!(pasted_page(&mlst), Some(Platform::Youtube));
        for page in [
            "https://www.youtube.com/@MLST",
            "https://youtu.be/dQw4w9WgXcQ",
            "https://www.youtube.com/channel/UCMLtBahI5DMrt0NPvDSoIRQ",
            "https://podcasts.apple.com/tw/podcast/x/id1",
            "https://open.spotify.com/show/4yx0000000000000000000",
        ] {
            assert!(pasted_page(&Url::parse(page).unwrap()).is_some(), "{page}");
        }
        for pollable in [
            "https://www.youtube.com/feeds/videos.xml?channel_id=UCMLtBahI5DMrt0NPvDSoIRQ",
            "https://itunes.apple.com/lookup?id=1&entity=podcastEpisode",
            "https://api.spotify.com/v1/shows/4yx0000000000000000000/episodes",
            "https://anchor.fm/s/1e4a0eac/podcast/rss",
        ] {
            assert_eq!(pasted_page(&Url::parse(pollable).unwrap()), None, "{pollable}");
        }
    }

    #[test]
    fn anything_else_is_web() {
        for url in ["https://blog.example.com/", "https://anchor.fm/s/1/podcast/rss", "file:///tmp/x.xml"] {
            assert_eq!(shape(url), Shape::Web(Url::parse(url).unwrap()));
        }
    }
}
