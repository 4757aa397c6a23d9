//! A store damaged on purpose (truncated or garbage segments, a garbled or torn
//! configuration, an empty data file) is recovered by the next `sync`: it exits 0 with one
//! warning, the damaged store is kept aside, and nothing is lost: deleted stubs stay deleted,
//! no stub is rewritten or duplicated, an edited stub's pending embeds are still listed, and
//! the sources' validators come back (the next request is conditional).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::app::{App, fixture};
use super::sync::{MLST, front_matter};
use super::upstream::Route;

/// `xml` without the element (`open` … `close`) that contains `marker`.
fn without(xml: &str, marker: &str, open: &str, close: &str) -> String {
    let at = xml.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let start = xml[..at].rfind(open).unwrap();
    let end = at + xml[at..].find(close).unwrap() + close.len();
    format!("{}{}", &xml[..start], &xml[end..])
}

fn text(name: &str) -> String {
    String::from_utf8(fixture(name)).unwrap()
}

fn stub_named<'a>(stubs: &'a [(String, String)], needle: &str) -> &'a str {
    &stubs.iter().find(|(_, text)| text.contains(needle)).unwrap_or_else(|| panic!("no stub has {needle}")).0
}

/// An app the author has lived with: the first sync wrote four stubs (the Transformer talk
/// as a video only, Part 1 as a podcast only); the author then edited Part 1 and deleted the
/// Transformer and Part 2 stubs; a second sync brought the late copies, so the store holds a
/// tombstone, an edited stub with a pending YouTube embed, and the podcast's ETag `v2`.
/// Returns the app and the path of the edited stub.
fn lived_in() -> (App, PathBuf) {
    let app = App::new();
    let (youtube, podcast) = (text("youtube.xml"), text("podcast.xml"));
    app.upstream.set("/youtube.xml", Route::xml(without(&youtube, "Lm5Tq0aZc3U", "<entry>", "</entry>")));
    let early_podcast = without(&podcast, "4f1c9a7e", "<item>", "</item>");
    app.upstream.set("/podcast.xml", Route::xml(early_podcast).with_etag("v1"));
    app.config(MLST);
    app.sync_expecting(0);
    let stubs = app.stubs();
    let posts = app.path("site/content/posts");
    let edited = posts.join(stub_named(&stubs, "(Part 1)"));
    std::fs::write(&edited, format!("{}\nMy own notes.\n", std::fs::read_to_string(&edited).unwrap()))
        .unwrap();
    std::fs::remove_file(posts.join(stub_named(&stubs, "Xk3pQ9LJt0s"))).unwrap();
    std::fs::remove_file(posts.join(stub_named(&stubs, "(Part 2)"))).unwrap();
    app.upstream.set("/youtube.xml", Route::xml(youtube));
    app.upstream.set("/podcast.xml", Route::xml(podcast).with_etag("v2"));
    app.sync_expecting(0);
    assert_pending_embeds_listed(&app, &edited);
    (app, edited)
}

fn assert_pending_embeds_listed(app: &App, edited: &std::path::Path) {
    let status = app.run(&["status"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(status.stdout.contains(&format!("pending embeds for {}", edited.display())), "{}", status.stdout);
    assert!(status.stdout.contains("{{< youtube Lm5Tq0aZc3U >}}"), "{}", status.stdout);
}

/// The podcast feed with one new episode on top, under a new ETag: every old item looks new
/// to an empty store.
fn podcast_with_a_new_episode() -> Route {
    let item = "<item><title>A Brand New Episode About Agents</title><guid>brand-new-1</guid>\
                <pubDate>Mon, 01 Dec 2025 09:00:00 GMT</pubDate><description>New notes</description></item>";
    Route::xml(text("podcast.xml").replacen("<item>", &format!("{item}<item>"), 1)).with_etag("v3")
}

/// The store folder's files by name.
fn store_file(app: &App, name: &str) -> PathBuf {
    app.path("state/syndicator.db").join(name)
}

/// Cuts the file at `path` to `keep(its length)` bytes.
fn cut(path: PathBuf, keep: impl Fn(u64) -> u64) {
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(keep(len)).unwrap();
}

fn garble(path: PathBuf, at: u64, len: usize) {
    use std::io::{Seek, Write};
    let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.seek(std::io::SeekFrom::Start(at)).unwrap();
    file.write_all(&(0..len).map(|i| (i * 31 + 7) as u8).collect::<Vec<u8>>()).unwrap();
}

/// Damages the store as `kind` says, runs `sync` and checks that nothing was lost.
fn damaged_store_recovers(kind: &str, damage: impl FnOnce(&App)) {
    let (app, edited) = lived_in();
    let before = app.stubs();
    damage(&app);
    app.upstream.set("/podcast.xml", podcast_with_a_new_episode());
    let run = app.sync_expecting(0);
    let warnings: Vec<&str> = run.stderr.lines().filter(|l| l.contains("WARN")).collect();
    assert_eq!(warnings.len(), 1, "{kind}: one warning: {}", run.stderr);
    assert!(
        warnings[0].contains("moved aside to") && warnings[0].contains("journal"),
        "{kind}: {}",
        warnings[0]
    );
    let asides = std::fs::read_dir(app.path("state")).unwrap().flatten().filter(|e| {
        e.file_name().to_string_lossy().starts_with("syndicator.db.corrupt-")
            && e.path().join("conf").exists()
    });
    assert_eq!(asides.count(), 1, "{kind}: the damaged store is kept aside");
    let podcast = app.upstream.seen("/podcast.xml");
    let last = podcast.last().unwrap().headers.get("if-none-match");
    assert_eq!(last.map(|v| v.to_str().unwrap()), Some("\"v2\""), "{kind}: validators restored");
    let after = app.stubs();
    for (name, text) in &before {
        assert_eq!(
            after.iter().find(|(n, _)| n == name).map(|(_, t)| t),
            Some(text),
            "{kind}: {name} untouched"
        );
    }
    assert_eq!(
        after.len(),
        before.len() + 1,
        "{kind}: only the new episode is stubbed: {:?}",
        app.stub_names()
    );
    assert!(after.iter().any(|(_, t)| t.contains("A Brand New Episode About Agents")), "{kind}");
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for (_, text) in &after {
        *ids.entry(front_matter(text)["syndicator_id"].to_string()).or_default() += 1;
    }
    assert!(ids.values().all(|n| *n == 1), "{kind}: no duplicates: {ids:?}");
    assert_pending_embeds_listed(&app, &edited);
    let again = app.sync_expecting(0);
    assert!(!again.stderr.contains("WARN"), "{kind}: the rebuilt store opens cleanly: {}", again.stderr);
}

#[test]
fn a_truncated_segment_file_is_recovered_with_nothing_lost() {
    damaged_store_recovers("truncated db", |app| {
        let db = store_file(app, "db");
        let written = std::fs::read(&db).unwrap().iter().rposition(|b| *b != 0).unwrap() as u64;
        cut(db, |_| written / 2);
    });
}

#[test]
fn garbage_in_the_segments_is_recovered_with_nothing_lost() {
    damaged_store_recovers("garbage in db", |app| garble(store_file(app, "db"), 0, 4096));
}

#[test]
fn a_garbled_configuration_is_recovered_with_nothing_lost() {
    damaged_store_recovers("garbled conf", |app| garble(store_file(app, "conf"), 0, 64));
}

#[test]
fn a_torn_configuration_is_recovered_with_nothing_lost() {
    damaged_store_recovers("torn conf", |app| cut(store_file(app, "conf"), |len| len / 2));
}

#[test]
fn an_empty_data_file_is_recovered_with_nothing_lost() {
    damaged_store_recovers("zero-length db", |app| cut(store_file(app, "db"), |_| 0));
}
