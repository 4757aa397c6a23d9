//! The journal: a small JSON file beside the store (`<store>.journal`) holding what the stubs
//! cannot tell, so that a store sled can no longer open is rebuilt without losing it:
//!
//! - every source record (validators and failure backoff), by its raw store key;
//! - per channel and platform, the newest publish time of any recorded copy, so that after a
//!   loss an item older than that and without a stub is known to have been skipped or
//!   deleted, not new (nothing is re-stubbed, whatever the feed sends);
//! - the episodes whose stub the author deleted (tombstones) or edited while embeds were
//!   pending, reduced to what identifies them (no descriptions);
//! - the fixes made by hand: every pin, the stub work not done yet, and the episodes either
//!   names, whole (a copy linked by hand may have come from no source, and an untouched stub
//!   is rewritten from its episode's descriptions).
//!
//! Its size is bounded by channels × sources + tombstones + edited stubs + fixes by hand, and
//! so is the cost of writing it: it reads the store's `newest` and `kept` summaries, never
//! every episode (a flush after a run over 100,000 stored episodes decodes none of them).
//! [`Store::flush`]
//! counts its flushes in the store (`generation`) and rewrites the journal after the store's
//! own flush, atomically (temporary file, fsync, rename): a crash leaves the previous journal
//! or the next, never a torn one. A store whose generation is behind its journal's has lost
//! data it once made durable, and is recovered like one sled refuses. A journal that cannot
//! be read anyway is ignored with a warning by the recovery.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, decode};
use crate::episodes::manual::{Pin, StubWork};
use crate::model::{Episode, EpisodeId, Platform, StubState};
use crate::store::SourceState;

/// The version of the journal's shape; a journal of another version is ignored.
const JOURNAL_VERSION: u32 = 1;
const GENERATION_KEY: &[u8] = b"generation";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    pub version: u32,
    /// The store's generation when it was written.
    pub generation: u64,
    /// Every `sources` record: (raw key, state).
    pub sources: Vec<(String, SourceState)>,
    /// The newest publish time recorded per channel and platform.
    pub newest: Vec<Newest>,
    /// Tombstones and edited stubs with pending embeds, reduced by [`reduced`]; episodes
    /// fixed by hand, whole.
    pub episodes: Vec<Episode>,
    /// Every pin made by hand (absent from journals written before fixes existed).
    #[serde(default)]
    pub pins: Vec<Pin>,
    /// The stub work fixes by hand left for the next runs.
    #[serde(default)]
    pub stub_work: Vec<(EpisodeId, StubWork)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Newest {
    pub channel: String,
    pub platform: Platform,
    pub published: DateTime<Utc>,
}

/// The journal of the store at `store`: `<store>.journal` beside it.
pub fn path_beside(store: &Path) -> PathBuf {
    let mut path = store.as_os_str().to_owned();
    path.push(".journal");
    PathBuf::from(path)
}

impl Journal {
    /// The journal of what `store` holds now, at `generation`.
    pub fn of(store: &Store, generation: u64) -> Result<Journal, StoreError> {
        let mut journal = Journal { version: JOURNAL_VERSION, generation, ..Journal::default() };
        for entry in store.sources.iter() {
            let (key, value) = entry?;
            journal.sources.push((String::from_utf8_lossy(&key).into_owned(), decode(&value)?));
        }
        journal.pins = store.all_pins_of("")?;
        journal.stub_work = store.stub_work(None)?;
        let fixed: BTreeSet<&str> = journal.pins.iter().map(|p| p.episode.as_str()).collect();
        let fixed: BTreeSet<&str> =
            fixed.into_iter().chain(journal.stub_work.iter().map(|(id, _)| id.as_str())).collect();
        let kept = store.kept_ids()?;
        let ids: BTreeSet<&str> = kept.iter().map(String::as_str).chain(fixed.iter().copied()).collect();
        for id in ids {
            let Some(episode) = store.episode(id)? else { continue };
            journal.episodes.push(if fixed.contains(id) { episode } else { reduced(episode) });
        }
        let mut newest = store.recovered_floors()?;
        for recorded in store.newest_recorded()? {
            let slot = newest.entry((recorded.channel, recorded.platform)).or_insert(recorded.published);
            *slot = (*slot).max(recorded.published);
        }
        journal.newest = newest
            .into_iter()
            .map(|((channel, platform), published)| Newest { channel, platform, published })
            .collect();
        Ok(journal)
    }

    /// Writes the journal to `path` atomically.
    pub fn write(&self, path: &Path) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(self).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        crate::files::replace(path, &bytes)
            .map_err(|source| StoreError::Journal { path: path.to_owned(), source })
    }

    /// Reads the journal at `path`: `Ok(None)` when there is none, `Err` with the reason when
    /// it cannot be read or is not a journal of this version.
    pub fn read(path: &Path) -> Result<Option<Journal>, String> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        let journal: Journal = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        match journal.version {
            JOURNAL_VERSION => Ok(Some(journal)),
            other => Err(format!("unknown journal version {other}")),
        }
    }
}

/// Whether the journal keeps `episode`: its stub was deleted or edited by its author.
pub(super) fn is_kept(episode: &Episode) -> bool {
    matches!(episode.stub, StubState::Deleted { .. } | StubState::Edited { .. })
}

/// An episode reduced to what identifies it and what its embeds need: its copies keep their
/// platform ids, titles, links, dates and podcast guids (so later copies still join it and
/// Apple's embed can be made), nothing else.
fn reduced(mut episode: Episode) -> Episode {
    for copy in &mut episode.copies {
        copy.description_html.clear();
        copy.thumbnail = None;
        copy.enclosure = None;
        copy.duration_secs = None;
    }
    episode
}

impl Store {
    /// How many times the store was flushed with a journal (0 for a new store).
    pub(super) fn generation(&self) -> Result<u64, StoreError> {
        let raw = self.meta.get(GENERATION_KEY)?;
        raw.map_or(Ok(0), |raw| {
            <[u8; 8]>::try_from(raw.as_ref())
                .map(u64::from_be_bytes)
                .map_err(|_| StoreError::Corrupt("unreadable generation".into()))
        })
    }

    /// Counts one more flush; returns the new generation.
    pub(super) fn next_generation(&self) -> Result<u64, StoreError> {
        let next = self.generation()?.saturating_add(1);
        self.meta.insert(GENERATION_KEY, &next.to_be_bytes())?;
        Ok(next)
    }

    /// The floors a recovery left (see [`Store::known_before_loss`]), by channel and platform.
    fn recovered_floors(&self) -> Result<BTreeMap<(String, Platform), DateTime<Utc>>, StoreError> {
        let mut floors = BTreeMap::new();
        for entry in self.recovered.iter() {
            let (_, value) = entry?;
            let floor: Newest = decode(&value)?;
            floors.insert((floor.channel, floor.platform), floor.published);
        }
        Ok(floors)
    }
}

#[cfg(test)]
pub(super) mod tests;
