//! `syndicator init`: a commented starter config at the config path, never overwriting one;
//! then the Hugo shortcodes stubs use, installed into the configured site where absent.

use std::path::Path;

use anyhow::Context as _;

use super::shown;
use crate::config::Config;
use crate::shortcodes;

/// The starter config: the shipped `config/syndicator.toml`, which documents every key.
pub const STARTER_CONFIG: &str = include_str!("../../config/syndicator.toml");

/// Writes the starter config if absent, then installs the missing shortcodes. An existing
/// config that does not load is a [`crate::config::ConfigError`] (exit 3).
pub fn run(config_path: &Path) -> anyhow::Result<()> {
    write_starter_config(config_path)?;
    let config = Config::load(config_path)?;
    install_shortcodes(&config.site.root)
}

fn write_starter_config(config_path: &Path) -> anyhow::Result<()> {
    if config_path.exists() {
        eprintln!("kept the existing config {}", config_path.display());
        return Ok(());
    }
    if let Some(parent) = config_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(config_path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!("kept the existing config {}", config_path.display());
            return Ok(());
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", config_path.display())),
    };
    std::io::Write::write_all(&mut file, STARTER_CONFIG.as_bytes())
        .with_context(|| format!("cannot write {}", config_path.display()))?;
    println!("wrote a starter config to {}; edit it, then run `syndicator check`", config_path.display());
    Ok(())
}

fn install_shortcodes(site_root: &Path) -> anyhow::Result<()> {
    let installed = shortcodes::install(site_root)
        .with_context(|| format!("cannot install shortcodes into {}", shown(&shortcodes::dir(site_root))))?;
    for path in &installed {
        println!("installed {}", shown(path));
    }
    if installed.is_empty() {
        println!("shortcodes already installed in {}", shown(&shortcodes::dir(site_root)));
    }
    Ok(())
}
