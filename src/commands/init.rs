//! `syndicator init`: a commented starter config at the config path, never overwriting one.

use std::path::Path;

use anyhow::Context as _;

/// The starter config: the shipped `config/syndicator.toml`, which documents every key.
pub const STARTER_CONFIG: &str = include_str!("../../config/syndicator.toml");

pub fn run(config_path: &Path) -> anyhow::Result<()> {
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
