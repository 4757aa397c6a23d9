//! A file's [`Stamp`]: what `stat` says about its bytes, so a reader can tell that a file
//! changed without reading it. It holds the size, the modification time, the change time
//! (which any write or `touch` moves and no user can set back), the inode (a file replaced by
//! a rename has a new one) and the device. An edit that keeps the size and lands in the same
//! timestamp tick as the stamp was taken is the one change a stamp can miss; a stamp taken
//! within [`RACY_WINDOW`] of the file's last change is *racy* and should not be trusted yet
//! (git's "racy clean" rule).

use std::fs::Metadata;
use std::io;
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// How long after a change a stamp stays racy: longer than the coarsest timestamp tick of
/// common file systems (1 s; 2 s on FAT).
pub const RACY_WINDOW: Duration = Duration::from_secs(2);

/// What `stat` says about a file's bytes; equal stamps mean unchanged bytes (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// The size in bytes: an edit that keeps the times (`touch -r`, a restored mtime) shows here.
    pub len: u64,
    /// The modification time, as the file says.
    pub modified: SystemTime,
    /// The change time in nanoseconds since the epoch: moved by every write and rename.
    changed: i128,
    /// Inode and device: a file replaced by another (atomic save, rename over) is a new one.
    inode: (u64, u64),
}

impl Stamp {
    /// The stamp of the file `path` names (symlinks followed).
    pub fn read(path: &Path) -> io::Result<Stamp> {
        std::fs::metadata(path).map(|meta| Stamp::of(&meta))
    }

    /// The stamp in `meta`.
    pub fn of(meta: &Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            changed: i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
            inode: (meta.ino(), meta.dev()),
        }
    }

    /// True when the file changed (or claims to have) within `window` (normally
    /// [`RACY_WINDOW`]) before `now`, or after it: a same-size edit right after this stamp
    /// could keep it, so it proves nothing yet.
    pub fn is_racy(&self, now: SystemTime, window: Duration) -> bool {
        let since = |time: SystemTime| now.duration_since(time).map_or(true, |age| age < window);
        let changed = u64::try_from(self.changed)
            .ok()
            .map(|nanos| SystemTime::UNIX_EPOCH + Duration::from_nanos(nanos));
        since(self.modified) || changed.is_none_or(since)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_same_size_edit_with_the_old_mtime_still_changes_the_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.md");
        std::fs::write(&path, "one").unwrap();
        let old = std::fs::File::options().write(true).open(&path).unwrap();
        old.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000)).unwrap();
        let before = Stamp::read(&path).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&path, "two").unwrap();
        old.set_modified(before.modified).unwrap();
        let after = Stamp::read(&path).unwrap();
        assert_eq!((after.len, after.modified), (before.len, before.modified));
        assert_ne!(after, before, "the change time moved");
    }

    #[test]
    fn a_fresh_stamp_is_racy_and_an_old_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.md");
        std::fs::write(&path, "x").unwrap();
        let stamp = Stamp::read(&path).unwrap();
        assert!(stamp.is_racy(SystemTime::now(), RACY_WINDOW));
        assert!(!stamp.is_racy(SystemTime::now() + RACY_WINDOW + Duration::from_secs(1), RACY_WINDOW));
    }
}
