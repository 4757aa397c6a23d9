//! The config file as the commands that edit it (`add`, `opml import`) use it: its text read
//! with the config it holds, discovery set up from that config, an edit error mapped to its
//! exit code, and the edited text written back atomically, only if the file did not change
//! meanwhile.

use std::path::Path;

use anyhow::Context as _;

use super::{UsageError, shown};
use crate::config::edit::EditError;
use crate::config::{Config, ConfigError};
use crate::discover::Discoverer;
use crate::fetch::Fetcher;
use crate::model::Language;
use crate::pipeline::SpotifyAuth;

/// The config's text as read (what an edit must keep) and the config it holds.
pub fn read(path: &Path) -> anyhow::Result<(String, Config)> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
    let config = Config::parse(&text, path)?;
    Ok((text, config))
}

/// What a [`Discoverer`] borrows, made from the config.
pub struct Discovery {
    /// The client every discovery fetch goes through (limits, origin overrides).
    fetcher: Fetcher,
    /// Spotify's credentials, for API URLs.
    spotify: SpotifyAuth,
    /// The site language: the Apple store country and Spotify market a URL names none of.
    language: Language,
}

impl Discovery {
    pub fn new(config: &Config) -> anyhow::Result<Discovery> {
        Ok(Discovery {
            fetcher: Fetcher::for_config(config)?,
            spotify: SpotifyAuth::from_env(config.spotify.token_url.url().clone()),
            language: config.site.language,
        })
    }

    pub fn discoverer(&self) -> Discoverer<'_> {
        Discoverer { fetcher: &self.fetcher, language: self.language, spotify: &self.spotify }
    }
}

/// What the user asked that cannot be done is a usage error; a config that cannot be edited
/// in place is a configuration error.
pub fn edit_error(path: &Path) -> impl Fn(EditError) -> anyhow::Error + '_ {
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

/// Whether the edited text still loads (checked before printing or writing it).
pub fn check(path: &Path, edited: &str) -> anyhow::Result<()> {
    Config::parse(edited, path).context("the edited config would not load; nothing was written")?;
    Ok(())
}

/// Writes the edited config atomically, through a symlink to its target, keeping its
/// permissions; refuses if the file changed since it was `read`.
pub fn write(path: &Path, read: &str, edited: &str) -> anyhow::Result<()> {
    let target = std::fs::canonicalize(path).with_context(|| format!("cannot resolve {}", shown(path)))?;
    let permissions = std::fs::metadata(&target)?.permissions();
    let unchanged = || std::fs::read_to_string(&target).is_ok_and(|now| now == read);
    let replaced = crate::files::replace_if(&target, edited.as_bytes(), unchanged)
        .with_context(|| format!("cannot write {}", shown(&target)))?;
    anyhow::ensure!(
        replaced,
        "{} changed while syndicator edited it; nothing was written: run the command again",
        shown(&target)
    );
    std::fs::set_permissions(&target, permissions)
        .with_context(|| format!("cannot keep the mode of {}", shown(&target)))
}
