//! `syndicator add URL... [--id ID] [--name NAME] [--channel EXISTING] [--dry-run]`: the URLs
//! a user has in the browser become one channel's sources. Each URL is resolved by
//! `discover` (every source it finds fetched once to prove it works) before the config is
//! touched; then a `[[channels]]` block is appended, or the sources are added to `--channel`,
//! editing the file in place (`config::edit`: every other byte kept). `--dry-run` prints the
//! block instead. The result goes to stdout, progress and warnings to stderr.

use std::path::Path;

use anyhow::Context as _;

use super::{UsageError, shown};
use crate::config::edit::{self, EditError, NewChannel};
use crate::config::{ChannelId, Config, ConfigError};
use crate::discover::{Discoverer, Found, pasted_page};
use crate::fetch::Fetcher;
use crate::model::Platform;
use crate::pipeline::SpotifyAuth;

/// What `add` was asked.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The pasted URLs, each standing for one or more sources.
    pub urls: Vec<String>,
    /// The new channel's id; else slugged from the first discovered title.
    pub id: Option<String>,
    /// The new channel's name; else the first discovered title.
    pub name: Option<String>,
    /// Add the sources to this existing channel instead of making one.
    pub channel: Option<String>,
    /// Print the block (or lines) instead of writing the config.
    pub dry_run: bool,
}

pub async fn run(config_path: &Path, options: Options) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(config_path)
        .map_err(|source| ConfigError::Read { path: config_path.to_owned(), source })?;
    let config = Config::parse(&text, config_path)?;
    let found = discover_all(&config, &options.urls).await?;
    let sources = one_per_platform(&found)?;
    let (edited, addition) = match &options.channel {
        Some(id) => add_to_existing(&config, &text, config_path, id, &sources, &options.urls)?,
        None => new_channel(&text, config_path, &options, &found, sources)?,
    };
    Config::parse(&edited, config_path).context("the edited config would not load; nothing was written")?;
    if options.dry_run {
        print!("{addition}");
        return Ok(());
    }
    write_config(config_path, &text, &edited)?;
    let to = match &options.channel {
        Some(id) => format!("channel \"{id}\" in"),
        None => "the end of".to_owned(),
    };
    println!("added to {to} {}:\n{addition}", shown(config_path));
    Ok(())
}

/// Every pasted URL resolved, in order; the first URL that cannot be is the error.
async fn discover_all(config: &Config, urls: &[String]) -> anyhow::Result<Vec<Found>> {
    let fetcher = Fetcher::for_config(config)?;
    let spotify = SpotifyAuth::from_env(config.spotify.token_url.url().clone());
    let discoverer = Discoverer { fetcher: &fetcher, language: config.site.language, spotify: &spotify };
    let mut found = Vec::new();
    for url in urls {
        let sources = discoverer.resolve(url).await.map_err(|e| UsageError(e.to_string()))?;
        for source in &sources {
            tracing::info!("{url}: {} {}", source.platform, source.url);
        }
        found.extend(sources);
    }
    Ok(found)
}

/// The sources as config lines take them: one URL per platform (the same one found twice is
/// kept once).
fn one_per_platform(found: &[Found]) -> Result<Vec<(Platform, String)>, UsageError> {
    let mut sources: Vec<(Platform, String)> = Vec::new();
    for Found { platform, url, .. } in found {
        match sources.iter().find(|(p, _)| p == platform) {
            Some((_, kept)) if kept == url => {}
            Some((_, kept)) => {
                return Err(UsageError(format!(
                    "two of the URLs give a {platform} source ({kept} and {url}); a channel has one \
                     per platform: add the other to a channel of its own"
                )));
            }
            None => sources.push((*platform, url.clone())),
        }
    }
    Ok(sources)
}

/// The config with the sources added to channel `id`, and the lines added. A URL the channel
/// holds is replaced when it is a platform's web page or one of the pasted URLs (what `check`
/// and `sync` suggest for a page pasted where a feed belongs).
fn add_to_existing(
    config: &Config,
    text: &str,
    path: &Path,
    id: &str,
    sources: &[(Platform, String)],
    pasted_urls: &[String],
) -> anyhow::Result<(String, String)> {
    if config.channel(id).is_none() {
        return Err(
            UsageError(format!("no channel \"{id}\" in the config; `syndicator check` lists them")).into()
        );
    }
    let pasted = |url: &str| {
        let page = url::Url::parse(url).is_ok_and(|url| pasted_page(&url).is_some());
        page || pasted_urls.iter().any(|pasted| pasted.trim() == url)
    };
    let edited = edit::fix_sources(text, id, sources, pasted).map_err(edit_error(path))?;
    Ok((edited, edit::source_lines(sources).map_err(edit_error(path))?))
}

/// The config with a new channel appended, and its block.
fn new_channel(
    text: &str,
    path: &Path,
    options: &Options,
    found: &[Found],
    sources: Vec<(Platform, String)>,
) -> anyhow::Result<(String, String)> {
    let title = found.iter().find_map(|f| f.title.clone());
    let taken = edit::channel_ids(text).map_err(edit_error(path))?;
    let id = match &options.id {
        Some(id) => ChannelId::parse(id).map_err(|e| UsageError(format!("--id: {e}")))?.as_str().to_owned(),
        None => edit::unique_id(title.as_deref().unwrap_or_default(), &taken),
    };
    let name = options.name.clone().or(title).unwrap_or_else(|| id.clone());
    let channel = NewChannel { id, name, sources, categories: Vec::new() };
    let edited = edit::add_channel(text, &channel).map_err(edit_error(path))?;
    Ok((edited, edit::channel_block(&channel).map_err(edit_error(path))?))
}

/// What the user asked that cannot be done is a usage error; a config that cannot be edited
/// in place is a configuration error.
fn edit_error(path: &Path) -> impl Fn(EditError) -> anyhow::Error + '_ {
    move |error| match error {
        EditError::Parse(_) | EditError::NotBlocks => {
            ConfigError::Invalid { path: path.to_owned(), message: error.to_string() }.into()
        }
        EditError::IdTaken(_)
        | EditError::NoSuchChannel(_)
        | EditError::PlatformSet { .. }
        | EditError::TwicePlatform(_) => UsageError(error.to_string()).into(),
    }
}

/// Writes the edited config atomically, through a symlink to its target, keeping its
/// permissions; refuses if the file changed since it was read.
fn write_config(path: &Path, read: &str, edited: &str) -> anyhow::Result<()> {
    let target = std::fs::canonicalize(path).with_context(|| format!("cannot resolve {}", shown(path)))?;
    let permissions = std::fs::metadata(&target)?.permissions();
    let unchanged = || std::fs::read_to_string(&target).is_ok_and(|now| now == read);
    let replaced = crate::files::replace_if(&target, edited.as_bytes(), unchanged)
        .with_context(|| format!("cannot write {}", shown(&target)))?;
    anyhow::ensure!(replaced, "{} changed while add ran; nothing was written: run add again", shown(&target));
    std::fs::set_permissions(&target, permissions)
        .with_context(|| format!("cannot keep the mode of {}", shown(&target)))
}
