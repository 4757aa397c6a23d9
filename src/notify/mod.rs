//! Telling the author: events (a stub written or updated, embeds waiting for an edited stub, a
//! source failing or recovered) go to each `[[notify]]` entry that wants them — a webhook
//! (signed JSON), an ntfy topic, or a local command.
//!
//! Delivery is at-least-once from the store's outbox: the pipeline queues an event in the same
//! store commit as the change it describes, and [`deliver`] (at the end of `sync`, after each
//! channel run of `serve`) sends each entry the events after its cursor, in order, one at a
//! time: event N+1 waits until N succeeded. A failed send moves nothing forward and backs the
//! entry off (see [`backoff`]); the event is retried by a later run. Each run is bounded in
//! events and time, so a slow receiver never holds up a sync for long.

mod deliver;
mod event;
mod hook;
mod send;

pub use deliver::{backoff, deliver};
pub use event::{Event, EventKind, FAILING_AFTER, event_id};

use crate::config::{Config, Notify};
use crate::store::{NotifyCursor, Store, StoreError};

/// The store key of an entry's cursor: its kind and where it sends, so that changing its
/// filters keeps its place and changing its target starts afresh.
pub fn entry_key(entry: &Notify) -> String {
    let target = match entry.url.as_ref() {
        Some(url) => url.to_string(),
        None => entry.command.join("\0"),
    };
    format!("{}\0{target}", entry.kind().as_str())
}

/// Gives each configured entry a cursor (a new entry starts at the end of the outbox: it gets
/// what happens from now on) and forgets the cursors of entries no longer configured.
pub fn register(config: &Config, store: &Store) -> Result<(), StoreError> {
    let keys: Vec<String> = config.notify.iter().map(entry_key).collect();
    let end = store.outbox_end()?;
    for key in &keys {
        if store.notify_cursor(key)?.is_none() {
            store.put_notify_cursor(key, &NotifyCursor { next: end, ..NotifyCursor::default() })?;
        }
    }
    store.retain_notify_cursors(&keys)
}

/// Serialises events for the outbox; nothing when no entry is configured (nobody would ever
/// take them out).
pub fn queueable(config: &Config, events: &[Event]) -> Vec<Vec<u8>> {
    if config.notify.is_empty() {
        return Vec::new();
    }
    events.iter().filter_map(|event| serde_json::to_vec(event).ok()).collect()
}
