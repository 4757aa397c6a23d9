use std::sync::{Arc, Mutex};

use super::*;
use crate::commands::sync::sync_with;
use crate::config::Config;
use crate::daemon::Daemon;
use crate::pipeline::Ctx;
use crate::publish::FeedFormat;
use crate::store::Store;
use crate::stub::Template;

/// A throwaway destination that records what it was handed, and holds what it took.
#[derive(Clone, Default)]
struct Recording {
    held: Arc<Mutex<Vec<Feed>>>,
    handed: Arc<Mutex<Vec<Vec<&'static str>>>>,
    fail: bool,
}

impl Recording {
    /// The paths handed over by each delivery so far.
    fn handed(&self) -> Vec<Vec<&'static str>> {
        self.handed.lock().unwrap().clone()
    }
}

impl Destination for Recording {
    fn name(&self) -> &'static str {
        "recording"
    }

    fn holds(&self, feed: &Feed) -> bool {
        self.held.lock().unwrap().contains(feed)
    }

    fn deliver(&self, changed: &[&Feed]) -> anyhow::Result<()> {
        self.handed.lock().unwrap().push(changed.iter().map(|f| f.path).collect());
        anyhow::ensure!(!self.fail, "refused on purpose");
        let mut held = self.held.lock().unwrap();
        held.retain(|old| !changed.iter().any(|new| new.path == old.path));
        held.extend(changed.iter().map(|f| (*f).clone()));
        Ok(())
    }
}

fn feed(path: &'static str, text: &str) -> Feed {
    Feed { path, format: FeedFormat::Rss, text: text.to_owned() }
}

const ALL: [&str; 6] =
    ["feed.xml", "atom.xml", "feed.json", "sources/feed.xml", "sources/atom.xml", "sources/feed.json"];

#[test]
fn each_destination_gets_only_what_it_lacks_and_a_failure_stops_no_other() {
    let (first, failing, last) =
        (Recording::default(), Recording { fail: true, ..Recording::default() }, Recording::default());
    let mut outputs = Outputs::default();
    for destination in [&first, &failing, &last] {
        outputs.add(Box::new(destination.clone()));
    }
    let one = [feed("a.xml", "1"), feed("b.xml", "1")];
    let delivery = outputs.deliver(&one);
    assert_eq!(delivery.changed, ["a.xml", "b.xml"]);
    assert_eq!(delivery.failures, ["recording: refused on purpose"]);
    let two = [feed("a.xml", "1"), feed("b.xml", "2")];
    let delivery = outputs.deliver(&two);
    assert_eq!(delivery.changed, ["a.xml", "b.xml"], "the failed destination still lacks a.xml");
    assert_eq!(first.handed(), [vec!["a.xml", "b.xml"], vec!["b.xml"]]);
    assert_eq!(failing.handed(), [vec!["a.xml", "b.xml"], vec!["a.xml", "b.xml"]], "retried whole");
    assert_eq!(last.handed(), first.handed());
}

#[test]
fn the_public_folder_writes_only_changed_files_and_leaves_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Outputs::default();
    outputs.add(Box::new(PublicDir(dir.path().to_owned())));
    assert_eq!(outputs.deliver(&[feed("sub/feed.xml", "one")]).changed, ["sub/feed.xml"]);
    assert!(outputs.deliver(&[feed("sub/feed.xml", "one")]).changed.is_empty());
    assert_eq!(outputs.deliver(&[feed("sub/feed.xml", "two")]).changed, ["sub/feed.xml"]);
    assert_eq!(std::fs::read(dir.path().join("sub/feed.xml")).unwrap(), b"two");
    let names: Vec<_> =
        std::fs::read_dir(dir.path().join("sub")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["feed.xml"], "no temporary file is left");
}

/// A site with one post, a store, and a config following the podcast fixture through `file:`.
fn setup(dir: &std::path::Path) -> Ctx {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/podcast.xml");
    std::fs::create_dir_all(dir.join("site/content/posts")).unwrap();
    std::fs::write(dir.join("site/content/posts/hello.md"), "---\ntitle: Hello\ndate: 2025-01-01\n---\nhi")
        .unwrap();
    let text = format!(
        "[site]\nroot = \"{root}\"\ntitle = \"T\"\nbase_url = \"https://blog.example.com/\"\n\
         [store]\npath = \"{store}\"\n[[channels]]\nid = \"show\"\nname = \"Show\"\npodcast = \"file://{feed}\"\n",
        root = dir.join("site").display(),
        store = dir.join("db").display(),
        feed = fixture.display(),
    );
    let config = Config::parse(&text, &dir.join("syndicator.toml")).unwrap();
    let store = Arc::new(Store::open(&config.store.path).unwrap());
    let template = Template::builtin(config.site.language);
    Ctx::new(Arc::new(config), store, template, false).unwrap()
}

/// Adds a post, so that exactly the blog's three feeds change.
fn add_post(dir: &std::path::Path) {
    std::fs::write(dir.join("site/content/posts/second.md"), "---\ntitle: Second\ndate: 2025-01-02\n---\n")
        .unwrap();
}

#[tokio::test]
async fn sync_hands_a_destination_only_the_changed_feeds() {
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = setup(dir.path());
    let recording = Recording::default();
    ctx.outputs.add(Box::new(recording.clone()));
    sync_with(&ctx, None).await;
    sync_with(&ctx, None).await;
    add_post(dir.path());
    sync_with(&ctx, None).await;
    assert_eq!(recording.handed(), [ALL.to_vec(), vec!["feed.xml", "atom.xml", "feed.json"]]);
    assert!(dir.path().join("site/static/sources/feed.json").exists(), "the public folder got them too");
}

#[tokio::test]
async fn serve_hands_a_destination_only_the_changed_feeds() {
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = setup(dir.path());
    let recording = Recording::default();
    ctx.outputs.add(Box::new(recording.clone()));
    let daemon = Daemon::new(ctx, dir.path().join("syndicator.toml"), crate::scheduler::system_clock());
    assert!(daemon.run_channel("show").await);
    assert!(daemon.run_channel("show").await);
    add_post(dir.path());
    assert!(daemon.run_channel("show").await);
    assert_eq!(recording.handed(), [ALL.to_vec(), vec!["feed.xml", "atom.xml", "feed.json"]]);
    let served = daemon.feeds.current();
    assert!(served.get("/sources/feed.json").is_some(), "the served set got them too");
}
