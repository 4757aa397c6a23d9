use super::*;
use crate::stub::fixtures::{APPLE_LINK, SPOTIFY_ID, VIDEO_ID, apple, episode, spotify, youtube};

#[test]
fn all_three_in_fixed_order() {
    let ep = episode(vec![apple(APPLE_LINK), spotify(SPOTIFY_ID), youtube(VIDEO_ID)]);
    assert_eq!(
        embed_lines(&ep),
        [
            "{{< youtube DtePicx_kFY >}}",
            "{{< spotify \"episode/5zKGl6HNid03ExP7n5i4U8\" >}}",
            "{{< apple-podcast \"tw/podcast/he-co-invented-the-transformer-now-continuous-thought/id1510472996?i=1000738009211\" >}}",
        ]
    );
}

#[test]
fn only_known_copies() {
    let ep = episode(vec![spotify(SPOTIFY_ID)]);
    assert_eq!(embed_lines(&ep), ["{{< spotify \"episode/5zKGl6HNid03ExP7n5i4U8\" >}}"]);
    let podcast_only =
        episode(vec![crate::stub::fixtures::item(crate::model::Platform::Podcast, "guid", "t", 1)]);
    assert!(embed_lines(&podcast_only).is_empty());
}

#[test]
fn hostile_ids_are_not_embedded() {
    for id in ["abc", "DtePicx_kFY >}}{{< x", "a\"b123456", "<script>x", "DtePicx kFY", &"a".repeat(21)] {
        assert!(embed_lines(&episode(vec![youtube(id)])).is_empty(), "{id:?}");
    }
    for id in ["short", "5zKGl6HNid03ExP7n5i4U8\"", "5zKGl6HNid-03ExP7n5i4U8", &"a".repeat(41)] {
        assert!(embed_lines(&episode(vec![spotify(id)])).is_empty(), "{id:?}");
    }
    for link in [
        "https://podcasts.apple.com/tw/podcast/x\" >}}{{< evil/id1?i=1",
        "https://podcasts.apple.com/tw/podcast/<script>/id1",
        "https://podcasts.apple.com/tw/podcast/a b/id1",
        "https://podcasts.apple.com/",
    ] {
        assert!(embed_lines(&episode(vec![apple(link)])).is_empty(), "{link:?}");
    }
}

#[test]
fn apple_without_link_is_skipped() {
    let mut copy = apple(APPLE_LINK);
    copy.link = None;
    assert!(embed_lines(&episode(vec![copy])).is_empty());
}

#[test]
fn every_stub_line_becomes_a_link_in_the_blog_feed() {
    let ep = episode(vec![apple(APPLE_LINK), spotify(SPOTIFY_ID), youtube(VIDEO_ID)]);
    let lines = embed_lines(&ep);
    assert_eq!(lines.len(), embeds().count(), "every embedding platform has a line: {lines:?}");
    for line in lines {
        let html = crate::site::replace_shortcodes(&line);
        assert!(html.starts_with("<a href=\"https://"), "{line} became {html:?}");
    }
}

#[test]
fn every_shortcode_is_found_by_name_and_templates_are_named_after_it() {
    for (platform, e) in embeds() {
        assert_eq!(by_shortcode(e.shortcode()).map(|f| f.shortcode()), Some(e.shortcode()), "{platform}");
    }
    let names: Vec<String> = templates().into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["spotify.html", "apple-podcast.html"], "youtube is built into Hugo");
    assert!(by_shortcode("gist").is_none());
}

#[test]
fn all_lists_each_platform_once() {
    let names: std::collections::HashSet<&str> = Platform::ALL.iter().map(|p| p.as_str()).collect();
    assert_eq!(names.len(), Platform::ALL.len());
    for platform in Platform::ALL {
        let parsed: Platform = serde_json::from_value(serde_json::json!(platform.as_str())).unwrap();
        assert_eq!(parsed, platform);
    }
}

#[test]
fn pasted_episode_urls_and_bare_ids_name_copies() {
    let id = |platform, text: &str| copy_ref(platform, text).map(|c| c.platform_id);
    for text in [
        "https://www.youtube.com/watch?v=DtePicx_kFY&t=42s",
        "https://youtu.be/DtePicx_kFY?si=x",
        "https://m.youtube.com/shorts/DtePicx_kFY",
        "https://www.youtube.com/live/DtePicx_kFY",
        " DtePicx_kFY ",
    ] {
        assert_eq!(id(Platform::Youtube, text).as_deref(), Some("DtePicx_kFY"), "{text}");
    }
    for text in ["https://example.com/watch?v=DtePicx_kFY", "https://www.youtube.com/@handle", "<script>", ""]
    {
        assert_eq!(id(Platform::Youtube, text), None, "{text}");
    }
    for text in [
        "https://open.spotify.com/episode/5zKGl6HNid03ExP7n5i4U8?si=abc",
        "https://open.spotify.com/intl-de/episode/5zKGl6HNid03ExP7n5i4U8",
        "spotify:episode:5zKGl6HNid03ExP7n5i4U8",
        "5zKGl6HNid03ExP7n5i4U8",
    ] {
        assert_eq!(id(Platform::Spotify, text).as_deref(), Some("5zKGl6HNid03ExP7n5i4U8"), "{text}");
    }
    assert_eq!(id(Platform::Spotify, "https://open.spotify.com/show/5zKGl6HNid03ExP7n5i4U8"), None);
    let apple = copy_ref(Platform::Apple, APPLE_LINK).unwrap();
    assert_eq!((apple.platform_id.as_str(), apple.link.as_deref()), ("1000738009211", Some(APPLE_LINK)));
    assert_eq!(id(Platform::Apple, "1000738009211").as_deref(), Some("1000738009211"));
    assert_eq!(id(Platform::Apple, "https://podcasts.apple.com/tw/podcast/x/id1510472996"), None);
    let guid = copy_ref(Platform::Podcast, "https://show.example/ep/12").unwrap();
    assert_eq!(guid.link.as_deref(), Some("https://show.example/ep/12"));
    assert_eq!(copy_ref(Platform::Podcast, "tag:show,2025:12").unwrap().link, None);
    assert_eq!(copy_ref(Platform::Feed, "a\nb"), None);
}

#[test]
fn moment_links_only_where_the_platform_has_them() {
    let at = |copy: &crate::model::Item| embed(copy.platform).and_then(|e| e.moment_link(copy, 252));
    assert_eq!(at(&youtube(VIDEO_ID)).as_deref(), Some("https://www.youtube.com/watch?v=DtePicx_kFY&t=252s"));
    assert_eq!(at(&youtube("DtePicx_kFY&x=(")), None);
    assert_eq!((at(&spotify(SPOTIFY_ID)), at(&apple(APPLE_LINK))), (None, None));
}
