//! `syndicator init [--site PATH] [--force]`: a starter config for a Hugo site at the config
//! path, never overwriting one; then the Hugo shortcodes stubs use, installed into the site
//! where Hugo would not find them; then the next steps. Running it again changes nothing and
//! exits 0.
//!
//! The site is `--site`, else the current folder when it is a Hugo site, else (with a config
//! already there) the config's `[site] root`. A folder without a Hugo config is refused
//! unless `--force`: stubs written there would never be built. The config records the site's
//! absolute path, so it works from any working directory.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::shown;
use crate::config::{Config, ConfigError};
use crate::shortcodes;
use crate::site::HugoConfig;

/// The starter config; `{root}` becomes the site's path as a TOML string.
pub const STARTER_CONFIG: &str = include_str!("init/starter.toml");

pub fn run(config_path: &Path, site: Option<&Path>, force: bool) -> anyhow::Result<()> {
    if config_path.exists() {
        eprintln!("kept the existing config {}", shown(config_path));
        let config = Config::load(config_path)?;
        warn_if_other_site(&config, site);
        require_hugo_site(&config.site.root, force)?;
        return install_shortcodes(&config.site.root);
    }
    let root = std::path::absolute(site_to_use(site)?).context("cannot resolve the site's path")?;
    require_hugo_site(&root, force)?;
    let wrote = write_new(config_path, &starter_config(&root))?;
    install_shortcodes(&root)?;
    if wrote {
        print_next_steps(config_path, &root);
    }
    Ok(())
}

/// The starter config for a site at `root`.
pub fn starter_config(root: &Path) -> String {
    let quoted = toml::Value::String(root.display().to_string()).to_string();
    STARTER_CONFIG.replacen("{root}", &quoted, 1)
}

/// `--site`, else the current folder when it is a Hugo site.
fn site_to_use(site: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(site) = site {
        return Ok(site.to_owned());
    }
    let here = std::env::current_dir().context("cannot read the current folder")?;
    if HugoConfig::locate(&here).is_some() {
        return Ok(here);
    }
    Err(ConfigError::Invalid {
        path: here,
        message: "no site given and the current folder is not a Hugo site: \
                  run `syndicator init --site PATH` with your Hugo site's folder"
            .to_owned(),
    }
    .into())
}

/// Refuses a folder without a Hugo config unless `force`, saying why.
fn require_hugo_site(root: &Path, force: bool) -> anyhow::Result<()> {
    let Some(found) = HugoConfig::locate(root) else {
        let not_a_site = ConfigError::NotHugoSite {
            root: std::path::absolute(root).unwrap_or(root.to_owned()),
            state: if root.is_dir() { "the folder exists" } else { "the folder does not exist" },
        };
        if force {
            eprintln!("warning: {not_a_site}; writing into it anyway (--force)");
            return Ok(());
        }
        return Err(anyhow::Error::new(not_a_site)
            .context("init writes only into a Hugo site; pass --force to use this folder anyway"));
    };
    eprintln!("Hugo site {} (config: {})", shown(root), shown(&found));
    Ok(())
}

fn warn_if_other_site(config: &Config, site: Option<&Path>) {
    let Some(site) = site else { return };
    if shown(site) != shown(&config.site.root) {
        eprintln!(
            "warning: the existing config's [site] root is {}, not {}; edit [site] root there, \
             or pass another --config",
            shown(&config.site.root),
            shown(site)
        );
    }
}

/// Creates `path` with `text` unless it exists; returns whether it wrote.
fn write_new(path: &Path, text: &str) -> anyhow::Result<bool> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!("kept the existing config {}", shown(path));
            return Ok(false);
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    file.write_all(text.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
    println!("wrote a starter config to {}", shown(path));
    Ok(true)
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

fn print_next_steps(config_path: &Path, root: &Path) {
    let config = shown(config_path);
    println!("\nnext steps:");
    println!(
        "  1. syndicator --config {config} add URL...   # a show's YouTube, Apple Podcasts, Spotify or site URLs"
    );
    println!("  2. syndicator --config {config} check     # validates it, shows what it read from Hugo");
    println!(
        "  3. syndicator --config {config} sync      # writes draft stubs into {}",
        shown(&root.join("content"))
    );
    println!("  4. hugo server -D                          # in {}: the drafts and the feeds", shown(root));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_config_loads_with_hugos_settings() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("my \"blog\"");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(
            root.join("hugo.toml"),
            "baseURL = 'https://b.test/'\ntitle = 'B'\nlanguageCode = 'en-us'\n",
        )
        .unwrap();
        let path = dir.path().join("syndicator.toml");
        std::fs::write(&path, starter_config(&root)).unwrap();
        let config = Config::load(&path).unwrap();
        assert_eq!(config.site.root, root);
        assert_eq!((config.site.title.as_str(), config.site.base_url.as_str()), ("B", "https://b.test/"));
        assert_eq!(config.site.language, crate::config::Language::En);
        assert_eq!(config.public_dir(), root.join("static"));
    }
}
