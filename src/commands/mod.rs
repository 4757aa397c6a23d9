//! One module per command, each a thin composition of the library's parts. Results go to
//! stdout; logs, warnings and errors to stderr.

pub mod add;
pub mod check;
pub mod completions;
pub mod config_file;
pub mod container;
pub mod feeds;
pub mod fix;
pub mod healthcheck;
pub mod init;
pub mod man;
pub mod opml;
pub mod remote;
pub mod serve;
pub mod status;
pub mod sync;

use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;

use crate::config::{Config, ConfigError};
use crate::store::Store;
use crate::stub::Template;

/// How a command ended, mapped to the process exit code by `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything went fine: exit 0.
    Ok,
    /// Some source failed and the rest were processed: exit 2.
    SomeFailed,
}

/// The command was called with an argument that names nothing there is (an unknown channel,
/// episode or platform copy, a URL `add` cannot resolve): exit 64 like clap's own usage errors, so scripts tell it from
/// a failed source (2) or a broken config (3).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Opens the store named by the config, creating its parent folder; a damaged store is
/// recovered automatically, with one warning (`store::open_or_recover`).
pub fn open_store(config: &Config) -> anyhow::Result<Arc<Store>> {
    let path = &config.store.path;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let (store, recovery) = crate::store::open_or_recover(path)?;
    if let Some(recovery) = recovery {
        tracing::warn!("{recovery}");
    }
    Ok(Arc::new(store))
}

/// Makes sure stubs can be written and will build: `[site] root` must be a Hugo site
/// (else [`ConfigError::NotHugoSite`], exit 3, nothing written), and the shortcodes stubs
/// embed are installed where Hugo would not find them (never overwriting a file), each
/// logged. `dry_run` only checks the site.
pub fn prepare_site(config: &Config, dry_run: bool) -> anyhow::Result<()> {
    config.require_hugo_site()?;
    if dry_run {
        return Ok(());
    }
    let root = &config.site.root;
    let installed = crate::shortcodes::install(root).with_context(|| {
        format!("cannot install shortcodes into {}", shown(&crate::shortcodes::dir(root)))
    })?;
    for path in installed {
        tracing::info!(
            "installed the shortcode {}: stubs embed it and `hugo` fails without it",
            shown(&path)
        );
    }
    Ok(())
}

/// The stub template: the user's file if configured, else the built-in one for the language.
/// A missing or broken template is a configuration error.
pub fn load_template(config: &Config) -> Result<Template, ConfigError> {
    let Some(path) = &config.site.stub_template else {
        return Ok(Template::builtin(config.site.language));
    };
    let source =
        std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.clone(), source })?;
    Template::user(source).map_err(|e| ConfigError::Invalid {
        path: path.clone(),
        message: format!("invalid stub template ([site] stub_template): {e}"),
    })
}

/// An absolute form of `path` for display (relative paths resolve against the working dir).
pub fn shown(path: &Path) -> String {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned()).display().to_string()
}
