//! `syndicator status`: per channel, what the last polls did, and stubs waiting for embeds
//! (`status CHANNEL`: one channel and its newest episodes with their copies' ids); then each
//! WebSub subscription; `--json` prints the same data as `GET /api/status`, the
//! newest stubs included. While a `serve` holds the store, the data comes from that service's
//! `/api/status`.

use std::fmt::Write as _;

use chrono::SecondsFormat;

use super::remote::{self, Admin};
use super::{UsageError, open_store};
use crate::config::Config;
use crate::status::{self, ChannelStatus, EpisodeStatus, SubscriptionStatus};
use crate::store::Store;

/// What `status` was asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// One channel, shown with its newest episodes.
    pub channel: Option<String>,
    /// How many episodes (0: all).
    pub episodes: usize,
    pub json: bool,
}

/// What `status` shows, read from the store or from a running serve.
struct Gathered {
    channels: Vec<ChannelStatus>,
    websub: Vec<SubscriptionStatus>,
    recent_stubs: Vec<status::RecentStub>,
    /// The newest episodes of `Options::channel`; empty without one.
    episodes: Vec<EpisodeStatus>,
}

pub fn run(config: &Config, options: &Options) -> anyhow::Result<()> {
    if let Some(id) = options.channel.as_deref().filter(|id| config.channel(id).is_none()) {
        return Err(
            UsageError(format!("no channel \"{id}\" in the config; `syndicator check` lists them")).into()
        );
    }
    let mut data = match open_store(config) {
        Ok(store) => gather(config, &store, options)?,
        Err(e) if remote::store_is_locked(&e) && options.channel.is_some() => {
            return Err(e.context(
                "`status CHANNEL` reads the episodes from the store itself: stop the running serve first",
            ));
        }
        Err(e) if remote::store_is_locked(&e) => ask_serve(config)?,
        Err(e) => return Err(e),
    };
    data.channels.retain(|c| options.channel.as_ref().is_none_or(|id| *id == c.id));
    let git = crate::git::GitStatus::collect(config);
    if options.json {
        let Gathered { channels, websub, recent_stubs, episodes } = &data;
        let mut status = serde_json::json!({ "channels": channels, "websub": websub, "recent_stubs": recent_stubs, "git": git });
        if options.channel.is_some() {
            status["episodes"] = serde_json::to_value(episodes)?;
        }
        println!("{}", serde_json::to_string_pretty(&status)?);
    } else {
        print!("{}", describe(&data.channels));
        print!("{}", describe_episodes(&data.episodes));
        print!("{}", describe_subscriptions(&data.websub));
        if let Some(git) = git {
            print!("{}", git.describe());
        }
    }
    Ok(())
}

fn gather(config: &Config, store: &Store, options: &Options) -> anyhow::Result<Gathered> {
    let episodes = match &options.channel {
        Some(id) => status::episodes::collect(config, store, id, options.episodes)?,
        None => Vec::new(),
    };
    Ok(Gathered {
        channels: status::collect(config, store)?,
        websub: status::subscriptions(store)?,
        recent_stubs: status::recent_stubs(config, store)?,
        episodes,
    })
}

fn ask_serve(config: &Config) -> anyhow::Result<Gathered> {
    let answer = Admin::from_env(config)?.status()?;
    Ok(Gathered {
        channels: part(&answer, "channels")?,
        websub: part(&answer, "websub")?,
        recent_stubs: part(&answer, "recent_stubs")?,
        episodes: Vec::new(),
    })
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

/// The episodes of `status CHANNEL`: per episode its id, date, title and stub, then one line
/// per copy with its platform, id and link, and one per copy linked by hand and not seen yet.
pub fn describe_episodes(episodes: &[EpisodeStatus]) -> String {
    let mut out = String::new();
    if !episodes.is_empty() {
        out.push_str("  episodes (newest first):\n");
    }
    for episode in episodes {
        let date = episode.published.map_or_else(|| "-".to_owned(), |t| t.format("%Y-%m-%d").to_string());
        let _ = writeln!(out, "    {}  {date}  {}", episode.id, episode.title);
        let path = episode.path.as_deref().map(|p| format!(" {p}")).unwrap_or_default();
        let _ = writeln!(out, "      stub: {}{path}", episode.stub);
        for copy in &episode.copies {
            let link = copy.link.as_deref().unwrap_or("-");
            let _ = writeln!(out, "      {:<8} {}  {link}", copy.platform.as_str(), copy.id);
        }
        for linked in &episode.linked_unseen {
            let _ = writeln!(
                out,
                "      {:<8} {}  (linked by hand, not seen yet)",
                linked.platform.as_str(),
                linked.id
            );
        }
    }
    out
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
        let missing = [("cover", &channel.pending_covers), ("transcript", &channel.pending_transcripts)];
        for (what, pending) in missing {
            for item in pending {
                let next = if item.given_up { "no more tries" } else { "retried next run" };
                let _ = writeln!(
                    out,
                    "  {what} missing for {} after {} attempt(s), {next}: {}",
                    item.path, item.attempts, item.last_error
                );
            }
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
