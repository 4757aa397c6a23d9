//! YouTube: the channel feed URL of a channel id, and the channel id read from a fetched
//! channel or video page. Pure.
//!
//! A page names its channel in several places; the first found wins, in this order: the
//! `<link rel="alternate">` to the channel feed, the canonical link or `og:url` when it is a
//! `/channel/UC…` URL, the `channelId`/`identifier` metadata, and the `"externalId"` (channel
//! pages) or `"channelId"` of the video (watch pages) in the page's embedded data.

use std::sync::LazyLock;

use regex::Regex;

use super::shape::is_channel_id;
use super::tags::Tag;

/// The canonical feed URL of a channel.
pub fn feed_url(channel_id: &str) -> String {
    format!("https://www.youtube.com/feeds/videos.xml?channel_id={channel_id}")
}

/// The channel id a YouTube page names, if any.
pub fn channel_id_in_page(html: &str, tags: &[Tag]) -> Option<String> {
    let from_tags = [feed_link, channel_link, metadata];
    from_tags.iter().find_map(|rule| tags.iter().find_map(rule)).or_else(|| embedded(html))
}

/// `<link rel="alternate" type="application/rss+xml" href="…/feeds/videos.xml?channel_id=UC…">`.
fn feed_link(tag: &Tag) -> Option<String> {
    let href = (tag.name == "link" && tag.has_token("rel", "alternate")).then(|| tag.get("href"))??;
    let url = url::Url::parse(href).ok()?;
    let (_, id) = url.query_pairs().find(|(k, _)| k == "channel_id")?;
    is_channel_id(&id).then(|| id.into_owned())
}

/// `<link rel="canonical" href="https://www.youtube.com/channel/UC…">` or the same `og:url`.
fn channel_link(tag: &Tag) -> Option<String> {
    let href = match tag.name.as_str() {
        "link" if tag.has_token("rel", "canonical") => tag.get("href"),
        "meta" if tag.get("property") == Some("og:url") => tag.get("content"),
        _ => None,
    }?;
    let path = url::Url::parse(href).ok()?.path().to_owned();
    let id = path.strip_prefix("/channel/")?.split('/').next()?;
    is_channel_id(id).then(|| id.to_owned())
}

/// `<meta itemprop="channelId" content="UC…">` (also `identifier`).
fn metadata(tag: &Tag) -> Option<String> {
    let named = tag.has_token("itemprop", "channelId") || tag.has_token("itemprop", "identifier");
    let id = (tag.name == "meta" && named).then(|| tag.get("content"))??;
    is_channel_id(id).then(|| id.to_owned())
}

/// `"externalId":"UC…"`, else the first `"channelId":"UC…"`, in the page's scripts.
fn embedded(html: &str) -> Option<String> {
    static EXTERNAL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#""externalId"\s*:\s*"(UC[A-Za-z0-9_-]{22})""#).expect("valid regex"));
    static CHANNEL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#""channelId"\s*:\s*"(UC[A-Za-z0-9_-]{22})""#).expect("valid regex"));
    [&EXTERNAL, &CHANNEL].iter().find_map(|regex| regex.captures(html).map(|c| c[1].to_owned()))
}

#[cfg(test)]
mod tests {
    use super::super::tags::head_tags;
    use super::*;

    const ID: &str = "UCMLtBahI5DMrt0NPvDSoIRQ";
    const OTHER: &str = "UC0000000000000000000000";

    fn check(page: &str, expected: Option<&str>) {
        let html = format!("<!DOCTYPE html><html><head>{page}</head><body></body></html>");
        assert_eq!(channel_id_in_page(&html, &head_tags(&html)).as_deref(), expected, "{page}");
    }

    /// Each rule alone, in the shapes YouTube's channel and watch pages use.
    #[test]
    fn each_place_a_page_names_its_channel() {
        let feed = format!("https://www.youtube.com/feeds/videos.xml?channel_id={ID}");
        check(
            &format!(r#"<link rel="alternate" type="application/rss+xml" title="RSS" href="{feed}">"#),
            Some(ID),
        );
        check(&format!(r#"<link rel="canonical" href="https://www.youtube.com/channel/{ID}">"#), Some(ID));
        check(
            &format!(r#"<meta property="og:url" content="https://www.youtube.com/channel/{ID}">"#),
            Some(ID),
        );
        check(&format!(r#"<meta itemprop="channelId" content="{ID}">"#), Some(ID));
        check(&format!(r#"<meta itemprop="identifier" content="{ID}">"#), Some(ID));
        check(
            &format!(r#"<script>var ytInitialData = {{"metadata":{{"externalId":"{ID}"}}}};</script>"#),
            Some(ID),
        );
        check(&format!(r#"<script>var p = {{"videoDetails":{{"channelId":"{ID}"}}}};</script>"#), Some(ID));
    }

    #[test]
    fn the_feed_link_wins_and_bad_ids_are_ignored() {
        let feed = format!("https://www.youtube.com/feeds/videos.xml?channel_id={ID}");
        check(
            &format!(
                r#"<link rel="canonical" href="https://www.youtube.com/channel/{OTHER}">
                   <link rel="alternate" type="application/rss+xml" href="{feed}">"#
            ),
            Some(ID),
        );
        check(r#"<link rel="canonical" href="https://www.youtube.com/@handle">"#, None);
        check(r#"<meta itemprop="channelId" content="UCtooshort">"#, None);
        check(r#"<link rel="canonical" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">"#, None);
        check("", None);
    }

    #[test]
    fn the_feed_url_is_canonical() {
        assert_eq!(feed_url(ID), format!("https://www.youtube.com/feeds/videos.xml?channel_id={ID}"));
    }
}
