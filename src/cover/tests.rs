use super::*;
use crate::model::Item;
use crate::stub::fixtures::{episode, item, youtube};

fn with_thumbnail(mut item: Item, url: &str) -> Item {
    item.thumbnail = Some(url.to_owned());
    item
}

#[test]
fn images_are_told_by_their_magic_bytes() {
    assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\x00\x10JFIF"), Some(ImageKind::Jpeg));
    assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(ImageKind::Png));
    assert_eq!(sniff(b"GIF89a\x01\x00"), Some(ImageKind::Gif));
    assert_eq!(sniff(b"GIF87a"), Some(ImageKind::Gif));
    assert_eq!(sniff(b"RIFF\x24\x00\x00\x00WEBPVP8 "), Some(ImageKind::Webp));
    for not_an_image in [
        &b"<!DOCTYPE html><html>Not Found</html>"[..],
        b"",
        b"\xFF\xD8",
        b"RIFF\x24\x00\x00\x00WAVEfmt ",
        b"\x89PNG",
        b"{\"error\": 404}",
    ] {
        assert_eq!(sniff(not_an_image), None, "{not_an_image:?}");
    }
    assert_eq!(ImageKind::Jpeg.file_name(), "cover.jpg");
    assert_eq!(ImageKind::Webp.file_name(), "cover.webp");
}

#[test]
fn youtube_thumbnails_are_tried_at_their_highest_resolution_first() {
    let video = with_thumbnail(youtube("abc"), "https://i2.ytimg.com/vi/abc/hqdefault.jpg");
    let podcast = with_thumbnail(item(Platform::Podcast, "g", "t", 1), "https://cdn.test/ep.png");
    assert_eq!(
        candidates(&episode(vec![video.clone(), podcast.clone()])),
        [
            "https://i2.ytimg.com/vi/abc/maxresdefault.jpg",
            "https://i2.ytimg.com/vi/abc/hqdefault.jpg",
            "https://cdn.test/ep.png",
        ]
    );
    let small = with_thumbnail(youtube("abc"), "https://i.ytimg.com/vi_webp/abc/mqdefault.webp?v=1");
    assert_eq!(
        candidates(&episode(vec![small])),
        [
            "https://i.ytimg.com/vi_webp/abc/maxresdefault.webp?v=1",
            "https://i.ytimg.com/vi_webp/abc/hqdefault.webp?v=1",
            "https://i.ytimg.com/vi_webp/abc/mqdefault.webp?v=1",
        ]
    );
    let odd = with_thumbnail(youtube("abc"), "https://img.test/abc/poster.jpg");
    assert_eq!(candidates(&episode(vec![odd])), ["https://img.test/abc/poster.jpg"]);
    assert_eq!(remote(&episode(vec![podcast, video])), Some("https://i2.ytimg.com/vi/abc/hqdefault.jpg"));
}

#[test]
fn only_http_artwork_is_a_candidate() {
    let local = with_thumbnail(item(Platform::Podcast, "g", "t", 1), "file:///etc/passwd");
    let blank = with_thumbnail(item(Platform::Apple, "1", "t", 1), "  ");
    let spotify = with_thumbnail(item(Platform::Spotify, "s", "t", 1), " HTTPS://i.scdn.test/a ");
    assert_eq!(candidates(&episode(vec![local.clone(), blank.clone(), spotify])), ["HTTPS://i.scdn.test/a"]);
    assert!(candidates(&episode(vec![local.clone(), blank])).is_empty());
    assert_eq!(remote(&episode(vec![local])), None);
}

#[test]
fn a_bundles_cover_is_found_among_its_files() {
    let files = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    assert_eq!(in_bundle(&files(&["cover.png", "index.md"])), Some("cover.png"));
    assert_eq!(in_bundle(&files(&["cover.jpeg", "index.md"])), Some("cover.jpeg"));
    assert_eq!(in_bundle(&files(&["covers.txt", "index.md", "my-cover.jpg"])), None);
}
