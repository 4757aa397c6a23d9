use super::*;
use crate::model::{Chapter, Person, Platform, Podcasting, StubState, TranscriptLink};
use crate::store::journal::Journal;
use crate::store::journal::tests::{FEED, dated, filled};
use crate::store::tests::{episode, item, reopen};

/// A store as schema version 1 left it: JSON episode records, no `newest` or `kept` trees.
fn write_version_1(path: &std::path::Path, episodes: &[crate::model::Episode]) {
    let db = sled::open(path).unwrap();
    db.open_tree("meta").unwrap().insert(SCHEMA_KEY, &1u32.to_be_bytes()).unwrap();
    let tree = db.open_tree("episodes").unwrap();
    for episode in episodes {
        tree.insert(episode.id.as_str(), serde_json::to_vec(episode).unwrap()).unwrap();
    }
    db.flush().unwrap();
}

#[test]
fn a_version_1_store_is_migrated_and_its_json_records_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let mut deleted = episode("mlst", vec![item(Platform::Podcast, "g1")]);
    deleted.stub = StubState::Deleted { path: "gone.md".into() };
    let mut later = item(Platform::Podcast, "g2");
    later.published = Some("2025-12-01T10:00:00Z".parse().unwrap());
    let written = episode("mlst", vec![later, item(Platform::Youtube, "v2")]);
    write_version_1(&path, &[deleted.clone(), written.clone()]);

    let store = reopen(&path).unwrap();
    assert_eq!(stored_version(&store.meta).unwrap(), Some(SCHEMA_VERSION));
    assert_eq!(store.channel_episodes("mlst").unwrap(), vec![deleted.clone(), written.clone()]);
    let journal = Journal::of(&store, 1).unwrap();
    let ids: Vec<_> = journal.episodes.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["mlst:podcast:g1"], "the tombstone is kept");
    let newest: Vec<_> = journal.newest.iter().map(|n| (n.platform, n.published.to_rfc3339())).collect();
    assert_eq!(
        newest,
        [
            (Platform::Youtube, "2025-11-24T10:00:00+00:00".to_owned()),
            (Platform::Podcast, "2025-12-01T10:00:00+00:00".to_owned())
        ]
    );

    store.put_episode(&written).unwrap();
    let raw = store.episodes.get(written.id.as_str()).unwrap().unwrap();
    assert_ne!(raw[0], b'{', "a record saved again is in the compact encoding");
    assert_eq!(store.episode(written.id.as_str()).unwrap(), Some(written));
}

#[test]
fn an_overwritten_record_leaves_the_kept_set_when_its_stub_is_no_longer_kept() {
    let store = Store::temporary().unwrap();
    let mut edited = episode("mlst", vec![item(Platform::Podcast, "g1")]);
    edited.stub = StubState::Edited { path: "mine.md".into(), pending: vec![] };
    store.put_episode(&edited).unwrap();
    assert_eq!(store.kept_ids().unwrap(), vec![edited.id.as_str().to_owned()]);
    edited.stub = StubState::Written { path: "mine.md".into(), hash: "h".into() };
    store.put_episode(&edited).unwrap();
    assert_eq!(store.kept_ids().unwrap(), Vec::<String>::new());
}

/// Turns the store into what schema 1 wrote for the same calls: every tree but `episodes` is
/// written the same by both, so the records go back to JSON, `newest` and `kept` go, and the
/// version is 1.
fn downgrade_to_version_1(store: &Store) {
    for entry in store.episodes.iter() {
        let (key, raw) = entry.unwrap();
        store.episodes.insert(key, serde_json::to_vec(&codec::decode(&raw).unwrap()).unwrap()).unwrap();
    }
    store.newest.clear().unwrap();
    store.kept.clear().unwrap();
    store.meta.insert(SCHEMA_KEY, &1u32.to_be_bytes()).unwrap();
    store.flush().unwrap();
}

/// Chapters, a transcript and a guest, as a Podcasting 2.0 feed gives them.
fn podcasting() -> Podcasting {
    Podcasting {
        chapters_url: Some("https://pod.test/g4.json".into()),
        chapters: vec![Chapter { start_secs: 95, title: "Intro".into(), url: None }],
        transcripts: vec![TranscriptLink {
            url: "https://pod.test/g4.vtt".into(),
            mime_type: "text/vtt".into(),
            language: Some("en".into()),
            rel: None,
        }],
        persons: vec![Person {
            name: "Ada".into(),
            role: "guest".into(),
            group: "cast".into(),
            href: None,
            img: Some("https://pod.test/ada.jpg".into()),
        }],
    }
}

#[test]
fn a_schema_1_store_with_fixes_by_hand_and_podcasting_fields_reads_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = filled(&path);
    let mut rich = dated(Platform::Podcast, "g4", 12);
    rich.podcasting = podcasting();
    store.put_episode(&episode("mlst", vec![rich])).unwrap();
    let written = store.episode("mlst:podcast:g3").unwrap().unwrap();
    let fix =
        crate::episodes::manual::link(written, None, dated(Platform::Youtube, "vid00000001", 9)).unwrap();
    store.apply_fix(&fix).unwrap();
    let everything = store.channel_episodes("mlst").unwrap();
    downgrade_to_version_1(&store);
    drop(store);

    let store = reopen(&path).unwrap();
    assert_eq!(stored_version(&store.meta).unwrap(), Some(SCHEMA_VERSION));
    assert_eq!(store.channel_episodes("mlst").unwrap(), everything, "every field, podcasting too");
    assert_eq!(store.episode("mlst:podcast:g4").unwrap().unwrap().copies[0].podcasting, podcasting());
    let linked = dated(Platform::Youtube, "vid00000001", 9);
    assert_eq!(store.episode_of_item("mlst", &linked).unwrap().as_deref(), Some("mlst:podcast:g3"));
    assert_eq!(store.pins("mlst").unwrap().of(&linked).map(|id| id.as_str()), Some("mlst:podcast:g3"));
    assert_eq!(store.stub_work(Some("mlst")).unwrap(), fix.work);
    assert_eq!(store.source_state("mlst", Platform::Podcast, FEED).unwrap().failures, 1);
    let recent: Vec<_> = store.recent_episodes(10, |_| true).unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(recent, ["mlst:podcast:g4", "mlst:podcast:g3", "mlst:podcast:g2", "mlst:podcast:g1"]);

    let journal = Journal::of(&store, 1).unwrap();
    let ids: Vec<_> = journal.episodes.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["mlst:podcast:g1", "mlst:podcast:g2", "mlst:podcast:g3"], "kept, then fixed");
    assert!(journal.episodes[2].copies.iter().all(|c| !c.description_html.is_empty()), "fixed: whole");
    assert!(journal.episodes[..2].iter().flat_map(|e| &e.copies).all(|c| c.description_html.is_empty()));
    assert_eq!((journal.pins, journal.stub_work), (fix.pins, fix.work));
    let newest: Vec<_> =
        journal.newest.iter().map(|n| (n.platform, n.published.format("%d").to_string())).collect();
    assert_eq!(
        newest,
        [
            (Platform::Youtube, "09".into()),
            (Platform::Spotify, "06".into()),
            (Platform::Podcast, "12".into())
        ]
    );

    store.put_episodes(&everything).unwrap();
    assert!(store.episodes.iter().values().all(|raw| raw.unwrap()[0] != b'{'), "saved again: compact");
    assert_eq!(store.channel_episodes("mlst").unwrap(), everything, "and read back the same");
}

#[test]
fn a_version_2_store_keeps_its_entry_for_every_copy_and_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let store = Store::open(&path).unwrap();
    let (video, podcast) = (item(Platform::Youtube, "v1"), item(Platform::Podcast, "g1"));
    store.put_episode(&episode("mlst", vec![video.clone(), podcast.clone()])).unwrap();
    // What version 2 wrote: an entry for the copy the episode is named after, too.
    store.items.insert(super::super::item_key("mlst", &video), "mlst:youtube:v1").unwrap();
    store.meta.insert(SCHEMA_KEY, &2u32.to_be_bytes()).unwrap();
    store.flush().unwrap();
    drop(store);

    let store = reopen(&path).unwrap();
    assert_eq!(stored_version(&store.meta).unwrap(), Some(SCHEMA_VERSION));
    for copy in [&video, &podcast] {
        assert_eq!(store.episode_of_item("mlst", copy).unwrap().as_deref(), Some("mlst:youtube:v1"));
    }
    assert_eq!(store.items.len(), 2, "nothing rewritten");
}
