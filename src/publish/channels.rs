//! The merged channels feed: one entry per [`Episode`] across all channels, newest first.
//! Each links to the YouTube watch URL or the podcast item, carries the podcast copy's audio
//! as enclosure (with duration and image for podcast apps), names the channel as author and
//! category, and has its upstream description sanitised with ammonia: a small allowlist of
//! tags, only `href`/`src`/`alt` attributes, only http(s) URLs, `rel="noopener noreferrer
//! nofollow"` on links. Pure.
//!
//! Upstream dates are suspect: an episode is dated by its copies' earliest publish time
//! within [`plausible_dates`] (1970 to [`FUTURE_MARGIN`] after the build), and an episode
//! with no such date is left out of the feed, so a year-9999 item never sits on top of the
//! feed for ever and a year-0 one never reaches a writer. Its stub is unaffected.

use std::ops::RangeInclusive;

use chrono::{DateTime, Duration, Utc};

use super::{CHANNEL_PATHS, FeedDoc, FeedEntry, Media, SiteMeta, syndicator_urn};
use crate::model::{DatePrecision, Episode, Platform};

/// How far after the build an upstream date may lie (time-zone slips, items scheduled for
/// tomorrow) before it counts as suspicious.
pub const FUTURE_MARGIN: Duration = Duration::days(2);

/// The merged feed of `episodes`, cut to the newest `limit`, built at `now`; `channel_name`
/// maps a channel id to its display name (the id stands in when it gives none).
pub fn channels_feed(
    episodes: &[Episode],
    channel_name: impl Fn(&str) -> Option<String>,
    site: &SiteMeta,
    limit: usize,
    now: DateTime<Utc>,
) -> FeedDoc {
    let home = super::join_url(site.base_url, "/");
    let dates = plausible_dates(now);
    let entries = episodes
        .iter()
        .filter_map(|e| {
            let published = published_within(e, &dates)?;
            Some(entry(e, published, channel_name(&e.channel).unwrap_or_else(|| e.channel.clone()), &home))
        })
        .collect();
    let description = format!("New episodes from the channels {} follows", site.title);
    let mut doc = FeedDoc::new(site, description, CHANNEL_PATHS, entries, limit, now);
    doc.title = format!("{} — sources", site.title);
    doc
}

/// The dates an upstream may plausibly give at `now`: from 1970 to [`FUTURE_MARGIN`] ahead.
pub fn plausible_dates(now: DateTime<Utc>) -> RangeInclusive<DateTime<Utc>> {
    DateTime::UNIX_EPOCH..=now + FUTURE_MARGIN
}

/// The earliest plausible publish time of the episode's copies, by the rule of
/// [`Episode::published`] (a day-precision date never overrides an exact one).
fn published_within(episode: &Episode, dates: &RangeInclusive<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    let earliest = |precision| {
        let copies = episode.copies.iter().filter(|c| c.precision == precision);
        copies.filter_map(|c| c.published).filter(|t| dates.contains(t)).min()
    };
    earliest(DatePrecision::Exact).or_else(|| earliest(DatePrecision::Day))
}

fn entry(episode: &Episode, published: DateTime<Utc>, channel: String, home: &str) -> FeedEntry {
    let summary = crate::html::sanitize_show_notes(episode.description_html());
    FeedEntry {
        id: syndicator_urn(episode.id.as_str()),
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
