//! Episode matching for one channel with 5,000 items per platform (YouTube + podcast): the
//! whole history at once (a first sync) with the old synthetic titles (eight topic words,
//! talks a week apart) and with realistic ones (`common::shows`: a large Zipf vocabulary,
//! three talks a day, differently worded copies), with one title for every talk a minute
//! apart and the podcast items after all the videos (the densest a hostile or migrated feed
//! can be), and one new item against the 5,000 known episodes (a regular sync). All go
//! through `pipeline::merge`, the code a sync runs.

mod common;

use chrono::Utc;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use syndicator::model::{Item, Platform};
use syndicator::pipeline::merge;

const PER_PLATFORM: usize = 5_000;

fn items() -> Vec<Item> {
    (0..PER_PLATFORM)
        .flat_map(|n| [common::item(Platform::Youtube, n), common::item(Platform::Podcast, n)])
        .collect()
}

/// Every video and podcast item titled alike, the videos a minute apart, then the podcast
/// items a minute apart after the last video.
fn one_title_a_minute_apart() -> Vec<Item> {
    let start = common::base();
    let item = |platform, n: usize, minute: usize| Item {
        title: "Daily AI News".into(),
        published: Some(start + chrono::Duration::minutes(minute as i64)),
        ..common::item(platform, n)
    };
    let videos = (0..PER_PLATFORM).map(|n| item(Platform::Youtube, n, n));
    videos.chain((0..PER_PLATFORM).map(|n| item(Platform::Podcast, n, PER_PLATFORM + n))).collect()
}

fn matching(c: &mut Criterion<common::cpu_time::ThreadCpuTime>) {
    let now = Utc::now();
    let all = items();
    let merged = merge("ch", Vec::new(), all.clone(), now);
    assert_eq!(merged.created.len(), PER_PLATFORM, "every video pairs with its podcast item");
    assert!(merged.created.iter().all(|e| e.copies.len() == 2));

    let mut group = c.benchmark_group("matching");
    group.sample_size(10);
    group.bench_function("first_sync_5000x2_items", |b| {
        b.iter_batched(|| all.clone(), |items| merge("ch", Vec::new(), items, now), BatchSize::LargeInput)
    });
    let realistic = common::shows::first_sync(PER_PLATFORM);
    let paired = merge("ch", Vec::new(), realistic.clone(), now).created;
    let pairs = paired.iter().filter(|e| e.copies.len() == 2).count();
    eprintln!("realistic first sync: {} episodes, {pairs} paired", paired.len());
    group.bench_function("first_sync_5000x2_realistic_titles", |b| {
        b.iter_batched(
            || realistic.clone(),
            |items| merge("ch", Vec::new(), items, now),
            BatchSize::LargeInput,
        )
    });
    let dense = one_title_a_minute_apart();
    let paired = merge("ch", Vec::new(), dense.clone(), now).created;
    assert!(paired.len() == PER_PLATFORM && paired.iter().all(|e| e.copies.len() == 2));
    group.bench_function("first_sync_5000x2_one_title_a_minute_apart", |b| {
        b.iter_batched(|| dense.clone(), |items| merge("ch", Vec::new(), items, now), BatchSize::LargeInput)
    });
    let known = merge("ch", Vec::new(), all[..2 * PER_PLATFORM - 1].to_vec(), now).created;
    let late = vec![all[2 * PER_PLATFORM - 1].clone()];
    group.bench_function("one_new_item_vs_5000_episodes", |b| {
        b.iter_batched(
            || (known.clone(), late.clone()),
            |(known, late)| {
                let merged = merge("ch", known, late, now);
                assert_eq!(merged.grown.len(), 1);
                merged
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(common::cpu_time::ThreadCpuTime);
    targets = matching
}
criterion_main!(benches);
