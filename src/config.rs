//! The TOML configuration: its shape (a contract with users' files), defaults and validation.
//!
//! Every value that can be wrong is a newtype whose `Deserialize` validates it, so that the
//! `toml` crate reports the key, the offending value and its line in one message. Unknown keys
//! are rejected (`deny_unknown_fields`). Relative paths resolve against the working directory.
//! `[site]` is completed from the Hugo site's own config (see `site`), so loading reads it.

mod channel;
mod cron;
pub mod edit;
mod git;
mod notify;
mod publish;
mod site;
mod values;
mod websub;

use std::path::{Path, PathBuf};

use crate::model::Platform;
use serde::Deserialize;
use thiserror::Error;

pub use channel::Channel;
pub use git::{AuthorPart, GitConfig, GitName};
pub use notify::{Notify, NotifyKind, Secret};
pub use publish::{Bucket, Endpoint, Prefix, Publish, S3};
pub use site::{Origin, Origins, Site};
pub use values::{ChannelId, CronSchedule, Language, ListenAddress, SourceUrl, Timezone, TitlePattern};
pub use websub::{HubUrl, PublicUrl, Websub, YOUTUBE_HUB};

/// The path used when neither `--config` nor `SYNDICATOR_CONFIG` names one.
pub const DEFAULT_PATH: &str = "config/syndicator.toml";

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("invalid config {path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error(
        "[site] root {root} is not a Hugo site: it has no hugo.toml, hugo.yaml, hugo.json, \
         config.toml, config.yaml, config.json or config/_default/ ({state}); fix [site] root, \
         or create the site first with `hugo new site`"
    )]
    NotHugoSite { root: PathBuf, state: &'static str },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub site: Site,
    #[serde(default)]
    pub store: Store,
    #[serde(default)]
    pub fetch: Fetch,
    #[serde(default)]
    pub schedule: Schedule,
    #[serde(default)]
    pub spotify: Spotify,
    #[serde(default)]
    pub feeds: Feeds,
    #[serde(default)]
    pub server: Server,
    #[serde(default)]
    pub git: GitConfig,
    #[serde(default)]
    pub publish: Publish,
    /// WebSub push: subscribing to channels' hubs, pinging hubs about our feeds.
    #[serde(default)]
    pub websub: Websub,
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Where events (stubs written, sources failing…) are sent.
    #[serde(default)]
    pub notify: Vec<Notify>,
}

/// What the published feeds hold.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feeds {
    /// Content sections in the blog feed; empty means all.
    #[serde(default)]
    pub sections: Vec<String>,
    /// Entries per feed, newest first.
    #[serde(default = "default_feed_limit")]
    pub limit: values::Bounded<1, 100_000>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Store {
    #[serde(default = "default_store_path")]
    pub path: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fetch {
    #[serde(default = "default_timeout")]
    pub timeout_secs: values::Bounded<1, 3600>,
    #[serde(default = "default_max_body")]
    pub max_body_bytes: values::Bounded<1024, { 1 << 34 }>,
    /// Requests in flight to any one host. It bounded all requests before per-host limits
    /// existed; a config following one host (YouTube) keeps exactly that load.
    #[serde(default = "default_concurrency")]
    pub concurrency: values::Bounded<1, 1024>,
    /// Requests in flight across all hosts, so that many hosts go wide but a run's memory
    /// and sockets stay bounded.
    #[serde(default = "default_max_connections")]
    pub max_connections: values::Bounded<1, 4096>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    #[serde(default = "default_cron")]
    pub default: CronSchedule,
    /// A random delay of up to this many seconds before each scheduled run; 0 disables it.
    #[serde(default = "default_jitter")]
    pub jitter_secs: values::Bounded<0, 3600>,
}

/// The HTTP server of `syndicator serve`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    /// `host:port`; port 0 picks a free port (logged at start).
    #[serde(default = "default_listen")]
    pub listen: values::ListenAddress,
    /// `Cache-Control: public, max-age=<this>` on feeds.
    #[serde(default = "default_max_age")]
    pub cache_max_age: values::Bounded<0, 86_400>,
    /// The externally reachable base of this server (behind a reverse proxy, its public
    /// address): WebSub callbacks and the feeds' `rel="self"` links use it.
    pub public_url: Option<PublicUrl>,
}

/// Spotify Web API settings; the credentials come from the environment
/// (`SPOTIFY_CLIENT_ID`, `SPOTIFY_CLIENT_SECRET`), never from the config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spotify {
    #[serde(default = "default_token_url")]
    pub token_url: SourceUrl,
}

impl Config {
    /// Parses and validates config text; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid { path: path.to_owned(), message };
        let mut config: Config = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        config.check_channels(text).map_err(invalid)?;
        config.check_notify(text).map_err(invalid)?;
        config.websub.check(config.server.public_url.as_ref(), text).map_err(invalid)?;
        Ok(config)
    }

    /// Reads and validates the config file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
        Config::parse(&text, path)
    }

    fn check_channels(&self, text: &str) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for channel in &self.channels {
            // Counted only for a message: counting per channel made 10,000 channels quadratic.
            let line = || values::line_of(text, channel.id.span().start);
            if !seen.insert(channel.id()) {
                return Err(format!("duplicate channel id \"{}\" at line {}", channel.id(), line()));
            }
            if channel.sources().next().is_none() {
                return Err(format!(
                    "channel \"{}\" (line {}) has no source: set {}",
                    channel.id(),
                    line(),
                    known_platforms()
                ));
            }
        }
        Ok(())
    }

    fn check_notify(&mut self, text: &str) -> Result<(), String> {
        let ids: Vec<String> = self.channels.iter().map(|c| c.id().to_owned()).collect();
        let known = |id: &str| ids.iter().any(|known| known == id);
        for entry in &mut self.notify {
            entry.check(values::line_of(text, entry.kind.span().start), &known)?;
        }
        Ok(())
    }

    /// The folder stubs are written to: `<root>/content/<section>`.
    pub fn section_dir(&self) -> PathBuf {
        self.site.root.join("content").join(self.site.section.as_str())
    }

    /// A stub's path (relative to the content section) as commands print it: relative to the
    /// site root (`content/posts/….md`), ready for `git add` there.
    pub fn site_relative(&self, stub: &str) -> String {
        let path = self.section_dir().join(stub);
        path.strip_prefix(&self.site.root).unwrap_or(&path).display().to_string()
    }

    /// Where feeds are written: `[site] public_dir`, else `<root>/static`, which Hugo copies
    /// into the built site and `hugo server` serves (and `--cleanDestinationDir` keeps).
    pub fn public_dir(&self) -> PathBuf {
        self.site.public_dir.clone().unwrap_or_else(|| self.site.root.join("static"))
    }

    /// Fails with [`ConfigError::NotHugoSite`] unless `[site] root` holds a Hugo config, so
    /// that a mistyped root never gets stubs, shortcodes or feeds written into it.
    pub fn require_hugo_site(&self) -> Result<(), ConfigError> {
        let root = &self.site.root;
        if crate::site::HugoConfig::locate(root).is_some() {
            return Ok(());
        }
        let state = if root.is_dir() { "the folder exists" } else { "the folder does not exist" };
        Err(ConfigError::NotHugoSite { root: std::path::absolute(root).unwrap_or(root.clone()), state })
    }

    /// The User-Agent sent with every request.
    pub fn user_agent(&self) -> String {
        self.fetch
            .user_agent
            .clone()
            .unwrap_or_else(|| format!("syndicator/{} (+{})", env!("CARGO_PKG_VERSION"), self.site.base_url))
    }

    /// The channel with this id.
    pub fn channel(&self, id: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.id() == id)
    }
}

impl Default for Store {
    fn default() -> Self {
        Store { path: default_store_path() }
    }
}

impl Default for Fetch {
    fn default() -> Self {
        Fetch {
            timeout_secs: default_timeout(),
            max_body_bytes: default_max_body(),
            concurrency: default_concurrency(),
            max_connections: default_max_connections(),
            user_agent: None,
        }
    }
}

impl Default for Feeds {
    fn default() -> Self {
        Feeds { sections: Vec::new(), limit: default_feed_limit() }
    }
}

impl Default for Spotify {
    fn default() -> Self {
        Spotify { token_url: default_token_url() }
    }
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule { default: default_cron(), jitter_secs: default_jitter() }
    }
}

impl Default for Server {
    fn default() -> Self {
        Server { listen: default_listen(), cache_max_age: default_max_age(), public_url: None }
    }
}

fn default_store_path() -> PathBuf {
    PathBuf::from("state/syndicator.db")
}
fn default_timeout() -> values::Bounded<1, 3600> {
    values::Bounded(20)
}
fn default_max_body() -> values::Bounded<1024, { 1 << 34 }> {
    values::Bounded(10 * 1024 * 1024)
}
fn default_concurrency() -> values::Bounded<1, 1024> {
    values::Bounded(crate::fetch::DEFAULT_PER_HOST as u64)
}
fn default_max_connections() -> values::Bounded<1, 4096> {
    values::Bounded(crate::fetch::DEFAULT_TOTAL as u64)
}
fn default_cron() -> CronSchedule {
    CronSchedule::parse("0 */30 * * * *").expect("the default schedule is valid")
}
fn default_token_url() -> SourceUrl {
    SourceUrl::parse("https://accounts.spotify.com/api/token").expect("the default token URL is valid")
}
fn default_jitter() -> values::Bounded<0, 3600> {
    values::Bounded(30)
}
fn default_listen() -> values::ListenAddress {
    values::ListenAddress::parse("127.0.0.1:8080").expect("the default listen address is valid")
}
fn default_max_age() -> values::Bounded<0, 86_400> {
    values::Bounded(300)
}
fn default_feed_limit() -> values::Bounded<1, 100_000> {
    values::Bounded(50)
}

/// The platform keys a channel may set, as prose: "youtube, spotify, apple, podcast or feed".
fn known_platforms() -> String {
    let names: Vec<&str> = Platform::ALL.iter().map(|p| p.as_str()).collect();
    match names.split_last() {
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
