//! The store's side of fixes made by hand: applying a [`Fix`] in one transaction, the pins
//! the merge reads, and the stub work the next run of a channel does (see
//! [`crate::episodes::manual`]).

use sled::Transactional;

use super::episodes::{Indexed, Records, remove_in, transaction_error};
use super::{Store, StoreError, decode, encode};
use crate::episodes::manual::{Fix, Pin, Pins, StubWork};
use crate::model::EpisodeId;

impl Store {
    /// Records the episodes a fix changed, removes the ones it emptied, drops the pins it
    /// replaces and those of the removed episodes, and stores its pins and stub work, all or
    /// nothing.
    pub fn apply_fix(&self, fix: &Fix) -> Result<(), StoreError> {
        let put = Records::of_fix(&fix.put);
        let pins =
            fix.pins.iter().map(|p| encode(p).map(|v| (key_of(p), v))).collect::<Result<Vec<_>, _>>()?;
        let unpinned = self.pins_dropped_by(fix)?;
        let work =
            fix.work.iter().map(|(id, w)| encode(w).map(|v| (id, v))).collect::<Result<Vec<_>, _>>()?;
        let trees = (
            &self.episodes,
            &self.items,
            &self.by_date,
            &self.newest,
            &self.kept,
            &self.pins,
            &self.stub_work,
        );
        trees
            .transaction(|(episodes, items, by_date, newest, kept, pin_tree, work_tree)| {
                let indexed = Indexed { episodes, items, by_date, newest, kept };
                for removed in &fix.removed {
                    remove_in(&removed.id, indexed)?;
                    work_tree.remove(removed.id.as_str().as_bytes())?;
                }
                put.put_in(indexed)?;
                for key in &unpinned {
                    pin_tree.remove(key.as_slice())?;
                }
                for (key, value) in &pins {
                    pin_tree.insert(key.as_slice(), value.as_slice())?;
                }
                for (id, value) in &work {
                    work_tree.insert(id.as_str().as_bytes(), value.as_slice())?;
                }
                Ok(())
            })
            .map_err(transaction_error)
    }

    /// The keys of the pins `fix` drops: those it replaces, and every pin to an episode it
    /// removes (a copy pinned there and seen later is matched by the rules, and does not found
    /// the removed episode again).
    fn pins_dropped_by(&self, fix: &Fix) -> Result<Vec<Vec<u8>>, StoreError> {
        let mut dropped: Vec<Vec<u8>> = fix.unpinned.iter().map(key_of).collect();
        for removed in &fix.removed {
            let pins = self.all_pins_of(&format!("{}\0", removed.channel))?;
            dropped.extend(pins.iter().filter(|p| p.episode == removed.id).map(key_of));
        }
        Ok(dropped)
    }

    /// The pins of `channel`, for its merges.
    pub fn pins(&self, channel: &str) -> Result<Pins, StoreError> {
        let mut pins = Pins::default();
        for pin in self.all_pins_of(&format!("{channel}\0"))? {
            pins.insert(pin);
        }
        Ok(pins)
    }

    /// Every pin whose key starts with `prefix` (all of them for an empty one).
    pub(super) fn all_pins_of(&self, prefix: &str) -> Result<Vec<Pin>, StoreError> {
        self.pins.scan_prefix(prefix.as_bytes()).map(|entry| decode(&entry?.1)).collect()
    }

    /// The stub work waiting for `channel`'s next run (all channels' for `None`).
    pub fn stub_work(&self, channel: Option<&str>) -> Result<Vec<(EpisodeId, StubWork)>, StoreError> {
        let prefix = channel.map(|c| format!("{c}:")).unwrap_or_default();
        let mut work = Vec::new();
        for entry in self.stub_work.scan_prefix(prefix.as_bytes()) {
            let (key, value) = entry?;
            let id = std::str::from_utf8(&key).ok().and_then(EpisodeId::parse);
            work.push((id.ok_or_else(|| StoreError::Corrupt("stub work".into()))?, decode(&value)?));
        }
        Ok(work)
    }

    /// Marks stub work done; called after the episodes it touched are recorded (doing it again
    /// after a crash in between changes nothing).
    pub fn finish_stub_work(&self, done: &[EpisodeId]) -> Result<(), StoreError> {
        for id in done {
            self.stub_work.remove(id.as_str().as_bytes())?;
        }
        Ok(())
    }

    /// Puts pins and stub work back (a recovery from the journal).
    pub(super) fn restore_fixes(
        &self,
        pins: &[Pin],
        work: &[(EpisodeId, StubWork)],
    ) -> Result<(), StoreError> {
        let fix = Fix { pins: pins.to_vec(), work: work.to_vec(), ..Fix::default() };
        self.apply_fix(&fix)
    }
}

/// The key `pin` is stored under.
fn key_of(pin: &Pin) -> Vec<u8> {
    format!("{}\0{}\0{}", pin.channel, pin.platform, pin.platform_id).into_bytes()
}
