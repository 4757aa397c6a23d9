//! The public folder on disk (`[site] public_dir`): each feed a file at its path, written
//! atomically, and only when its bytes change so that unchanged files keep their mtime.

use std::path::PathBuf;

use anyhow::Context as _;

use super::Destination;
use crate::publish::Feed;

pub struct PublicDir(pub PathBuf);

impl Destination for PublicDir {
    fn name(&self) -> &'static str {
        "public folder"
    }

    fn holds(&self, feed: &Feed) -> bool {
        std::fs::read(self.0.join(feed.path)).is_ok_and(|bytes| bytes == feed.text.as_bytes())
    }

    fn deliver(&self, changed: &[&Feed]) -> anyhow::Result<()> {
        for feed in changed {
            let path = self.0.join(feed.path);
            let write = || {
                std::fs::create_dir_all(path.parent().unwrap_or(&self.0))?;
                crate::files::replace(&path, feed.text.as_bytes())
            };
            write().with_context(|| format!("cannot write the feed {}", path.display()))?;
        }
        Ok(())
    }
}
