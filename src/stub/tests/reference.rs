//! The reference post (the blogger's article on the Llion Jones interview) is what a stub
//! grows into, so a single-file stub of that episode must keep its skeleton exactly: the
//! reference's front-matter keys in its order (syndicator's own keys after them), the guest
//! leading the tags and the channel's tag closing them, then the attribution line, the three
//! embeds and the rule, line for line as the reference has them. Its one extra key is `images`:
//! the video's artwork, for the social card (a bundle has its cover file instead).

use super::*;

/// The reference post's front-matter keys, in its order.
const REFERENCE_KEYS: [&str; 8] =
    ["title", "date", "description", "tags", "categories", "source_url", "source_name", "draft"];

/// The reference post from the end of its front matter to its first rule, verbatim.
const REFERENCE_OPENING: &str = "
> 本文整理自 Machine Learning Street Talk 2025 年 11 月播出的訪談。

{{< youtube DtePicx_kFY >}}

{{< spotify \"episode/5zKGl6HNid03ExP7n5i4U8\" >}}

{{< apple-podcast \"tw/podcast/he-co-invented-the-transformer-now-continuous-thought/id1510472996?i=1000738009211\" >}}

---
";

/// The interview as syndicator sees it: the video titled with the guest in brackets and a
/// table of contents in its description and its thumbnail, and the Spotify and Apple copies.
fn interview() -> Episode {
    let mut video = item(
        Platform::Youtube,
        VIDEO_ID,
        "He Co-Invented the Transformer. Now: Continuous Thought Machines [Llion Jones]",
        17,
    );
    video.description_html =
        "Llion Jones on leaving transformer research.\n\n00:00 Intro\n04:12 Local minima\n31:40 Sakana AI"
            .into();
    video.thumbnail = Some(format!("https://i4.ytimg.com/vi/{VIDEO_ID}/hqdefault.jpg"));
    episode(vec![video, spotify(SPOTIFY_ID), apple(APPLE_LINK)])
}

#[test]
fn a_single_file_stub_keeps_the_reference_posts_skeleton() {
    let episode = interview();
    let artwork = crate::cover::remote(&episode).expect("the video's thumbnail");
    let cover = Cover::Remote(artwork.to_owned());
    let stub = render_cover(&episode, &cover, &Template::builtin(Language::ZhTw));
    let (front, rest) =
        stub.strip_prefix("---\n").and_then(|s| s.split_once("\n---\n")).expect("front matter");
    let keys: Vec<&str> =
        front.lines().filter_map(|line| line.split_once(": ").map(|(key, _)| key)).collect();
    assert_eq!(keys[..REFERENCE_KEYS.len()], REFERENCE_KEYS, "{stub}");
    assert_eq!(keys[REFERENCE_KEYS.len()..], ["syndicator_id", "guests", "images"], "{stub}");
    assert!(front.ends_with(&format!("\nimages: [\"{artwork}\"]")), "{front}");
    let tags = front_matter(&stub).tags;
    assert_eq!(
        (tags.first().map(String::as_str), tags.last().map(String::as_str)),
        (Some("Llion Jones"), Some("x"))
    );
    assert!(rest.starts_with(REFERENCE_OPENING), "{rest}");
    let reference = rest[REFERENCE_OPENING.len()..].to_owned();
    assert!(reference.starts_with("\nLlion Jones on leaving transformer research."), "{reference}");
    assert!(
        reference.contains("\n章節：\n\n- [00:00](https://www.youtube.com/watch?v=DtePicx_kFY&t=0s) Intro\n"),
        "{reference}"
    );
}
