//! The site's pages as last read, so that reading the site again reads only the page files
//! that changed: every page file under `content/` is found again (a folder walk) and
//! stat'ed, and only a file whose [`Stamp`] differs from the one it was read with is read and
//! parsed again; a new file is read, a vanished one forgotten, so a rename is both. A stamp
//! too fresh to trust ([`Stamp::is_racy`]) is read again next time, so even a same-size edit
//! within the file system's timestamp tick is seen. A changed Hugo config recomputes every
//! permalink without reading a page.
//!
//! A watching cache ([`SiteCache::watching`], the one `serve` keeps) also watches the folders
//! it walks ([`super::watch`]): while the watch is quiet — no event in any folder, no anchor
//! replaced — nothing under `content/` changed since the last walk, and a refresh skips the
//! walk, trusting even racy stamps (a change after the walk would have queued an event). Any
//! event, a blind watch or other sections walk as above and set up a new watch. The Hugo
//! config is read at every refresh either way (a few small files).
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
    HugoConfig, Page, PageFile, PagePath, SiteError, Watch, collect_watched, is_published, permalink,
    relative, split,
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
    /// The top-level sections `files` was narrowed to; others need a walk.
    sections: Vec<String>,
    /// Whether walks set up a [`Watch`] (`serve`), or every refresh walks (one-shot commands,
    /// which refresh once and would only pay for the watch).
    watching: bool,
    /// The watch set up by the last walk; while it is quiet, the walk is skipped.
    watch: Option<Watch>,
    /// Why the last walk's watch was blind, so that a reason is logged once, not per rebuild.
    blind: Option<String>,
}

impl Default for SiteCache {
    fn default() -> SiteCache {
        SiteCache {
            root: PathBuf::new(),
            config: None,
            files: Vec::new(),
            racy_window: RACY_WINDOW,
            sections: Vec::new(),
            watching: false,
            watch: None,
            blind: None,
        }
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
    /// A cache whose walks watch the folders they walk, so that refreshes with nothing
    /// changed skip the walk (see the module docs).
    pub fn watching() -> SiteCache {
        SiteCache { watching: true, ..SiteCache::default() }
    }

    /// Brings the cache up to date with the pages under `root` in `sections` (top-level
    /// sections; empty: all, including pages at the content root); see the module docs.
    pub fn refresh(&mut self, root: &Path, sections: &[String]) -> Result<Refreshed, SiteError> {
        if self.root != root {
            self.root = root.to_owned();
            self.config = None;
            self.files.clear();
            self.watch = None;
        }
        let config = HugoConfig::load(root).map_err(SiteError::HugoConfig)?;
        let unchanged = self.sections == sections && self.watch.as_ref().is_some_and(Watch::quiet);
        let refreshed = match unchanged {
            true => Refreshed::default(),
            false => self.walk(sections, &config)?,
        };
        if self.config.as_ref() != Some(&config) {
            let pages = self.files.iter_mut().filter_map(|(_, cached)| cached.page.as_mut());
            pages.for_each(|page| page.path = permalink(PagePath(&page.source), &page.front, &config));
        }
        self.config = Some(config);
        Ok(refreshed)
    }

    /// Walks the content folder (watching it when the cache is [`SiteCache::watching`]),
    /// reads the new, changed and racy page files, and forgets the vanished ones.
    fn walk(&mut self, sections: &[String], config: &HugoConfig) -> Result<Refreshed, SiteError> {
        let now = SystemTime::now();
        let content = self.root.join("content");
        self.watch = None;
        let mut watch = self.watching.then(Watch::start);
        if let Some(watch) = &mut watch {
            watch.anchor(&content);
        }
        let mut files = Vec::new();
        if content.is_dir() {
            collect_watched(&content, true, &mut files, &mut watch)?;
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
            let cached = match before.remove(&file) {
                Some(known) if known.stamp == stamp && !known.racy => known,
                _ => {
                    refreshed.read += 1;
                    let racy = stamp.is_racy(now, self.racy_window);
                    Cached { stamp, racy, page: read(&content, &file, config) }
                }
            };
            self.files.push((file, cached));
        }
        refreshed.forgotten = before.len();
        self.sections = sections.to_vec();
        self.keep(watch);
        Ok(refreshed)
    }

    /// Keeps `watch` for the next refresh, logging once why a blind one cannot serve.
    fn keep(&mut self, watch: Option<Watch>) {
        let blind = watch.as_ref().and_then(Watch::blind).map(str::to_owned);
        if blind.is_some() && blind != self.blind {
            let why = blind.as_deref().unwrap_or_default();
            tracing::info!("every rebuild reads the whole site: its changes cannot all be watched: {why}");
        }
        self.blind = blind;
        self.watch = watch;
    }

    /// Whether the next refresh may skip the walk: the last one set up a watch that can
    /// vouch for the site (nothing blinds it).
    pub fn is_watched(&self) -> bool {
        self.watch.as_ref().is_some_and(|watch| watch.blind().is_none())
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
