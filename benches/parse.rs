//! Parsing throughput (MB/s): a YouTube channel feed, a 5,000-item podcast RSS, and one
//! hostile item (megabyte title and description) parsed and reduced to the stub's plain text.

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use syndicator::html::plain_text;
use syndicator::model::Platform;
use syndicator::source::parse_feed;

fn parse(c: &mut Criterion) {
    let youtube = common::youtube_atom().into_bytes();
    let podcast = common::podcast_rss(5_000).into_bytes();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(youtube.len() as u64));
    group.bench_function("youtube_15_entries", |b| {
        b.iter(|| parse_feed(std::hint::black_box(&youtube), Platform::Youtube).unwrap())
    });
    group.throughput(Throughput::Bytes(podcast.len() as u64));
    group.sample_size(20);
    group.bench_function("podcast_5000_items", |b| {
        b.iter(|| parse_feed(std::hint::black_box(&podcast), Platform::Podcast).unwrap())
    });
    let hostile = common::megabyte_item_rss().into_bytes();
    group.throughput(Throughput::Bytes(hostile.len() as u64));
    group.sample_size(10);
    group.bench_function("megabyte_item_to_plain_text", |b| {
        b.iter(|| {
            let items = parse_feed(std::hint::black_box(&hostile), Platform::Podcast).unwrap();
            items.iter().map(|item| plain_text(&item.description_html).len()).sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
