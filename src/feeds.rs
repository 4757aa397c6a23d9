//! Rebuilding the six published feeds: read the Hugo site and the newest episodes (IO), build
//! them with the pure `publish` builders, and hand them to the run's destinations
//! ([`crate::output`]), each receiving only the feeds it does not hold yet. Used by `sync` (at
//! its end) and `feeds` with a cold read of the site, and by the daemon after each run with
//! the [`SiteCache`] it keeps, so that it reads only the pages that changed.

use anyhow::Context as _;
use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::output::{Delivery, Outputs};
use crate::publish::{self, Feed, PushLinks, SiteMeta};
use crate::site::{Page, SiteCache};
use crate::store::Store;

/// Builds the six feeds from the site's pages (as of `now`) and the store's newest episodes.
pub fn build(config: &Config, store: &Store, now: DateTime<Utc>) -> anyhow::Result<Vec<Feed>> {
    build_with(config, store, &mut SiteCache::default(), now)
}

/// [`build`], reading only the site's page files that changed since `site` last read them;
/// the bodies read are those of the pages the blog feed shows.
pub fn build_with(
    config: &Config,
    store: &Store,
    site: &mut SiteCache,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Feed>> {
    site.refresh(&config.site.root, &config.feeds.sections)
        .with_context(|| format!("cannot read the Hugo site at {}", config.site.root.display()))?;
    let limit = config.feeds.limit.get() as usize;
    let episodes = store.recent_episodes(limit, |channel| config.channel(channel).is_some())?;
    let hubs: Vec<String> = config.websub.publish_hubs().iter().map(|hub| hub.as_str().to_owned()).collect();
    let site_meta = SiteMeta {
        title: &config.site.title,
        base_url: config.site.base_url.as_str(),
        language: config.site.language.tag(),
        author: config.site.author.as_deref(),
        push: PushLinks { hubs: &hubs, self_base: config.server.public_url.as_ref().map(|url| url.as_str()) },
    };
    let published = site.pages(now);
    let shown = publish::blog::newest(&published, &site_meta, limit);
    let pages: Vec<Page> = shown.into_iter().map(|i| site.with_body(published[i])).collect();
    let channel_name = |id: &str| config.channel(id).map(|c| c.name.clone());
    Ok(publish::render_all(&pages, &episodes, channel_name, &site_meta, limit, now))
}

/// Builds the feeds and hands them to `outputs`; an error means nothing could be built, a
/// failed destination is reported in the [`Delivery`].
pub fn rebuild(config: &Config, store: &Store, outputs: &Outputs) -> anyhow::Result<Delivery> {
    let feeds = build(config, store, Utc::now())?;
    Ok(outputs.deliver(&feeds))
}

#[cfg(test)]
mod tests;
