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
fn apple_tracking_params_dropped() {
    let path = |link: &str| apple_path(&episode(vec![apple(link)]));
    let base = "https://podcasts.apple.com/us/podcast/show/id1";
    assert_eq!(
        path(&format!("{base}?uo=4&i=1000&mt=2&ls=1&app=podcast")).unwrap(),
        "us/podcast/show/id1?i=1000"
    );
    assert_eq!(path(&format!("{base}?uo=4")).unwrap(), "us/podcast/show/id1");
    assert_eq!(path(base).unwrap(), "us/podcast/show/id1");
    assert_eq!(path("https://example.com/us/podcast/show/id1"), None);
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
