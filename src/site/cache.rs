//! The site's pages as last read, so that reading the site again reads only the page files
//! that changed: every page file under `content/` is found again (a folder walk) and
//! stat'ed, and only a file whose [`Stamp`] differs from the one it was read with is read and
//! parsed again; a new file is read, a vanished one forgotten, so a rename is both. A stamp
//! too fresh to trust ([`Stamp::is_racy`]) is read again next time, so even a same-size edit
//! within the file system's timestamp tick is seen. A changed Hugo config recomputes every
//! permalink without reading a page.
//!
//! Bodies are not kept (a big blog's bodies are tens of megabytes): only the pages the blog
//! feed shows need one, and [`SiteCache::with_body`] reads it again. `serve` keeps one cache
//! for the life of the daemon; [`super::load_pages`] and the one-shot commands read through
//! an empty one, so a cold read and an incremental one are the same code.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};

use super::{
    HugoConfig, Page, PageFile, PagePath, SiteError, collect, is_published, permalink, relative, split,
};
use crate::files::{RACY_WINDOW, Stamp};

/// The pages of one site, by file.
#[derive(Debug)]
pub struct SiteCache {
    /// The site the entries belong to; another root starts afresh.
    root: PathBuf,
    /// The Hugo config the permalinks were computed with.
    config: Option<HugoConfig>,
    /// Every page file with what was read of it, in file-path order (the order of the folder
    /// walk, and the order [`super::load_pages`] returns): a list, because comparing paths
    /// component by component to keep a sorted map cost more than reading the site's folders.
    files: Vec<(PathBuf, Cached)>,
    /// How long after a file's change its stamp is not trusted ([`crate::files::RACY_WINDOW`]).
    racy_window: Duration,
}

impl Default for SiteCache {
    fn default() -> SiteCache {
        SiteCache { root: PathBuf::new(), config: None, files: Vec::new(), racy_window: RACY_WINDOW }
    }
}

/// One page file as last read.
#[derive(Debug)]
struct Cached {
    stamp: Stamp,
    /// Read so soon after its last change that a same-size edit could hide: read it again.
    racy: bool,
    /// The page with an empty `body`; `None` when the file could not be read as UTF-8 text or
    /// its front matter did not parse (warned about once per change).
    page: Option<Page>,
}

/// What a refresh did, for logs and tests.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Refreshed {
    /// Page files read and parsed (new, changed or racy).
    pub read: usize,
    /// Page files known before and gone now (deleted, renamed, or no longer a page).
    pub forgotten: usize,
}

impl SiteCache {
    /// Brings the cache up to date with the pages under `root` in `sections` (top-level
    /// sections; empty: all, including pages at the content root); see the module docs.
    pub fn refresh(&mut self, root: &Path, sections: &[String]) -> Result<Refreshed, SiteError> {
        let now = SystemTime::now();
        if self.root != root {
            self.root = root.to_owned();
            self.config = None;
            self.files.clear();
        }
        let config = HugoConfig::load(root).map_err(SiteError::HugoConfig)?;
        let relink = self.config.as_ref() != Some(&config);
        let content = root.join("content");
        let mut files = Vec::new();
        if content.is_dir() {
            collect(&content, true, &mut files)?;
        }
        let mut before: HashMap<PathBuf, Cached> = std::mem::take(&mut self.files).into_iter().collect();
        let mut refreshed = Refreshed::default();
        let wanted = |file: &Path| {
            sections.is_empty() || {
                let source = relative(&content, file);
                sections.iter().any(|s| s == PagePath(&source).section())
            }
        };
        for PageFile { path: file, stamp } in files.into_iter().filter(|found| wanted(&found.path)) {
            let Some(stamp) = stamp else { continue };
            let mut cached = match before.remove(&file) {
                Some(known) if known.stamp == stamp && !known.racy => known,
                _ => {
                    refreshed.read += 1;
                    let racy = stamp.is_racy(now, self.racy_window);
                    Cached { stamp, racy, page: read(&content, &file, &config) }
                }
            };
            if relink {
                cached
                    .page
                    .iter_mut()
                    .for_each(|page| page.path = permalink(PagePath(&page.source), &page.front, &config));
            }
            self.files.push((file, cached));
        }
        refreshed.forgotten = before.len();
        self.config = Some(config);
        Ok(refreshed)
    }

    /// The pages published as of `now`, without bodies, in file-path order.
    pub fn pages(&self, now: DateTime<Utc>) -> Vec<&Page> {
        let pages = self.files.iter().filter_map(|(_, cached)| cached.page.as_ref());
        pages.filter(|page| is_published(&page.front, now)).collect()
    }

    /// A cache that trusts every stamp at once: for tests whose every change moves a size or
    /// a path, so that each refresh answers from the cache.
    #[cfg(test)]
    pub fn trusting_fresh_stamps() -> SiteCache {
        SiteCache { racy_window: Duration::ZERO, ..SiteCache::default() }
    }

    /// `page` (one of [`SiteCache::pages`]) with its body, read again from its file. A file
    /// that changed since the refresh gives its new body (the next refresh reads the rest);
    /// one that cannot be read any more gives an empty body, with a warning.
    pub fn with_body(&self, page: &Page) -> Page {
        let file = self.root.join("content").join(&page.source);
        let text = std::fs::read_to_string(&file).map_err(|e| e.to_string());
        let body = text.and_then(|text| Ok(split(&text).map_err(|e| e.to_string())?.1.to_owned()));
        let body = body.unwrap_or_else(|e| {
            tracing::warn!("{} is in the blog feed without its body: {e}", file.display());
            String::new()
        });
        Page { body, ..page.clone() }
    }
}

/// Reads and parses one page file; see [`Cached::page`].
fn read(content: &Path, file: &Path, config: &HugoConfig) -> Option<Page> {
    let source = relative(content, file);
    match std::fs::read_to_string(file) {
        Ok(text) => match split(&text) {
            Ok((front, _)) => {
                let path = permalink(PagePath(&source), &front, config);
                Some(Page { source, path, front, body: String::new() })
            }
            Err(e) => {
                tracing::warn!("{} is left out of the blog feed: {e}", file.display());
                None
            }
        },
        Err(e) => {
            tracing::warn!(
                "{} is left out of the blog feed: cannot read it as UTF-8 text: {e}",
                file.display()
            );
            None
        }
    }
}

#[cfg(test)]
mod tests;
