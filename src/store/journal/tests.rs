use super::*;
use crate::model::Item;
use crate::store::tests::{episode, item};

/// The podcast URL of the test sources.
pub(in crate::store) const FEED: &str = "https://pod.test/feed.xml";

pub(in crate::store) fn dated(platform: Platform, id: &str, day: u32) -> Item {
    let mut copy = item(platform, id);
    copy.published = Some(format!("2025-11-{day:02}T10:00:00Z").parse().unwrap());
    copy.description_html = "long show notes".repeat(100);
    copy
}

/// A store with a source, one stub as written, one deleted and one edited with embeds pending.
pub(in crate::store) fn filled(path: &Path) -> Store {
    let store = Store::open(path).unwrap();
    let validated = SourceState { failures: 1, ..SourceState::default() };
    store.put_source_state("mlst", Platform::Podcast, FEED, &validated).unwrap();
    let mut deleted = episode("mlst", vec![dated(Platform::Podcast, "g1", 3)]);
    deleted.stub = StubState::Deleted { path: "gone.md".into() };
    let mut edited =
        episode("mlst", vec![dated(Platform::Podcast, "g2", 5), dated(Platform::Spotify, "s2", 6)]);
    edited.stub = StubState::Edited { path: "mine.md".into(), pending: vec!["{{< spotify s2 >}}".into()] };
    let written = episode("mlst", vec![dated(Platform::Podcast, "g3", 9)]);
    store.put_episodes(&[deleted, edited, written]).unwrap();
    store
}

#[test]
fn the_journal_holds_what_the_stubs_cannot_tell_and_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = filled(&path);
    store.flush().unwrap();
    let read = Journal::read(&path_beside(&path)).unwrap().expect("flush wrote the journal");
    assert_eq!(read, Journal::of(&store, read.generation).unwrap(), "what is read is what was written");
    assert_eq!(read.sources.len(), 1);
    assert_eq!(read.sources[0].1.failures, 1, "backoff is kept");
    let ids: Vec<_> = read.episodes.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["mlst:podcast:g1", "mlst:podcast:g2"], "tombstone and edited stub, not the written one");
    assert!(read.episodes.iter().flat_map(|e| &e.copies).all(|c| c.description_html.is_empty()));
    let newest: Vec<_> =
        read.newest.iter().map(|n| (n.platform, n.published.format("%d").to_string())).collect();
    assert_eq!(newest, [(Platform::Spotify, "06".into()), (Platform::Podcast, "09".into())]);
}

#[test]
fn a_torn_or_foreign_journal_is_an_error_to_ignore_and_a_missing_one_is_none() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.journal");
    assert_eq!(Journal::read(&path), Ok(None));
    let whole = serde_json::to_vec(&Journal { version: JOURNAL_VERSION, ..Journal::default() }).unwrap();
    std::fs::write(&path, &whole[..whole.len() - 3]).unwrap();
    assert!(Journal::read(&path).unwrap_err().contains("EOF"), "torn");
    std::fs::write(&path, br#"{"version":99,"generation":1,"sources":[],"newest":[],"episodes":[]}"#)
        .unwrap();
    assert!(Journal::read(&path).unwrap_err().contains("version 99"));
}

#[test]
fn fixes_by_hand_are_journaled_with_their_episodes_whole_and_restored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = filled(&path);
    let written = store.episode("mlst:podcast:g3").unwrap().unwrap();
    let fix =
        crate::episodes::manual::link(written, None, dated(Platform::Youtube, "vid00000001", 9)).unwrap();
    store.apply_fix(&fix).unwrap();
    store.flush().unwrap();
    let read = Journal::read(&path_beside(&path)).unwrap().unwrap();
    assert_eq!(read.pins, fix.pins);
    assert_eq!(read.stub_work, fix.work);
    let linked = read.episodes.iter().find(|e| e.id == "mlst:podcast:g3").expect("the linked episode");
    assert!(linked.copies.iter().all(|c| !c.description_html.is_empty()), "kept whole");
    drop(store);
    let fresh = Store::open(&dir.path().join("new")).unwrap();
    fresh.restore(&read).unwrap();
    assert_eq!(fresh.stub_work(Some("mlst")).unwrap(), fix.work);
    let pins = fresh.pins("mlst").unwrap();
    assert_eq!(
        pins.of(&item(Platform::Youtube, "vid00000001")).map(|id| id.as_str()),
        Some("mlst:podcast:g3")
    );
    assert_eq!(fresh.episode("mlst:podcast:g3").unwrap().unwrap().copies.len(), 2);
}
