//! Pending covers: page bundles whose cover image could not be downloaded yet (an upstream
//! error, bytes that are no image, an image over the size limit), retried by later runs while
//! the bundle's `index.md` is untouched. Keyed by episode id in the `covers` tree.
//!
//! Not in the journal: after a lost store, an adopted bundle stub without a cover is marked
//! pending again (see `pipeline::covers`), which is all the record said.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, decode, put_json};
use crate::model::EpisodeId;

/// Why a bundle still has no cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCover {
    /// Downloads tried so far; retries stop at [`crate::cover::MAX_ATTEMPTS`].
    pub attempts: u32,
    /// What the last try answered, for `status`.
    pub last_error: String,
    /// When it was last tried (`None` before the first try), so that a run retries only
    /// covers it has not tried itself.
    #[serde(default)]
    pub tried_at: Option<DateTime<Utc>>,
}

impl Store {
    /// The pending covers of `channel`, in episode id order.
    pub fn pending_covers(&self, channel: &str) -> Result<Vec<(EpisodeId, PendingCover)>, StoreError> {
        let mut pending = Vec::new();
        for entry in self.covers.scan_prefix(format!("{channel}:").as_bytes()) {
            let (key, value) = entry?;
            let id = std::str::from_utf8(&key).ok().and_then(EpisodeId::parse);
            let id = id.ok_or_else(|| StoreError::Corrupt("pending cover key".into()))?;
            pending.push((id, decode(&value)?));
        }
        Ok(pending)
    }

    /// Records (or updates) the pending cover of an episode.
    pub fn put_pending_cover(&self, id: &EpisodeId, pending: &PendingCover) -> Result<(), StoreError> {
        put_json(&self.covers, id.as_str().as_bytes(), pending)
    }

    /// Forgets the pending cover of an episode (downloaded, or no longer wanted).
    pub fn remove_pending_cover(&self, id: &EpisodeId) -> Result<(), StoreError> {
        self.covers.remove(id.as_str().as_bytes())?;
        Ok(())
    }
}

#[cfg(test)]
#[test]
fn pending_covers_are_kept_per_channel_until_removed() {
    let store = Store::temporary().unwrap();
    let id = |text: &str| EpisodeId::parse(text).unwrap();
    let pending = PendingCover { attempts: 1, last_error: "HTTP 404".into(), tried_at: None };
    store.put_pending_cover(&id("a:youtube:1"), &pending).unwrap();
    store.put_pending_cover(&id("ab:youtube:2"), &pending).unwrap();
    assert_eq!(store.pending_covers("a").unwrap(), [(id("a:youtube:1"), pending.clone())]);
    store.remove_pending_cover(&id("a:youtube:1")).unwrap();
    assert!(store.pending_covers("a").unwrap().is_empty());
    assert_eq!(store.pending_covers("ab").unwrap().len(), 1);
}
