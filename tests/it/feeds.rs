//! The feeds `sync` and `feeds` publish: six files, rebuilt only when something changed.

use super::sync::{MLST, mlst_app};

const FILES: [&str; 6] =
    ["feed.xml", "atom.xml", "feed.json", "sources/feed.xml", "sources/atom.xml", "sources/feed.json"];

#[test]
fn sync_publishes_six_feeds_and_rewrites_none_when_nothing_changed() {
    let app = mlst_app(MLST);
    let run = app.sync_expecting(0);
    assert!(run.stderr.contains("feeds rebuilt: 6 file(s) changed"), "{}", run.stderr);
    let read = |name: &str| std::fs::read_to_string(app.path("site/static").join(name)).unwrap();
    let before: Vec<String> = FILES.iter().map(|f| read(f)).collect();
    let channels = rss::Channel::read_from(before[3].as_bytes()).unwrap();
    assert_eq!(channels.items().len(), 4, "one entry per episode, not per platform");
    assert!(channels.items()[0].link().unwrap().contains("Xk3pQ9LJt0s"), "newest first");
    let again = app.sync_expecting(0);
    assert!(again.stderr.contains("feeds rebuilt: 0 file(s) changed"), "{}", again.stderr);
    let after: Vec<String> = FILES.iter().map(|f| read(f)).collect();
    assert_eq!(before, after, "byte-identical");
}

#[test]
fn the_feeds_command_rebuilds_without_polling_into_an_explicit_public_dir() {
    let app = mlst_app(MLST);
    let path = app.path("config/syndicator.toml");
    let config = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        config.replace("section = \"posts\"", "section = \"posts\"\npublic_dir = \"site/public\""),
    )
    .unwrap();
    let run = app.run(&["feeds"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(app.upstream.seen("/youtube.xml").is_empty(), "no polling");
    assert_eq!(run.stdout.lines().count(), 6, "{}", run.stdout);
    for file in FILES {
        assert!(app.path("site/public").join(file).is_file(), "{file}");
    }
    assert!(!app.path("site/static").exists(), "the default folder is not used");
}
