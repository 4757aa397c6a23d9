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

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

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

/// The page files under `dir`, sorted: a folder with an `index.md` is a leaf bundle (only
/// that file is a page); `_index.md` files are list pages and skipped; hidden entries too.
fn collect(dir: &Path, is_root: bool, out: &mut Vec<PathBuf>) -> Result<(), SiteError> {
    let read = |e| SiteError::Read { path: dir.to_owned(), source: e };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(read)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(read)?;
    entries.sort();
    let bundle = entries.iter().find(|p| is_markdown(p) && file_stem(p) == "index");
    if let Some(index) = bundle.filter(|_| !is_root) {
        out.push(index.clone());
        return Ok(());
    }
    for entry in entries {
        let name = entry.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if entry.is_dir() {
            collect(&entry, false, out)?;
        } else if is_markdown(&entry) && !name.starts_with("_index.") {
            out.push(entry);
        }
    }
    Ok(())
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
