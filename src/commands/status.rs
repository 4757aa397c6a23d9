//! `syndicator status`: per channel, what the last polls did.

use std::fmt::Write as _;

use super::open_store;
use crate::config::Config;
use crate::store::Store;

pub fn run(config: &Config) -> anyhow::Result<()> {
    let store = open_store(config)?;
    print!("{}", describe(config, &store)?);
    Ok(())
}

/// The text `status` prints.
pub fn describe(config: &Config, store: &Store) -> anyhow::Result<String> {
    let mut out = String::new();
    for channel in &config.channels {
        let state = store.channel_state(channel.id())?;
        let never = || "never".to_owned();
        let _ = writeln!(out, "{} ({})", channel.id(), channel.name);
        let _ = writeln!(out, "  last poll:     {}", state.last_poll.map_or_else(never, |t| t.to_rfc3339()));
        let _ = writeln!(out, "  last result:   {}", state.last_result.as_deref().unwrap_or("-"));
        let _ = writeln!(out, "  episodes:      {}", store.count_episodes(channel.id()));
        let _ = writeln!(out, "  stubs written: {}", state.stubs_written);
        let _ = writeln!(out, "  last error:    {}", state.last_error.as_deref().unwrap_or("-"));
    }
    Ok(out)
}
