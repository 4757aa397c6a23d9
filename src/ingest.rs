//! The parse → store → publish path in one call, without network, config or content folder:
//! bytes as one platform sends them are parsed ([`crate::source`]), folded into a channel's
//! episodes ([`crate::pipeline::merge`]), recorded in a store, and every feed is rendered
//! ([`crate::publish::render_all`]). `sync` runs these same functions around fetching and
//! stub writing; this entry point exists for the fuzz targets in `fuzz/` and the property
//! tests, so that hostile bytes are driven through everything that keeps or writes them.

use chrono::{DateTime, Utc};

use crate::config::ChannelId;
use crate::model::Platform;
use crate::pipeline::merge;
use crate::publish::{self, Feed, PushLinks, SiteMeta};
use crate::source;
use crate::store::Store;

/// How many episodes each rendered feed holds.
const FEED_LIMIT: usize = 50;

/// Parses `bytes` as `platform` sends them, records the new items as episodes of `channel`
/// in `store` (as of `now`), and renders the six feeds from what the store then holds. A body
/// that does not parse is an error, and so is a channel id the config would refuse (the store
/// relies on channel ids without `:`); nothing here may panic, whatever the bytes.
pub fn ingest_and_publish(
    store: &Store,
    channel: &str,
    platform: Platform,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Feed>> {
    let channel = ChannelId::parse(channel).map_err(anyhow::Error::msg)?;
    let channel = channel.as_str();
    let items = match platform {
        Platform::Apple => source::parse_apple(bytes)?,
        Platform::Spotify => source::parse_spotify_page(bytes)?.items,
        Platform::Youtube | Platform::Podcast | Platform::Feed => source::parse_feed(bytes, platform)?,
    };
    let mut new = Vec::with_capacity(items.len());
    for item in items {
        if store.episode_of_item(channel, &item)?.is_none() {
            new.push(item);
        }
    }
    let merged = merge(channel, store.channel_episodes(channel)?, new, now);
    store.put_episodes(&[merged.created, merged.grown].concat())?;
    let episodes = store.recent_episodes(FEED_LIMIT, |_| true)?;
    let site = SiteMeta {
        title: "Feeds",
        base_url: "https://blog.example.com/",
        language: "en",
        author: None,
        push: PushLinks::NONE,
    };
    Ok(publish::render_all(&[], &episodes, |id| Some(id.to_owned()), &site, FEED_LIMIT, now))
}

#[cfg(test)]
mod tests;
