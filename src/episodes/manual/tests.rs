use super::*;

fn item(platform: Platform, id: &str, day: u32) -> Item {
    Item::bare(platform, id, "A talk", Some(format!("2025-11-{day:02}T10:00:00Z").parse().unwrap()))
}

fn episode(copies: Vec<Item>, stub: StubState) -> Episode {
    Episode { id: Episode::id_for("mlst", &copies[0]), channel: "mlst".into(), copies, stub }
}

fn written() -> StubState {
    StubState::Written { path: "a.md".into(), hash: "h".into() }
}

fn ids(episode: &Episode) -> Vec<&str> {
    episode.copies.iter().map(|c| c.platform_id.as_str()).collect()
}

#[test]
fn link_moves_a_copy_pins_both_episodes_and_removes_an_emptied_holder() {
    let target = episode(vec![item(Platform::Podcast, "g", 3)], written());
    let holder = episode(vec![item(Platform::Youtube, "v", 2)], written());
    let fix = link(target.clone(), Some(holder.clone()), holder.copies[0].clone()).unwrap();
    assert_eq!(fix.put.len(), 1);
    assert_eq!(ids(&fix.put[0]), ["g", "v"]);
    assert_eq!(fix.removed.iter().map(|e| &e.id).collect::<Vec<_>>(), [&holder.id]);
    assert!(fix.pins.iter().all(|p| p.episode == target.id), "{:?}", fix.pins);
    assert_eq!(fix.pins.len(), 2);
    assert_eq!(fix.work, vec![(target.id.clone(), StubWork::Refresh)]);
}

#[test]
fn link_from_a_holder_with_other_copies_keeps_and_refreshes_it() {
    let target = episode(vec![item(Platform::Podcast, "g", 3)], written());
    let holder = episode(vec![item(Platform::Youtube, "v", 2), item(Platform::Spotify, "s", 2)], written());
    let fix = link(target, Some(holder.clone()), holder.copies[0].clone()).unwrap();
    assert!(fix.removed.is_empty());
    let kept = fix.put.iter().find(|e| e.id == holder.id).unwrap();
    assert_eq!(ids(kept), ["s"], "the holder keeps its id even when its founder left");
    assert!(fix.pins.iter().any(|p| p.platform_id == "s" && p.episode == holder.id));
}

#[test]
fn link_twice_is_no_change_and_a_second_copy_on_a_platform_is_refused() {
    let target = episode(vec![item(Platform::Podcast, "g", 3), item(Platform::Youtube, "v", 3)], written());
    let again = link(target.clone(), None, item(Platform::Youtube, "v", 3)).unwrap();
    assert!(again.put.is_empty() && again.pins.is_empty());
    let other = link(target.clone(), None, item(Platform::Youtube, "w", 3)).unwrap_err();
    assert!(matches!(other, FixError::AlreadyHas { ref id, .. } if id == "v"), "{other}");
    assert!(other.to_string().contains("syndicator unlink mlst:podcast:g youtube"), "{other}");
    assert!(link_unseen(&target, Platform::Youtube, "w").is_err());
}

#[test]
fn an_unseen_copy_is_only_pinned() {
    let target = episode(vec![item(Platform::Podcast, "g", 3)], written());
    let fix = link_unseen(&target, Platform::Spotify, "s").unwrap();
    assert!(fix.put.is_empty() && fix.work.is_empty() && fix.unpinned.is_empty());
    let mut pins = Pins::default();
    fix.pins.into_iter().for_each(|p| pins.insert(p));
    assert_eq!(pins.of(&item(Platform::Spotify, "s", 9)), Some(&target.id));
    assert_eq!(pins.of(&item(Platform::Spotify, "t", 9)), None);
}

#[test]
fn a_link_replacing_earlier_ones_drops_their_pins_but_not_its_own() {
    let target = episode(vec![item(Platform::Podcast, "g", 3)], written());
    let fix = link_unseen(&target, Platform::Spotify, "right").unwrap();
    let fix = fix.replacing(&target, Platform::Spotify, "right", &["wrong", "right"]);
    let unpinned: Vec<_> =
        fix.unpinned.iter().map(|p| (p.platform, p.platform_id.as_str(), &p.episode)).collect();
    assert_eq!(unpinned, [(Platform::Spotify, "wrong", &target.id)]);
    assert!(fix.pins.iter().any(|p| p.platform_id == "right" && p.episode == target.id));
}

#[test]
fn unlink_splits_off_the_platform_and_the_founders_half_keeps_the_id() {
    let merged = episode(
        vec![item(Platform::Podcast, "g", 3), item(Platform::Youtube, "v", 2), item(Platform::Apple, "a", 3)],
        written(),
    );
    let fix = unlink(merged.clone(), Platform::Youtube).unwrap();
    let (kept, split) = (&fix.put[0], &fix.put[1]);
    assert_eq!((kept.id.as_str(), ids(kept)), ("mlst:podcast:g", vec!["g", "a"]));
    assert_eq!((split.id.as_str(), ids(split)), ("mlst:youtube:v", vec!["v"]));
    assert_eq!(kept.stub, written());
    assert_eq!(split.stub, StubState::Skipped);
    assert_eq!(fix.work, vec![(kept.id.clone(), StubWork::Refresh), (split.id.clone(), StubWork::Write)]);
    assert_eq!(fix.pins.len(), 3);
    // Unlinking the founder's platform: the rest leaves, named after its earliest copy.
    let fix = unlink(merged, Platform::Podcast).unwrap();
    assert_eq!(ids(&fix.put[0]), ["g"]);
    assert_eq!((fix.put[1].id.as_str(), ids(&fix.put[1])), ("mlst:youtube:v", vec!["v", "a"]));
}

#[test]
fn unlink_needs_copies_on_both_sides_and_a_held_back_split_gets_no_stub() {
    let lone = episode(vec![item(Platform::Youtube, "v", 2)], written());
    assert!(matches!(unlink(lone.clone(), Platform::Youtube), Err(FixError::NothingToSplit { .. })));
    assert!(matches!(unlink(lone, Platform::Spotify), Err(FixError::NoCopy { .. })));
    let held_back =
        episode(vec![item(Platform::Youtube, "v", 2), item(Platform::Podcast, "g", 2)], StubState::Skipped);
    let fix = unlink(held_back, Platform::Podcast).unwrap();
    assert!(fix.work.iter().all(|(_, work)| *work == StubWork::Refresh));
}

#[test]
fn forget_turns_a_tombstone_into_a_stub_to_write_and_refuses_anything_else() {
    let deleted = episode(vec![item(Platform::Youtube, "v", 2)], StubState::Deleted { path: "a.md".into() });
    let fix = forget(deleted.clone()).unwrap();
    assert_eq!(fix.put[0].stub, StubState::Skipped);
    assert_eq!(fix.work, vec![(deleted.id, StubWork::Write)]);
    let error = forget(episode(vec![item(Platform::Youtube, "v", 2)], written())).unwrap_err();
    assert!(error.to_string().contains("its stub is written"), "{error}");
}

#[test]
fn a_podcast_pin_made_with_a_page_finds_the_item_by_its_link() {
    let target = episode(vec![item(Platform::Youtube, "v", 3)], written());
    let fix = link_unseen(&target, Platform::Podcast, "https://show.example/ep12?utm_source=x#t=1").unwrap();
    let mut pins = Pins::default();
    fix.pins.into_iter().for_each(|p| pins.insert(p));
    let mut by_guid = item(Platform::Podcast, "g1", 4);
    by_guid.link = Some("https://show.example/ep12".into());
    assert_eq!(pins.of(&by_guid), Some(&target.id));
    by_guid.link = Some("https://show.example/ep13".into());
    assert_eq!(pins.of(&by_guid), None);
    let mut video = item(Platform::Youtube, "w", 4);
    video.link = Some("https://show.example/ep12".into());
    assert_eq!(pins.of(&video), None, "only podcast and feed pins are found by link");
}

#[test]
fn unlinking_a_platform_with_no_copy_drops_its_unseen_links_or_says_there_is_nothing() {
    let target = episode(vec![item(Platform::Youtube, "v", 3)], written());
    let fix = unlink_unseen(&target, Platform::Podcast, &["typo"]).unwrap();
    let unpinned: Vec<_> = fix.unpinned.iter().map(|p| (p.platform, p.platform_id.as_str())).collect();
    assert_eq!(unpinned, [(Platform::Podcast, "typo")]);
    assert!(fix.put.is_empty() && fix.pins.is_empty());
    let none = unlink_unseen(&target, Platform::Podcast, &[]).unwrap_err();
    assert!(matches!(none, FixError::NoCopy { platform: Platform::Podcast, .. }), "{none}");
}

#[test]
fn a_pin_is_unseen_until_any_episode_of_the_channel_holds_its_copy() {
    let mut with_page = item(Platform::Podcast, "guid-1", 3);
    with_page.link = Some("https://show.example/ep1?utm_medium=feed".into());
    let target = episode(vec![item(Platform::Youtube, "u1", 2), with_page], written());
    let mut pins = Pins::default();
    let pin = |platform, platform_id: &str| Pin {
        channel: "mlst".into(),
        platform,
        platform_id: platform_id.into(),
        episode: target.id.clone(),
    };
    for (platform, id) in [
        (Platform::Youtube, "u1"),
        (Platform::Youtube, "u2"),
        (Platform::Podcast, "https://show.example/ep1?utm_source=x"),
    ] {
        pins.insert(pin(platform, id));
    }
    let alone = std::slice::from_ref(&target);
    assert_eq!(pins.unseen(alone)[&target.id], [(Platform::Youtube, "u2")], "held by id or page");
    let elsewhere = episode(vec![item(Platform::Youtube, "u2", 4)], written());
    let channel = [target.clone(), elsewhere];
    assert!(pins.unseen(&channel).is_empty(), "a copy shown by a source is seen, wherever the rules put it");
}
