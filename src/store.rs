//! The only sled code: what syndicator remembers between runs.
//!
//! The content folder is the source of truth for what has been stubbed; this store is an index
//! of it that can always be rebuilt (stubs carry `syndicator_id`). Episode records are in a
//! compact binary encoding with a format byte (`codec.rs`; JSON ones from schema 1 still
//! load); the other values are JSON.
//!
//! Key schema (schema version 3; `schema.rs` migrates a store of version 1 or 2):
//!
//! | tree       | key                                   | value                               |
//! |------------|---------------------------------------|-------------------------------------|
//! | `meta`     | `schema_version`                      | u32, big-endian                     |
//! | `meta`     | `generation`                          | u64, big-endian: flushes so far, also in the journal |
//! | `episodes` | `<episode id>` = `<channel>:<platform>:<platform id>` | [`Episode`], `codec.rs` encoding |
//! | `items`    | `<channel>\0<platform>\0<platform id>` | the episode id the item belongs to, when that episode is not named after it (since 3) |
//! | `sources`  | `<channel>\0<platform>\0<url>`        | [`SourceState`]: validators, backoff |
//! | `channels` | `<channel>`                           | [`ChannelState`]: last poll, counts  |
//! | `by_date`  | published (8 bytes, big-endian, order-preserving) + `<episode id>` | empty: an ordered index for feeds |
//! | `recovered`| `<channel>\0<platform>`               | [`journal::Newest`]: the newest publish time before the store was lost |
//! | `newest`   | `<channel>\0<platform>`               | [`journal::Newest`]: the newest publish time of any recorded copy (since 2) |
//! | `kept`     | `<episode id>`                        | empty: the episode's stub was deleted or edited by its author (since 2) |
//! | `uploads`  | `<destination>\0<feed path>`          | hex SHA-256 of the bytes last uploaded there successfully |
//! | `outbox`   | sequence number (u64, big-endian)     | an event's JSON, exactly as delivered |
//! | `notify_cursors` | `<kind>\0<url or program and args, \0-separated>` | [`NotifyCursor`]: next sequence number, backoff |
//! | `websub`   | `<callback token>`                    | [`Subscription`]: topic, hub, secret, state, lease, last notification |
//! | `pins`     | `<channel>\0<platform>\0<platform id>` | [`Pin`](crate::episodes::manual::Pin): the episode the copy belongs to, decided by hand |
//! | `stub_work`| `<episode id>`                        | [`StubWork`](crate::episodes::manual::StubWork) a fix by hand left for the channel's next run |
//! | `covers`   | `<episode id>`                        | [`PendingState`]: a bundle's cover not downloaded yet |
//! | `transcripts` | `<episode id>`                     | [`PendingState`]: a transcript the show offers, not written yet |
//!
//! Channel ids cannot contain `:`, so `<channel>:` prefixes exactly one channel's episodes.
//!
//! An item belongs to the episode its `items` entry names; without one, to the episode named
//! after it, if that is recorded. The copy that founded an episode (most copies: every
//! episode of a one-platform channel) so costs no index key. A copy is never dropped, only
//! moved by a fix by hand, which writes the entry of a copy it moves away from the episode
//! named after it and removes the entry of one it moves back (stores of version 2 have an
//! entry for every copy; they still say the truth).
//!
//! A source's state is keyed by its URL too: a corrected or moved URL is a new source (its
//! first fetch is backfilled, its validators and backoff start fresh). Saving a source's state
//! removes the states of the channel's earlier URLs on that platform. Stores written before
//! URLs were part of the key hold `<channel>\0<platform>` keys; such a state is read as the
//! state of the URL configured now (the one it was almost always saved for) and replaced by
//! the keyed one at the next save, so the schema version stays 1.
//! A fix by hand (`link`, `unlink`, `forget`) changes episodes, pins and stub work in one
//! transaction (`manual.rs`); the `pins` and `stub_work` trees came with schema 1 and need no
//! migration.
//! `newest` and `kept` are written in the transaction of the episodes they summarise (a
//! run's or a fix's), so the journal reads them instead of every episode: a flush costs
//! O(channels + kept + fixes), not O(history).
//! Events are queued in the same transaction as the episode record they describe, and kept
//! until every `[[notify]]` entry's cursor has passed them (see `outbox.rs`).
//! Subscriptions are not in the journal: a lost store subscribes anew at the next start-up
//! (new tokens and secrets); the hub's old subscriptions answer 404 and run out with their
//! leases.
//! Writes are not durable until [`Store::flush`], which callers invoke at each commit point;
//! each flush then rewrites the [`journal`] beside the store, from which [`open_or_recover`]
//! rebuilds a store that sled can no longer open (`recovered` is only filled then).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use thiserror::Error;

use crate::model::{Episode, EpisodeId, Item, Platform, Validators};
pub use outbox::NotifyCursor;
pub use pending::{Pending, PendingState};
pub use websub::{Subscription, SubscriptionState};

mod codec;
mod episodes;
mod outbox;
mod pending;
mod schema;
mod websub;

/// The version of the key schema above; bumped with a migration when it changes.
pub const SCHEMA_VERSION: u32 = 3;
const SCHEMA_KEY: &[u8] = b"schema_version";

#[derive(Debug, Error)]
pub enum StoreError {
    #[error(
        "the store {0} is in use by another syndicator process (a running `syndicator serve`?); \
         use its `POST /api/sync`, or stop it first"
    )]
    Locked(PathBuf),
    #[error("cannot open the store {path}: {source}")]
    Open { path: PathBuf, source: sled::Error },
    #[error(
        "the store {path} has schema version {found}, newer than this syndicator supports \
         ({SCHEMA_VERSION}); upgrade syndicator"
    )]
    NewerSchema { path: PathBuf, found: u32 },
    #[error("the store is corrupt: {0}; move it aside and run sync again to rebuild it from the stubs")]
    Corrupt(String),
    #[error("store error: {0}")]
    Sled(#[from] sled::Error),
    #[error("cannot move the damaged store {path} aside: {source}")]
    MoveAside { path: PathBuf, source: std::io::Error },
    #[error("cannot write the store's journal {path}: {source}")]
    Journal { path: PathBuf, source: std::io::Error },
}

/// Per platform URL of a channel: validators and failure backoff.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceState {
    pub validators: Validators,
    /// Consecutive failures; 0 after a success.
    pub failures: u32,
    /// Do not poll before this time (backoff or the server's `Retry-After`).
    pub retry_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// The hub the feed named at its last change (RSS/Atom sources, when subscribing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub: Option<HubLink>,
}

/// The WebSub hub a feed names, and the feed's own URL (the topic the hub knows it by).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubLink {
    pub hub: String,
    pub self_url: Option<String>,
}

/// Per channel: what `status` shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChannelState {
    pub last_poll: Option<DateTime<Utc>>,
    /// `failed`, `ok, nothing new` or `ok, N new episode(s)`.
    pub last_result: Option<String>,
    pub last_error: Option<String>,
    pub stubs_written: u64,
}

pub struct Store {
    db: sled::Db,
    episodes: sled::Tree,
    items: sled::Tree,
    sources: sled::Tree,
    channels: sled::Tree,
    by_date: sled::Tree,
    recovered: sled::Tree,
    /// Per channel and platform, the newest publish time recorded: the journal's floors.
    newest: sled::Tree,
    /// The ids of episodes whose stub the author deleted or edited: the journal's episodes.
    kept: sled::Tree,
    meta: sled::Tree,
    /// Where [`Store::flush`] writes the journal; `None` for a temporary store.
    journal: Option<PathBuf>,
    uploads: sled::Tree,
    outbox: sled::Tree,
    notify_cursors: sled::Tree,
    websub: sled::Tree,
    /// Copies pinned to an episode by hand (`link`, `unlink`).
    pins: sled::Tree,
    /// Stubs a fix made by hand left for the next run of their channel.
    stub_work: sled::Tree,
    /// Bundles whose cover is still to be downloaded (see `pending.rs`).
    covers: sled::Tree,
    /// Stubs whose transcript is still to be fetched (see `pending.rs`).
    transcripts: sled::Tree,
}

impl Store {
    /// Opens (or creates) the store at `path`, checking its schema version. Damaged files are
    /// [`StoreError::Corrupt`]: sled's own corruption errors, and its panics on some damaged
    /// files too (caught here, so that the message says what to do instead of a backtrace).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        snapshots::remove_unfinished(path).map_err(|source| open_error(path, source.into()))?;
        let db = std::panic::catch_unwind(|| sled_config().path(path).open())
            .map_err(|_| StoreError::Corrupt(format!("sled cannot read {}", path.display())))?
            .map_err(|source| open_error(path, source))?;
        let mut store = Store::init(db, path)?;
        store.journal = Some(journal::path_beside(path));
        Ok(store)
    }

    /// An in-memory store that vanishes on drop (dry runs without a store, tests).
    pub fn temporary() -> Result<Store, StoreError> {
        let db = sled_config().temporary(true).open()?;
        Store::init(db, Path::new("(temporary)"))
    }

    fn init(db: sled::Db, path: &Path) -> Result<Store, StoreError> {
        let meta = db.open_tree("meta")?;
        let found = schema::stored_version(&meta)?;
        if let Some(found) = found.filter(|found| *found > SCHEMA_VERSION) {
            return Err(StoreError::NewerSchema { path: path.to_owned(), found });
        }
        let store = Store {
            episodes: db.open_tree("episodes")?,
            items: db.open_tree("items")?,
            sources: db.open_tree("sources")?,
            channels: db.open_tree("channels")?,
            by_date: db.open_tree("by_date")?,
            recovered: db.open_tree("recovered")?,
            uploads: db.open_tree("uploads")?,
            outbox: db.open_tree("outbox")?,
            notify_cursors: db.open_tree("notify_cursors")?,
            websub: db.open_tree("websub")?,
            pins: db.open_tree("pins")?,
            stub_work: db.open_tree("stub_work")?,
            newest: db.open_tree("newest")?,
            kept: db.open_tree("kept")?,
            covers: db.open_tree("covers")?,
            transcripts: db.open_tree("transcripts")?,
            db,
            meta,
            journal: None,
        };
        store.migrate(found)?;
        Ok(store)
    }

    /// Makes every write so far durable, then counts the flush and rewrites the journal.
    pub fn flush(&self) -> Result<(), StoreError> {
        let Some(path) = &self.journal else { return Ok(self.db.flush().map(drop)?) };
        let generation = self.next_generation()?;
        self.db.flush()?;
        journal::Journal::of(self, generation)?.write(path)
    }

    /// The state of `channel`'s `platform` source at `url` (fresh for a URL never polled).
    pub fn source_state(
        &self,
        channel: &str,
        platform: Platform,
        url: &str,
    ) -> Result<SourceState, StoreError> {
        match get_json(&self.sources, &source_key(channel, platform, url))? {
            Some(state) => Ok(state),
            None => {
                get_json(&self.sources, &legacy_source_key(channel, platform)).map(Option::unwrap_or_default)
            }
        }
    }

    /// Saves the state of the source at `url`, and forgets the platform's earlier URLs.
    pub fn put_source_state(
        &self,
        channel: &str,
        platform: Platform,
        url: &str,
        state: &SourceState,
    ) -> Result<(), StoreError> {
        let key = source_key(channel, platform, url);
        let legacy = legacy_source_key(channel, platform);
        let mut prefix = legacy.clone();
        prefix.push(0);
        for old in self.sources.scan_prefix(&prefix).keys() {
            let old = old?;
            if old != key.as_slice() {
                self.sources.remove(old)?;
            }
        }
        self.sources.remove(&legacy)?;
        put_json(&self.sources, &key, state)
    }

    /// The hash of the bytes last uploaded successfully to `destination` at `path`.
    pub fn uploaded_hash(&self, destination: &str, path: &str) -> Result<Option<String>, StoreError> {
        let raw = self.uploads.get(upload_key(destination, path))?;
        raw.map(|raw| {
            String::from_utf8(raw.to_vec()).map_err(|_| StoreError::Corrupt("upload hashes".into()))
        })
        .transpose()
    }

    /// Records a successful upload of bytes hashing to `hash` to `destination` at `path`.
    pub fn put_uploaded_hash(&self, destination: &str, path: &str, hash: &str) -> Result<(), StoreError> {
        self.uploads.insert(upload_key(destination, path), hash.as_bytes())?;
        Ok(())
    }

    pub fn channel_state(&self, channel: &str) -> Result<ChannelState, StoreError> {
        get_json(&self.channels, channel.as_bytes()).map(Option::unwrap_or_default)
    }

    pub fn put_channel_state(&self, channel: &str, state: &ChannelState) -> Result<(), StoreError> {
        put_json(&self.channels, channel.as_bytes(), state)
    }

    /// Whether `channel` has recorded the item `platform_id` of `platform`.
    pub fn knows_item(
        &self,
        channel: &str,
        platform: Platform,
        platform_id: &str,
    ) -> Result<bool, StoreError> {
        Ok(self.episode_of_copy(channel, platform, platform_id)?.is_some())
    }

    /// The id of the episode an item already belongs to.
    pub fn episode_of_item(&self, channel: &str, item: &Item) -> Result<Option<String>, StoreError> {
        self.episode_of_copy(channel, item.platform, &item.platform_id)
    }

    /// The episode its index entry names, else the recorded episode named after the copy.
    fn episode_of_copy(
        &self,
        channel: &str,
        platform: Platform,
        platform_id: &str,
    ) -> Result<Option<String>, StoreError> {
        if let Some(raw) = self.items.get(item_id_key(channel, platform, platform_id))? {
            let id = String::from_utf8(raw.to_vec()).map_err(|_| StoreError::Corrupt("item index".into()))?;
            return Ok(Some(id));
        }
        let named = EpisodeId::named_after(channel, platform, platform_id);
        Ok(self.episodes.contains_key(named.as_str())?.then(|| named.as_str().to_owned()))
    }

    pub fn episode(&self, id: &str) -> Result<Option<Episode>, StoreError> {
        self.episodes.get(id.as_bytes())?.map(|raw| codec::decode(&raw)).transpose()
    }

    /// Records an episode and indexes all its copies and its date, atomically.
    pub fn put_episode(&self, episode: &Episode) -> Result<(), StoreError> {
        self.put_episodes(std::slice::from_ref(episode))
    }

    /// Records episodes and indexes their copies and dates, all in one transaction (one per
    /// channel commit instead of one per episode: the transaction, not the data, was the cost).
    pub fn put_episodes(&self, batch: &[Episode]) -> Result<(), StoreError> {
        self.put_episodes_and_events(batch, &[])
    }
}

fn open_error(path: &Path, source: sled::Error) -> StoreError {
    let locked = matches!(&source, sled::Error::Io(e)
        if e.kind() == std::io::ErrorKind::WouldBlock || e.to_string().contains("lock"));
    if locked {
        StoreError::Locked(path.to_owned())
    } else if matches!(source, sled::Error::Corruption { .. } | sled::Error::Unsupported(_)) {
        StoreError::Corrupt(format!("{}: {source}", path.display()))
    } else {
        StoreError::Open { path: path.to_owned(), source }
    }
}

fn source_key(channel: &str, platform: Platform, url: &str) -> Vec<u8> {
    format!("{channel}\0{platform}\0{url}").into_bytes()
}

/// The key of a source's state in stores written before URLs were part of it.
fn legacy_source_key(channel: &str, platform: Platform) -> Vec<u8> {
    format!("{channel}\0{platform}").into_bytes()
}

/// sled's page cache, in bytes: sled's default (1 GiB) lets a long-running process keep every
/// page it ever read, so memory grew with the history; a run touches little of it.
const CACHE_BYTES: u64 = 16 << 20;

fn sled_config() -> sled::Config {
    sled::Config::new().cache_capacity(CACHE_BYTES)
}

fn item_key(channel: &str, item: &Item) -> Vec<u8> {
    item_id_key(channel, item.platform, &item.platform_id)
}

fn item_id_key(channel: &str, platform: Platform, platform_id: &str) -> Vec<u8> {
    format!("{channel}\0{platform}\0{platform_id}").into_bytes()
}

fn upload_key(destination: &str, path: &str) -> Vec<u8> {
    format!("{destination}\0{path}").into_bytes()
}

fn get_json<T: DeserializeOwned>(tree: &sled::Tree, key: &[u8]) -> Result<Option<T>, StoreError> {
    tree.get(key)?.map(|raw| decode(&raw)).transpose()
}

fn put_json<T: Serialize>(tree: &sled::Tree, key: &[u8], value: &T) -> Result<(), StoreError> {
    tree.insert(key, encode(value)?)?;
    Ok(())
}

fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn decode<T: DeserializeOwned>(raw: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(raw).map_err(|e| StoreError::Corrupt(format!("undecodable record: {e}")))
}

pub mod journal;
mod manual;
mod recover;
mod snapshots;
#[cfg(test)]
mod tests;

pub use recover::{Recovery, open_or_recover};
