//! `syndicator status`: per channel, what the last polls did, and stubs waiting for embeds.

use std::fmt::Write as _;

use chrono::SecondsFormat;

use super::open_store;
use crate::config::Config;
use crate::status::{self, ChannelStatus};

pub fn run(config: &Config) -> anyhow::Result<()> {
    let store = open_store(config)?;
    let channels = status::collect(config, &store)?;
    print!("{}", describe(&channels));
    Ok(())
}

/// The text `status` prints.
pub fn describe(channels: &[ChannelStatus]) -> String {
    let mut out = String::new();
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or_else(|| "never".to_owned(), |t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
    };
    for channel in channels {
        let _ = writeln!(out, "{} ({})", channel.id, channel.name);
        let _ = writeln!(out, "  last poll:     {}", time(channel.last_poll));
        let _ = writeln!(out, "  last result:   {}", channel.last_result.as_deref().unwrap_or("-"));
        let _ = writeln!(out, "  episodes:      {}", channel.episodes);
        let _ = writeln!(out, "  stubs written: {}", channel.stubs_written);
        let _ = writeln!(out, "  last error:    {}", channel.last_error.as_deref().unwrap_or("-"));
        for backoff in &channel.backoff {
            let _ = writeln!(
                out,
                "  backing off:   {} after {} failure(s), next try {}",
                backoff.platform,
                backoff.failures,
                time(backoff.retry_at)
            );
        }
        for pending in &channel.pending_embeds {
            let _ =
                writeln!(out, "  pending embeds for {} (edited by its author; paste these):", pending.path);
            for line in &pending.lines {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    out
}
