//! Why a source failed, as data: the [`Cause`] the fetch, parse and Spotify steps return, and
//! the [`SourceFailure`] a poll reports once it knows the channel, platform and URL. Logged
//! with those as structured fields, so failures can be filtered by channel or platform.

use chrono::{DateTime, Utc};

use crate::model::Platform;

/// What kind of thing went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The request failed: network, timeout, HTTP status, body limit.
    Fetch,
    /// The body is not a feed or API page we can read.
    Parse,
    /// Spotify's token could not be had or was rejected, or the credentials are not set.
    Auth,
    /// Not polled: the source is backing off after earlier failures.
    BackingOff,
    /// The store could not be read or written.
    Store,
}

impl FailureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Fetch => "fetch",
            FailureKind::Parse => "parse",
            FailureKind::Auth => "auth",
            FailureKind::BackingOff => "backing_off",
            FailureKind::Store => "store",
        }
    }
}

/// A failure before the poll adds where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    pub kind: FailureKind,
    /// Names the URL where one is involved; never a secret.
    pub message: String,
    /// The server's `Retry-After`, if it sent one.
    pub retry_after: Option<DateTime<Utc>>,
}

impl Cause {
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Cause {
        Cause { kind, message: message.into(), retry_after: None }
    }

    pub fn retry_after(self, retry_after: Option<DateTime<Utc>>) -> Cause {
        Cause { retry_after, ..self }
    }
}

/// One source of one channel failed this run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{channel} {platform}: {}", cause.message)]
pub struct SourceFailure {
    pub channel: String,
    pub platform: Platform,
    pub url: String,
    pub cause: Cause,
}

impl SourceFailure {
    /// Logs the failure as a warning with `channel`, `platform`, `url` and `kind` as fields.
    pub fn log(&self) {
        tracing::warn!(
            channel = %self.channel,
            platform = %self.platform,
            url = %self.url,
            kind = self.cause.kind.as_str(),
            "{self}"
        );
    }
}
