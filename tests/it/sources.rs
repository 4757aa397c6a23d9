//! Sources over time: a changed URL is a new source (backfilled, polled at once, named in
//! every message), `sync --force` polls what is backing off, and what `sync` prints.

use super::app::App;
use super::sync::{MLST, mlst_app};
use super::upstream::Route;

/// An RSS feed of articles `ids` (guid `g<id>`, one day apart, distinct titles).
fn articles(ids: std::ops::RangeInclusive<u32>) -> String {
    let items: String = ids
        .map(|i| {
            format!(
                "<item><title>Article number {i} on topic {i}</title><guid>g{i}</guid>\
                 <pubDate>{}</pubDate><description>Text {i}.</description></item>",
                (chrono::DateTime::UNIX_EPOCH + chrono::Duration::days(20_000 + i64::from(i))).to_rfc2822()
            )
        })
        .collect();
    format!(r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>{items}</channel></rss>"#)
}

fn blog_channel(path: &str) -> String {
    format!("[[channels]]\nid = \"blog\"\nname = \"A Blog\"\nbackfill = 3\nfeed = \"{{upstream}}{path}\"\n")
}

/// The value of `key=` in the `sync finished` summary line.
fn summary_count(stderr: &str, key: &str) -> usize {
    let line = stderr.lines().find(|l| l.contains("sync finished")).expect("a summary line");
    let value = line.split(&format!("{key}=")).nth(1).expect(key).split(' ').next().unwrap();
    value.parse().unwrap()
}

#[test]
fn a_changed_url_is_a_new_source_backfilled_polled_at_once_and_named() {
    let app = App::new();
    app.upstream.set("/old.xml", Route::xml(articles(1..=20)));
    app.config(&blog_channel("/old.xml"));
    let first = app.sync_expecting(0);
    assert_eq!(app.stubs().len(), 3, "backfill 3 on the first fetch");
    assert_eq!(summary_count(&first.stderr, "held_back_by_backfill"), 17, "{}", first.stderr);
    app.upstream.set("/old.xml", Route::status(500));
    app.sync_expecting(2);
    let backing_off = app.run(&["status"]);
    assert!(backing_off.stdout.contains("backing off:   feed"), "{}", backing_off.stdout);

    app.upstream.set("/moved/feed.xml", Route::xml(articles(1..=30)));
    app.config(&blog_channel("/moved/feed.xml"));
    let moved = app.sync_expecting(0);
    assert_eq!(
        app.upstream.seen("/moved/feed.xml").len(),
        1,
        "polled at once: the old URL's backoff is not its"
    );
    assert_eq!(
        app.stubs().len(),
        6,
        "10 new items, but only `backfill` = 3 new stubs: {:?}",
        app.stub_names()
    );
    assert_eq!(summary_count(&moved.stderr, "held_back_by_backfill"), 7, "{}", moved.stderr);
    let status = app.run(&["status"]);
    assert!(!status.stdout.contains("backing off"), "{}", status.stdout);

    app.upstream.set("/moved/feed.xml", Route::status(503));
    let failed = app.sync_expecting(2);
    let later = app.sync_expecting(2);
    for message in [&failed.stderr, &later.stderr, &app.run(&["status"]).stdout] {
        assert!(message.contains(&app.upstream.url("/moved/feed.xml")), "names the current URL: {message}");
        assert!(!message.contains("/old.xml"), "never the old one: {message}");
    }
    assert!(later.stderr.contains("is backing off"), "{}", later.stderr);
}

#[test]
fn sync_force_polls_a_source_that_is_backing_off() {
    let app = App::new();
    app.upstream.set("/feed.xml", Route::status(429).with_header("retry-after", "3600"));
    app.config(&blog_channel("/feed.xml"));
    app.sync_expecting(2);
    app.upstream.set("/feed.xml", Route::xml(articles(1..=2)));
    let waiting = app.sync_expecting(2);
    assert!(
        waiting.stderr.contains("backing off") && waiting.stderr.contains("--force"),
        "{}",
        waiting.stderr
    );
    assert_eq!(app.upstream.seen("/feed.xml").len(), 1, "Retry-After is honoured without --force");
    let forced = app.run(&["sync", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(app.upstream.seen("/feed.xml").len(), 2);
    assert_eq!(app.stubs().len(), 2);
}

#[test]
fn sync_prints_one_line_per_stub_written_relative_to_the_site_root() {
    let app = mlst_app(MLST);
    let run = app.sync_expecting(0);
    let mut printed: Vec<&str> = run.stdout.lines().collect();
    printed.sort();
    let expected: Vec<String> = app.stub_names().iter().map(|n| format!("wrote content/posts/{n}")).collect();
    assert_eq!(printed, expected, "stdout holds only the stubs; logs go to stderr");
    assert!(!run.stderr.contains("wrote content/posts"), "{}", run.stderr);
    let again = app.sync_expecting(0);
    assert_eq!(again.stdout, "", "nothing written, nothing printed");
}
