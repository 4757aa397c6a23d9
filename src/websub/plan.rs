//! What the subscriber should do next, decided from the config and the store's records
//! alone (pure, `now` passed in): which sources want a subscription, and for each record
//! whether to subscribe, renew, give up waiting for a verification, unsubscribe or forget
//! it — and when to look again.
//!
//! - A `youtube` source subscribes at `[websub] hub`; an RSS/Atom source (`podcast`, `feed`)
//!   at the hub its feed names (`rel="hub"`, recorded by the poll), with its `rel="self"` URL
//!   as the topic. Apple and Spotify have no hubs; `file:` sources are never subscribed.
//! - A request out is waited for until `verify_by`; a hub that accepted but never verified
//!   counts as a failure (usually the callback is unreachable from the internet).
//! - A failure waits `retry_at` (exponential backoff, as for polls) and is retried for ever.
//! - An active lease is renewed at [`renew_at`], well before it runs out.
//! - A record no source wants any more is unsubscribed, and forgotten once its lease is over.

use chrono::{DateTime, Duration, Utc};

use crate::config::{Config, PublicUrl};
use crate::model::Platform;
use crate::store::{SourceState, Subscription, SubscriptionState};

/// How long a hub may take to verify a request it accepted.
pub const VERIFY_WITHIN: Duration = Duration::minutes(10);
/// The longest margin before a lease ends at which it is renewed.
pub const MAX_RENEW_MARGIN: Duration = Duration::days(1);
/// How long a removed subscription whose lease is unknown is kept for the hub's verification.
pub const UNSUBSCRIBE_WITHIN: Duration = Duration::days(1);

/// A source that wants a subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub channel: String,
    pub platform: Platform,
    pub source_url: String,
    pub topic: String,
    pub hub: String,
}

/// What to do with the subscriptions now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A new subscription for this source.
    Create(Wanted),
    /// (Re)subscribe the record with this token.
    Subscribe(String),
    /// The hub accepted a request but never verified it: count a failure.
    Unverified(String),
    /// Ask the hub to stop pushing to this record.
    Unsubscribe(String),
    /// Drop the record: its lease is over.
    Forget(String),
}

/// The sources that want a subscription under `config`; `state` gives a source's recorded
/// state (its feed's hub and self links).
pub fn wanted(config: &Config, state: impl Fn(&str, Platform, &str) -> Option<SourceState>) -> Vec<Wanted> {
    if !config.websub.subscribes() {
        return Vec::new();
    }
    let mut wanted = Vec::new();
    for channel in &config.channels {
        for (platform, url) in
            channel.sources().filter(|(_, url)| matches!(url.url().scheme(), "http" | "https"))
        {
            let (hub, topic) = match platform {
                Platform::Youtube => {
                    (config.websub.hub.as_str().to_owned(), super::topic::youtube_topic(url.url()))
                }
                Platform::Podcast | Platform::Feed => {
                    let Some(link) = state(channel.id(), platform, url.as_str()).and_then(|s| s.hub) else {
                        continue;
                    };
                    (link.hub, link.self_url.unwrap_or_else(|| url.to_string()))
                }
                Platform::Apple | Platform::Spotify => continue,
            };
            let (channel, source_url) = (channel.id().to_owned(), url.to_string());
            wanted.push(Wanted { channel, platform, source_url, topic, hub });
        }
    }
    wanted
}

/// The actions due at `now`. `renew_all` (at start-up and on reload) resubscribes every wanted
/// record that is not waiting for a verification or a retry, denied ones included.
pub fn actions(
    wanted: &[Wanted],
    records: &[Subscription],
    public_url: Option<&PublicUrl>,
    now: DateTime<Utc>,
    renew_all: bool,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let mut kept = Vec::new();
    for w in wanted {
        match records.iter().find(|r| r.state != SubscriptionState::Unsubscribing && is_for(r, w)) {
            None => actions.push(Action::Create(w.clone())),
            Some(record) => {
                kept.push(record.token.as_str());
                let moved =
                    public_url.is_some_and(|url| record.callback != super::callback_url(url, &record.token));
                actions.extend(due(record, now, renew_all || moved));
            }
        }
    }
    for record in records.iter().filter(|r| !kept.contains(&r.token.as_str())) {
        actions.extend(match record.state {
            SubscriptionState::Unsubscribing => due(record, now, false),
            _ if record.lease_expires.is_none_or(|end| end <= now) => {
                Some(Action::Forget(record.token.clone()))
            }
            _ => Some(Action::Unsubscribe(record.token.clone())),
        });
    }
    actions
}

fn is_for(record: &Subscription, wanted: &Wanted) -> bool {
    record.channel == wanted.channel
        && record.platform == wanted.platform
        && record.source_url == wanted.source_url
        && record.topic == wanted.topic
        && record.hub == wanted.hub
}

/// What one record needs at `now`, if anything; `renew` asks for a resubscription unless
/// the record is waiting.
fn due(record: &Subscription, now: DateTime<Utc>, renew: bool) -> Option<Action> {
    let token = record.token.clone();
    if forget_at(record).is_some_and(|at| at <= now) {
        return Some(Action::Forget(token));
    }
    if record.verify_by.is_some_and(|by| by <= now) {
        return Some(Action::Unverified(token));
    }
    if record.verify_by.is_some() || record.retry_at.is_some_and(|at| at > now) {
        return None;
    }
    match record.state {
        SubscriptionState::Unsubscribing => Some(Action::Unsubscribe(token)),
        SubscriptionState::Active if renew || renew_at(record).is_some_and(|at| at <= now) => {
            Some(Action::Subscribe(token))
        }
        SubscriptionState::Requested | SubscriptionState::Failed => Some(Action::Subscribe(token)),
        SubscriptionState::Denied if renew => Some(Action::Subscribe(token)),
        SubscriptionState::Active | SubscriptionState::Denied => None,
    }
}

/// When an unsubscribing record is dropped: at the end of its lease.
fn forget_at(record: &Subscription) -> Option<DateTime<Utc>> {
    (record.state == SubscriptionState::Unsubscribing)
        .then(|| record.lease_expires.unwrap_or(DateTime::UNIX_EPOCH))
}

/// When an active lease is renewed: a fifth of it (at most [`MAX_RENEW_MARGIN`]) before it
/// ends.
pub fn renew_at(record: &Subscription) -> Option<DateTime<Utc>> {
    let end = record.lease_expires?;
    let lease = Duration::seconds(i64::try_from(record.lease_seconds?).unwrap_or(i64::MAX / 1000));
    Some(end - (lease / 5).min(MAX_RENEW_MARGIN))
}

/// When something next falls due among `records`, if ever.
pub fn next_wake(records: &[Subscription]) -> Option<DateTime<Utc>> {
    records.iter().filter_map(wake).min()
}

/// The earliest time [`due`] acts on `record` without a renewal being asked for.
fn wake(record: &Subscription) -> Option<DateTime<Utc>> {
    let acts = match record.verify_by {
        Some(by) => Some(by),
        None => {
            let natural = match record.state {
                SubscriptionState::Active => renew_at(record),
                SubscriptionState::Requested
                | SubscriptionState::Failed
                | SubscriptionState::Unsubscribing => Some(DateTime::UNIX_EPOCH),
                SubscriptionState::Denied => None,
            };
            natural.map(|at| at.max(record.retry_at.unwrap_or(DateTime::UNIX_EPOCH)))
        }
    };
    [acts, forget_at(record)].into_iter().flatten().min()
}

#[cfg(test)]
mod tests;
