//! Rebuilding the six published feeds: read the Hugo site and the newest episodes (IO), build
//! them with the pure `publish` builders, and write each file atomically, only when its bytes
//! change. Used by `sync` (at its end), `feeds`, and the daemon after each change.

use std::path::Path;

use anyhow::Context as _;
use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::publish::{self, SiteMeta};
use crate::site;
use crate::store::Store;

/// The six feeds: (path under the public folder, text).
pub type FeedFiles = Vec<(&'static str, String)>;

/// Builds the six feeds from the site's pages (as of `now`) and the store's newest episodes.
pub fn build(config: &Config, store: &Store, now: DateTime<Utc>) -> anyhow::Result<FeedFiles> {
    let pages = site::load_pages(&config.site.root, &config.feeds.sections, now)
        .with_context(|| format!("cannot read the Hugo site at {}", config.site.root.display()))?;
    let limit = config.feeds.limit.get() as usize;
    let episodes = store.recent_episodes(limit, |channel| config.channel(channel).is_some())?;
    let site = SiteMeta {
        title: &config.site.title,
        base_url: config.site.base_url.as_str(),
        language: config.site.language.tag(),
        author: config.site.author.as_deref(),
    };
    let channel_name = |id: &str| config.channel(id).map(|c| c.name.clone());
    Ok(publish::render_all(&pages, &episodes, channel_name, &site, limit))
}

/// Writes `files` under `public_dir`, each only if its bytes changed; returns how many were
/// written.
pub fn write(public_dir: &Path, files: &FeedFiles) -> anyhow::Result<usize> {
    let mut written = 0;
    for (name, text) in files {
        let path = public_dir.join(name);
        if crate::files::write_if_changed(&path, text.as_bytes())
            .with_context(|| format!("cannot write the feed {}", path.display()))?
        {
            written += 1;
        }
    }
    Ok(written)
}

/// Builds and writes the feeds; returns the files and how many changed on disk.
pub fn rebuild(config: &Config, store: &Store) -> anyhow::Result<(FeedFiles, usize)> {
    let files = build(config, store, Utc::now())?;
    let written = write(&config.public_dir(), &files)?;
    Ok((files, written))
}
