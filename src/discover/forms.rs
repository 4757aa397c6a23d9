//! The many forms of one source URL: [`source_key`] tells two URLs of one source apart from
//! two sources (`opml import` skips what is followed already, whatever form it was written
//! in), and [`web_page`] names the show's page on a platform (an OPML outline's `htmlUrl`).
//! Pure.

use url::Url;

use super::Shape;

/// What two URLs of the same source share: a platform's show id for YouTube, Apple and
/// Spotify URLs (page, feed or API), else the URL without its scheme, `www.`, fragment,
/// default port and trailing slash (the host lowercased by parsing).
pub fn source_key(url: &Url) -> String {
    match Shape::of(url) {
        Shape::YoutubeChannel(id) => format!("youtube:{id}"),
        Shape::Apple { show_id, .. } => format!("apple:{show_id}"),
        Shape::SpotifyShow(id) => format!("spotify:{id}"),
        Shape::SpotifyEpisode(id) => format!("spotify-episode:{id}"),
        Shape::YoutubePage(page) => web_key(&page),
        Shape::Web(url) => web_key(&url),
    }
}

fn web_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    let host = host.strip_prefix("www.").unwrap_or(host);
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = url.path().trim_end_matches('/');
    let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
    format!("//{host}{port}{path}{query}")
}

/// The show's web page on the platform of a pollable `url` (a YouTube channel feed, an iTunes
/// lookup, a Spotify API URL), known without fetching; `None` for other feeds.
pub fn web_page(url: &Url) -> Option<String> {
    match Shape::of(url) {
        Shape::YoutubeChannel(id) => Some(format!("https://www.youtube.com/channel/{id}")),
        Shape::Apple { show_id, country } => {
            let country = country.map(|c| format!("{c}/")).unwrap_or_default();
            Some(format!("https://podcasts.apple.com/{country}podcast/id{show_id}"))
        }
        Shape::SpotifyShow(id) => Some(format!("https://open.spotify.com/show/{id}")),
        Shape::SpotifyEpisode(_) | Shape::YoutubePage(_) | Shape::Web(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(url: &str) -> String {
        source_key(&Url::parse(url).unwrap())
    }

    #[test]
    fn forms_of_one_source_share_a_key() {
        let id = "UCMLtBahI5DMrt0NPvDSoIRQ";
        let youtube = [
            format!("https://www.youtube.com/feeds/videos.xml?channel_id={id}"),
            format!("http://youtube.com/feeds/videos.xml?channel_id={id}"),
            format!("https://www.youtube.com/channel/{id}/videos"),
        ];
        assert!(youtube.iter().all(|u| key(u) == format!("youtube:{id}")), "{youtube:?}");
        assert_eq!(
            key("https://itunes.apple.com/lookup?id=42&entity=podcastEpisode&country=tw&limit=200"),
            key("https://podcasts.apple.com/us/podcast/the-show/id42")
        );
        let show = "4yx0000000000000000000";
        assert_eq!(
            key(&format!("https://api.spotify.com/v1/shows/{show}/episodes?market=TW&limit=50")),
            key(&format!("https://open.spotify.com/show/{show}?si=x"))
        );
        for same in [
            "http://Example.COM:80/feed/",
            "https://www.example.com/feed#top",
            "https://example.com:443/feed",
        ] {
            assert_eq!(key(same), "//example.com/feed", "{same}");
        }
    }

    #[test]
    fn different_sources_have_different_keys() {
        for (a, b) in [
            ("https://example.com/feed", "https://example.com/feed?page=2"),
            ("https://example.com/feed", "https://example.com:8080/feed"),
            ("https://example.com/a/feed", "https://example.com/b/feed"),
            ("https://itunes.apple.com/lookup?id=42", "https://itunes.apple.com/lookup?id=43"),
        ] {
            assert_ne!(key(a), key(b), "{a} and {b}");
        }
    }

    #[test]
    fn web_pages_of_pollable_urls() {
        let page = |url: &str| web_page(&Url::parse(url).unwrap());
        let id = "UCMLtBahI5DMrt0NPvDSoIRQ";
        assert_eq!(
            page(&format!("https://www.youtube.com/feeds/videos.xml?channel_id={id}")),
            Some(format!("https://www.youtube.com/channel/{id}"))
        );
        assert_eq!(
            page("https://itunes.apple.com/lookup?id=42&entity=podcastEpisode&country=tw"),
            Some("https://podcasts.apple.com/tw/podcast/id42".into())
        );
        assert_eq!(
            page("https://api.spotify.com/v1/shows/4yx0000000000000000000/episodes"),
            Some("https://open.spotify.com/show/4yx0000000000000000000".into())
        );
        assert_eq!(page("https://anchor.fm/s/1/podcast/rss"), None);
    }
}
