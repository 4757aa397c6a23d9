//! The notification outbox: events waiting to be delivered, in the order they happened, and
//! per `[[notify]]` entry how far it has got (see the key schema in `store.rs`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, decode, get_json, put_json};

/// How far one `[[notify]]` entry has got through the outbox.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NotifyCursor {
    /// The sequence number of the next event to deliver.
    pub next: u64,
    /// Consecutive failed deliveries of that event; 0 after a success.
    pub failures: u32,
    /// Do not try before this time (backoff).
    pub retry_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

impl Store {
    /// The sequence number the next queued event will have, at least.
    pub fn outbox_end(&self) -> Result<u64, StoreError> {
        Ok(match self.outbox.last()? {
            Some((key, _)) => seq_of(&key)? + 1,
            None => 0,
        })
    }

    /// A sequence number for an event to queue; increasing across restarts.
    pub(super) fn next_seq(&self) -> Result<u64, StoreError> {
        Ok(self.db.generate_id()?.max(self.outbox_end()?))
    }

    /// Queues events (serialised) on their own; see [`Store::put_episodes_and_events`] for
    /// events that must commit with an episode.
    pub fn enqueue_events(&self, events: &[Vec<u8>]) -> Result<(), StoreError> {
        for event in events {
            self.outbox.insert(self.next_seq()?.to_be_bytes(), event.as_slice())?;
        }
        Ok(())
    }

    /// Up to `limit` queued events from sequence number `from` on, in order.
    pub fn outbox_from(&self, from: u64, limit: usize) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
        self.outbox
            .range(from.to_be_bytes()..)
            .take(limit)
            .map(|entry| {
                let (key, value) = entry?;
                Ok((seq_of(&key)?, value.to_vec()))
            })
            .collect()
    }

    /// Forgets the events before `seq` (every entry has delivered them).
    pub fn trim_outbox(&self, seq: u64) -> Result<(), StoreError> {
        for key in self.outbox.range(..seq.to_be_bytes()).keys() {
            self.outbox.remove(key?)?;
        }
        Ok(())
    }

    pub fn notify_cursor(&self, entry: &str) -> Result<Option<NotifyCursor>, StoreError> {
        get_json(&self.notify_cursors, entry.as_bytes())
    }

    pub fn put_notify_cursor(&self, entry: &str, cursor: &NotifyCursor) -> Result<(), StoreError> {
        put_json(&self.notify_cursors, entry.as_bytes(), cursor)
    }

    /// Forgets the cursors of entries not in `keep` (removed from the config).
    pub fn retain_notify_cursors(&self, keep: &[String]) -> Result<(), StoreError> {
        for key in self.notify_cursors.iter().keys() {
            let key = key?;
            if !keep.iter().any(|k| k.as_bytes() == key.as_ref()) {
                self.notify_cursors.remove(key)?;
            }
        }
        Ok(())
    }

    /// Every entry's cursor.
    pub fn notify_cursors(&self) -> Result<Vec<NotifyCursor>, StoreError> {
        self.notify_cursors.iter().values().map(|v| decode(&v?)).collect()
    }
}

pub(super) fn seq_of(key: &[u8]) -> Result<u64, StoreError> {
    <[u8; 8]>::try_from(key).map(u64::from_be_bytes).map_err(|_| StoreError::Corrupt("outbox key".into()))
}
