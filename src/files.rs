//! Writing files atomically: a temporary file in the same folder, fsync, rename, fsync of the
//! folder. Readers see the old bytes or the new ones, never a mix.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The prefix and suffix of temporary files, so a crashed run's leftovers can be recognised.
pub const TEMP_PREFIX: &str = ".syndicator-";
pub const TEMP_SUFFIX: &str = ".tmp";

/// Writes `bytes` to a new temporary file in `dir`, durably, and returns its path.
pub fn write_temp(dir: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path = dir.join(format!("{TEMP_PREFIX}{}-{n}{TEMP_SUFFIX}", std::process::id()));
    let mut file = fs::OpenOptions::new().write(true).create_new(true).open(&path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(path)
}

/// Atomically replaces (or creates) `path` with `bytes`.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_if(path, bytes, || true).map(drop)
}

/// Atomically replaces `path` with `bytes` if `still_wanted()`, asked after the new bytes are
/// durable and just before the rename (so a check of the old file is as late as possible).
/// Returns whether it replaced.
pub fn replace_if(path: &Path, bytes: &[u8], still_wanted: impl FnOnce() -> bool) -> io::Result<bool> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let temp = write_temp(dir, bytes)?;
    if !still_wanted() {
        fs::remove_file(&temp)?;
        return Ok(false);
    }
    fs::rename(&temp, path).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })?;
    sync_dir(dir)?;
    Ok(true)
}

/// Makes a folder's entries (a new or renamed file) durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}
