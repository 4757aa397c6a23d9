//! `syndicator add URL... [--id ID] [--name NAME] [--channel EXISTING] [--dry-run]`: the URLs
//! a user has in the browser become one channel's sources. Each URL is resolved by
//! `discover` (every source it finds fetched once to prove it works) before the config is
//! touched; then a `[[channels]]` block is appended, or the sources are added to `--channel`,
//! editing the file in place (`config::edit`: every other byte kept). `--dry-run` prints the
//! block instead. The result goes to stdout, progress and warnings to stderr.

use std::path::Path;

use super::config_file::{self, Discovery, edit_error};
use super::{UsageError, shown};
use crate::config::edit::{self, NewChannel};
use crate::config::{ChannelId, Config};
use crate::discover::{Found, pasted_page};
use crate::model::Platform;

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
    let (text, config) = config_file::read(config_path)?;
    let found = discover_all(&config, &options.urls).await?;
    let sources = one_per_platform(&found)?;
    let (edited, addition) = match &options.channel {
        Some(id) => add_to_existing(&config, &text, config_path, id, &sources, &options.urls)?,
        None => new_channel(&text, config_path, &options, &found, sources)?,
    };
    config_file::check(config_path, &edited)?;
    if options.dry_run {
        print!("{addition}");
        return Ok(());
    }
    config_file::write(config_path, &text, &edited)?;
    let to = match &options.channel {
        Some(id) => format!("channel \"{id}\" in"),
        None => "the end of".to_owned(),
    };
    println!("added to {to} {}:\n{addition}", shown(config_path));
    Ok(())
}

/// Every pasted URL resolved, in order; the first URL that cannot be is the error.
async fn discover_all(config: &Config, urls: &[String]) -> anyhow::Result<Vec<Found>> {
    let discovery = Discovery::new(config)?;
    let discoverer = discovery.discoverer();
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
