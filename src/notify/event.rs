//! The events syndicator tells about, as data: the JSON object a webhook receives, a command
//! reads on stdin, and the outbox keeps. Pure.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::hash::hash_hex;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    /// A new stub post was written.
    #[serde(rename = "stub.written")]
    StubWritten,
    /// An untouched stub was rewritten because a platform copy arrived late.
    #[serde(rename = "stub.updated")]
    StubUpdated,
    /// A platform copy arrived late for a stub the author edited: its embeds wait in `status`.
    #[serde(rename = "embeds.pending")]
    EmbedsPending,
    /// A source failed [`FAILING_AFTER`] runs in a row.
    #[serde(rename = "source.failing")]
    SourceFailing,
    /// A source that was failing succeeded again.
    #[serde(rename = "source.recovered")]
    SourceRecovered,
}

/// How many consecutive failed polls make a source `source.failing`.
pub const FAILING_AFTER: u32 = 3;

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::StubWritten => "stub.written",
            EventKind::StubUpdated => "stub.updated",
            EventKind::EmbedsPending => "embeds.pending",
            EventKind::SourceFailing => "source.failing",
            EventKind::SourceRecovered => "source.recovered",
        }
    }
}

/// One event, exactly as sent (the webhook body).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Derived from what happened (not from when it was queued), so the same change queued
    /// twice (a stub adopted after a lost store) has the same id and receivers can dedupe.
    pub id: String,
    pub event: EventKind,
    pub channel: String,
    /// The episode's title, or for source events a sentence naming the source.
    pub title: String,
    /// The stub's path relative to the site root (`content/posts/…`); `null` for sources.
    pub path: Option<String>,
    /// The stub's URL on the blog once published; `null` for sources or when unknown.
    pub permalink: Option<String>,
    /// The embed shortcode lines (for `embeds.pending`, the ones waiting to be pasted in).
    pub embeds: Vec<String>,
    /// Platform → URL: the episode's copies, or the failing source.
    pub urls: BTreeMap<String, String>,
    pub time: DateTime<Utc>,
    /// `source.failing` only: the last error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A stable event id: a hash of the event name and what identifies the change.
pub fn event_id(kind: EventKind, parts: &[&str]) -> String {
    let mut text = kind.as_str().to_owned();
    for part in parts {
        text.push('\0');
        text.push_str(part);
    }
    hash_hex(text.as_bytes())[..32].to_owned()
}
