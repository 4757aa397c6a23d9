//! Fetching the `podcast:chapters` files of a run's new items, before their stubs are rendered
//! (the stub lists them), under `[fetch]`'s limits and concurrency. Only items that may get a
//! stub are fetched: all new items, except that of a source's first fetch only the newest
//! `backfill` per platform are (the rest are held back anyway). A file that cannot be fetched
//! or read is logged and leaves the item without chapters: the stub falls back to the video's
//! table of contents and is never held up. The chapters read are kept on the item, so the
//! stub renders the same later.

use std::cmp::Reverse;
use std::collections::HashSet;

use futures_util::StreamExt;

use super::Ctx;
use crate::config::Channel;
use crate::fetch::FetchOutcome;
use crate::model::{Chapter, Item, Platform, Validators};
use crate::source;

/// Fills in the chapters of `items` that name a chapters file; see the module docs.
pub async fn fetch_chapters(
    ctx: &Ctx,
    channel: &Channel,
    items: &mut [Item],
    first: &HashSet<(Platform, String)>,
) {
    let wanted = wanted(items, first, channel.backfill);
    let fetches = wanted.into_iter().map(|index| {
        let url = items[index].podcasting.chapters_url.clone().unwrap_or_default();
        async move { (index, fetch(ctx, channel, &url).await) }
    });
    let fetched: Vec<(usize, Vec<Chapter>)> = futures_util::stream::iter(fetches)
        .buffer_unordered(ctx.config.fetch.concurrency.get() as usize)
        .collect()
        .await;
    for (index, chapters) in fetched {
        items[index].podcasting.chapters = chapters;
    }
}

/// The indexes of the items whose chapters are fetched.
fn wanted(items: &[Item], first: &HashSet<(Platform, String)>, backfill: usize) -> Vec<usize> {
    let named =
        |i: &usize| items[*i].podcasting.chapters_url.is_some() && items[*i].podcasting.chapters.is_empty();
    let is_first = |i: &usize| first.contains(&(items[*i].platform, items[*i].platform_id.clone()));
    let (mut backfilled, mut wanted): (Vec<usize>, Vec<usize>) =
        (0..items.len()).filter(named).partition(is_first);
    backfilled.sort_by_key(|i| (items[*i].platform, Reverse(items[*i].published)));
    let mut per_platform = std::collections::HashMap::new();
    wanted.extend(backfilled.into_iter().filter(|i| {
        let taken = per_platform.entry(items[*i].platform).or_insert(0);
        *taken += 1;
        *taken <= backfill
    }));
    wanted
}

/// The chapters at `url`, or none (logged) when it cannot be fetched or read.
async fn fetch(ctx: &Ctx, channel: &Channel, url: &str) -> Vec<Chapter> {
    let Ok(parsed) = url::Url::parse(url) else { return Vec::new() };
    // The fetcher holds the request to its host's and the global limits.
    let body = ctx.fetcher.get(&parsed, &Validators::default(), None).await;
    let chapters = match body {
        Ok(FetchOutcome::Modified(bytes, _)) => source::parse_chapters(&bytes).map_err(|e| e.to_string()),
        Ok(FetchOutcome::NotModified(_)) => Ok(Vec::new()),
        Err(e) => Err(e.to_string()),
    };
    chapters.unwrap_or_else(|error| {
        tracing::warn!(
            channel = channel.id(),
            url,
            "cannot read the chapters {url}: {error}; the stub lists the video's chapters, if any"
        );
        Vec::new()
    })
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn item(platform: Platform, id: &str, day: u32, chapters_url: Option<&str>) -> Item {
        let published = Some(Utc.with_ymd_and_hms(2025, 11, day, 0, 0, 0).unwrap());
        let mut item = Item::bare(platform, id, id, published);
        item.podcasting.chapters_url = chapters_url.map(str::to_owned);
        item
    }

    #[test]
    fn only_items_that_may_get_a_stub_are_fetched() {
        let url = Some("https://x.example/c.json");
        let items = [
            item(Platform::Podcast, "old", 1, url),
            item(Platform::Podcast, "newest", 9, url),
            item(Platform::Podcast, "middle", 5, url),
            item(Platform::Podcast, "no-file", 8, None),
            item(Platform::Feed, "other-source", 2, url),
            item(Platform::Podcast, "not-first", 3, url),
        ];
        let first: HashSet<_> = items[..5].iter().map(|i| (i.platform, i.platform_id.clone())).collect();
        let mut got = wanted(&items, &first, 2);
        got.sort();
        assert_eq!(got, [1, 2, 4, 5]);
    }
}
