//! The public folder on disk (`[site] public_dir`): each feed a file at its path, written
//! atomically, and only when its bytes change so that unchanged files keep their mtime.
//! Whether a file holds a feed's bytes is answered by [`super::public_files`], mostly
//! without reading it.

use std::path::PathBuf;

use anyhow::Context as _;

use super::{Destination, public_files};
use crate::publish::Feed;

pub struct PublicDir(pub PathBuf);

impl Destination for PublicDir {
    fn name(&self) -> &'static str {
        "public folder"
    }

    fn holds(&self, feed: &Feed) -> bool {
        public_files::held_since(&self.0.join(feed.path), feed.text.as_bytes()).is_some()
    }

    fn deliver(&self, changed: &[&Feed]) -> anyhow::Result<()> {
        for feed in changed {
            let path = self.0.join(feed.path);
            let write = || {
                std::fs::create_dir_all(path.parent().unwrap_or(&self.0))?;
                crate::files::replace(&path, feed.text.as_bytes())
            };
            write().with_context(|| format!("cannot write the feed {}", path.display()))?;
            public_files::wrote(&path, feed.text.as_bytes());
        }
        Ok(())
    }
}
