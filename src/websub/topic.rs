//! Telling whether two topic URLs name the same feed, and which topic a notification is for
//! (the `Link: <…>; rel="self"` header hubs send with every notification, WebSub §7). Pure.
//!
//! Hubs and feeds are loose about a topic's spelling: YouTube's own feeds call themselves
//! `http://` while the hub is asked for `https://`, and its documentation names the topic
//! `/xml/feeds/videos.xml` where the feed lives at `/feeds/videos.xml`. So the scheme (http or
//! https), a default port, a trailing `/` and that YouTube alias do not count; the host
//! compares without case, the path and query exactly.

/// The topic a YouTube channel feed is subscribed as: the hub's documented
/// `https://www.youtube.com/xml/feeds/videos.xml?channel_id=…` for a youtube.com feed URL
/// (YouTube's hub knows its feeds by that name), any other URL as it is.
pub fn youtube_topic(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let youtube = host == "youtube.com" || host.ends_with(".youtube.com");
    match (youtube, url.path(), url.query()) {
        (true, "/feeds/videos.xml", Some(query)) => {
            format!("https://www.youtube.com/xml/feeds/videos.xml?{query}")
        }
        _ => url.to_string(),
    }
}

/// Whether `a` and `b` name the same topic.
pub fn same_topic(a: &str, b: &str) -> bool {
    match (canonical(a), canonical(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// `host[:port]/path?query` of an http(s) URL, with the looseness above removed.
fn canonical(topic: &str) -> Option<String> {
    let url = url::Url::parse(topic.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let port = url.port().filter(|p| *p != 80 && *p != 443).map(|p| format!(":{p}")).unwrap_or_default();
    let mut path = url.path().trim_end_matches('/').to_owned();
    if (host == "youtube.com" || host.ends_with(".youtube.com")) && path == "/xml/feeds/videos.xml" {
        path = "/feeds/videos.xml".to_owned();
    }
    let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
    Some(format!("{host}{port}{path}{query}"))
}

/// The URL of the first `rel="self"` link in a `Link` header value (RFC 8288), if any.
pub fn self_link(header: &str) -> Option<String> {
    link_values(header)
        .find(|(_, rels)| rels.split_whitespace().any(|rel| rel.eq_ignore_ascii_case("self")))
        .map(|(url, _)| url)
}

/// Each `<url>; rel=…` of a `Link` header: the URL and its `rel` parameter's value.
fn link_values(header: &str) -> impl Iterator<Item = (String, String)> + '_ {
    header.split('<').skip(1).filter_map(|part| {
        let (url, params) = part.split_once('>')?;
        let rel = params.split(';').find_map(|param| {
            let (name, value) = param.split_once('=')?;
            name.trim().eq_ignore_ascii_case("rel").then(|| value.trim().trim_matches('"').to_owned())
        })?;
        Some((url.trim().to_owned(), rel))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_differences_of_one_topic_do_not_count() {
        let youtube = "https://www.youtube.com/feeds/videos.xml?channel_id=UC1";
        for same in [
            "http://www.youtube.com/feeds/videos.xml?channel_id=UC1",
            "https://www.youtube.com/xml/feeds/videos.xml?channel_id=UC1",
            "https://WWW.YouTube.com:443/feeds/videos.xml?channel_id=UC1",
        ] {
            assert!(same_topic(youtube, same), "{same}");
        }
        assert!(same_topic("https://blog.example/feed/", "https://blog.example/feed"));
    }

    #[test]
    fn other_feeds_are_other_topics() {
        let youtube = "https://www.youtube.com/feeds/videos.xml?channel_id=UC1";
        for other in [
            "https://www.youtube.com/feeds/videos.xml?channel_id=UC2",
            "https://www.youtube.com/feeds/videos.xml",
            "https://evil.example/feeds/videos.xml?channel_id=UC1",
            "https://www.youtube.com:8443/feeds/videos.xml?channel_id=UC1",
            "ftp://www.youtube.com/feeds/videos.xml?channel_id=UC1",
            "not a url",
            "",
        ] {
            assert!(!same_topic(youtube, other), "{other}");
        }
        assert!(!same_topic(
            "https://blog.example/xml/feeds/videos.xml",
            "https://blog.example/feeds/videos.xml"
        ));
    }

    #[test]
    fn youtube_feeds_are_subscribed_under_the_hubs_name() {
        let topic = |url: &str| youtube_topic(&url::Url::parse(url).unwrap());
        assert_eq!(
            topic("https://www.youtube.com/feeds/videos.xml?channel_id=UC1"),
            "https://www.youtube.com/xml/feeds/videos.xml?channel_id=UC1"
        );
        assert_eq!(
            topic("http://youtube.com/feeds/videos.xml?playlist_id=PL1"),
            "https://www.youtube.com/xml/feeds/videos.xml?playlist_id=PL1"
        );
        assert_eq!(topic("http://127.0.0.1:9/youtube.xml"), "http://127.0.0.1:9/youtube.xml");
        let elsewhere = "https://notyoutube.com/feeds/videos.xml?channel_id=UC1";
        assert_eq!(topic(elsewhere), elsewhere);
    }

    #[test]
    fn the_self_link_of_a_link_header() {
        let header = r#"<https://pubsubhubbub.appspot.com/>; rel=hub, <https://www.youtube.com/xml/feeds/videos.xml?channel_id=UC1>; rel="self""#;
        assert_eq!(
            self_link(header).as_deref(),
            Some("https://www.youtube.com/xml/feeds/videos.xml?channel_id=UC1")
        );
        assert_eq!(
            self_link("<https://a.example/>; rel=\"hub self\"").as_deref(),
            Some("https://a.example/")
        );
        assert_eq!(self_link("<https://hub.example/>; rel=hub"), None);
        assert_eq!(self_link("garbage <unclosed; rel=self"), None);
        assert_eq!(self_link(""), None);
    }
}
