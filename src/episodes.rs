//! Deciding which items of one channel are the same talk: title normalisation into a
//! [`TitleKey`], the fuzzy title comparison, the 7-day time window, and finding the
//! [`Episode`] an item belongs to. Exact GUID matching is the pipeline's job, not this
//! module's. Pure: no IO.

mod tokens;

use std::collections::{BTreeSet, HashMap};

use chrono::Duration;

use crate::model::{Episode, Item};

pub use tokens::title_tokens;

/// How far apart two copies of one talk may be published.
const MAX_APART_DAYS: i64 = 7;
/// A title that is a subset of the other merges only when it has at least this many words.
const MIN_SUBSET_WORDS: usize = 4;
/// The word-set Jaccard similarity at or above which two titles merge.
const MIN_JACCARD: f64 = 0.8;

/// A normalised title: the words compared as a set, and the numbers that must be equal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TitleKey {
    /// Case-folded words without joiners; each CJK ideograph is its own word.
    pub words: BTreeSet<String>,
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
        self.words == other.words || self.subset_match(other) || self.jaccard(other) >= MIN_JACCARD
    }

    fn subset_match(&self, other: &TitleKey) -> bool {
        let (small, large) = if self.words.len() <= other.words.len() {
            (&self.words, &other.words)
        } else {
            (&other.words, &self.words)
        };
        small.len() >= MIN_SUBSET_WORDS && small.is_subset(large)
    }

    fn jaccard(&self, other: &TitleKey) -> f64 {
        let common = self.words.intersection(&other.words).count();
        let union = self.words.union(&other.words).count();
        common as f64 / union as f64
    }
}

/// True when two items of one channel are the same talk: matching titles and publish times
/// at most 7 days apart. Items without a publish time never match.
pub fn same_talk(a: &Item, b: &Item) -> bool {
    let (Some(at), Some(bt)) = (a.published, b.published) else {
        return false;
    };
    (at - bt).abs() <= Duration::days(MAX_APART_DAYS)
        && title_tokens(&a.title).matches(&title_tokens(&b.title))
}

/// Index of the first episode in `episodes` with a copy that is the same talk as `item`.
pub fn find_episode(episodes: &[Episode], item: &Item) -> Option<usize> {
    find_episode_with(episodes, item, &mut TitleKeys::default())
}

/// [`find_episode`], tokenising each distinct title once across calls: a batch of new items
/// is matched against the same episodes many times.
pub fn find_episode_with(episodes: &[Episode], item: &Item, keys: &mut TitleKeys) -> Option<usize> {
    let published = item.published?;
    let item_key = keys.key(&item.title).clone();
    episodes.iter().position(|episode| {
        episode.copies.iter().any(|copy| {
            copy.published.is_some_and(|t| (t - published).abs() <= Duration::days(MAX_APART_DAYS))
                && keys.key(&copy.title).matches(&item_key)
        })
    })
}

/// A cache of [`title_tokens`] by title.
#[derive(Debug, Default)]
pub struct TitleKeys(HashMap<String, TitleKey>);

impl TitleKeys {
    /// The key of `title`, tokenised on first use.
    pub fn key(&mut self, title: &str) -> &TitleKey {
        if !self.0.contains_key(title) {
            self.0.insert(title.to_owned(), title_tokens(title));
        }
        &self.0[title]
    }
}

#[cfg(test)]
mod tests;
