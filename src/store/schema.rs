//! The store's schema version, checked at every open, and the migrations up to
//! [`SCHEMA_VERSION`] (see the key schema in the module docs of `store`).
//!
//! 1 → 2: episode records may be in the compact encoding ([`super::codec`]; JSON ones still
//! load and are re-encoded when next saved), and the `newest` and `kept` trees summarise the
//! episodes for the journal. The migration fills both from one pass over the episodes, then
//! writes the new version; a crash before that leaves version 1 and the next open runs the
//! migration again, which gives the same result.
//!
//! 2 → 3: the item index leaves out the copy an episode is named after (see `store`). The
//! entries a store of version 2 has for such copies still say the truth, so nothing is
//! rewritten; the version is raised because an older syndicator would take a copy without an
//! entry for a new item.

use super::episodes::newest_of;
use super::journal::{Newest, is_kept};
use super::recover::platform_key;
use super::{SCHEMA_KEY, SCHEMA_VERSION, Store, StoreError, codec, put_json};

/// The schema version `meta` holds; `None` for a new store.
pub(super) fn stored_version(meta: &sled::Tree) -> Result<Option<u32>, StoreError> {
    let Some(raw) = meta.get(SCHEMA_KEY)? else { return Ok(None) };
    <[u8; 4]>::try_from(raw.as_ref())
        .map(|raw| Some(u32::from_be_bytes(raw)))
        .map_err(|_| StoreError::Corrupt("unreadable schema version".into()))
}

impl Store {
    /// Brings a store at schema `found` (`None`: new) to [`SCHEMA_VERSION`].
    pub(super) fn migrate(&self, found: Option<u32>) -> Result<(), StoreError> {
        if found == Some(1) {
            self.summarise_episodes()?;
        }
        if found != Some(SCHEMA_VERSION) {
            self.meta.insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes())?;
        }
        Ok(())
    }

    /// Fills `newest` and `kept` from every episode record (the 1 → 2 migration), decoding
    /// one record at a time.
    fn summarise_episodes(&self) -> Result<(), StoreError> {
        let mut newest = std::collections::BTreeMap::new();
        for entry in self.episodes.iter() {
            let episode = codec::decode(&entry?.1)?;
            for (key, published) in newest_of([&episode]) {
                let slot = newest.entry(key).or_insert(published);
                *slot = (*slot).max(published);
            }
            if is_kept(&episode) {
                self.kept.insert(episode.id.as_str().as_bytes(), &[])?;
            }
        }
        for ((channel, platform), published) in newest {
            let key = platform_key(&channel, platform);
            put_json(&self.newest, &key, &Newest { channel, platform, published })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
