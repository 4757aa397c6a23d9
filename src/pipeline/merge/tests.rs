use super::*;

/// A fetch with `listing` and no pins.
fn only_listing(listing: &Listing) -> Fetch<'_> {
    static NO_PINS: std::sync::LazyLock<Pins> = std::sync::LazyLock::new(Pins::default);
    Fetch { listing, pins: &NO_PINS }
}

fn item(platform: Platform, id: &str, title: &str, day: u32) -> Item {
    Item::bare(platform, id, title, Some(format!("2025-11-{day:02}T10:00:00Z").parse().unwrap()))
}

#[test]
fn pairs_a_video_and_its_podcast_and_keeps_other_talks_apart() {
    let items = vec![
        item(Platform::Podcast, "g1", "Continuous Thought Machines - Llion Jones", 25),
        item(Platform::Youtube, "v1", "Continuous Thought Machines [Llion Jones]", 24),
        item(Platform::Youtube, "v2", "Something else entirely", 20),
    ];
    let merged = merge("mlst", vec![], items, Utc::now());
    assert_eq!(merged.created.len(), 2);
    let paired = &merged.created[1];
    assert_eq!(paired.id, "mlst:youtube:v1", "the earliest copy founds the episode");
    assert_eq!(paired.copies.len(), 2);
    assert!(merged.grown.is_empty());
}

#[test]
fn a_late_copy_grows_a_known_episode() {
    let known =
        merge("mlst", vec![], vec![item(Platform::Youtube, "v1", "Talk about agents", 24)], Utc::now());
    let merged = merge(
        "mlst",
        known.created,
        vec![item(Platform::Podcast, "g1", "Talk about agents", 25)],
        Utc::now(),
    );
    assert!(merged.created.is_empty());
    assert_eq!(merged.grown.len(), 1);
    assert_eq!(merged.grown[0].copies.len(), 2);
}

#[test]
fn apple_joins_the_podcast_item_with_its_guid_whatever_the_title() {
    let mut apple = item(Platform::Apple, "1000738009211", "Totally different wording", 25);
    apple.podcast_guid = Some("g1".into());
    let items = vec![
        item(Platform::Podcast, "g1", "Continuous Thought Machines - Llion Jones", 24),
        item(Platform::Podcast, "g2", "Totally different wording", 24),
        apple,
    ];
    let merged = merge("mlst", vec![], items, Utc::now());
    let with_apple = merged.created.iter().find(|e| e.copy(Platform::Apple).is_some()).unwrap();
    assert_eq!(with_apple.copy(Platform::Podcast).unwrap().platform_id, "g1");
}

#[test]
fn a_podcast_item_finds_the_apple_copy_that_came_first() {
    let mut apple = item(Platform::Apple, "1000738009211", "Apple title", 20);
    apple.podcast_guid = Some("g1".into());
    let known = merge("mlst", vec![], vec![apple], Utc::now()).created;
    let merged = merge("mlst", known, vec![item(Platform::Podcast, "g1", "Podcast title", 24)], Utc::now());
    assert_eq!(merged.grown.len(), 1);
}

#[test]
fn undated_items_get_the_first_seen_time() {
    let mut undated = item(Platform::Feed, "x", "Undated", 1);
    undated.published = None;
    let now: DateTime<Utc> = "2025-11-28T00:00:00Z".parse().unwrap();
    let merged = merge("blog", vec![], vec![undated], now);
    assert_eq!(merged.created[0].copies[0].published, Some(now));
}

/// The ids of each episode's copies, in order.
fn copies(episodes: &[Episode]) -> Vec<Vec<&str>> {
    episodes.iter().map(|e| e.copies.iter().map(|c| c.platform_id.as_str()).collect()).collect()
}

fn listing(platform: Platform, ids: &[&str]) -> Listing {
    let mut listing = Listing::default();
    listing.record(platform, ids.iter().copied());
    listing
}

const WEEKLY: &str = "Monday Evening Headlines";

#[test]
fn a_weekly_show_with_one_title_gets_an_episode_a_week() {
    let now = Utc::now();
    let mut known = merge("news", vec![], vec![item(Platform::Podcast, "w1", WEEKLY, 2)], now).created;
    for (week, day) in [("w2", 9), ("w3", 16), ("w4", 23)] {
        let mut listed: Vec<&str> = known.iter().map(|e| e.copies[0].platform_id.as_str()).collect();
        listed.push(week);
        let listed = listing(Platform::Podcast, &listed);
        let new = vec![item(Platform::Podcast, week, WEEKLY, day)];
        let merged = merge_fetch("news", known.clone(), new, only_listing(&listed), now);
        assert!(merged.grown.is_empty(), "{week} touched an earlier week");
        assert_eq!(copies(&merged.created), [[week]]);
        known.extend(merged.created);
    }
    let rolling = listing(Platform::Podcast, &["w5"]);
    let merged = merge_fetch(
        "news",
        known,
        vec![item(Platform::Podcast, "w5", WEEKLY, 30)],
        only_listing(&rolling),
        now,
    );
    assert_eq!((merged.created.len(), merged.grown.len()), (1, 0), "a week is not a re-publication");
}

#[test]
fn two_items_one_source_lists_side_by_side_are_two_episodes() {
    let at = |hour: u32| Some(format!("2025-11-24T{hour:02}:00:00Z").parse().unwrap());
    let morning = Item::bare(Platform::Podcast, "am", "Daily Briefing", at(8));
    let evening = Item::bare(Platform::Podcast, "pm", "Daily Briefing", at(17));
    let both = merge("daily", vec![], vec![morning.clone(), evening.clone()], Utc::now());
    assert_eq!(copies(&both.created), [["am"], ["pm"]]);
    let known = merge("daily", vec![], vec![morning], Utc::now()).created;
    let listed = listing(Platform::Podcast, &["am", "pm"]);
    let later = merge_fetch("daily", known, vec![evening], only_listing(&listed), Utc::now());
    assert_eq!((later.created.len(), later.grown.len()), (1, 0), "the morning item is still listed");
}

#[test]
fn a_replacement_of_a_vanished_item_within_hours_joins_its_episode() {
    let title = "Scaling Laws Revisited with Dr. Ada Lovelace";
    let known = merge("show", vec![], vec![item(Platform::Podcast, "g-1", title, 24)], Utc::now()).created;
    let mut again = item(Platform::Podcast, "reupload-7", title, 24);
    again.published = again.published.map(|t| t + chrono::Duration::hours(2));
    let replaced = listing(Platform::Podcast, &["reupload-7"]);
    let merged = merge_fetch("show", known.clone(), vec![again.clone()], only_listing(&replaced), Utc::now());
    assert_eq!(copies(&merged.grown), [["g-1", "reupload-7"]]);
    let both_listed = listing(Platform::Podcast, &["g-1", "reupload-7"]);
    let merged = merge_fetch("show", known.clone(), vec![again], only_listing(&both_listed), Utc::now());
    assert_eq!(merged.created.len(), 1, "listed side by side: two episodes");
    let days_later = item(Platform::Podcast, "g-2", title, 27);
    let merged = merge_fetch(
        "show",
        known,
        vec![days_later],
        only_listing(&listing(Platform::Podcast, &["g-2"])),
        Utc::now(),
    );
    assert_eq!(merged.created.len(), 1, "72 hours is not a re-publication");
}

#[test]
fn a_known_copy_under_a_new_id_is_not_new() {
    let known =
        merge("blog", vec![], vec![item(Platform::Feed, "https://b.test/p?utm_a=1", "Post", 3)], Utc::now());
    let same = item(Platform::Feed, "https://b.test/p?utm_a=2", "Post", 3);
    let listed = listing(Platform::Feed, &["https://b.test/p?utm_a=2"]);
    let merged =
        merge_fetch("blog", known.created, vec![same.clone(), same], only_listing(&listed), Utc::now());
    assert!(merged.created.is_empty() && merged.grown.is_empty(), "{merged:?}");
}

#[test]
fn same_title_videos_and_podcast_items_a_week_apart_pair_by_closest_time() {
    let items = vec![
        item(Platform::Youtube, "v1", WEEKLY, 3),
        item(Platform::Youtube, "v2", WEEKLY, 10),
        item(Platform::Podcast, "p1", WEEKLY, 4),
        item(Platform::Podcast, "p2", WEEKLY, 11),
    ];
    let merged = merge("news", vec![], items.clone(), Utc::now());
    assert_eq!(copies(&merged.created), [["v1", "p1"], ["v2", "p2"]]);
    let videos = merge("news", vec![], items[..2].to_vec(), Utc::now()).created;
    let late = merge("news", videos, items[2..].to_vec(), Utc::now());
    assert_eq!(copies(&late.grown), [["v1", "p1"], ["v2", "p2"]], "also when the podcast items come later");
    let videos = merge("news", vec![], items[..2].to_vec(), Utc::now()).created;
    let day_9 = item(Platform::Podcast, "p9", WEEKLY, 9);
    let merged = merge("news", videos, vec![day_9], Utc::now());
    assert_eq!(copies(&merged.grown), [["v2", "p9"]], "the closest episode wins, not the first");
}

#[test]
fn pairing_never_chains() {
    let items = vec![
        item(Platform::Youtube, "v", WEEKLY, 3),
        item(Platform::Podcast, "p", WEEKLY, 9),
        item(Platform::Spotify, "s", WEEKLY, 15),
    ];
    let merged = merge("news", vec![], items, Utc::now());
    assert_eq!(copies(&merged.created), [vec!["v", "p"], vec!["s"]]);
}

#[test]
fn an_id_repeated_in_a_batch_or_already_known_is_one_copy() {
    let repeated = vec![item(Platform::Spotify, "s1", "Talk", 3), item(Platform::Spotify, "s1", "Talk", 3)];
    let merged = merge("ch", vec![], repeated.clone(), Utc::now());
    assert_eq!(copies(&merged.created), [["s1"]]);
    let again = merge("ch", merged.created, repeated, Utc::now());
    assert!(again.created.is_empty() && again.grown.is_empty());
}

fn pin(platform: Platform, id: &str, episode: &EpisodeId) -> crate::episodes::manual::Pin {
    crate::episodes::manual::Pin {
        channel: "show".into(),
        platform,
        platform_id: id.into(),
        episode: episode.clone(),
    }
}

#[test]
fn a_pinned_item_joins_its_episode_whatever_the_title_and_founds_it_when_missing() {
    let known =
        merge("show", vec![], vec![item(Platform::Podcast, "g", "Episode 12: scaling laws", 3)], Utc::now());
    let target = known.created[0].id.clone();
    let mut pins = Pins::default();
    pins.insert(pin(Platform::Youtube, "v", &target));
    let elsewhere = EpisodeId::parse("show:podcast:gone").unwrap();
    pins.insert(pin(Platform::Spotify, "s1", &elsewhere));
    pins.insert(pin(Platform::Apple, "a1", &elsewhere));
    let new = vec![
        item(Platform::Youtube, "v", "Completely different words", 20),
        item(Platform::Spotify, "s1", "Another title", 21),
        item(Platform::Apple, "a1", "Yet another", 22),
    ];
    let fetch = Fetch { listing: &Listing::default(), pins: &pins };
    let merged = merge_fetch("show", known.created, new, fetch, Utc::now());
    assert_eq!(merged.grown.len(), 1);
    assert_eq!(merged.grown[0].id, target);
    assert_eq!(merged.grown[0].copy(Platform::Youtube).unwrap().platform_id, "v");
    assert_eq!(merged.created.len(), 1, "{:?}", merged.created);
    assert_eq!(merged.created[0].id, elsewhere, "founded under the pinned id");
    assert_eq!(merged.created[0].copies.len(), 2);
}

/// A known podcast episode "Scaling laws", its id, and pins of these YouTube ids to it.
fn episode_with_youtube_pins(ids: &[&str]) -> (Vec<Episode>, EpisodeId, Pins) {
    let known = merge("show", vec![], vec![item(Platform::Podcast, "g", "Scaling laws", 3)], Utc::now());
    let target = known.created[0].id.clone();
    let mut pins = Pins::default();
    ids.iter().for_each(|id| pins.insert(pin(Platform::Youtube, id, &target)));
    (known.created, target, pins)
}

#[test]
fn a_slot_pinned_to_an_unseen_copy_takes_no_other_copy() {
    let (known, target, pins) = episode_with_youtube_pins(&["u"]);
    let fetch = Fetch { listing: &Listing::default(), pins: &pins };
    let same_title = vec![item(Platform::Youtube, "v", "Scaling laws", 3)];
    let first = merge_fetch("show", known.clone(), same_title, fetch, Utc::now());
    assert!(first.grown.is_empty(), "the pinned slot took another copy: {:?}", first.grown);
    assert_eq!(copies(&first.created), vec![vec!["v"]]);
    let known = [known, first.created].concat();
    let pinned = vec![item(Platform::Youtube, "u", "Other words", 9)];
    let second = merge_fetch("show", known, pinned, fetch, Utc::now());
    assert_eq!(second.grown.len(), 1);
    assert_eq!(second.grown[0].id, target);
    assert_eq!(copies(&second.grown), vec![vec!["g", "u"]]);
}

#[test]
fn an_episode_founded_under_a_pinned_id_keeps_its_pinned_slots() {
    let founded = EpisodeId::parse("show:podcast:split").unwrap();
    let mut pins = Pins::default();
    pins.insert(pin(Platform::Podcast, "p", &founded));
    pins.insert(pin(Platform::Youtube, "u", &founded));
    let fetch = Fetch { listing: &Listing::default(), pins: &pins };
    let items = vec![
        item(Platform::Podcast, "p", "Scaling laws", 3),
        item(Platform::Youtube, "v", "Scaling laws", 3),
    ];
    let merged = merge_fetch("show", vec![], items, fetch, Utc::now());
    assert_eq!(copies(&merged.created), vec![vec!["p"], vec!["v"]]);
    assert_eq!(merged.created[0].id, founded);
}

#[test]
fn two_copies_pinned_to_one_slot_leave_the_second_to_the_rules() {
    let (known, _, pins) = episode_with_youtube_pins(&["u1", "u2"]);
    let fetch = Fetch { listing: &Listing::default(), pins: &pins };
    let items =
        vec![item(Platform::Youtube, "u1", "Scaling laws", 3), item(Platform::Youtube, "u2", "Other", 4)];
    let merged = merge_fetch("show", known, items, fetch, Utc::now());
    assert_eq!(copies(&merged.grown), vec![vec!["g", "u1"]], "one copy per platform");
    assert_eq!(copies(&merged.created), vec![vec!["u2"]]);
}

/// The matching rules applied the slow way: items oldest first (batch by batch), each
/// compared with every episode; it joins the nearest open episode whose anchor title matches
/// (the first founded of equally near ones) or founds one. Copies as `platform/id`.
fn pairwise(batches: &[Vec<Item>]) -> Vec<Vec<String>> {
    let mut episodes: Vec<Vec<Item>> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for batch in batches {
        let mut batch = batch.clone();
        batch.sort_by_key(|item| item.published);
        for item in batch.into_iter().filter(|item| seen.insert((item.platform, item.platform_id.clone()))) {
            let (key, at) = (title_tokens(&item.title), item.published.unwrap());
            let open = |copies: &&Vec<Item>| copies.iter().all(|c| c.platform != item.platform);
            let near =
                |copies: &&Vec<Item>| (copies[0].published.unwrap() - at).abs() <= crate::episodes::MAX_APART;
            let same = |copies: &&Vec<Item>| title_tokens(&copies[0].title).matches(&key);
            let candidates = episodes.iter().enumerate().filter(|(_, c)| open(c) && near(c) && same(c));
            let nearest = candidates.min_by_key(|(at_, c)| ((c[0].published.unwrap() - at).abs(), *at_));
            match nearest.map(|(index, _)| index) {
                Some(index) => episodes[index].push(item),
                None => episodes.push(vec![item]),
            }
        }
    }
    episodes.iter().map(|copies| labels(copies)).collect()
}

/// Each copy as `platform/id`.
fn labels(copies: &[Item]) -> Vec<String> {
    copies.iter().map(|c| format!("{}/{}", c.platform, c.platform_id)).collect()
}

/// What `merge` makes of the same batches, each merged into the episodes of those before.
fn indexed(batches: &[Vec<Item>]) -> Vec<Vec<String>> {
    let mut episodes: Vec<Episode> = Vec::new();
    for batch in batches {
        let merged = merge("ch", episodes.clone(), batch.clone(), Utc::now());
        for grown in merged.grown {
            let at = episodes.iter().position(|e| e.id == grown.id).expect("a grown episode was known");
            episodes[at] = grown;
        }
        episodes.extend(merged.created);
    }
    episodes.iter().map(|e| labels(&e.copies)).collect()
}

proptest::proptest! {
    /// The indexes find exactly what comparing every pair finds, over titles sharing words,
    /// times hours to weeks apart, repeated ids and two batches.
    #[test]
    fn the_indexed_merge_matches_every_pair_the_slow_way(
        drawn in proptest::collection::vec((0..3usize, 0..12u8, proptest::collection::vec(0..6usize, 1..5), 0..24 * 40i64), 0..40),
        split in 0..40usize,
    ) {
        const WORDS: [&str; 6] = ["scaling", "laws", "agents", "memory", "2", "open"];
        let platforms = [Platform::Youtube, Platform::Podcast, Platform::Spotify];
        let start: DateTime<Utc> = "2025-11-01T00:00:00Z".parse().unwrap();
        let items: Vec<Item> = drawn.iter().map(|(platform, id, words, hours)| {
            let title: Vec<&str> = words.iter().map(|w| WORDS[*w]).collect();
            let at = start + chrono::Duration::hours(*hours);
            Item::bare(platforms[*platform], &format!("i{id}"), &title.join(" "), Some(at))
        }).collect();
        let batches = [items[..split.min(items.len())].to_vec(), items[split.min(items.len())..].to_vec()];
        proptest::prop_assert_eq!(indexed(&batches), pairwise(&batches));
    }
}
