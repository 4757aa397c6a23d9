//! Building (and writing) the six feeds from a store of 100,000 episodes across 1,000
//! channels, with a site of 200 published posts.

mod common;

use std::fmt::Write as _;

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use syndicator::config::Config;
use syndicator::model::{Episode, Platform, StubState};
use syndicator::store::Store;

const CHANNELS: usize = 1_000;
const EPISODES: usize = 100_000;
const POSTS: usize = 200;

fn feeds(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let posts = root.join("content/posts");
    std::fs::create_dir_all(&posts).unwrap();
    for n in 0..POSTS {
        let text = format!(
            "---\ntitle: \"Post {n}\"\ndate: 2024-01-{:02}T10:00:00Z\ntags: [\"a\"]\n---\n\n{}\n",
            n % 28 + 1,
            "Some *markdown* body with a [link](https://example.com). ".repeat(20)
        );
        std::fs::write(posts.join(format!("post-{n}.md")), text).unwrap();
    }
    let mut toml = format!(
        "[site]\nroot = {:?}\ntitle = \"Bench\"\nbase_url = \"https://blog.example.com/\"\n\
         [store]\npath = {:?}\n",
        root.display().to_string(),
        dir.path().join("store").display().to_string()
    );
    for ch in 0..CHANNELS {
        write!(
            toml,
            "\n[[channels]]\nid = \"c{ch}\"\nname = \"Show {ch}\"\nfeed = \"http://127.0.0.1/{ch}\"\n"
        )
        .unwrap();
    }
    let config = Config::parse(&toml, "bench.toml".as_ref()).unwrap();
    let store = std::sync::Arc::new(Store::open(&config.store.path).unwrap());
    for n in 0..EPISODES {
        let channel = format!("c{}", n % CHANNELS);
        let mut item = common::item(if n % 2 == 0 { Platform::Podcast } else { Platform::Youtube }, n);
        item.published = Some(common::base() + chrono::Duration::minutes(n as i64 * 37));
        let episode = Episode {
            id: Episode::id_for(&channel, &item),
            channel,
            copies: vec![item],
            stub: StubState::Skipped,
        };
        store.put_episode(&episode).unwrap();
    }
    store.flush().unwrap();

    let mut group = c.benchmark_group("feeds");
    group.sample_size(20);
    group.bench_function("build_six_from_100k_episodes", |b| {
        b.iter(|| syndicator::feeds::build(&config, &store, Utc::now()).unwrap())
    });
    let outputs = syndicator::output::Outputs::from_config(&config, &store).unwrap();
    group.bench_function("rebuild_and_write_unchanged", |b| {
        b.iter(|| syndicator::feeds::rebuild(&config, &store, &outputs).unwrap())
    });
    group.finish();
}

criterion_group!(benches, feeds);
criterion_main!(benches);
