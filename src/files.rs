//! Writing files atomically: a temporary file in the same folder, fsync, rename (or a hard
//! link, which never replaces anything), fsync of the folder. Readers see the old bytes or the
//! new ones, never a mix; a new file appears whole or not at all. And telling that a file
//! changed without reading it ([`Stamp`]).

mod stamp;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub use stamp::{RACY_WINDOW, Stamp};

/// The prefix and suffix of temporary files, so a crashed run's leftovers can be recognised.
pub const TEMP_PREFIX: &str = ".syndicator-";
pub const TEMP_SUFFIX: &str = ".tmp";

/// A fresh temporary name in `dir` (`.syndicator-<pid>-<n>.tmp`), for a file or a folder.
pub fn temp_path(dir: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!("{TEMP_PREFIX}{}-{n}{TEMP_SUFFIX}", std::process::id()))
}

/// Whether a file or folder name is one of [`temp_path`]'s.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)
}

/// Writes `bytes` to a new temporary file in `dir`, durably, and returns its path.
pub fn write_temp(dir: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let path = temp_path(dir);
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

/// Creates `path` holding `bytes`, durably, unless it exists: `false` then, and nothing is
/// touched. The file appears whole (a temporary file hard-linked to its name).
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let temp = write_temp(dir, bytes)?;
    let linked = fs::hard_link(&temp, path);
    let _ = fs::remove_file(&temp);
    match linked {
        Ok(()) => sync_dir(dir).map(|()| true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Renames `from` (a file or a folder) to `to` unless `to` exists: `false` then. On Linux
/// this is one `renameat2(RENAME_NOREPLACE)`; where that is unsupported, a check right
/// before a plain rename (which could only replace an empty folder made in between).
pub fn rename_no_replace(from: &Path, to: &Path) -> io::Result<bool> {
    match renameat2_no_replace(from, to) {
        Ok(()) => return Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) if !matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) => return Err(e),
        Err(_) => {}
    }
    if fs::symlink_metadata(to).is_ok() {
        return Ok(false);
    }
    fs::rename(from, to).map(|()| true)
}

#[cfg(target_os = "linux")]
fn renameat2_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
    let (from, to) = (c(from)?, c(to)?);
    // SAFETY: both arguments are valid NUL-terminated paths that outlive the call.
    let result = unsafe {
        libc::renameat2(libc::AT_FDCWD, from.as_ptr(), libc::AT_FDCWD, to.as_ptr(), libc::RENAME_NOREPLACE)
    };
    if result == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

#[cfg(not(target_os = "linux"))]
fn renameat2_no_replace(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from_raw_os_error(libc::ENOSYS))
}

/// Removes the entries of `dir` (files, and folders with their contents) whose name and type
/// `matches`; returns how many. A missing `dir` has none.
pub fn remove_matching(dir: &Path, matches: impl Fn(&str, fs::FileType) -> bool) -> io::Result<usize> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let kind = entry.file_type()?;
        if matches(&entry.file_name().to_string_lossy(), kind) {
            if kind.is_dir() {
                fs::remove_dir_all(entry.path())?
            } else {
                fs::remove_file(entry.path())?
            }
            removed += 1;
        }
    }
    Ok(removed)
}

/// Makes a folder's entries (a new or renamed file) durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}
