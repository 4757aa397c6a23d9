//! The candidate indexes of a merge, so that an item is compared only with the few episodes
//! it could join instead of with every episode of the channel:
//!
//! - [`OpenSlots`]: per platform, the episodes with no copy on it yet, by each word of their
//!   anchor title and by anchor time (cross-platform pairing);
//! - [`Replaceable`]: per platform, the known copies that vanished from their source's
//!   listing, by time (re-publication) and by exact title and time (the same copy under an
//!   unstable id).
//!
//! Both search nearest first and stop at the window's edge; of candidates equally near, the
//! episode founded first wins.

use std::collections::BTreeSet;
use std::collections::hash_map::Entry;
use std::hash::BuildHasher;

use chrono::{DateTime, Duration, Utc};
use foldhash::{HashMap, HashSet};

use super::{MAX_APART, REPUBLISHED_WITHIN, TitleKey, millis};
use crate::model::{Item, Platform};

/// `(time in ms, position)` pairs in time order; the position names an episode or a copy.
type ByTime = BTreeSet<(i64, usize)>;

/// What an episode is matched by: the key and time of the copy that founded it, and the
/// platforms it has no copy on yet.
#[derive(Debug)]
struct Anchor {
    key: TitleKey,
    at: i64,
    open: Vec<Platform>,
}

/// The open episodes listed under one word, as `(anchor time, episode)`: most words of a
/// history are in a single title, and cost no allocation of their own.
#[derive(Debug)]
enum Listed {
    One(i64, usize),
    Many(ByTime),
}

impl Listed {
    /// The episodes listed at most [`MAX_APART`] from `at`, nearest first, as
    /// `(distance, episode)`.
    fn nearest_first(&self, at: i64) -> impl Iterator<Item = (u64, usize)> + '_ {
        let (one, many) = match self {
            Listed::One(time, episode) => (Some((time.abs_diff(at), *episode)), None),
            Listed::Many(set) => (None, Some(nearest_first(set, at, MAX_APART))),
        };
        let window = MAX_APART.num_milliseconds().unsigned_abs();
        one.filter(|(distance, _)| *distance <= window).into_iter().chain(many.into_iter().flatten())
    }
}

/// Episodes waiting for a copy on another platform; see the module docs.
#[derive(Debug, Default)]
pub struct OpenSlots {
    /// Each episode's anchor by its position (`None`: the episode has no publish time, or it
    /// was never registered): a list, not a map, as positions are dense.
    anchors: Vec<Option<Anchor>>,
    /// The episodes open on a platform by each word of their anchor title, keyed by the
    /// platform and a hash of the word ([`OpenSlots::word`]).
    by_word: HashMap<(Platform, u64), Listed>,
    /// Hashes a word, with a seed of this merge's own. Two words of a platform that hash alike
    /// share a list: that only adds candidates that share no word with the title looked for,
    /// which the title comparison turns down. Platforms never share one.
    hasher: foldhash::fast::RandomState,
    /// The platforms [`OpenSlots::nearest`] will be asked about (those of the items being
    /// merged; `None`: all): only their slots are indexed by word, so a first sync of YouTube
    /// and podcast items does not index every episode's Apple, Spotify and feed slots too.
    searched: Option<Vec<Platform>>,
}

impl OpenSlots {
    /// Open slots that will be searched only on `platforms`; [`OpenSlots::nearest`] finds
    /// nothing on any other.
    pub fn searched_on(platforms: impl IntoIterator<Item = Platform>) -> OpenSlots {
        let mut searched: Vec<Platform> = platforms.into_iter().collect();
        searched.sort();
        searched.dedup();
        OpenSlots { searched: Some(searched), ..OpenSlots::default() }
    }

    /// Registers `episode`, whose founding copy has `key` and was published `at`, as open on
    /// `platforms`.
    pub fn insert(&mut self, episode: usize, key: TitleKey, at: DateTime<Utc>, platforms: Vec<Platform>) {
        let at = millis(at);
        for &platform in &platforms {
            if self.searches_any(&[platform]) {
                for word in &key.words {
                    self.list(platform, word, at, episode);
                }
            }
        }
        if self.anchors.len() <= episode {
            self.anchors.resize_with(episode + 1, || None);
        }
        self.anchors[episode] = Some(Anchor { key, at, open: platforms });
    }

    /// Lists `episode` (anchored `at`) under `word` on `platform`.
    fn list(&mut self, platform: Platform, word: &str, at: i64, episode: usize) {
        match self.by_word.entry(self.word(platform, word)) {
            Entry::Vacant(vacant) => _ = vacant.insert(Listed::One(at, episode)),
            Entry::Occupied(mut listed) => match listed.get_mut() {
                Listed::One(first_at, first) => {
                    let both = ByTime::from([(*first_at, *first), (at, episode)]);
                    listed.insert(Listed::Many(both));
                }
                Listed::Many(set) => _ = set.insert((at, episode)),
            },
        }
    }

    /// `platform` and `word` as a key of [`OpenSlots::by_word`].
    fn word(&self, platform: Platform, word: &str) -> (Platform, u64) {
        (platform, self.hasher.hash_one(word))
    }

    /// True when one of `platforms` is searched, so an episode open on them needs its key.
    pub fn searches_any(&self, platforms: &[Platform]) -> bool {
        self.searched.as_ref().is_none_or(|searched| platforms.iter().any(|p| searched.contains(p)))
    }

    /// The anchor of `episode`, if it has one.
    fn anchor(&self, episode: usize) -> Option<&Anchor> {
        self.anchors.get(episode)?.as_ref()
    }

    /// True when `episode` has no copy on `platform` yet.
    pub fn is_open(&self, episode: usize, platform: Platform) -> bool {
        self.anchor(episode).is_some_and(|anchor| anchor.open.contains(&platform))
    }

    /// `episode` got its copy on `platform`: it is no longer a candidate there.
    pub fn close(&mut self, episode: usize, platform: Platform) {
        let Some(Some(anchor)) = self.anchors.get_mut(episode) else { return };
        let Some(slot) = anchor.open.iter().position(|p| *p == platform) else { return };
        anchor.open.swap_remove(slot);
        for word in &anchor.key.words {
            // `OpenSlots::word`, which would borrow all of `self` while `anchor` is borrowed.
            let key = (platform, self.hasher.hash_one(word.as_str()));
            let Entry::Occupied(mut listed) = self.by_word.entry(key) else { continue };
            match listed.get_mut() {
                Listed::One(at, listed_episode) if (*at, *listed_episode) == (anchor.at, episode) => {
                    _ = listed.remove();
                }
                Listed::One(..) => {}
                Listed::Many(set) => _ = set.remove(&(anchor.at, episode)),
            }
        }
    }

    /// The episode open on `platform` whose anchor title matches `key` and whose anchor time
    /// is nearest to `at`, at most [`MAX_APART`] away.
    pub fn nearest(&self, platform: Platform, key: &TitleKey, at: DateTime<Utc>) -> Option<usize> {
        let at = millis(at);
        let mut best: Option<(u64, usize)> = None;
        for listed in key.words.iter().filter_map(|word| self.by_word.get(&self.word(platform, word))) {
            for candidate in listed.nearest_first(at) {
                if best.is_some_and(|(distance, _)| candidate.0 > distance) {
                    break;
                }
                let better = best.is_none_or(|best| candidate < best);
                if better && self.anchor(candidate.1).is_some_and(|a| a.key.matches(key)) {
                    best = Some(candidate);
                }
            }
        }
        best.map(|(_, episode)| episode)
    }
}

/// Known copies that vanished from their source's listing; see the module docs.
#[derive(Debug, Default)]
pub struct Replaceable {
    /// The episode and title key of each vanished copy, by position.
    copies: Vec<(usize, TitleKey)>,
    by_time: HashMap<Platform, ByTime>,
    /// Episodes whose every copy on a platform vanished and that got no new one yet.
    open: HashSet<(usize, Platform)>,
    /// Platform, exact title and time of each vanished copy.
    exact: HashSet<(Platform, String, i64)>,
}

impl Replaceable {
    /// Registers `copy` of `episode`, no longer listed by its source. Call it only when every
    /// copy of `episode` on that platform vanished.
    pub fn insert(&mut self, episode: usize, copy: &Item) {
        self.open.insert((episode, copy.platform));
        let Some(at) = copy.published.map(millis) else { return };
        self.exact.insert((copy.platform, copy.title.clone(), at));
        self.by_time.entry(copy.platform).or_default().insert((at, self.copies.len()));
        self.copies.push((episode, super::title_tokens(&copy.title)));
    }

    /// True when `episode` may take a re-published copy on `platform`.
    pub fn is_open(&self, episode: usize, platform: Platform) -> bool {
        self.open.contains(&(episode, platform))
    }

    /// `episode` got a new copy on `platform`.
    pub fn close(&mut self, episode: usize, platform: Platform) {
        self.open.remove(&(episode, platform));
    }

    /// True when `item` is a vanished copy under a new id: same platform, same title and the
    /// same publish time (a link with a changing tracking parameter, a regenerated guid).
    pub fn is_same_copy(&self, item: &Item) -> bool {
        let Some(at) = item.published.map(millis).filter(|_| !self.exact.is_empty()) else { return false };
        self.exact.contains(&(item.platform, item.title.clone(), at))
    }

    /// The open episode that `item` (titled `key`) re-publishes: a vanished copy on the same
    /// platform with a matching title, nearest in time and at most [`REPUBLISHED_WITHIN`] away.
    pub fn republished(&self, item: &Item, key: &TitleKey) -> Option<usize> {
        let set = self.by_time.get(&item.platform)?;
        let at = millis(item.published?);
        nearest_first(set, at, REPUBLISHED_WITHIN)
            .map(|(_, copy)| &self.copies[copy])
            .find(|(episode, copy_key)| self.is_open(*episode, item.platform) && copy_key.matches(key))
            .map(|(episode, _)| *episode)
    }
}

/// The entries of `set` at most `window` from `at`, nearest first, as `(distance, position)`.
fn nearest_first(set: &ByTime, at: i64, window: Duration) -> impl Iterator<Item = (u64, usize)> + '_ {
    let window = window.num_milliseconds().unsigned_abs();
    let mut later = set.range((at, 0)..).peekable();
    let mut earlier = set.range(..(at, 0)).rev().peekable();
    std::iter::from_fn(move || {
        let distance = |entry: Option<&&(i64, usize)>| entry.map(|(time, _)| time.abs_diff(at));
        let next = match (distance(later.peek()), distance(earlier.peek())) {
            (Some(after), Some(before)) if before < after => earlier.next(),
            (Some(_), _) => later.next(),
            (None, _) => earlier.next(),
        }?;
        Some((next.0.abs_diff(at), next.1))
    })
    .take_while(move |(distance, _)| *distance <= window)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::episodes::title_tokens;

    fn day(n: i64) -> DateTime<Utc> {
        "2025-11-03T10:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::days(n)
    }

    #[test]
    fn nearest_first_orders_by_distance_within_the_window() {
        let set: ByTime = [(0, 0), (10, 1), (-4, 2), (30, 3), (-31, 4)].into_iter().collect();
        let found: Vec<_> = nearest_first(&set, 5, Duration::milliseconds(25)).collect();
        assert_eq!(found, [(5, 1), (5, 0), (9, 2), (25, 3)]);
    }

    #[test]
    fn the_nearest_matching_open_episode_wins_and_closed_slots_are_skipped() {
        let mut open = OpenSlots::default();
        let key = title_tokens("Monday Evening Headlines");
        open.insert(0, key.clone(), day(0), vec![Platform::Podcast]);
        open.insert(1, key.clone(), day(7), vec![Platform::Podcast]);
        open.insert(2, title_tokens("Something else"), day(6), vec![Platform::Podcast]);
        assert_eq!(open.nearest(Platform::Podcast, &key, day(6)), Some(1));
        assert_eq!(open.nearest(Platform::Podcast, &key, day(2)), Some(0));
        assert_eq!(open.nearest(Platform::Youtube, &key, day(2)), None, "not open on YouTube");
        open.close(1, Platform::Podcast);
        assert!(!open.is_open(1, Platform::Podcast));
        assert_eq!(open.nearest(Platform::Podcast, &key, day(6)), Some(0));
        assert_eq!(open.nearest(Platform::Podcast, &key, day(15)), None, "beyond 7 days of any anchor");
    }

    #[test]
    fn an_anchor_exactly_the_window_away_is_found_whatever_the_time() {
        let window = MAX_APART.num_milliseconds();
        for at in [0, 1, window - 1, window, window + 1, 2 * window - 1, 2 * window, -window, 7 * window + 3]
        {
            let at = DateTime::<Utc>::from_timestamp_millis(at).unwrap();
            let key = title_tokens("Agents That Remember");
            let mut open = OpenSlots::default();
            open.insert(0, key.clone(), at - MAX_APART, vec![Platform::Podcast]);
            open.insert(1, key.clone(), at + MAX_APART, vec![Platform::Podcast]);
            open.insert(2, key.clone(), at - MAX_APART - Duration::milliseconds(1), vec![Platform::Podcast]);
            assert_eq!(open.nearest(Platform::Podcast, &key, at), Some(0), "at {at}");
            open.close(0, Platform::Podcast);
            assert_eq!(open.nearest(Platform::Podcast, &key, at), Some(1), "at {at}");
            open.close(1, Platform::Podcast);
            assert_eq!(open.nearest(Platform::Podcast, &key, at), None, "at {at}: one ms beyond the window");
        }
    }

    #[test]
    fn a_vanished_copy_is_replaced_only_within_hours_and_once() {
        let mut old = Item::bare(Platform::Podcast, "g-1", "Scaling Laws Revisited", Some(day(0)));
        let mut gone = Replaceable::default();
        gone.insert(4, &old);
        let key = title_tokens(&old.title);
        let near = Item::bare(Platform::Podcast, "g-2", "Scaling Laws Revisited", Some(day(1)));
        let far = Item::bare(Platform::Podcast, "g-3", "Scaling Laws Revisited", Some(day(3)));
        assert_eq!(gone.republished(&near, &key), Some(4));
        assert_eq!(gone.republished(&far, &key), None, "more than 48 hours apart");
        assert!(!gone.is_same_copy(&near));
        old.platform_id = "g-1?utm_source=x".into();
        assert!(gone.is_same_copy(&old), "same title and time under another id");
        gone.close(4, Platform::Podcast);
        assert_eq!(gone.republished(&near, &key), None, "already re-published");
    }
}
