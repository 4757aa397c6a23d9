//! Opening the store, and rebuilding it when sled cannot: a crash never needs a human.
//!
//! A store that sled refuses as corrupt (or that has lost data its journal says was durable)
//! is moved aside to `<store>.corrupt-<UTC time>`, kept for diagnosis and never
//! deleted; a fresh store takes its place and gets back from the [`Journal`] the source
//! validators and backoff, the tombstones and edited stubs, the fixes made by hand (pins,
//! stub work and the episodes they name), and per source the newest
//! publish time seen before the loss. Everything else is rebuilt from the content folder as
//! items come back: a stub found by its `syndicator_id` is adopted, and an item without one
//! that is no newer than that time is recorded as skipped instead of stubbed again
//! ([`Store::known_before_loss`]). A locked store is another process's, never moved.

use std::path::{Path, PathBuf};

use chrono::Utc;

use super::journal::{Journal, Newest, path_beside};
use super::{Store, StoreError, get_json, put_json};
use crate::model::{Episode, Platform};

/// What a recovery did, for its one warning.
#[derive(Debug)]
pub struct Recovery {
    /// Why the store could not be used.
    pub cause: String,
    /// Where the damaged store went; `None` when there was none to move.
    pub aside: Option<PathBuf>,
    pub journal: PathBuf,
    /// Why the journal could not be used, when it could not (the stubs alone then).
    pub journal_problem: Option<String>,
    pub sources: usize,
    pub kept_episodes: usize,
}

impl std::fmt::Display for Recovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the store could not be used ({})", self.cause)?;
        if let Some(aside) = &self.aside {
            write!(f, "; it was moved aside to {} for diagnosis", aside.display())?;
        }
        match &self.journal_problem {
            None => write!(
                f,
                "; a new store was rebuilt from the stubs and the journal {} ({} source(s), {} \
                 deleted, edited or hand-fixed episode(s) restored)",
                self.journal.display(),
                self.sources,
                self.kept_episodes
            ),
            Some(problem) => write!(
                f,
                "; a new store was rebuilt from the stubs alone: the journal {} was ignored ({problem})",
                self.journal.display()
            ),
        }
    }
}

/// Opens the store at `path`, recovering it as the module docs say when it is damaged.
pub fn open_or_recover(path: &Path) -> Result<(Store, Option<Recovery>), StoreError> {
    let journal_path = path_beside(path);
    let journal = Journal::read(&journal_path);
    let existed = path.exists();
    let cause = match Store::open(path).and_then(|store| Ok((lost_data(&store, &journal)?, store))) {
        Ok((None, store)) => return Ok((store, None)),
        Ok((Some(cause), _)) => cause,
        Err(error) => corruption(error)?,
    };
    let aside = match existed {
        true => {
            Some(move_aside(path).map_err(|source| StoreError::MoveAside { path: path.to_owned(), source })?)
        }
        false => None,
    };
    let store = Store::open(path)?;
    let (restored, journal_problem) = match journal {
        Ok(found) => (found.unwrap_or_default(), None),
        Err(problem) => (Journal::default(), Some(problem)),
    };
    store.restore(&restored)?;
    store.flush()?;
    let recovery = Recovery {
        cause,
        aside,
        journal: journal_path,
        journal_problem,
        sources: restored.sources.len(),
        kept_episodes: restored.episodes.len(),
    };
    Ok((store, Some(recovery)))
}

/// The cause when `error` says the store is damaged; any other error is handed back as it is
/// (a locked store, a missing permission, a newer schema).
fn corruption(error: StoreError) -> Result<String, StoreError> {
    match error {
        StoreError::Corrupt(cause) => Ok(cause),
        StoreError::Sled(sled::Error::Corruption { .. }) => Ok(error.to_string()),
        other => Err(other),
    }
}

/// Why a store sled opened has lost data it once made durable: its generation is behind its
/// journal's (a deleted store opens new, at 0).
fn lost_data(store: &Store, journal: &Result<Option<Journal>, String>) -> Result<Option<String>, StoreError> {
    let Ok(Some(journal)) = journal else { return Ok(None) };
    let generation = store.generation()?;
    Ok((generation < journal.generation).then(|| match generation {
        0 => "it is missing or empty, but its journal says it held data".to_owned(),
        n => format!("it holds flush {n}, but its journal says flush {} was durable", journal.generation),
    }))
}

/// Renames the store folder to `<store>.corrupt-<UTC time>` (`-2`, `-3` … if taken).
fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let base = format!("{}.corrupt-{stamp}", path.display());
    let free = (1..1000)
        .map(|n| PathBuf::from(if n == 1 { base.clone() } else { format!("{base}-{n}") }))
        .find(|candidate| !candidate.exists())
        .ok_or_else(|| std::io::Error::other(format!("no free name to move {} aside", path.display())))?;
    std::fs::rename(path, &free)?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        crate::files::sync_dir(parent)?;
    }
    Ok(free)
}

/// The key of a channel's platform in `recovered`, and in `newest`.
pub(super) fn platform_key(channel: &str, platform: Platform) -> Vec<u8> {
    format!("{channel}\0{platform}").into_bytes()
}

impl Store {
    /// Puts what `journal` holds into this (new) store.
    pub(super) fn restore(&self, journal: &Journal) -> Result<(), StoreError> {
        for (key, state) in &journal.sources {
            put_json(&self.sources, key.as_bytes(), state)?;
        }
        for newest in &journal.newest {
            put_json(&self.recovered, &platform_key(&newest.channel, newest.platform), newest)?;
        }
        self.put_episodes(&journal.episodes)?;
        self.restore_fixes(&journal.pins, &journal.stub_work)
    }

    /// Whether every copy of `episode` (new to this store) is no newer than the newest copy
    /// its channel and platform had before the store was lost: such an episode was stubbed
    /// (and its stub is gone: deleted) or skipped back then, so it gets no stub now.
    pub fn known_before_loss(&self, channel: &str, episode: &Episode) -> Result<bool, StoreError> {
        if self.recovered.is_empty() || episode.copies.is_empty() {
            return Ok(false);
        }
        for copy in &episode.copies {
            let floor: Option<Newest> = get_json(&self.recovered, &platform_key(channel, copy.platform))?;
            let seen =
                floor.zip(copy.published).is_some_and(|(floor, published)| published <= floor.published);
            if !seen {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests;
