//! What the public folder's feed files hold, remembered by [`Stamp`] with a hash of their
//! bytes, so that "does this file hold exactly these bytes, and since when?" costs a `stat`
//! (and a hash when the sizes agree) instead of a read. The public folder asks before it
//! writes and records what it wrote; the served set asks to date a feed by its file. So a
//! rebuild that changed nothing reads no feed file, and a changed feed's file is read by
//! neither (this process wrote it) — before, each was read once by each destination.
//!
//! The memo is process-wide and keyed by the file's path, because the two destinations that
//! ask are separate values built from the same config path (and both are built by tests as
//! bare values). A stale entry costs a read, never a wrong answer: a file changed behind our
//! back has another stamp. Files are replaced by rename (a new inode), so no racy-stamp rule
//! is needed for what we wrote.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};
use std::time::SystemTime;

use crate::files::Stamp;
use crate::hash::hash_hex;

/// A file's stamp when we last saw its bytes, and their hash.
struct Known {
    stamp: Stamp,
    hash: String,
}

static KNOWN: LazyLock<Mutex<HashMap<PathBuf, Known>>> = LazyLock::new(Mutex::default);

/// The file's modification time when `path` holds exactly `bytes`; `None` when it holds other
/// bytes or cannot be read.
pub fn held_since(path: &Path, bytes: &[u8]) -> Option<SystemTime> {
    let stamp = Stamp::read(path).ok()?;
    if stamp.len != bytes.len() as u64 {
        return None;
    }
    let mut known = KNOWN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let held = match known.get(path) {
        Some(seen) if seen.stamp == stamp => seen.hash == hash_hex(bytes),
        _ => {
            let on_disk = std::fs::read(path).ok()?;
            known.insert(path.to_owned(), Known { stamp, hash: hash_hex(&on_disk) });
            on_disk == bytes
        }
    };
    held.then_some(stamp.modified)
}

/// Records that `path` was just replaced with `bytes`.
pub fn wrote(path: &Path, bytes: &[u8]) {
    let Ok(stamp) = Stamp::read(path) else { return };
    let mut known = KNOWN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    known.insert(path.to_owned(), Known { stamp, hash: hash_hex(bytes) });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_from_the_stamp_and_notices_a_change_behind_its_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed.xml");
        std::fs::write(&path, "<rss>1</rss>").unwrap();
        assert!(held_since(&path, b"<rss>1</rss>").is_some());
        assert!(held_since(&path, b"<rss>2</rss>").is_none(), "same size, other bytes");
        assert!(held_since(&path, b"<rss/>").is_none(), "other size");
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&path, "<rss>2</rss>").unwrap();
        assert!(held_since(&path, b"<rss>2</rss>").is_some(), "rewritten in place: read again");
        crate::files::replace(&path, b"<rss>3</rss>").unwrap();
        wrote(&path, b"<rss>3</rss>");
        assert_eq!(held_since(&path, b"<rss>3</rss>"), Some(Stamp::read(&path).unwrap().modified));
        assert!(held_since(&dir.path().join("missing.xml"), b"").is_none());
    }
}
