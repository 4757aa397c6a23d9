//! One `[[channels]]` entry: a show followed on up to five platforms, with its filters,
//! schedule and backfill.

use serde::Deserialize;

use super::Config;
use super::values::{ChannelId, CronSchedule, SourceUrl, TitlePattern};
use crate::model::Platform;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub id: toml::Spanned<ChannelId>,
    /// Becomes `source_name` in stubs.
    pub name: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    pub schedule: Option<CronSchedule>,
    /// Title regexes; when non-empty, an item must match one.
    #[serde(default)]
    pub include: Vec<TitlePattern>,
    #[serde(default)]
    pub exclude: Vec<TitlePattern>,
    /// First sync of a channel: stub only the newest N episodes, mark the rest seen.
    #[serde(default = "default_backfill")]
    pub backfill: usize,
    /// Keep YouTube Shorts (skipped by default).
    #[serde(default)]
    pub shorts: bool,
    /// Overrides `[site] bundles` for this channel's new stubs.
    pub bundles: Option<bool>,
    pub youtube: Option<SourceUrl>,
    pub podcast: Option<SourceUrl>,
    pub feed: Option<SourceUrl>,
    /// An iTunes lookup URL (`https://itunes.apple.com/lookup?id=…&entity=podcastEpisode`).
    pub apple: Option<SourceUrl>,
    /// A Spotify Web API show-episodes URL (`https://api.spotify.com/v1/shows/<id>/episodes`).
    pub spotify: Option<SourceUrl>,
}

impl Channel {
    pub fn id(&self) -> &str {
        self.id.get_ref().as_str()
    }

    /// The configured platform URLs, in poll order.
    pub fn sources(&self) -> impl Iterator<Item = (Platform, &SourceUrl)> {
        const POLL_ORDER: [Platform; 5] =
            [Platform::Youtube, Platform::Podcast, Platform::Feed, Platform::Apple, Platform::Spotify];
        POLL_ORDER.into_iter().filter_map(|platform| self.url(platform).map(|u| (platform, u)))
    }

    /// The URL configured for `platform`, if any (the config key is `platform.as_str()`).
    pub fn url(&self, platform: Platform) -> Option<&SourceUrl> {
        match platform {
            Platform::Youtube => self.youtube.as_ref(),
            Platform::Spotify => self.spotify.as_ref(),
            Platform::Apple => self.apple.as_ref(),
            Platform::Podcast => self.podcast.as_ref(),
            Platform::Feed => self.feed.as_ref(),
        }
    }

    /// The channel's cron schedule, or the default one.
    pub fn schedule<'a>(&'a self, config: &'a Config) -> &'a CronSchedule {
        self.schedule.as_ref().unwrap_or(&config.schedule.default)
    }

    /// Whether this channel's new stubs are page bundles (`bundles`, else `[site] bundles`).
    pub fn bundles(&self, config: &Config) -> bool {
        self.bundles.unwrap_or(config.site.bundles)
    }

    /// Whether a title passes the channel's include and exclude patterns.
    pub fn wants_title(&self, title: &str) -> bool {
        let included = self.include.is_empty() || self.include.iter().any(|p| p.is_match(title));
        included && !self.exclude.iter().any(|p| p.is_match(title))
    }
}

fn default_backfill() -> usize {
    3
}
