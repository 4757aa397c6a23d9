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
