//! Reading a Hugo site's pages for the blog feed: every page under `<root>/content` (single
//! files and leaf bundles' `index.md`, YAML or TOML front matter), without drafts, future or
//! expired pages and list pages (`_index.md`), each with the permalink path Hugo gives it.
//! The IO is here and in [`cache`] (which re-reads only changed files); the other submodules
//! are pure.

mod cache;
mod front_matter;
mod hugo_config;
mod markdown;
mod permalink;
mod shortcodes;
mod watch;

use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::files::Stamp;
use watch::Watch;

pub use cache::{Refreshed, SiteCache};
pub use front_matter::{FrontMatter, FrontMatterError, parse_date, split};
pub use hugo_config::HugoConfig;
pub use markdown::render_markdown;
pub use permalink::{PagePath, permalink, sanitize};
pub use shortcodes::replace_shortcodes;

/// Why the site's pages could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("cannot read {path}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot read the Hugo config: {0}")]
    HugoConfig(String),
}

/// One published page of the site.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Where it sits under `content/`, `/`-separated: `posts/2025/x.md`, `posts/b/index.md`.
    pub source: String,
    /// Its path on the site, e.g. `/posts/x/` (join with the base URL for the permalink).
    pub path: String,
    pub front: FrontMatter,
    /// The Markdown body, shortcodes and all.
    pub body: String,
}

/// The published pages under `<root>/content`, in file-path order. `sections` narrows them
/// to those top-level sections (empty: all, including pages at the content root); `now`
/// decides which are future or expired. A missing `content` folder has no pages; a page that
/// cannot be read as UTF-8 or whose front matter does not parse is left out with a warning
/// (one bad post never hides the rest). A cold read through an empty [`SiteCache`].
pub fn load_pages(root: &Path, sections: &[String], now: DateTime<Utc>) -> Result<Vec<Page>, SiteError> {
    let mut cache = SiteCache::default();
    cache.refresh(root, sections)?;
    Ok(cache.pages(now).into_iter().map(|page| cache.with_body(page)).collect())
}

/// Hugo's rule: not a draft, publish date not after `now`, expiry date not before it.
pub fn is_published(front: &FrontMatter, now: DateTime<Utc>) -> bool {
    let future = front.published().is_some_and(|d| d > now);
    let expired = front.expiry_date.is_some_and(|d| d < now);
    !front.draft && !future && !expired
}

/// A page file [`collect`] found, with its [`Stamp`] (`None` when it cannot be `stat`ed: it
/// vanished, and is left out like a file that is not there).
struct PageFile {
    path: PathBuf,
    stamp: Option<Stamp>,
}

/// The page files under `dir`, sorted: a folder with an `index.md` is a leaf bundle (only
/// that file is a page); `_index.md` files are list pages and skipped; hidden entries too.
///
/// Each folder's entries are sorted by name and walked depth first, which is the order of
/// the full paths (they share the folder), without comparing those paths component by
/// component. An entry's type comes from the folder listing and a page's stamp from a `stat`
/// relative to the open folder; only symlinks are followed by path. With a `watch`, each
/// folder is watched before it is listed and what the watch cannot see is told to it.
fn collect_watched(
    dir: &Path,
    is_root: bool,
    out: &mut Vec<PageFile>,
    watch: &mut Option<Watch>,
) -> Result<(), SiteError> {
    if let Some(watch) = watch {
        watch.folder(dir);
    }
    let read = |e| SiteError::Read { path: dir.to_owned(), source: e };
    let mut entries: Vec<std::fs::DirEntry> =
        std::fs::read_dir(dir).map_err(read)?.collect::<Result<_, _>>().map_err(read)?;
    entries.sort_by_cached_key(std::fs::DirEntry::file_name);
    let is_index = |e: &&std::fs::DirEntry| {
        let path = e.path();
        is_markdown(&path) && file_stem(&path) == "index"
    };
    if let Some(index) = entries.iter().find(is_index).filter(|_| !is_root) {
        out.push(page_file(index, watch));
        return Ok(());
    }
    for entry in entries {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let is_link = entry.file_type().is_ok_and(|kind| kind.is_symlink());
        if name.starts_with('.') {
            continue;
        }
        if is_folder(&entry) {
            if let Some(watch) = watch.as_mut().filter(|_| is_link) {
                watch.anchor(&path);
            }
            collect_watched(&path, false, out, watch)?;
        } else if is_markdown(&path) && !name.starts_with("_index.") {
            out.push(page_file(&entry, watch));
        } else if let Some(watch) = watch.as_mut().filter(|_| is_link) {
            watch.blind_spot(&path, "is a symlink to no folder (its target may become one)");
        }
    }
    Ok(())
}

/// [`collect_watched`] without a watch.
#[cfg(test)]
fn collect(dir: &Path, is_root: bool, out: &mut Vec<PageFile>) -> Result<(), SiteError> {
    collect_watched(dir, is_root, out, &mut None)
}

/// The page file `entry` names, with the stamp of the file (a symlink followed); tells
/// `watch` when the file can change without an event in its folder.
fn page_file(entry: &std::fs::DirEntry, watch: &mut Option<Watch>) -> PageFile {
    let path = entry.path();
    let meta = match entry.file_type() {
        Ok(kind) if !kind.is_symlink() => entry.metadata(),
        _ => {
            if let Some(watch) = watch {
                watch.blind_spot(&path, "is a symlink");
            }
            std::fs::metadata(&path)
        }
    };
    if let Some(watch) = watch.as_mut().filter(|_| meta.as_ref().is_ok_and(|meta| meta.nlink() > 1)) {
        watch.blind_spot(&path, "has other hard links");
    }
    PageFile { stamp: meta.ok().map(|meta| Stamp::of(&meta)), path }
}

/// Whether `entry` is a folder or a symlink to one (as [`Path::is_dir`] says).
fn is_folder(entry: &std::fs::DirEntry) -> bool {
    match entry.file_type() {
        Ok(kind) if kind.is_symlink() => entry.path().is_dir(),
        Ok(kind) => kind.is_dir(),
        Err(_) => entry.path().is_dir(),
    }
}

fn is_markdown(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("md" | "markdown"))
}

fn file_stem(path: &Path) -> &str {
    path.file_stem().and_then(|s| s.to_str()).unwrap_or_default()
}

fn relative(base: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(base).unwrap_or(file);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests;
