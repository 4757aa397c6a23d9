//! `syndicator status`: per channel, what the last polls did, and stubs waiting for embeds;
//! then each WebSub subscription; `--json` prints the same data as `GET /api/status`, the
//! newest stubs included. While a `serve` holds the store, the data comes from that service's
//! `/api/status`.

use std::fmt::Write as _;

use chrono::SecondsFormat;

use super::open_store;
use super::remote::{self, Admin};
use crate::config::Config;
use crate::status::{self, ChannelStatus, SubscriptionStatus};

pub fn run(config: &Config, json: bool) -> anyhow::Result<()> {
    let (channels, websub, recent_stubs) = match open_store(config) {
        Ok(store) => (
            status::collect(config, &store)?,
            status::subscriptions(&store)?,
            status::recent_stubs(config, &store)?,
        ),
        Err(e) if remote::store_is_locked(&e) => {
            let answer = Admin::from_env(config)?.status()?;
            (
                part(&answer, "channels")?,
                part(&answer, "websub")?,
                part::<status::RecentStub>(&answer, "recent_stubs")?,
            )
        }
        Err(e) => return Err(e),
    };
    let git = crate::git::GitStatus::collect(config);
    if json {
        let status = serde_json::json!({ "channels": channels, "websub": websub, "recent_stubs": recent_stubs, "git": git });
        println!("{}", serde_json::to_string_pretty(&status)?);
    } else {
        print!("{}", describe(&channels));
        print!("{}", describe_subscriptions(&websub));
        if let Some(git) = git {
            print!("{}", git.describe());
        }
    }
    Ok(())
}

/// The list `name` of a running serve's `/api/status` answer; absent is empty.
fn part<T: serde::de::DeserializeOwned>(answer: &serde_json::Value, name: &str) -> anyhow::Result<Vec<T>> {
    let value = answer.get(name).cloned().unwrap_or(serde_json::Value::Array(Vec::new()));
    serde_json::from_value(value)
        .map_err(|e| anyhow::anyhow!("the running serve's /api/status is not as expected ({name}): {e}"))
}

/// A time as `status` shows it, or `never`.
fn time(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or_else(|| "never".to_owned(), |t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// The text `status` prints about WebSub subscriptions; nothing when there are none.
pub fn describe_subscriptions(subscriptions: &[SubscriptionStatus]) -> String {
    let mut out = String::new();
    if !subscriptions.is_empty() {
        out.push_str("websub subscriptions\n");
    }
    for s in subscriptions {
        let _ = writeln!(out, "  {} {} at {}: {}", s.channel, s.platform, s.hub, s.state.as_str());
        let _ = writeln!(out, "    topic:             {}", s.topic);
        let _ = writeln!(out, "    lease expires:     {}", time(s.lease_expires));
        let _ = writeln!(out, "    last notification: {}", time(s.last_notification));
        if let Some(error) = &s.last_error {
            let _ = writeln!(
                out,
                "    last error:        {error} ({} failure(s), next try {})",
                s.failures,
                time(s.retry_at)
            );
        }
    }
    out
}

/// The text `status` prints.
pub fn describe(channels: &[ChannelStatus]) -> String {
    let mut out = String::new();
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
