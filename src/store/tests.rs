use super::*;
use crate::model::StubState;

pub(super) fn item(platform: Platform, id: &str) -> Item {
    Item::bare(platform, id, "A talk", Some("2025-11-24T10:00:00Z".parse().unwrap()))
}

/// Opens the store at `path`, waiting for a handle this process just dropped: sled's
/// background thread releases the file lock a moment after the `Db` is dropped.
pub(super) fn reopen(path: &Path) -> Result<Store, StoreError> {
    for _ in 0..100 {
        match Store::open(path) {
            Err(StoreError::Locked(_)) => std::thread::sleep(std::time::Duration::from_millis(20)),
            other => return other,
        }
    }
    Store::open(path)
}

pub(super) fn episode(channel: &str, copies: Vec<Item>) -> Episode {
    Episode {
        id: Episode::id_for(channel, &copies[0]),
        channel: channel.into(),
        copies,
        stub: StubState::Written { path: "a.md".into(), hash: "h".into() },
    }
}

#[test]
fn episodes_and_their_items_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let stored = episode("mlst", vec![item(Platform::Youtube, "v1"), item(Platform::Podcast, "g1")]);
    {
        let store = Store::open(&path).unwrap();
        store.put_episode(&stored).unwrap();
        store.put_episode(&episode("mlst-2", vec![item(Platform::Youtube, "v9")])).unwrap();
        store.flush().unwrap();
    }
    let store = reopen(&path).unwrap();
    assert_eq!(store.episode("mlst:youtube:v1").unwrap(), Some(stored.clone()));
    let podcast = item(Platform::Podcast, "g1");
    assert_eq!(store.episode_of_item("mlst", &podcast).unwrap().as_deref(), Some("mlst:youtube:v1"));
    assert_eq!(store.episode_of_item("other", &podcast).unwrap(), None);
    assert!(store.knows_item("mlst", podcast.platform, &podcast.platform_id).unwrap());
    assert!(!store.knows_item("other", podcast.platform, &podcast.platform_id).unwrap());
    assert_eq!(store.channel_episodes("mlst").unwrap(), vec![stored]);
    assert_eq!(store.count_episodes("mlst"), 1, "mlst- prefixes must not leak into mlst");
}

#[test]
fn a_copy_an_episode_is_named_after_costs_no_index_entry_and_is_known() {
    let store = Store::temporary().unwrap();
    let (video, podcast) = (item(Platform::Youtube, "v1"), item(Platform::Podcast, "g1"));
    store.put_episode(&episode("mlst", vec![video.clone(), podcast.clone()])).unwrap();
    assert!(!store.items.contains_key(item_key("mlst", &video)).unwrap(), "no entry for the founder");
    assert!(store.items.contains_key(item_key("mlst", &podcast)).unwrap());
    for copy in [&video, &podcast] {
        assert_eq!(store.episode_of_item("mlst", copy).unwrap().as_deref(), Some("mlst:youtube:v1"));
        assert!(store.knows_item("mlst", copy.platform, &copy.platform_id).unwrap());
    }
    let unseen = item(Platform::Youtube, "v2");
    assert_eq!(store.episode_of_item("mlst", &unseen).unwrap(), None);
    assert!(!store.knows_item("mlst", Platform::Youtube, "v2").unwrap());
    assert!(!store.knows_item("other", Platform::Youtube, "v1").unwrap());
}

#[test]
fn a_founder_linked_away_and_back_belongs_to_the_episode_named_after_it_again() {
    use crate::episodes::manual;
    let store = Store::temporary().unwrap();
    let (video, podcast) = (item(Platform::Youtube, "v1"), item(Platform::Podcast, "g1"));
    let named = episode("mlst", vec![video.clone(), podcast.clone()]);
    let other = episode("mlst", vec![item(Platform::Podcast, "g2")]);
    store.put_episodes(&[named.clone(), other.clone()]).unwrap();

    let away = manual::link(other.clone(), Some(named.clone()), video.clone()).unwrap();
    store.apply_fix(&away).unwrap();
    assert_eq!(store.episode_of_item("mlst", &video).unwrap().as_deref(), Some("mlst:podcast:g2"));
    assert_eq!(store.episode_of_item("mlst", &podcast).unwrap().as_deref(), Some("mlst:youtube:v1"));

    let (holder, named) = (
        store.episode("mlst:podcast:g2").unwrap().unwrap(),
        store.episode("mlst:youtube:v1").unwrap().unwrap(),
    );
    let back = manual::link(named, Some(holder), video.clone()).unwrap();
    store.apply_fix(&back).unwrap();
    assert_eq!(store.episode_of_item("mlst", &video).unwrap().as_deref(), Some("mlst:youtube:v1"));
    assert!(!store.items.contains_key(item_key("mlst", &video)).unwrap(), "the entry that sent it away went");
    assert_eq!(
        store.episode_of_item("mlst", &item(Platform::Podcast, "g2")).unwrap().as_deref(),
        Some("mlst:podcast:g2")
    );
}

#[test]
fn source_and_channel_state_round_trip() {
    let store = Store::temporary().unwrap();
    assert_eq!(store.source_state("mlst", Platform::Youtube, YT).unwrap(), SourceState::default());
    let state = SourceState { failures: 2, last_error: Some("boom".into()), ..SourceState::default() };
    store.put_source_state("mlst", Platform::Youtube, YT, &state).unwrap();
    assert_eq!(store.source_state("mlst", Platform::Youtube, YT).unwrap(), state);
    assert_eq!(store.source_state("mlst", Platform::Podcast, YT).unwrap(), SourceState::default());
    let summary = ChannelState { stubs_written: 4, ..ChannelState::default() };
    store.put_channel_state("mlst", &summary).unwrap();
    assert_eq!(store.channel_state("mlst").unwrap(), summary);
}

const YT: &str = "https://www.youtube.com/feeds/videos.xml?channel_id=UC1";

#[test]
fn a_changed_url_is_a_new_source_and_the_old_state_is_forgotten() {
    let store = Store::temporary().unwrap();
    let failing = SourceState { failures: 5, last_error: Some("boom".into()), ..SourceState::default() };
    store.put_source_state("mlst", Platform::Podcast, "https://old.example/feed", &failing).unwrap();
    let moved = "https://new.example/feed";
    assert_eq!(store.source_state("mlst", Platform::Podcast, moved).unwrap(), SourceState::default());
    let ok = SourceState::default();
    store.put_source_state("mlst", Platform::Podcast, moved, &ok).unwrap();
    assert_eq!(store.sources.len(), 1, "the old URL's state is removed when the new one is saved");
    assert_eq!(store.source_state("mlst", Platform::Podcast, moved).unwrap(), ok);
}

#[test]
fn a_state_saved_without_its_url_is_read_as_the_current_urls_until_saved_again() {
    let store = Store::temporary().unwrap();
    let legacy = SourceState { failures: 1, ..SourceState::default() };
    store.sources.insert(b"mlst\0youtube", serde_json::to_vec(&legacy).unwrap()).unwrap();
    assert_eq!(store.source_state("mlst", Platform::Youtube, YT).unwrap(), legacy);
    store.put_source_state("mlst", Platform::Youtube, YT, &SourceState::default()).unwrap();
    assert_eq!(store.sources.len(), 1, "the legacy key is replaced by the keyed one");
    assert_eq!(store.source_state("mlst", Platform::Youtube, YT).unwrap(), SourceState::default());
}

#[test]
fn a_newer_schema_is_refused_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let db = sled::open(&path).unwrap();
        db.open_tree("meta").unwrap().insert(SCHEMA_KEY, &99u32.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    let error = reopen(&path).err().expect("a newer schema is refused").to_string();
    assert!(error.contains("schema version 99") && error.contains("upgrade"), "{error}");
}

#[test]
fn a_second_process_is_told_the_store_is_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let _held = Store::open(&path).unwrap();
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "store::tests::open_held_store_in_child", "--nocapture", "--ignored"])
        .env("SYNDICATOR_TEST_STORE", &path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&child.stdout);
    assert!(stdout.contains("is in use by another syndicator process"), "{stdout}");
}

/// Run by `a_second_process_is_told_the_store_is_in_use` in a child process.
#[test]
#[ignore = "helper for a_second_process_is_told_the_store_is_in_use"]
fn open_held_store_in_child() {
    let path = std::env::var("SYNDICATOR_TEST_STORE").unwrap();
    println!("{}", Store::open(Path::new(&path)).err().map(|e| e.to_string()).unwrap_or_default());
}

#[test]
fn recent_episodes_come_newest_first_from_the_date_index() {
    let store = Store::temporary().unwrap();
    let dated = |id: &str, day: u32| {
        let mut copy = item(Platform::Youtube, id);
        copy.published = Some(format!("2025-11-{day:02}T10:00:00Z").parse().unwrap());
        episode("mlst", vec![copy])
    };
    for (id, day) in [("a", 3), ("b", 9), ("c", 1), ("d", 7)] {
        store.put_episode(&dated(id, day)).unwrap();
    }
    let mut moved = dated("c", 1);
    moved.copies[0].published = Some("2025-11-20T10:00:00Z".parse().unwrap());
    store.put_episode(&moved).unwrap();
    store.put_episode(&episode("other", vec![item(Platform::Youtube, "z")])).unwrap();
    let ids = |limit| -> Vec<String> {
        store
            .recent_episodes(limit, |channel| channel == "mlst")
            .unwrap()
            .into_iter()
            .map(|e| e.id.to_string())
            .collect()
    };
    assert_eq!(ids(3), ["mlst:youtube:c", "mlst:youtube:b", "mlst:youtube:d"], "re-dated c moved to the top");
    assert_eq!(ids(10).len(), 4, "one index entry per episode; other channels left out");
}

#[test]
fn a_corrupt_store_is_refused_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let db = sled::open(&path).unwrap();
        db.open_tree("meta").unwrap().insert(SCHEMA_KEY, b"v1").unwrap();
        db.flush().unwrap();
    }
    let error = reopen(&path).err().expect("an unreadable schema version is refused").to_string();
    assert!(error.contains("corrupt") && error.contains("schema version"), "{error}");
}

/// Opens a store whose files named by `garbled` were overwritten with garbage of the same
/// size; a panic is reported as `Err("panicked")`.
fn open_garbled(garbled: impl Fn(&str) -> bool) -> Result<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let store = Store::open(&path).unwrap();
        store.put_episode(&episode("mlst", vec![item(Platform::Youtube, "v1")])).unwrap();
        store.flush().unwrap();
    }
    drop(reopen(&path).unwrap());
    for entry in std::fs::read_dir(&path).unwrap() {
        let file = entry.unwrap().path();
        if file.is_file() && garbled(&file.file_name().unwrap().to_string_lossy()) {
            let len = std::fs::metadata(&file).unwrap().len() as usize;
            std::fs::write(&file, (0..len.max(64)).map(|i| (i * 7 + 13) as u8).collect::<Vec<u8>>()).unwrap();
        }
    }
    let opened = std::panic::catch_unwind(|| reopen(&path).map(|_| ()));
    match opened {
        Ok(Ok(())) => Ok("opened".into()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("panicked".into()),
    }
}

#[test]
fn garbage_in_the_store_files_is_a_plain_error() {
    for (what, garbled) in [
        ("conf", &(|name: &str| name == "conf") as &dyn Fn(&str) -> bool),
        ("db", &|name: &str| name == "db"),
        ("snapshot", &|name: &str| name.starts_with("snap.")),
        ("everything", &|_: &str| true),
    ] {
        let error = open_garbled(garbled).expect_err(what);
        assert!(error.contains("is corrupt") && error.contains("move it aside"), "{what}: {error}");
    }
}

/// A store holding a `mlst` episode with `target`'s copy and one with `holder`'s.
fn target_and_holder(target: Item, holder: Item) -> (Store, Episode, Episode) {
    let store = Store::temporary().unwrap();
    let (target, holder) = (episode("mlst", vec![target]), episode("mlst", vec![holder]));
    store.put_episodes(&[target.clone(), holder.clone()]).unwrap();
    (store, target, holder)
}

#[test]
fn linking_again_drops_the_earlier_pin_whether_the_new_copy_was_seen_or_not() {
    use crate::episodes::manual;
    let (store, target, holder) =
        target_and_holder(item(Platform::Podcast, "g1"), item(Platform::Spotify, "seen"));
    let pinned = |store: &Store| {
        let pins = store.pins("mlst").unwrap();
        pins.pinned_to(&target.id, Platform::Spotify).map(str::to_owned).collect::<Vec<_>>()
    };
    store.apply_fix(&manual::link_unseen(&target, Platform::Spotify, "wrong").unwrap()).unwrap();
    let fix = manual::link_unseen(&target, Platform::Spotify, "right").unwrap();
    store.apply_fix(&fix.replacing(&target, Platform::Spotify, "right", &["wrong"])).unwrap();
    assert_eq!(pinned(&store), ["right"]);
    let fix = manual::link(target.clone(), Some(holder), item(Platform::Spotify, "seen")).unwrap();
    store.apply_fix(&fix.replacing(&target, Platform::Spotify, "seen", &["right"])).unwrap();
    assert_eq!(pinned(&store), ["seen"]);
}

#[test]
fn the_pins_of_an_episode_a_fix_removes_go_with_it() {
    use crate::episodes::manual;
    let (store, target, holder) =
        target_and_holder(item(Platform::Youtube, "v1"), item(Platform::Podcast, "g1"));
    store.apply_fix(&manual::link_unseen(&holder, Platform::Spotify, "s").unwrap()).unwrap();
    let fix = manual::link(target.clone(), Some(holder.clone()), item(Platform::Podcast, "g1")).unwrap();
    assert_eq!(fix.removed.len(), 1);
    store.apply_fix(&fix).unwrap();
    let pins = store.pins("mlst").unwrap();
    assert_eq!(pins.of(&item(Platform::Spotify, "s")), None, "pinned to the removed {}", holder.id);
    assert_eq!(pins.of(&item(Platform::Podcast, "g1")), Some(&target.id), "the moved copy's pin stays");
}
