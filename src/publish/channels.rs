//! The merged channels feed: one entry per [`Episode`] across all channels, newest first.
//! Each links to the YouTube watch URL or the podcast item, carries the podcast copy's audio
//! as enclosure (with duration and image for podcast apps), names the channel as author and
//! category, and has its upstream description sanitised with ammonia: a small allowlist of
//! tags, only `href`/`src`/`alt` attributes, only http(s) URLs, `rel="noopener noreferrer
//! nofollow"` on links. Pure.

use std::collections::{HashMap, HashSet};

use chrono::DateTime;

use super::{CHANNEL_PATHS, FeedDoc, FeedEntry, Media, SiteMeta, syndicator_urn};
use crate::model::{Episode, Platform};

/// Tags kept in upstream descriptions.
const TAGS: &[&str] =
    &["a", "b", "strong", "i", "em", "u", "p", "br", "ul", "ol", "li", "blockquote", "code", "pre", "img"];

/// The merged feed of `episodes`, cut to the newest `limit`; `channel_name` maps a channel id
/// to its display name (the id stands in when it gives none).
pub fn channels_feed(
    episodes: &[Episode],
    channel_name: impl Fn(&str) -> Option<String>,
    site: &SiteMeta,
    limit: usize,
) -> FeedDoc {
    let home = super::join_url(site.base_url, "/");
    let entries = episodes
        .iter()
        .map(|e| entry(e, channel_name(&e.channel).unwrap_or_else(|| e.channel.clone()), &home))
        .collect();
    let description = format!("New episodes from the channels {} follows", site.title);
    let mut doc = FeedDoc::new(site, description, CHANNEL_PATHS, entries, limit);
    doc.title = format!("{} — sources", site.title);
    doc
}

fn entry(episode: &Episode, channel: String, home: &str) -> FeedEntry {
    let published = episode.published().unwrap_or(DateTime::UNIX_EPOCH);
    let summary = sanitize(episode.description_html());
    FeedEntry {
        id: syndicator_urn(&episode.id),
        title: episode.title().to_owned(),
        link: episode.source_url().filter(|u| is_http(u)).unwrap_or_else(|| home.to_owned()),
        published,
        updated: published,
        summary_html: (!summary.trim().is_empty()).then_some(summary),
        content_html: None,
        categories: vec![channel.clone()],
        author: Some(channel),
        media: media(episode),
    }
}

/// The podcast copy's audio, with its duration and the best image any copy has.
fn media(episode: &Episode) -> Option<Media> {
    let podcast = episode.copy(Platform::Podcast)?;
    let enclosure = podcast.enclosure.clone().filter(|e| is_http(&e.url))?;
    let image = [Platform::Podcast, Platform::Youtube]
        .iter()
        .filter_map(|p| episode.copy(*p)?.thumbnail.clone())
        .find(|u| is_http(u));
    Some(Media { enclosure, duration_secs: podcast.duration_secs, image })
}

fn is_http(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Upstream HTML reduced to the allowlist (see the module docs); an image whose only source
/// was refused (`data:`, `javascript:`, relative) is dropped rather than left empty.
pub fn sanitize(html: &str) -> String {
    let attributes = HashMap::from([("a", HashSet::from(["href"])), ("img", HashSet::from(["src", "alt"]))]);
    ammonia::Builder::empty()
        .tags(TAGS.iter().copied().collect())
        .tag_attributes(attributes)
        .url_schemes(HashSet::from(["http", "https"]))
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean_content_tags(HashSet::from(["script", "style"]))
        .clean(html)
        .to_string()
        .replace("<img>", "")
}
