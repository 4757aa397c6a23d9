//! `syndicator status`: per channel, what the last polls did, and stubs waiting for embeds;
//! `--json` prints the same data as `GET /api/status`. While a `serve` holds the store, the
//! data comes from that service's `/api/status`.

use std::fmt::Write as _;

use chrono::SecondsFormat;

use super::open_store;
use super::remote::{self, Admin};
use crate::config::Config;
use crate::status::{self, ChannelStatus};

pub fn run(config: &Config, json: bool) -> anyhow::Result<()> {
    let channels = match open_store(config) {
        Ok(store) => status::collect(config, &store)?,
        Err(e) if remote::store_is_locked(&e) => {
            let answer = Admin::from_env(config)?.status()?;
            serde_json::from_value(answer["channels"].clone())
                .map_err(|e| anyhow::anyhow!("the running serve's /api/status is not as expected: {e}"))?
        }
        Err(e) => return Err(e),
    };
    let git = crate::git::GitStatus::collect(config);
    if json {
        let status = serde_json::json!({ "channels": channels, "git": git });
        println!("{}", serde_json::to_string_pretty(&status)?);
    } else {
        print!("{}", describe(&channels));
        if let Some(git) = git {
            print!("{}", git.describe());
        }
    }
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
