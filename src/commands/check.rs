//! `syndicator check`: the validated config as the tool understands it.

use std::fmt::Write as _;

use super::shown;
use crate::config::{Config, ConfigError};

/// How many upcoming runs `check` shows per channel.
const UPCOMING: usize = 3;

pub fn run(config: &Config) -> Result<(), ConfigError> {
    super::load_template(config)?;
    print!("{}", describe(config));
    Ok(())
}

/// The text `check` prints.
pub fn describe(config: &Config) -> String {
    let tz = config.site.timezone.0;
    let mut out = String::new();
    let _ = writeln!(out, "config ok: {} channel(s)", config.channels.len());
    let _ = writeln!(out, "site root:   {}", shown(&config.site.root));
    let _ = writeln!(out, "stubs go to: {}", shown(&config.section_dir()));
    let _ = writeln!(out, "feeds go to: {}", shown(&config.public_dir()));
    let _ = writeln!(out, "store:       {}", shown(&config.store.path));
    let _ = writeln!(out, "time zone:   {tz}");
    for channel in &config.channels {
        let _ = writeln!(out, "\n{} ({})", channel.id(), channel.name);
        for (platform, url) in channel.sources() {
            let _ = writeln!(out, "  {:<8} {url}", platform.as_str());
        }
        let schedule = channel.schedule(config);
        let _ = writeln!(out, "  schedule {}", schedule.expression);
        for next in schedule.schedule.upcoming(tz).take(UPCOMING) {
            let _ = writeln!(out, "  next run {}", next.to_rfc3339());
        }
    }
    out
}
