//! The cause of the corrupt stores seen after SIGKILL, and its fix.
//!
//! sled 0.34.7 writes a snapshot of its page table on every open (recovery advances it) and
//! whenever enough has changed: to `snap.<lsn>.generating`, then fsync, then a rename to
//! `snap.<lsn>`. But when it reads the newest snapshot back it sorts every `snap.*` file by
//! name, `.generating` ones included, and takes the last, which is the unfinished one. A
//! process killed while that file is half written therefore leaves a store that every later
//! open refuses with `Read corrupted data at file offset None` (its length or checksum is
//! wrong), although nothing else is damaged.
//!
//! An unfinished snapshot holds nothing that the finished one before it and the log do not:
//! removing it before the open makes sled recover exactly as if the kill had come just before
//! the snapshot was begun.

use std::io;
use std::path::Path;

/// Removes the snapshots sled never finished writing in the store folder `path`; returns how
/// many. A missing folder (a new store) has none.
pub fn remove_unfinished(path: &Path) -> io::Result<usize> {
    crate::files::remove_matching(path, |name, kind| {
        kind.is_file() && name.starts_with("snap.") && name.ends_with(".generating")
    })
}

#[cfg(test)]
mod tests {
    use crate::store::tests::reopen;
    use crate::store::{ChannelState, Store};

    /// What a SIGKILL during sled's snapshot write leaves: the finished snapshot, and a newer
    /// `.generating` one cut short.
    #[test]
    fn a_snapshot_cut_short_by_a_kill_is_not_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let state = ChannelState { stubs_written: 4, ..ChannelState::default() };
        {
            let store = Store::open(&path).unwrap();
            store.put_channel_state("mlst", &state).unwrap();
            store.flush().unwrap();
        }
        drop(reopen(&path).unwrap());
        let finished = std::fs::read_dir(&path)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .find(|name| name.starts_with("snap."))
            .expect("sled wrote a snapshot");
        let bytes = std::fs::read(path.join(&finished)).unwrap();
        std::fs::write(path.join(format!("{finished}.generating")), &bytes[..bytes.len() / 2]).unwrap();
        let store = reopen(&path).expect("the store opens");
        assert_eq!(store.channel_state("mlst").unwrap(), state, "nothing is lost");
        let left = std::fs::read_dir(&path)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".generating"));
        assert_eq!(left.count(), 0, "the unfinished snapshot is gone");
    }
}
