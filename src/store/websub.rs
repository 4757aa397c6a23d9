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
    /// `hub.secret` (64 hex digits, used as given): the key the hub signs notifications
    /// with. Never shown.
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
    /// A request is out: the hub should verify it before this time, or it counts as failed.
    #[serde(default)]
    pub verify_by: Option<DateTime<Utc>>,
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

    /// Replaces the subscription `token` atomically with what `change` makes of it (`None`
    /// removes it); `change` may run more than once when another writer got there first.
    /// Returns the result; `None` when there was no such subscription or it was removed.
    pub fn modify_subscription(
        &self,
        token: &str,
        mut change: impl FnMut(Subscription) -> Option<Subscription>,
    ) -> Result<Option<Subscription>, StoreError> {
        let mut undecodable = None;
        let stored = self.websub.update_and_fetch(token.as_bytes(), |old| {
            let old = old?;
            match serde_json::from_slice::<Subscription>(old) {
                Ok(record) => {
                    change(record).map(|new| serde_json::to_vec(&new).unwrap_or_else(|_| old.to_vec()))
                }
                Err(e) => {
                    undecodable = Some(e.to_string());
                    Some(old.to_vec())
                }
            }
        })?;
        if let Some(e) = undecodable {
            return Err(StoreError::Corrupt(format!("undecodable subscription: {e}")));
        }
        stored.map(|raw| decode(&raw)).transpose()
    }

    /// Applies `change` to the subscription `token` atomically; see
    /// [`Store::modify_subscription`].
    pub fn update_subscription(
        &self,
        token: &str,
        mut change: impl FnMut(&mut Subscription),
    ) -> Result<Option<Subscription>, StoreError> {
        self.modify_subscription(token, |mut record| {
            change(&mut record);
            Some(record)
        })
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
            verify_by: None,
            failures: 0,
            retry_at: None,
            last_error: None,
        };
        store.put_subscription(&subscription).unwrap();
        assert_eq!(store.subscription("t0k3n").unwrap(), Some(subscription.clone()));
        assert_eq!(store.subscriptions().unwrap(), std::slice::from_ref(&subscription));
        let renewed = store.update_subscription("t0k3n", |s| s.failures = 3).unwrap().unwrap();
        assert_eq!(renewed.failures, 3);
        assert_eq!(store.modify_subscription("t0k3n", |_| None).unwrap(), None, "removed");
        assert_eq!(store.update_subscription("t0k3n", |s| s.failures = 4).unwrap(), None, "not recreated");
        store.put_subscription(&subscription).unwrap();
        store.remove_subscription("t0k3n").unwrap();
        assert_eq!(store.subscription("t0k3n").unwrap(), None);
    }
}
