//! Knowing that nothing under `content/` changed without looking at every file: while the
//! site's folders are walked, each one is watched (Linux inotify) *before* it is listed, so a
//! change after the listing queues an event in the kernel, and a change before it is in the
//! listing. The queue is read without blocking, on the thread that rebuilds, so every change
//! that finished before the rebuild began is seen (a watcher thread would hand it over later).
//! Any event at all — a page written, touched, created, deleted or renamed, a folder moved,
//! the queue overflowing — means "walk again"; the events' contents are never read, so no
//! event can be misread.
//!
//! The watch only vouches for what reaches its folders' events. It gives up ([`Watch::blind`])
//! on a folder on a file system whose changes may not pass through this kernel (NFS, SMB,
//! FUSE, 9p …: only local ones are trusted), on a page file that is a symlink or has other
//! hard links (an edit through another path notifies another folder), on a symlink to
//! anything but a folder (its target may appear later), when the kernel refuses a watch (the
//! `fs.inotify.max_user_watches` limit) and off Linux. The content folder and every symlinked
//! folder are *anchors*: the path is `stat`ed again at each check, so a retargeted `content`
//! link or a renamed ancestor is seen, though no watched folder had an event. Not seen (the
//! kernel tells no watched folder): a file system mounted over a folder inside `content/`
//! while `serve` runs, and an edit through a hard link to a page made outside `content/`
//! after the walk (a link made before it makes the watch give up).

use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

/// The watch of one walk of the content folder.
#[derive(Debug)]
pub struct Watch {
    /// The kernel's queue of events for every folder watched (`None` off Linux).
    queue: Option<os::Queue>,
    /// Paths whose folder must stay the same one (device, inode), as `stat` found them
    /// before their listing; `None` for a path that did not resolve.
    anchors: Vec<(PathBuf, Option<(u64, u64)>)>,
    /// Why the watch cannot vouch for the site, from the first thing that made it so.
    blind: Option<String>,
}

impl Watch {
    /// A watch with no folder yet; blind when the kernel gives no event queue.
    pub fn start() -> Watch {
        match os::Queue::open() {
            Ok(queue) => Watch { queue: Some(queue), anchors: Vec::new(), blind: None },
            Err(why) => Watch { queue: None, anchors: Vec::new(), blind: Some(why) },
        }
    }

    /// Watches the folder `dir`; call it before listing the folder.
    pub fn folder(&mut self, dir: &Path) {
        if self.blind.is_none()
            && let Some(queue) = &self.queue
            && let Err(why) = queue.watch(dir)
        {
            self.blind = Some(format!("{}: {why}", dir.display()));
        }
    }

    /// Makes `path` an anchor (see the module docs); call it before [`Watch::folder`].
    pub fn anchor(&mut self, path: &Path) {
        if self.blind.is_none() {
            self.anchors.push((path.to_owned(), identity(path)));
        }
    }

    /// Gives up: `file` is `why` (a symlink, a hard link …), so its changes may not be seen.
    pub fn blind_spot(&mut self, file: &Path, why: &str) {
        if self.blind.is_none() {
            self.blind = Some(format!("{} {why}", file.display()));
        }
    }

    /// Why the watch cannot vouch for the site, if it cannot.
    pub fn blind(&self) -> Option<&str> {
        self.blind.as_deref()
    }

    /// True when nothing under the watched folders changed since they were watched: the watch
    /// is not blind, no event is queued, and every anchor is still the same folder.
    pub fn quiet(&self) -> bool {
        let Some(queue) = self.queue.as_ref().filter(|_| self.blind.is_none()) else { return false };
        !queue.has_events() && self.anchors.iter().all(|(path, id)| identity(path) == *id)
    }
}

/// The device and inode of the folder `path` names (symlinks followed).
fn identity(path: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(path).ok().map(|meta| (meta.dev(), meta.ino()))
}

#[cfg(target_os = "linux")]
mod os {
    use std::os::fd::OwnedFd;
    use std::path::Path;

    use rustix::fs::inotify::{self, CreateFlags, WatchFlags};
    use rustix::io::Errno;

    /// File systems whose every change passes through this kernel, by `statfs` magic:
    /// ext2/3/4, XFS, Btrfs, tmpfs, F2FS, ZFS, bcachefs, overlayfs.
    const LOCAL: &[u64] =
        &[0xEF53, 0x5846_5342, 0x9123_683E, 0x0102_1994, 0xF2F5_2010, 0x2FC1_2FC1, 0xCA45_1A4E, 0x794C_7630];

    /// An inotify instance, read without blocking.
    #[derive(Debug)]
    pub struct Queue(OwnedFd);

    impl Queue {
        pub fn open() -> Result<Queue, String> {
            let fd = inotify::init(CreateFlags::NONBLOCK | CreateFlags::CLOEXEC)
                .map_err(|e| format!("no inotify instance: {e}"))?;
            Ok(Queue(fd))
        }

        /// Queues an event for any change of `dir`'s entries or of `dir` itself.
        pub fn watch(&self, dir: &Path) -> Result<(), String> {
            let magic = rustix::fs::statfs(dir).map_err(|e| format!("statfs: {e}"))?.f_type as u64;
            if !LOCAL.contains(&magic) {
                return Err(format!("file system type {magic:#x} may change without this kernel's events"));
            }
            let changes = WatchFlags::MODIFY
                | WatchFlags::ATTRIB
                | WatchFlags::CLOSE_WRITE
                | WatchFlags::CREATE
                | WatchFlags::DELETE
                | WatchFlags::DELETE_SELF
                | WatchFlags::MOVED_FROM
                | WatchFlags::MOVED_TO
                | WatchFlags::MOVE_SELF
                | WatchFlags::ONLYDIR;
            inotify::add_watch(&self.0, dir, changes).map(drop).map_err(|e| match e {
                Errno::NOSPC => format!("{e} (raise fs.inotify.max_user_watches)"),
                e => e.to_string(),
            })
        }

        /// Whether an event is queued (or the queue cannot be read).
        pub fn has_events(&self) -> bool {
            // Large enough for one event with the longest name, or the read is EINVAL.
            let mut buf = [0u8; 4096];
            !matches!(rustix::io::read(&self.0, &mut buf), Err(Errno::AGAIN))
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod os {
    use std::path::Path;

    /// No event queue off Linux: the watch is blind and every rebuild walks.
    #[derive(Debug)]
    pub enum Queue {}

    impl Queue {
        pub fn open() -> Result<Queue, String> {
            Err("file system events are watched on Linux only".to_owned())
        }

        pub fn watch(&self, _dir: &Path) -> Result<(), String> {
            match *self {}
        }

        pub fn has_events(&self) -> bool {
            match *self {}
        }
    }
}
