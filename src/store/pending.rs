//! Pending resources: what a stub is still owed beside it after its first try failed or has
//! not happened yet — a page bundle's cover image (an upstream error, bytes that are no image,
//! an image over the size limit), an episode's transcript. Later runs retry them (see
//! `pipeline::covers` and `pipeline::transcripts`). Keyed by episode id, one tree per kind
//! (`covers`, `transcripts`).
//!
//! Not in the journal: after a lost store, an adopted stub that still lacks them is marked
//! pending again, which is all the record said.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, decode, encode, put_json};
use crate::model::EpisodeId;

/// What a stub is owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// A page bundle's `cover.<ext>`.
    Cover,
    /// The transcript the show publishes, as `transcript.md`.
    Transcript,
}

impl Pending {
    /// How many runs try it before giving up (`status` then says so).
    pub fn max_attempts(self) -> u32 {
        match self {
            Pending::Cover => crate::cover::MAX_ATTEMPTS,
            Pending::Transcript => 10,
        }
    }
}

/// Why a resource is still pending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingState {
    /// Downloads tried so far; retries stop at the kind's maximum.
    pub attempts: u32,
    /// What the last try answered, for `status`.
    pub last_error: String,
    /// When it was last tried (`None` before the first try), so that a run retries only
    /// what it has not tried itself.
    #[serde(default)]
    pub tried_at: Option<DateTime<Utc>>,
}

impl PendingState {
    /// Not tried yet.
    pub fn untried() -> PendingState {
        PendingState { attempts: 0, last_error: "not downloaded yet".to_owned(), tried_at: None }
    }

    /// Whether a run that started at `started` should try it: fewer than `max_attempts`
    /// tries, none of them by this run.
    pub fn due(&self, started: DateTime<Utc>, max_attempts: u32) -> bool {
        self.attempts < max_attempts && self.tried_at.is_none_or(|tried| tried < started)
    }

    /// The state after one more try that failed with `error`, now.
    pub fn failed(&self, error: &str) -> PendingState {
        PendingState {
            attempts: self.attempts.saturating_add(1),
            last_error: error.to_owned(),
            tried_at: Some(Utc::now()),
        }
    }
}

impl Store {
    fn pending_tree(&self, kind: Pending) -> &sled::Tree {
        match kind {
            Pending::Cover => &self.covers,
            Pending::Transcript => &self.transcripts,
        }
    }

    /// The pending resources of `kind` for `channel`, in episode id order.
    pub fn pending(
        &self,
        kind: Pending,
        channel: &str,
    ) -> Result<Vec<(EpisodeId, PendingState)>, StoreError> {
        let mut pending = Vec::new();
        for entry in self.pending_tree(kind).scan_prefix(format!("{channel}:").as_bytes()) {
            let (key, value) = entry?;
            let id = std::str::from_utf8(&key).ok().and_then(EpisodeId::parse);
            let id = id.ok_or_else(|| StoreError::Corrupt(format!("pending {kind:?} key")))?;
            pending.push((id, decode(&value)?));
        }
        Ok(pending)
    }

    /// The pending resources of `kind` for `channel` that a run started at `started` should
    /// try (see [`PendingState::due`]), in episode id order.
    pub fn due_pending(
        &self,
        kind: Pending,
        channel: &str,
        started: DateTime<Utc>,
    ) -> Result<Vec<(EpisodeId, PendingState)>, StoreError> {
        let mut pending = self.pending(kind, channel)?;
        pending.retain(|(_, state)| state.due(started, kind.max_attempts()));
        Ok(pending)
    }

    /// Records (or updates) the pending resource of `kind` for an episode.
    pub fn put_pending(&self, kind: Pending, id: &EpisodeId, state: &PendingState) -> Result<(), StoreError> {
        put_json(self.pending_tree(kind), id.as_str().as_bytes(), state)
    }

    /// Records an untried pending resource of `kind` for an episode, unless one is pending.
    pub fn add_pending(&self, kind: Pending, id: &EpisodeId) -> Result<(), StoreError> {
        let absent: Option<&[u8]> = None;
        let value = Some(encode(&PendingState::untried())?);
        // Already there: kept as it is (attempts and all), which is what a failed swap means.
        let _kept = self.pending_tree(kind).compare_and_swap(id.as_str().as_bytes(), absent, value)?;
        Ok(())
    }

    /// Forgets the pending resource of `kind` for an episode (written, or no longer wanted).
    pub fn remove_pending(&self, kind: Pending, id: &EpisodeId) -> Result<(), StoreError> {
        self.pending_tree(kind).remove(id.as_str().as_bytes())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_resources_are_kept_per_channel_and_kind_until_removed() {
        let store = Store::temporary().unwrap();
        let id = |text: &str| EpisodeId::parse(text).unwrap();
        let state = PendingState::untried().failed("HTTP 404");
        store.put_pending(Pending::Cover, &id("a:youtube:1"), &state).unwrap();
        store.put_pending(Pending::Cover, &id("ab:youtube:2"), &state).unwrap();
        assert_eq!(store.pending(Pending::Cover, "a").unwrap(), [(id("a:youtube:1"), state.clone())]);
        assert!(store.pending(Pending::Transcript, "a").unwrap().is_empty(), "one tree per kind");
        store.add_pending(Pending::Cover, &id("a:youtube:1")).unwrap();
        assert_eq!(store.pending(Pending::Cover, "a").unwrap()[0].1, state, "kept as it was");
        store.remove_pending(Pending::Cover, &id("a:youtube:1")).unwrap();
        assert!(store.pending(Pending::Cover, "a").unwrap().is_empty());
        assert_eq!(store.pending(Pending::Cover, "ab").unwrap().len(), 1);
    }

    #[test]
    fn a_run_tries_what_it_has_not_tried_itself_up_to_the_limit() {
        let started = Utc::now();
        assert!(PendingState::untried().due(started, 1));
        let tried = PendingState::untried().failed("timeout");
        assert_eq!((tried.attempts, tried.last_error.as_str()), (1, "timeout"));
        assert!(!tried.due(started, 10), "tried by this run");
        assert!(tried.due(Utc::now() + chrono::Duration::seconds(1), 10), "the next run tries again");
        assert!(!tried.due(Utc::now() + chrono::Duration::seconds(1), 1), "not past the limit");
    }
    #[test]
    fn a_run_reads_only_its_due_resources_with_each_kinds_limit() {
        let store = Store::temporary().unwrap();
        let id = |text: &str| EpisodeId::parse(text).unwrap();
        let mut spent = PendingState::untried();
        for _ in 0..Pending::Cover.max_attempts() {
            spent = spent.failed("HTTP 500");
        }
        store.put_pending(Pending::Cover, &id("a:youtube:1"), &spent).unwrap();
        store.add_pending(Pending::Cover, &id("a:youtube:2")).unwrap();
        let later = Utc::now() + chrono::Duration::seconds(1);
        let due = store.due_pending(Pending::Cover, "a", later).unwrap();
        assert_eq!(due, [(id("a:youtube:2"), PendingState::untried())], "the spent one is left out");
        assert_eq!(store.pending(Pending::Cover, "a").unwrap().len(), 2, "and still listed for status");
    }
}
