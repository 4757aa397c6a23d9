use super::*;
use crate::model::{Item, StubState};
use crate::store::SourceState;
use crate::store::journal::tests::{FEED, filled};
use crate::store::tests::{episode, item, reopen};

/// A filled store at `<dir>/db`, flushed (so its journal is written) and closed.
fn closed_store(dir: &Path) -> PathBuf {
    let path = dir.join("db");
    filled(&path).flush().unwrap();
    drop(reopen(&path).unwrap());
    path
}

/// Overwrites `name` in the store folder with `bytes`.
fn damage(path: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(path.join(name), bytes).unwrap();
}

fn dated(platform: Platform, id: &str, day: u32) -> Item {
    let mut copy = item(platform, id);
    copy.published = Some(format!("2025-11-{day:02}T10:00:00Z").parse().unwrap());
    copy
}

fn asides(dir: &Path) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path());
    entries.filter(|p| p.to_string_lossy().contains(".corrupt-")).collect()
}

#[test]
fn a_corrupt_store_is_moved_aside_and_rebuilt_from_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = closed_store(dir.path());
    damage(&path, "conf", b"segment_size: garbage\0\0");
    let (store, recovery) = open_or_recover(&path).unwrap();
    let recovery = recovery.expect("recovered");
    let aside = recovery.aside.clone().expect("moved aside");
    assert_eq!(asides(dir.path()), std::slice::from_ref(&aside));
    assert!(aside.join("conf").exists(), "the damaged store is kept whole");
    let message = recovery.to_string();
    assert!(
        message.contains(&aside.display().to_string()) && message.contains("1 source(s), 2"),
        "{message}"
    );
    assert_eq!(store.source_state("mlst", Platform::Podcast, FEED).unwrap().failures, 1, "backoff restored");
    let tombstone = store.episode("mlst:podcast:g1").unwrap().expect("tombstone restored");
    assert_eq!(tombstone.stub, StubState::Deleted { path: "gone.md".into() });
    assert_eq!(
        store.episode_of_item("mlst", &item(Platform::Podcast, "g1")).unwrap().as_deref(),
        Some("mlst:podcast:g1")
    );
    let edited = store.episode("mlst:podcast:g2").unwrap().expect("edited stub restored");
    assert!(matches!(edited.stub, StubState::Edited { pending, .. } if pending.len() == 1));
    assert_eq!(store.episode("mlst:podcast:g3").unwrap(), None, "a written stub is found on disk instead");
}

#[test]
fn items_no_newer_than_before_the_loss_are_known_and_later_ones_are_new() {
    let dir = tempfile::tempdir().unwrap();
    let path = closed_store(dir.path());
    damage(&path, "conf", b"\xff\xfe a torn configuration");
    let (store, _) = open_or_recover(&path).unwrap();
    let known = |copies: Vec<Item>| store.known_before_loss("mlst", &episode("mlst", copies)).unwrap();
    assert!(known(vec![dated(Platform::Podcast, "old", 9)]), "as new as the newest podcast item");
    assert!(known(vec![dated(Platform::Podcast, "old", 1), dated(Platform::Spotify, "s", 6)]));
    assert!(!known(vec![dated(Platform::Podcast, "new", 10)]), "newer than anything seen");
    assert!(!known(vec![dated(Platform::Podcast, "old", 1), dated(Platform::Spotify, "s", 7)]));
    assert!(!known(vec![dated(Platform::Youtube, "v", 1)]), "a platform never seen");
    assert!(
        !store.known_before_loss("other", &episode("other", vec![dated(Platform::Podcast, "g", 1)])).unwrap()
    );
}

#[test]
fn a_torn_journal_is_ignored_with_a_warning_and_the_store_still_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let path = closed_store(dir.path());
    let journal = path_beside(&path);
    let whole = std::fs::read(&journal).unwrap();
    std::fs::write(&journal, &whole[..whole.len() / 2]).unwrap();
    damage(&path, "conf", b"segment_size: garbage\0\0");
    let (store, recovery) = open_or_recover(&path).unwrap();
    let message = recovery.expect("recovered").to_string();
    assert!(message.contains("from the stubs alone") && message.contains("was ignored"), "{message}");
    assert_eq!(store.source_state("mlst", Platform::Podcast, FEED).unwrap(), SourceState::default());
    store.flush().unwrap();
    assert!(Journal::read(&journal).unwrap().is_some(), "the next flush writes a whole journal again");
}

#[test]
fn a_store_behind_its_journal_lost_data_and_is_recovered() {
    let dir = tempfile::tempdir().unwrap();
    let path = closed_store(dir.path());
    let journal = path_beside(&path);
    let mut ahead = Journal::read(&journal).unwrap().unwrap();
    ahead.generation += 5;
    ahead.write(&journal).unwrap();
    let (store, recovery) = open_or_recover(&path).unwrap();
    let recovery = recovery.expect("recovered");
    assert!(recovery.aside.is_some(), "{recovery}");
    assert!(recovery.to_string().contains("journal says flush 6 was durable"), "{recovery}");
    assert!(store.episode("mlst:podcast:g1").unwrap().is_some(), "tombstone restored");
}

#[test]
fn a_deleted_store_gets_its_journal_back_and_nothing_is_moved() {
    let dir = tempfile::tempdir().unwrap();
    let path = closed_store(dir.path());
    std::fs::remove_dir_all(&path).unwrap();
    let (store, recovery) = open_or_recover(&path).unwrap();
    let recovery = recovery.expect("rebuilt");
    assert_eq!(recovery.aside, None);
    assert!(recovery.to_string().contains("missing or empty"), "{recovery}");
    assert!(store.episode("mlst:podcast:g1").unwrap().is_some(), "tombstone restored");
    assert!(asides(dir.path()).is_empty());
}

#[test]
fn a_healthy_store_is_opened_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = closed_store(dir.path());
    let (store, recovery) = open_or_recover(&path).unwrap();
    assert!(recovery.is_none());
    assert!(store.episode("mlst:podcast:g3").unwrap().is_some());
    assert!(
        !store.known_before_loss("mlst", &episode("mlst", vec![dated(Platform::Podcast, "x", 1)])).unwrap()
    );
    assert!(asides(dir.path()).is_empty());
}
