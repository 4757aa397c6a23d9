//! The hub's requests to our callback `<public_url>/websub/<token>`: the verification of
//! intent (GET, WebSub §5.3) and the content distribution (POST, §7–8).
//!
//! A verification is confirmed — the challenge echoed — only for a token we handed out,
//! for the topic that token was for, and for what we asked: `subscribe` while subscribed or
//! subscribing, `unsubscribe` while unsubscribing. Anything else is a 404, which tells the
//! hub we did not ask. `denied` is recorded with the hub's reason.
//!
//! A notification is acted on only when its `X-Hub-Signature` holds under the
//! subscription's secret and its `Link: rel="self"` (when sent) names the subscription's
//! topic; otherwise it is answered 2xx as the spec asks (a hub would only retry) and
//! nothing changes. The decisions are pure ([`decide`], [`check`]); [`verify`] and
//! [`receive`] apply them to the store.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use super::signature::{self, SignatureError};
use super::token::is_token;
use super::topic::{same_topic, self_link};
use crate::model::Platform;
use crate::store::{Store, StoreError, Subscription, SubscriptionState};

/// The longest challenge echoed; hubs send a few dozen characters.
pub const MAX_CHALLENGE_BYTES: usize = 1024;
/// The longest lease recorded, whatever a hub grants: a year.
pub const MAX_LEASE_SECS: u64 = 366 * 24 * 3600;

/// The query of a verification request.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Verification {
    #[serde(rename = "hub.mode")]
    pub mode: Option<String>,
    #[serde(rename = "hub.topic")]
    pub topic: Option<String>,
    #[serde(rename = "hub.challenge")]
    pub challenge: Option<String>,
    #[serde(rename = "hub.lease_seconds")]
    pub lease_seconds: Option<String>,
    /// Why the hub denied a subscription.
    #[serde(rename = "hub.reason")]
    pub reason: Option<String>,
}

/// What the callback answers a verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// 200 with the challenge as the body.
    Challenge(String),
    /// 200: a denial noted.
    Noted,
    /// 404: not something we asked for.
    NotFound,
}

/// What a verification does to its subscription.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Keep,
    Save(Box<Subscription>),
    Remove,
}

/// The answer to `query` for `record` at `now`, and what it changes.
pub fn decide(record: &Subscription, query: &Verification, now: DateTime<Utc>) -> (Answer, Change) {
    let refused = (Answer::NotFound, Change::Keep);
    if !query.topic.as_deref().is_some_and(|topic| same_topic(topic, &record.topic)) {
        return refused;
    }
    let challenge = query.challenge.clone().filter(|c| !c.is_empty() && c.len() <= MAX_CHALLENGE_BYTES);
    let leaving = record.state == SubscriptionState::Unsubscribing;
    match (query.mode.as_deref(), challenge) {
        (Some("subscribe"), Some(challenge)) if !leaving => {
            let lease = query.lease_seconds.as_deref().and_then(|s| s.trim().parse::<u64>().ok());
            let lease =
                lease.or(record.lease_seconds).unwrap_or(super::LEASE_SECONDS).clamp(1, MAX_LEASE_SECS);
            let active = Subscription {
                state: SubscriptionState::Active,
                lease_seconds: Some(lease),
                lease_expires: Some(now + Duration::seconds(lease as i64)),
                verify_by: None,
                failures: 0,
                retry_at: None,
                last_error: None,
                ..record.clone()
            };
            (Answer::Challenge(challenge), Change::Save(Box::new(active)))
        }
        (Some("unsubscribe"), Some(challenge)) if leaving => (Answer::Challenge(challenge), Change::Remove),
        (Some("denied"), _) if leaving => (Answer::Noted, Change::Remove),
        (Some("denied"), _) => {
            let reason = query.reason.as_deref().unwrap_or("no reason given");
            let reason: String = reason.chars().take(300).collect();
            let denied = Subscription {
                state: SubscriptionState::Denied,
                verify_by: None,
                last_error: Some(format!("the hub denied the subscription: {reason}")),
                ..record.clone()
            };
            (Answer::Noted, Change::Save(Box::new(denied)))
        }
        _ => refused,
    }
}

/// Answers a verification to the callback `token`, recording what it changes (atomically:
/// a request of ours in flight is never overwritten).
pub fn verify(
    store: &Store,
    token: &str,
    query: &Verification,
    now: DateTime<Utc>,
) -> Result<Answer, StoreError> {
    if !is_token(token) {
        return Ok(Answer::NotFound);
    }
    let mut outcome = None;
    store.modify_subscription(token, |record| {
        let (answer, change) = decide(&record, query, now);
        let kept = match &change {
            Change::Keep => Some(record.clone()),
            Change::Save(saved) => Some(*saved.clone()),
            Change::Remove => None,
        };
        outcome = Some((answer, change, record));
        kept
    })?;
    let Some((answer, change, record)) = outcome else { return Ok(Answer::NotFound) };
    log_verification(&record, query, &change);
    Ok(answer)
}

fn log_verification(record: &Subscription, query: &Verification, change: &Change) {
    let (channel, platform, hub) = (record.channel.as_str(), record.platform, record.hub.as_str());
    match change {
        Change::Save(saved) if saved.state == SubscriptionState::Denied => {
            tracing::warn!(channel, %platform, hub, "{}", saved.last_error.as_deref().unwrap_or_default());
        }
        Change::Save(saved) => {
            tracing::info!(channel, %platform, hub, lease_secs = saved.lease_seconds, "subscription verified");
        }
        Change::Remove => tracing::info!(channel, %platform, hub, "unsubscribed"),
        Change::Keep => tracing::warn!(
            channel, %platform, hub, mode = query.mode.as_deref().unwrap_or("none"),
            "refused a verification request that does not match what was asked for"
        ),
    }
}

/// The subscription a callback path's token names, if the token has our shape and is known.
fn find(store: &Store, token: &str) -> Result<Option<Subscription>, StoreError> {
    match is_token(token) {
        true => store.subscription(token),
        false => Ok(None),
    }
}

/// A notification as it arrived.
#[derive(Debug, Clone, Copy)]
pub struct Push<'a> {
    /// The `X-Hub-Signature` header.
    pub signature: Option<&'a str>,
    /// The `Link` header, naming the topic (`rel="self"`).
    pub link: Option<&'a str>,
    pub body: &'a [u8],
}

/// Why a notification was ignored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Ignored {
    #[error("unsigned")]
    Unsigned,
    #[error("mis-signed: {0}")]
    BadSignature(SignatureError),
    #[error("for another topic ({0})")]
    WrongTopic(String),
    #[error("for a subscription being cancelled")]
    Unsubscribing,
}

impl Ignored {
    /// The metrics label.
    pub fn label(&self) -> &'static str {
        match self {
            Ignored::Unsigned => "unsigned",
            Ignored::BadSignature(_) => "bad_signature",
            Ignored::WrongTopic(_) => "wrong_topic",
            Ignored::Unsubscribing => "unsubscribing",
        }
    }
}

/// Whether `push` may be acted on for `record`.
pub fn check(record: &Subscription, push: &Push) -> Result<(), Ignored> {
    if record.state == SubscriptionState::Unsubscribing {
        return Err(Ignored::Unsubscribing);
    }
    match signature::verify(push.signature, push.body, record.secret.as_bytes()) {
        Ok(()) => {}
        Err(SignatureError::Missing) => return Err(Ignored::Unsigned),
        Err(e) => return Err(Ignored::BadSignature(e)),
    }
    match push.link.and_then(self_link) {
        Some(topic) if !same_topic(&topic, &record.topic) => {
            Err(Ignored::WrongTopic(topic.chars().take(300).collect()))
        }
        _ => Ok(()),
    }
}

/// A notification that holds: which channel, and what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub channel: String,
    pub platform: Platform,
    /// The ids of the entries it carries (video ids on YouTube): new ones, or edits.
    pub ids: Vec<String>,
    /// The `ref`s of the entries it reports deleted.
    pub deleted: Vec<String>,
}

/// How `POST /websub/<token>` is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivered {
    /// 204: acted on, or ignored (unsigned, mis-signed, another topic) as the spec asks.
    Taken,
    /// 404: no subscription has this token.
    Unknown,
    /// 500: the store failed; the hub retries.
    Failed,
}

/// What became of a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// No subscription has this token (404).
    Unknown,
    /// Answered 2xx, nothing changed (logged by [`receive`]).
    Ignored {
        channel: String,
        why: Ignored,
    },
    Accepted(Accepted),
}

/// Checks a notification to the callback `token` and, when it holds, records its arrival
/// and reads which entries it names. A body that is no feed names none.
pub fn receive(store: &Store, token: &str, push: &Push, now: DateTime<Utc>) -> Result<Received, StoreError> {
    let Some(record) = find(store, token)? else { return Ok(Received::Unknown) };
    let (channel, platform) = (record.channel.clone(), record.platform);
    if let Err(why) = check(&record, push) {
        tracing::warn!(channel, %platform, hub = record.hub, "ignored a notification {why}");
        return Ok(Received::Ignored { channel, why });
    }
    store.update_subscription(token, |r| r.last_notification = Some(now))?;
    let ids = crate::source::parse_feed(push.body, platform)
        .map(|items| items.into_iter().map(|item| item.platform_id).collect())
        .unwrap_or_else(|e| {
            tracing::warn!(channel, %platform, "a signed notification is not a feed ({e}); running the channel anyway");
            Vec::new()
        });
    let deleted = crate::source::feed_links(push.body).map(|links| links.deleted).unwrap_or_default();
    Ok(Received::Accepted(Accepted { channel, platform, ids, deleted }))
}

#[cfg(test)]
mod tests;
