//! `syndicator status`: per channel, what the last polls did.

use std::fmt::Write as _;

use chrono::SecondsFormat;

use super::open_store;
use crate::config::Config;
use crate::model::{Episode, StubState};
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
        let _ = writeln!(
            out,
            "  last poll:     {}",
            state.last_poll.map_or_else(never, |t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        );
        let _ = writeln!(out, "  last result:   {}", state.last_result.as_deref().unwrap_or("-"));
        let _ = writeln!(out, "  episodes:      {}", store.count_episodes(channel.id()));
        let _ = writeln!(out, "  stubs written: {}", state.stubs_written);
        let _ = writeln!(out, "  last error:    {}", state.last_error.as_deref().unwrap_or("-"));
        write_pending_embeds(&mut out, config, &store.channel_episodes(channel.id())?);
    }
    Ok(out)
}

/// Lists edited stubs that lack embeds which arrived later, with the exact lines to paste.
fn write_pending_embeds(out: &mut String, config: &Config, episodes: &[Episode]) {
    let section = config.section_dir();
    for episode in episodes {
        let StubState::Edited { path, pending } = &episode.stub else { continue };
        let file = section.join(path);
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        let missing: Vec<_> = pending.iter().filter(|line| !text.contains(line.as_str())).collect();
        if missing.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "  pending embeds for {} (edited by its author; paste these):",
            super::shown(&file)
        );
        for line in missing {
            let _ = writeln!(out, "    {line}");
        }
    }
}
