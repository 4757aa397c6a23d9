//! Stores written the way a sync writes them, for the store benches (issue 17): each
//! channel's new podcast episodes as a cold sync's merge makes them, recorded with
//! `Store::put_episodes` (one transaction per channel commit), then one flush.

use std::path::Path;

use chrono::Utc;
use syndicator::model::{Episode, Platform};
use syndicator::pipeline::merge;
use syndicator::store::Store;

/// `count` channels' episodes, `per_channel` each.
pub fn channels(count: usize, per_channel: usize) -> Vec<Vec<Episode>> {
    let now = Utc::now();
    (0..count)
        .map(|c| {
            let items =
                (0..per_channel).map(|n| super::item(Platform::Podcast, c * per_channel + n)).collect();
            merge(&format!("c{c}"), Vec::new(), items, now).created
        })
        .collect()
}

/// Records `channels` in a store at `path`, a transaction per channel, then flushes.
pub fn record(path: &Path, channels: &[Vec<Episode>]) {
    let store = Store::open(path).expect("a store");
    for episodes in channels {
        store.put_episodes(episodes).expect("recorded");
    }
    store.flush().expect("flushed");
}
