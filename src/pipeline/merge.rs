//! Folding newly seen items into a channel's episodes (pure): an item joins the episode it is
//! a copy of (see [`crate::episodes`] for the rules) or founds a new one. Apple's
//! `episodeGuid` pairs an Apple item with its podcast item exactly, before any title rule,
//! and a pin made by hand (`syndicator link`/`unlink`) puts an item into its episode before
//! anything else, founding that episode under its id if it is not there. A pin also reserves
//! its platform in its episode: no other copy joins there by a rule while the pinned copy is
//! still unseen, and a pinned copy never joins an episode that already holds a copy on its
//! platform.
//!
//! Items are folded oldest first, each looked up in indexes (by guid, by vanished copy, by
//! title word and time) rather than compared with every episode, so a merge costs about
//! O(n log n) in the items and known episodes.

use chrono::{DateTime, Utc};
use foldhash::{HashMap, HashSet};

use crate::episodes::manual::Pins;
use crate::episodes::{Listing, OpenSlots, Replaceable, TitleKey, title_tokens};
use crate::model::{Episode, EpisodeId, Item, Platform, StubState};

/// The episodes a batch of new items touched.
#[derive(Debug, Default)]
pub struct Merged {
    /// Episodes founded by this batch, oldest first; their stub is not decided yet.
    pub created: Vec<Episode>,
    /// Known episodes that gained a copy.
    pub grown: Vec<Episode>,
}

/// [`merge_fetch`] without a listing: every known copy counts as still listed, so nothing is
/// taken for a re-publication.
pub fn merge(channel: &str, known: Vec<Episode>, items: Vec<Item>, now: DateTime<Utc>) -> Merged {
    let fetch = Fetch { listing: &Listing::default(), pins: &Pins::default() };
    merge_fetch(channel, known, items, fetch, now)
}

/// What a merge knows about one fetch besides its new items.
#[derive(Debug, Clone, Copy)]
pub struct Fetch<'a> {
    /// Every id each fetched source listed.
    pub listing: &'a Listing,
    /// The channel's copies pinned to an episode by hand.
    pub pins: &'a Pins,
}

/// Merges the new `items` of one fetch into the `known` episodes of `channel`; `fetch.listing`
/// holds every id each fetched source listed. Items without a date get `now`, their
/// first-seen time. An item whose id is already known, or that is a vanished known copy under
/// a new id (same platform, title and time), is not new and is dropped.
pub fn merge_fetch(
    channel: &str,
    known: Vec<Episode>,
    mut items: Vec<Item>,
    fetch: Fetch,
    now: DateTime<Utc>,
) -> Merged {
    for item in &mut items {
        item.published.get_or_insert(now);
    }
    let mut folding = Folding::new(channel, known, fetch, &items);
    for item in oldest_first(items) {
        folding.add(item);
    }
    folding.finish()
}

/// `items` oldest first, those published at the same time in their given order. Sorts their
/// times and positions, not the items, which are a few hundred bytes each.
fn oldest_first(items: Vec<Item>) -> impl Iterator<Item = Item> {
    let mut order: Vec<_> = items.iter().enumerate().map(|(at, item)| (item.published, at)).collect();
    order.sort_unstable();
    let mut items: Vec<Option<Item>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(move |(_, at)| items[at].take())
}

/// The state of one merge: the episodes and the indexes that find candidates among them.
struct Folding<'a> {
    channel: &'a str,
    episodes: Vec<Episode>,
    known_count: usize,
    grown: HashSet<usize>,
    /// Every `(platform, id)` already in an episode. This and the other maps hash with
    /// foldhash (randomly seeded, several times faster than SipHash on short keys).
    ids: HashSet<(Platform, String)>,
    open: OpenSlots,
    replaceable: Replaceable,
    guids: Guids,
    pins: &'a Pins,
    /// Every episode's position by id, for pinned items; empty when nothing is pinned.
    by_id: HashMap<EpisodeId, usize>,
    /// The platforms each episode has a pinned copy on, closed to every other copy.
    reserved: std::collections::HashMap<&'a EpisodeId, Vec<Platform>>,
}

impl<'a> Folding<'a> {
    /// A fold of `items` into `known`.
    fn new(channel: &'a str, known: Vec<Episode>, fetch: Fetch<'a>, items: &[Item]) -> Folding<'a> {
        let mut folding = Folding {
            channel,
            pins: fetch.pins,
            by_id: HashMap::default(),
            reserved: fetch.pins.platforms_by_episode(),
            known_count: known.len(),
            grown: HashSet::default(),
            ids: HashSet::default(),
            open: OpenSlots::searched_on(items.iter().map(|item| item.platform)),
            replaceable: Replaceable::default(),
            guids: Guids::default(),
            episodes: Vec::new(),
        };
        for (index, episode) in known.iter().enumerate() {
            folding.index_known(index, episode, fetch.listing);
            folding.record_id(&episode.id, index);
        }
        folding.episodes = known;
        folding.episodes.reserve(items.len());
        folding
    }

    fn index_known(&mut self, index: usize, episode: &Episode, listing: &Listing) {
        for copy in &episode.copies {
            self.ids.insert((copy.platform, copy.platform_id.clone()));
            self.guids.record(index, copy);
        }
        for platform in Platform::ALL {
            let on = || episode.copies.iter().filter(move |c| c.platform == platform);
            if on().next().is_some() && on().all(|copy| listing.vanished(copy)) {
                on().for_each(|copy| self.replaceable.insert(index, copy));
            }
        }
        if let Some(founder) = episode.copies.first() {
            self.open_slots(index, &episode.id, founder, || title_tokens(&founder.title), &episode.copies);
        }
    }

    /// Registers episode `id`, founded by `founder` and holding `copies`, as open on every
    /// platform it has no copy on and no pin for. `key` gives the founder's title key; it is
    /// asked only when one of those platforms is searched in this merge (a known episode with
    /// copies on every platform of the new items is never tokenised).
    fn open_slots(
        &mut self,
        index: usize,
        id: &EpisodeId,
        founder: &Item,
        key: impl FnOnce() -> TitleKey,
        copies: &[Item],
    ) {
        let Some(at) = founder.published else { return };
        let pinned = self.reserved.get(id).map_or(&[][..], Vec::as_slice);
        let free: Vec<Platform> = Platform::ALL
            .into_iter()
            .filter(|p| copies.iter().all(|c| c.platform != *p) && !pinned.contains(p))
            .collect();
        let key = if self.open.searches_any(&free) { key() } else { TitleKey::default() };
        self.open.insert(index, key, at, free);
    }

    fn add(&mut self, item: Item) {
        if !self.ids.insert((item.platform, item.platform_id.clone())) || self.replaceable.is_same_copy(&item)
        {
            return;
        }
        let key = title_tokens(&item.title);
        if let Some(pinned) = self.pins.of(&item).cloned() {
            match self.by_id.get(&pinned) {
                // The episode already holds a copy there (a pin left by two links made before
                // links replaced each other): the rules match this one.
                Some(&episode) if self.episodes[episode].copy(item.platform).is_some() => {}
                Some(&episode) => return self.join(episode, item),
                None => return self.found(pinned, item, key),
            }
        }
        let target = self
            .guids
            .partner(&item)
            .filter(|episode| self.accepts(*episode, item.platform))
            .or_else(|| self.replaceable.republished(&item, &key))
            .or_else(|| self.open.nearest(item.platform, &key, item.published?));
        match target {
            Some(episode) => self.join(episode, item),
            None => self.found(Episode::id_for(self.channel, &item), item, key),
        }
    }

    /// True when `episode` may take a copy on `platform`: it has none there, or all of its
    /// copies there vanished from the source and none replaced them yet.
    fn accepts(&self, episode: usize, platform: Platform) -> bool {
        self.open.is_open(episode, platform) || self.replaceable.is_open(episode, platform)
    }

    fn join(&mut self, episode: usize, item: Item) {
        self.open.close(episode, item.platform);
        self.replaceable.close(episode, item.platform);
        self.guids.record(episode, &item);
        if episode < self.known_count {
            self.grown.insert(episode);
        }
        self.episodes[episode].copies.push(item);
    }

    /// Founds the episode `id` with `item` (its natural id, or the one it was pinned to).
    fn found(&mut self, id: EpisodeId, item: Item, key: TitleKey) {
        let index = self.episodes.len();
        self.guids.record(index, &item);
        self.open_slots(index, &id, &item, || key, std::slice::from_ref(&item));
        self.record_id(&id, index);
        self.episodes.push(Episode {
            id,
            channel: self.channel.to_owned(),
            copies: vec![item],
            stub: StubState::Skipped,
        });
    }

    /// Remembers that episode `id` is at `index`, for items pinned to it; only when the
    /// channel has pins (most have none, and a first sync would copy every id for nothing).
    fn record_id(&mut self, id: &EpisodeId, index: usize) {
        if !self.pins.is_empty() {
            self.by_id.insert(id.clone(), index);
        }
    }

    fn finish(mut self) -> Merged {
        let created = self.episodes.split_off(self.known_count);
        let grown = self.episodes.into_iter().enumerate().filter(|(i, _)| self.grown.contains(i));
        Merged { created, grown: grown.map(|(_, episode)| episode).collect() }
    }
}

/// The Apple ↔ podcast pairs: Apple's `episodeGuid` is the RSS guid of the same episode, an
/// exact match that wins over the title rule. The first episode to hold a guid keeps it.
#[derive(Debug, Default)]
struct Guids {
    /// Podcast guid → the episode holding that podcast item.
    podcast: HashMap<String, usize>,
    /// Podcast guid named by an Apple item → the episode holding that Apple item.
    apple: HashMap<String, usize>,
}

impl Guids {
    fn record(&mut self, episode: usize, copy: &Item) {
        let (guids, guid) = match (copy.platform, &copy.podcast_guid) {
            (Platform::Podcast, _) => (&mut self.podcast, &copy.platform_id),
            (Platform::Apple, Some(guid)) => (&mut self.apple, guid),
            _ => return,
        };
        guids.entry(guid.clone()).or_insert(episode);
    }

    /// The episode holding the other half of `item`'s Apple ↔ podcast pair.
    fn partner(&self, item: &Item) -> Option<usize> {
        match (item.platform, &item.podcast_guid) {
            (Platform::Podcast, _) => self.apple.get(&item.platform_id).copied(),
            (Platform::Apple, Some(guid)) => self.podcast.get(guid).copied(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
