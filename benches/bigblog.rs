//! The blog-feed build path on a generated Hugo site of 10,000 posts (`common::blog`), with a
//! store of 1,000 episodes across 20 channels:
//!
//! - `feeds_build_cold`: `feeds::build` as the `feeds` command and `sync` run it, reading
//!   the whole site;
//! - `serve_rebuild_unchanged`: what `serve` does after a channel run that changed nothing
//!   (`Daemon::try_rebuild_feeds`, public folder and served set as destinations);
//! - `serve_rebuild_one_post_edited`: the same after one post's body changed.

mod common;

use std::fmt::Write as _;
use std::sync::Arc;

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use syndicator::config::Config;
use syndicator::daemon::Daemon;
use syndicator::model::{Episode, Platform, StubState};
use syndicator::pipeline::Ctx;
use syndicator::store::Store;
use syndicator::stub::Template;

const POSTS: usize = 10_000;
const CHANNELS: usize = 20;
const EPISODES: usize = 1_000;

fn config(dir: &std::path::Path) -> Config {
    let mut toml = format!(
        "[site]\nroot = {:?}\ntitle = \"Big\"\nbase_url = \"https://big.example.org/\"\n\
         public_dir = {:?}\n[store]\npath = {:?}\n",
        dir.join("site").display().to_string(),
        dir.join("public").display().to_string(),
        dir.join("store").display().to_string()
    );
    for ch in 0..CHANNELS {
        write!(
            toml,
            "\n[[channels]]\nid = \"c{ch}\"\nname = \"Show {ch}\"\nfeed = \"http://127.0.0.1/{ch}\"\n"
        )
        .unwrap();
    }
    Config::parse(&toml, "bench.toml".as_ref()).unwrap()
}

fn fill(store: &Store) {
    for n in 0..EPISODES {
        let channel = format!("c{}", n % CHANNELS);
        let item = common::item(if n % 2 == 0 { Platform::Podcast } else { Platform::Youtube }, n);
        let id = Episode::id_for(&channel, &item);
        store.put_episode(&Episode { id, channel, copies: vec![item], stub: StubState::Skipped }).unwrap();
    }
    store.flush().unwrap();
}

fn bigblog(c: &mut Criterion<common::cpu_time::ThreadCpuTime>) {
    let dir = tempfile::tempdir().unwrap();
    let edited = common::blog::generate(&dir.path().join("site"), POSTS).unwrap();
    let config = config(dir.path());
    let store = Arc::new(Store::open(&config.store.path).unwrap());
    fill(&store);

    let mut group = c.benchmark_group("bigblog");
    group.sample_size(10);
    group.bench_function("feeds_build_cold_10000_posts", |b| {
        b.iter(|| syndicator::feeds::build(&config, &store, Utc::now()).unwrap())
    });

    let template = Template::builtin(config.site.language);
    let ctx = Ctx::new(Arc::new(config), store, template, false).unwrap();
    let daemon = Daemon::new(ctx, dir.path().join("bench.toml"), syndicator::scheduler::system_clock());
    daemon.try_rebuild_feeds().unwrap();
    group.bench_function("serve_rebuild_unchanged_10000_posts", |b| {
        b.iter(|| {
            let (_, delivery) = daemon.try_rebuild_feeds().unwrap();
            assert!(delivery.changed.is_empty());
        })
    });
    let original = std::fs::read_to_string(&edited).unwrap();
    let mut round = 0;
    group.bench_function("serve_rebuild_one_post_edited_10000_posts", |b| {
        b.iter(|| {
            round += 1;
            std::fs::write(&edited, format!("{original}\nEdit number {round}.\n")).unwrap();
            daemon.try_rebuild_feeds().unwrap()
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(common::cpu_time::ThreadCpuTime);
    targets = bigblog
}
criterion_main!(benches);
