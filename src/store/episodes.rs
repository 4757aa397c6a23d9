//! Episodes in the store: their records ([`codec`]), the item and date indexes, and the two
//! summaries the journal reads instead of every record (`newest`, `kept`), all written in
//! one transaction with the events that describe the change.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

use super::journal::{Newest, is_kept};
use super::recover::platform_key;
use super::{Store, StoreError, codec, decode, item_key};
use crate::model::{Episode, EpisodeId, Platform};

/// The date index key: the publish time in milliseconds, sign bit flipped so that byte order
/// is time order, then the id.
fn date_key(episode: &Episode) -> Vec<u8> {
    let millis = episode.published().map_or(0, |t| t.timestamp_millis());
    let mut key = ((millis as u64) ^ (1 << 63)).to_be_bytes().to_vec();
    key.extend_from_slice(episode.id.as_str().as_bytes());
    key
}

/// The newest publish time of each channel and platform among `episodes`' copies.
pub(super) fn newest_of<'a>(
    episodes: impl IntoIterator<Item = &'a Episode>,
) -> BTreeMap<(String, Platform), DateTime<Utc>> {
    let mut newest = BTreeMap::new();
    for episode in episodes {
        for copy in &episode.copies {
            let Some(published) = copy.published else { continue };
            let slot = newest.entry((episode.channel.clone(), copy.platform)).or_insert(published);
            *slot = (*slot).max(published);
        }
    }
    newest
}

pub(super) type Abortable<T> = Result<T, ConflictableTransactionError<StoreError>>;

impl Store {
    /// Every episode of a channel, in id order.
    pub fn channel_episodes(&self, channel: &str) -> Result<Vec<Episode>, StoreError> {
        let prefix = format!("{channel}:");
        self.episodes.scan_prefix(prefix.as_bytes()).map(|entry| codec::decode(&entry?.1)).collect()
    }

    /// How many episodes a channel has.
    pub fn count_episodes(&self, channel: &str) -> usize {
        self.episodes.scan_prefix(format!("{channel}:").as_bytes()).count()
    }

    /// The newest `limit` episodes whose channel passes `wanted`, newest first, read from the
    /// date index: the cost grows with `limit`, not with the history.
    pub fn recent_episodes(
        &self,
        limit: usize,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<Vec<Episode>, StoreError> {
        let mut recent = Vec::with_capacity(limit);
        for key in self.by_date.iter().keys().rev() {
            if recent.len() == limit {
                break;
            }
            let key = key?;
            let id = key.get(8..).and_then(|raw| std::str::from_utf8(raw).ok()).and_then(EpisodeId::parse);
            let id = id.ok_or_else(|| StoreError::Corrupt("date index".into()))?;
            if wanted(id.channel()) {
                recent.extend(self.episode(id.as_str())?);
            }
        }
        Ok(recent)
    }

    /// The ids of the episodes whose stub the author deleted or edited, in id order.
    pub(super) fn kept_ids(&self) -> Result<Vec<String>, StoreError> {
        let ids = self.kept.iter().keys().map(|id| Ok(String::from_utf8_lossy(&id?).into_owned()));
        ids.collect()
    }

    /// The newest publish time recorded per channel and platform.
    pub(super) fn newest_recorded(&self) -> Result<Vec<Newest>, StoreError> {
        self.newest.iter().values().map(|raw| decode(&raw?)).collect()
    }

    /// [`Store::put_episodes`], queueing `events` (serialised) in the same transaction: an
    /// event is durable exactly when the change it describes is.
    pub fn put_episodes_and_events(&self, batch: &[Episode], events: &[Vec<u8>]) -> Result<(), StoreError> {
        let queued = events
            .iter()
            .map(|event| self.next_seq().map(|seq| (seq.to_be_bytes(), event)))
            .collect::<Result<Vec<_>, _>>()?;
        let records = Records::of(batch);
        let trees = (&self.episodes, &self.items, &self.by_date, &self.newest, &self.kept, &self.outbox);
        trees
            .transaction(|(episodes, items, by_date, newest, kept, outbox)| {
                records.put_in(Indexed { episodes, items, by_date, newest, kept })?;
                for (seq, event) in &queued {
                    outbox.insert(seq, event.as_slice())?;
                }
                Ok(())
            })
            .map_err(transaction_error)
    }
}

/// The trees an episode record is indexed and summarised in, inside a transaction.
#[derive(Clone, Copy)]
pub(super) struct Indexed<'a> {
    pub episodes: &'a TransactionalTree,
    pub items: &'a TransactionalTree,
    pub by_date: &'a TransactionalTree,
    pub newest: &'a TransactionalTree,
    pub kept: &'a TransactionalTree,
}

/// Episodes encoded before a transaction (which may run its closure more than once).
pub(super) struct Records<'a> {
    /// Each episode with its record and its date key.
    records: Vec<(&'a Episode, Vec<u8>, Vec<u8>)>,
    /// The newest publish time per channel and platform among them.
    newest: BTreeMap<(String, Platform), DateTime<Utc>>,
    /// A fix by hand: a copy may come back to the episode named after it, and the index entry
    /// that sent it elsewhere goes. A sync never moves a copy from one episode to another.
    moves_copies: bool,
}

impl<'a> Records<'a> {
    pub(super) fn of(batch: &'a [Episode]) -> Records<'a> {
        Records {
            records: batch.iter().map(|e| (e, codec::encode(e), date_key(e))).collect(),
            newest: newest_of(batch),
            moves_copies: false,
        }
    }

    /// The episodes a fix by hand changed (see `moves_copies`).
    pub(super) fn of_fix(batch: &'a [Episode]) -> Records<'a> {
        Records { moves_copies: true, ..Records::of(batch) }
    }

    /// Records every episode, indexes its date and the copies it is not named after, and
    /// updates the summaries.
    pub(super) fn put_in(&self, trees: Indexed) -> Abortable<()> {
        for (episode, record, new_date) in &self.records {
            if let Some(old) = trees.episodes.insert(episode.id.as_str().as_bytes(), record.as_slice())? {
                forget_old(&old, trees)?;
            }
            trees.by_date.insert(new_date.as_slice(), &[])?;
            if is_kept(episode) {
                trees.kept.insert(episode.id.as_str().as_bytes(), &[])?;
            }
            for copy in &episode.copies {
                let key = item_key(&episode.channel, copy);
                if !episode.id.is_named_after(&episode.channel, copy.platform, &copy.platform_id) {
                    trees.items.insert(key, episode.id.as_str().as_bytes())?;
                } else if self.moves_copies {
                    trees.items.remove(key)?;
                }
            }
        }
        for ((channel, platform), published) in &self.newest {
            raise_newest(trees.newest, channel, *platform, *published)?;
        }
        Ok(())
    }
}

/// Removes the record of episode `id` with its date key and its place in the kept set. Its
/// copies' item index entries stay: a removed episode's copies have moved to another one,
/// which indexes them. `newest` stays too: those copies are still recorded.
pub(super) fn remove_in(id: &EpisodeId, trees: Indexed) -> Abortable<()> {
    if let Some(old) = trees.episodes.remove(id.as_str().as_bytes())? {
        forget_old(&old, trees)?;
    }
    Ok(())
}

/// Drops what an overwritten or removed record put in the date index and the kept set (a new
/// record puts back what still holds). An old record that cannot be read leaves both alone.
fn forget_old(old: &[u8], trees: Indexed) -> Abortable<()> {
    if let Ok(old) = codec::decode(old) {
        trees.by_date.remove(date_key(&old))?;
        if is_kept(&old) {
            trees.kept.remove(old.id.as_str().as_bytes())?;
        }
    }
    Ok(())
}

/// A failed transaction as a store error (an abort carries its own).
pub(super) fn transaction_error(e: TransactionError<StoreError>) -> StoreError {
    match e {
        TransactionError::Storage(e) => StoreError::Sled(e),
        TransactionError::Abort(e) => e,
    }
}
/// Sets the newest publish time of `channel`'s `platform` to `published` unless it is newer.
fn raise_newest(
    tree: &TransactionalTree,
    channel: &str,
    platform: Platform,
    published: DateTime<Utc>,
) -> Abortable<()> {
    let key = platform_key(channel, platform);
    let abort = ConflictableTransactionError::Abort;
    let recorded: Option<Newest> = match tree.get(&key)? {
        Some(raw) => Some(decode(&raw).map_err(abort)?),
        None => None,
    };
    if recorded.is_none_or(|recorded| recorded.published < published) {
        let newest = Newest { channel: channel.to_owned(), platform, published };
        let raw = serde_json::to_vec(&newest).map_err(|e| abort(StoreError::Corrupt(e.to_string())))?;
        tree.insert(key, raw)?;
    }
    Ok(())
}
