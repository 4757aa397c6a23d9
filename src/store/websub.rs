//! WebSub subscriptions (see the key schema in `store.rs`): one record per subscription,
//! keyed by the unguessable token its callback URL carries, so the hub's requests find it
//! with one read and a restart remembers every lease, secret and backoff.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, decode, get_json, put_json};
use crate::model::Platform;

/// Where a subscription stands with its hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubscriptionState {
    /// Asked for; the hub has not verified it yet.
    Requested,
    /// Verified: the hub pushes until `lease_expires`.
    Active,
    /// The hub refused it (`hub.mode=denied`); asked again at the next start-up or reload.
    Denied,
    /// The hub could not be asked (down, an error answer); retried at `retry_at`.
    Failed,
    /// The channel was removed: unsubscribing, kept until the hub verifies or the lease ends.
    Unsubscribing,
}

impl SubscriptionState {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionState::Requested => "requested",
            SubscriptionState::Active => "active",
            SubscriptionState::Denied => "denied",
            SubscriptionState::Failed => "failed",
            SubscriptionState::Unsubscribing => "unsubscribing",
        }
    }
}

/// One source's subscription at one hub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    /// The last segment of the callback URL, and the key: only the hub we gave it knows it.
    pub token: String,
    pub channel: String,
    pub platform: Platform,
    /// The configured source URL: a changed URL is a new source, so a new subscription.
    pub source_url: String,
    /// `hub.topic`: the feed URL the hub watches.
    pub topic: String,
    pub hub: String,
    /// `hub.callback` as sent: a changed `public_url` means subscribing again.
    pub callback: String,
    /// `hub.secret`, hex: the key the hub signs notifications with. Never shown.
    pub secret: String,
    pub state: SubscriptionState,
    /// The lease the hub granted in its last verification.
    pub lease_seconds: Option<u64>,
    /// When the hub stops pushing unless the subscription is renewed.
    pub lease_expires: Option<DateTime<Utc>>,
    /// When the last signed notification for this topic arrived.
    pub last_notification: Option<DateTime<Utc>>,
    /// Consecutive failed requests to the hub; 0 after one succeeds.
    pub failures: u32,
    /// Do not ask the hub again before this time (backoff after a failure).
    pub retry_at: Option<DateTime<Utc>>,
    /// Why the last request failed, or the hub's `hub.reason` for a denial.
    pub last_error: Option<String>,
}

impl Store {
    /// The subscription whose callback carries `token`.
    pub fn subscription(&self, token: &str) -> Result<Option<Subscription>, StoreError> {
        get_json(&self.websub, token.as_bytes())
    }

    /// Every subscription, in token order.
    pub fn subscriptions(&self) -> Result<Vec<Subscription>, StoreError> {
        self.websub.iter().values().map(|value| decode(&value?)).collect()
    }

    pub fn put_subscription(&self, subscription: &Subscription) -> Result<(), StoreError> {
        put_json(&self.websub, subscription.token.as_bytes(), subscription)
    }

    pub fn remove_subscription(&self, token: &str) -> Result<(), StoreError> {
        self.websub.remove(token.as_bytes())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscriptions_round_trip_by_token() {
        let store = Store::temporary().unwrap();
        let subscription = Subscription {
            token: "t0k3n".into(),
            channel: "mlst".into(),
            platform: Platform::Youtube,
            source_url: "https://www.youtube.com/feeds/videos.xml?channel_id=X".into(),
            topic: "https://www.youtube.com/feeds/videos.xml?channel_id=X".into(),
            hub: "https://pubsubhubbub.appspot.com/".into(),
            callback: "https://feeds.example.com/websub/t0k3n".into(),
            secret: "00ff".into(),
            state: SubscriptionState::Active,
            lease_seconds: Some(432_000),
            lease_expires: Some(Utc::now()),
            last_notification: None,
            failures: 0,
            retry_at: None,
            last_error: None,
        };
        store.put_subscription(&subscription).unwrap();
        assert_eq!(store.subscription("t0k3n").unwrap(), Some(subscription.clone()));
        assert_eq!(store.subscriptions().unwrap(), [subscription]);
        store.remove_subscription("t0k3n").unwrap();
        assert_eq!(store.subscription("t0k3n").unwrap(), None);
    }
}
