//! Deciding which items of one channel are the same talk: title normalisation into a
//! [`TitleKey`], the fuzzy title comparison, and the rules an item must pass to join an
//! episode instead of founding one:
//!
//! - **Across platforms** an item may join an episode with no copy on its platform yet, when
//!   its title matches the episode's *anchor* (the copy that founded it) and it was published
//!   within 7 days of the anchor. Of several such episodes the closest in time wins, so copies
//!   pair one to one and a pairing never chains (A~B and B~C a week apart each do not make
//!   A, B and C one episode).
//! - **Within one source** two items it lists side by side are never one episode: a weekly
//!   show with one title gets an episode a week. An item joins an episode that already has a
//!   copy on its platform only as a *re-publication*: every such copy has vanished from the
//!   source's [`Listing`], the titles match and the times are at most 48 hours apart.
//!
//! [`index`] finds those candidates near-linearly (by title word and time). Exact GUID
//! pairing and the merge itself are the pipeline's job. [`manual`] holds the fixes a user
//! makes by hand (`link`, `unlink`, `forget`), which win over these rules. [`guests`] reads
//! who is on an episode from its persons and the same title conventions. Pure: no IO.

mod guests;
mod index;
pub mod manual;
mod tokens;

use std::cmp::Ordering;

use chrono::{DateTime, Duration, Utc};
use foldhash::{HashMap, HashSet};

use crate::model::{Item, Platform};

pub use guests::{Hosts, guests, title_guests};
pub use index::{OpenSlots, Replaceable};
pub use tokens::title_tokens;

/// How far apart two copies of one talk on different platforms may be published (measured
/// from the episode's anchor).
pub const MAX_APART: Duration = Duration::days(7);
/// How far apart a re-published item may be from the copy it replaces: hours, not a week,
/// so that a weekly show with one title is never folded into last week's episode.
pub const REPUBLISHED_WITHIN: Duration = Duration::hours(48);
/// A title that is a subset of the other merges only when it has at least this many words.
const MIN_SUBSET_WORDS: usize = 4;
/// The word-set Jaccard similarity at or above which two titles merge.
const MIN_JACCARD: f64 = 0.8;

/// A normalised title: the words compared as a set, and the numbers that must be equal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TitleKey {
    /// Case-folded words without joiners, each once, sorted; each CJK ideograph is its own
    /// word. A sorted list rather than a set: one allocation, and [`TitleKey::matches`]
    /// compares two keys in one merge walk.
    pub words: Vec<String>,
    /// Numbers and ordinal markers left in the title (part numbers, `1/2`, `上`/`下`),
    /// sorted; two titles merge only when these are identical.
    pub numbers: Vec<String>,
    /// The episode number removed from the title ("#123", "Ep. 12"), if any.
    pub episode_no: Option<String>,
}

impl TitleKey {
    /// True when the two keys name the same talk.
    pub fn matches(&self, other: &TitleKey) -> bool {
        if self.words.is_empty() || other.words.is_empty() || self.numbers != other.numbers {
            return false;
        }
        if let (Some(a), Some(b)) = (&self.episode_no, &other.episode_no) {
            if a != b {
                return false;
            }
        }
        let common = common_count(&self.words, &other.words);
        let (a, b) = (self.words.len(), other.words.len());
        let equal = common == a.max(b);
        let subset = a.min(b) >= MIN_SUBSET_WORDS && common == a.min(b);
        equal || subset || common as f64 / (a + b - common) as f64 >= MIN_JACCARD
    }
}

/// How many words two sorted, duplicate-free lists share (one merge walk).
fn common_count(a: &[String], b: &[String]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => (i, j, common) = (i + 1, j + 1, common + 1),
        }
    }
    common
}

/// True when two items on different platforms can be copies of the same talk: matching
/// titles and publish times at most [`MAX_APART`] apart. Items without a publish time never
/// match.
pub fn same_talk(a: &Item, b: &Item) -> bool {
    let (Some(at), Some(bt)) = (a.published, b.published) else {
        return false;
    };
    (at - bt).abs() <= MAX_APART && title_tokens(&a.title).matches(&title_tokens(&b.title))
}

/// What each source of a channel listed in this fetch: the ids of every item it showed, not
/// only the new ones. A platform that was not fetched (not modified, failed) has no entry.
#[derive(Debug, Clone, Default)]
pub struct Listing(HashMap<Platform, HashSet<String>>);

impl Listing {
    /// Records that the source on `platform` listed `ids`.
    pub fn record<'a>(&mut self, platform: Platform, ids: impl IntoIterator<Item = &'a str>) {
        self.0.entry(platform).or_default().extend(ids.into_iter().map(str::to_owned));
    }

    /// Whether the source on `platform` listed `id`.
    pub fn contains(&self, platform: Platform, id: &str) -> bool {
        self.0.get(&platform).is_some_and(|ids| ids.contains(id))
    }

    /// True when `copy`'s source was fetched and no longer lists it. Without a listing of its
    /// platform nothing counts as vanished.
    pub fn vanished(&self, copy: &Item) -> bool {
        self.0.get(&copy.platform).is_some_and(|ids| !ids.contains(&copy.platform_id))
    }
}

/// A time as milliseconds since the epoch, the unit the indexes order by.
fn millis(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis()
}

#[cfg(test)]
mod tests;
