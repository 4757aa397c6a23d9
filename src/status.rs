//! What each channel is doing, as data: read from the store (and the content folder for
//! pending embeds), shown as text by `syndicator status`, as JSON by `GET /api/status` and as
//! the `serve` status page; likewise each WebSub subscription ([`subscriptions`]) and the
//! newest stubs ([`recent_stubs`]); for `status CHANNEL`, the channel's episodes with their
//! copies ([`episodes`]).
//! Every string is [`printable`]: error text and titles come from upstream and may carry
//! terminal escape sequences. [`PrintableLog`] applies the same rule to log records.

use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::content::{SectionDir, Stubs};
use crate::model::{Platform, StubState};
use crate::store::{Pending, Store, StoreError, SubscriptionState};
pub use episodes::{CopyStatus, EpisodeStatus};

mod recent;

pub use recent::{RECENT_EPISODES, RecentStub, recent_stubs};

#[derive(Debug, Serialize, Deserialize)]
pub struct ChannelStatus {
    pub id: String,
    pub name: String,
    /// The platforms the channel follows, in poll order (absent from an older serve's answer).
    #[serde(default)]
    pub platforms: Vec<Platform>,
    pub last_poll: Option<DateTime<Utc>>,
    pub last_result: Option<String>,
    pub last_error: Option<String>,
    /// Set by the daemon: the next scheduled run.
    pub next_run: Option<DateTime<Utc>>,
    pub episodes: usize,
    pub stubs_written: u64,
    /// Sources that are failing and when they will be tried again.
    pub backoff: Vec<Backoff>,
    /// Edited stubs and the embed lines the author may paste in.
    pub pending_embeds: Vec<PendingEmbeds>,
    /// Page bundles whose cover could not be downloaded yet.
    #[serde(default)]
    pub pending_covers: Vec<PendingStatus>,
    /// Stubs whose transcript could not be fetched yet (after a first failed try).
    #[serde(default)]
    pub pending_transcripts: Vec<PendingStatus>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Backoff {
    pub platform: Platform,
    pub failures: u32,
    pub retry_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PendingEmbeds {
    /// The stub's path (absolute).
    pub path: String,
    pub lines: Vec<String>,
}

/// One WebSub subscription, without its secret or callback token.
#[derive(Debug, Serialize, Deserialize)]
pub struct SubscriptionStatus {
    pub channel: String,
    pub platform: Platform,
    /// The feed URL the hub watches.
    pub topic: String,
    pub hub: String,
    pub state: SubscriptionState,
    /// When the hub stops pushing unless renewed (renewal comes before).
    pub lease_expires: Option<DateTime<Utc>>,
    /// When the last signed notification arrived.
    pub last_notification: Option<DateTime<Utc>>,
    /// Consecutive failed requests to the hub, and when it is asked again.
    pub failures: u32,
    pub retry_at: Option<DateTime<Utc>>,
    /// Why the last request failed, or why the hub denied the subscription.
    pub last_error: Option<String>,
}

/// Every WebSub subscription in the store, by channel and platform.
pub fn subscriptions(store: &Store) -> Result<Vec<SubscriptionStatus>, StoreError> {
    let mut list: Vec<SubscriptionStatus> = store
        .subscriptions()?
        .into_iter()
        .map(|s| SubscriptionStatus {
            channel: s.channel,
            platform: s.platform,
            topic: printable_owned(&s.topic),
            hub: printable_owned(&s.hub),
            state: s.state,
            lease_expires: s.lease_expires,
            last_notification: s.last_notification,
            failures: s.failures,
            retry_at: s.retry_at,
            last_error: s.last_error.as_deref().map(printable_owned),
        })
        .collect();
    list.sort_by(|a, b| (&a.channel, a.platform.as_str()).cmp(&(&b.channel, b.platform.as_str())));
    Ok(list)
}

#[derive(Debug, Serialize, Deserialize)]
/// A resource (a cover, a transcript) a stub is still owed.
pub struct PendingStatus {
    /// The stub's path (absolute), where it is now.
    pub path: String,
    pub attempts: u32,
    pub last_error: String,
    /// Whether syndicator stopped trying (after the kind's most attempts).
    pub given_up: bool,
}

pub mod episodes;

/// The status of every configured channel.
pub fn collect(config: &Config, store: &Store) -> Result<Vec<ChannelStatus>, StoreError> {
    config
        .channels
        .iter()
        .map(|channel| {
            let state = store.channel_state(channel.id())?;
            let mut backoff = Vec::new();
            for (platform, url) in channel.sources() {
                let source = store.source_state(channel.id(), platform, url.as_str())?;
                if source.failures > 0 {
                    backoff.push(Backoff { platform, failures: source.failures, retry_at: source.retry_at });
                }
            }
            Ok(ChannelStatus {
                id: channel.id().to_owned(),
                name: printable(&channel.name).into_owned(),
                platforms: channel.sources().map(|(platform, _)| platform).collect(),
                last_poll: state.last_poll,
                last_result: state.last_result.as_deref().map(printable_owned),
                last_error: state.last_error.as_deref().map(printable_owned),
                next_run: None,
                episodes: store.count_episodes(channel.id()),
                stubs_written: state.stubs_written,
                backoff,
                pending_embeds: pending_embeds(config, store, channel.id())?,
                pending_covers: pending(config, store, channel.id(), Pending::Cover)?,
                pending_transcripts: pending(config, store, channel.id(), Pending::Transcript)?,
            })
        })
        .collect()
}

/// Edited stubs of `channel` with embed lines that are not in the file yet, each where it is
/// now (found by its `syndicator_id` if the author moved it since).
fn pending_embeds(config: &Config, store: &Store, channel: &str) -> Result<Vec<PendingEmbeds>, StoreError> {
    let section = SectionDir::new(config.section_dir());
    let mut stubs = Stubs::new(&section);
    let mut pending = Vec::new();
    for episode in store.channel_episodes(channel)? {
        let StubState::Edited { path, pending: lines } = &episode.stub else { continue };
        let Ok(Some(path)) = stubs.locate(episode.id.as_str(), path) else { continue };
        let missing = section.lines_missing_from(&path, lines);
        if !missing.is_empty() {
            let file = section.path().join(path);
            let path = std::path::absolute(&file).unwrap_or(file).display().to_string();
            let lines = missing.iter().map(|line| printable_owned(line)).collect();
            pending.push(PendingEmbeds { path: printable_owned(&path), lines });
        }
    }
    Ok(pending)
}

/// Stubs of `channel` still owed a resource of `kind` they were tried for, each where it is
/// now: bundles waiting for their cover, stubs waiting for their transcript.
fn pending(
    config: &Config,
    store: &Store,
    channel: &str,
    kind: Pending,
) -> Result<Vec<PendingStatus>, StoreError> {
    let section = SectionDir::new(config.section_dir());
    let mut stubs = Stubs::new(&section);
    let mut pending = Vec::new();
    for (id, state) in store.pending(kind, channel)? {
        let recorded = match store.episode(id.as_str())?.map(|e| e.stub) {
            Some(StubState::Written { path, .. }) => path,
            Some(StubState::Edited { path, .. }) if kind == Pending::Transcript => path,
            _ => continue,
        };

        let Ok(Some(path)) = stubs.locate(id.as_str(), &recorded) else { continue };
        let file = section.path().join(path);
        pending.push(PendingStatus {
            path: printable_owned(&std::path::absolute(&file).unwrap_or(file).display().to_string()),
            attempts: state.attempts,
            last_error: printable_owned(&state.last_error),
            given_up: state.attempts >= kind.max_attempts(),
        });
    }
    Ok(pending)
}

/// `text` with every control character (C0 including line breaks, DEL, C1) written as a
/// visible `\u{..}` escape, so that no upstream string can move the cursor, clear the
/// screen, retitle the terminal or forge a line of output.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn printable_owned(text: &str) -> String {
    printable(text).into_owned()
}

/// A log writer that shows the control characters inside a record as [`printable`] escapes,
/// so upstream text quoted in a log line can neither forge lines (`\r`, `\n`) nor act on the
/// terminal. It keeps the record's final line break, tabs, and ESC: `tracing-subscriber`
/// already escapes ESC in field values, so a raw ESC can only be its own colour codes. The
/// formatter hands over one whole record per write.
pub struct PrintableLog<W>(pub W);

impl<W: std::io::Write> std::io::Write for PrintableLog<W> {
    fn write(&mut self, record: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(record);
        let (body, end) = text.strip_suffix('\n').map_or((&*text, ""), |body| (body, "\n"));
        let mut out = String::with_capacity(record.len());
        for c in body.chars() {
            match c {
                '\t' | '\u{1b}' => out.push(c),
                c if c.is_control() => {
                    let _ = write!(out, "\\u{{{:x}}}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push_str(end);
        self.0.write_all(out.as_bytes())?;
        Ok(record.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible_escapes() {
        assert_eq!(printable("plain 文字"), "plain 文字");
        assert_eq!(
            printable("a\u{1b}[2Jb\u{7}\r\nc\u{9b}d\u{7f}"),
            "a\\u{1b}[2Jb\\u{7}\\u{d}\\u{a}c\\u{9b}d\\u{7f}"
        );
    }

    #[test]
    fn log_records_keep_one_line_and_their_own_colours() {
        use std::io::Write as _;
        let mut log = PrintableLog(Vec::new());
        log.write_all(b"\x1b[33mWARN\x1b[0m mlst: bad \"x\r\nERROR forged\x07\x00\"\tend\n").unwrap();
        let written = String::from_utf8(log.0).unwrap();
        assert_eq!(written, "\x1b[33mWARN\x1b[0m mlst: bad \"x\\u{d}\\u{a}ERROR forged\\u{7}\\u{0}\"\tend\n");
    }
}
