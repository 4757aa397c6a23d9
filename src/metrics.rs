//! Prometheus metrics (the `prometheus-client` crate), shared by the pipeline (polls, fetch
//! durations, episodes, stubs), the HTTP server (feed requests) and the WebSub subscriber
//! (notifications, deleted entries, and per subscription its state, lease expiry and last
//! notification), rendered at `/metrics`.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PollLabels {
    pub channel: String,
    /// `ok`, `not_modified` or `failed`.
    pub result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub path: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct NotificationLabels {
    pub channel: String,
    /// `accepted`, `unsigned`, `bad_signature`, `wrong_topic` or `unsubscribing`.
    pub result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ChannelLabels {
    pub channel: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct SubscriptionLabels {
    pub channel: String,
    pub platform: String,
    /// `requested`, `active`, `denied`, `failed` or `unsubscribing`.
    pub state: String,
}

/// Every metric syndicator exports.
pub struct Metrics {
    registry: Registry,
    pub polls: Family<PollLabels, Counter>,
    pub episodes: Counter,
    pub stubs_written: Counter,
    pub fetch_duration: Histogram,
    pub feed_requests: Family<RequestLabels, Counter>,
    pub websub: WebsubMetrics,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("syndicator");
        let polls = Family::<PollLabels, Counter>::default();
        let episodes = Counter::default();
        let stubs_written = Counter::default();
        let fetch_duration = Histogram::new(exponential_buckets(0.01, 2.0, 12));
        let feed_requests = Family::<RequestLabels, Counter>::default();
        registry.register("polls", "Polls of a channel's platforms, by result", polls.clone());
        registry.register("episodes", "New episodes found", episodes.clone());
        registry.register("stubs_written", "Stub posts written", stubs_written.clone());
        registry.register("fetch_duration_seconds", "Time to fetch one URL", fetch_duration.clone());
        registry.register("feed_requests", "Requests for the served feeds", feed_requests.clone());
        let websub = WebsubMetrics::register(&mut registry);
        Metrics { registry, polls, episodes, stubs_written, fetch_duration, feed_requests, websub }
    }

    /// Counts one WebSub notification for `channel` with `result`.
    pub fn websub_notification(&self, channel: &str, result: &str) {
        let labels = NotificationLabels { channel: channel.to_owned(), result: result.to_owned() };
        self.websub.notifications.get_or_create(&labels).inc();
    }

    /// Counts `count` entries a hub reported deleted for `channel`.
    pub fn websub_deleted(&self, channel: &str, count: u64) {
        self.websub.deleted.get_or_create(&ChannelLabels { channel: channel.to_owned() }).inc_by(count);
    }

    /// Sets the subscription gauges to exactly `subscriptions` (forgotten ones disappear).
    pub fn websub_subscriptions(&self, subscriptions: &[crate::store::Subscription]) {
        let websub = &self.websub;
        let families = [&websub.subscriptions, &websub.lease_expiry, &websub.last_notification];
        families.iter().for_each(|family| family.clear());
        let seconds = |t: Option<chrono::DateTime<chrono::Utc>>| t.map_or(0, |t| t.timestamp());
        for s in subscriptions {
            let labels = SubscriptionLabels {
                channel: s.channel.clone(),
                platform: s.platform.to_string(),
                state: s.state.as_str().to_owned(),
            };
            websub.subscriptions.get_or_create(&labels).set(1);
            websub.lease_expiry.get_or_create(&labels).set(seconds(s.lease_expires));
            websub.last_notification.get_or_create(&labels).set(seconds(s.last_notification));
        }
    }

    /// Counts one poll of `channel` with `result`.
    pub fn poll(&self, channel: &str, result: &str) {
        self.polls
            .get_or_create(&PollLabels { channel: channel.to_owned(), result: result.to_owned() })
            .inc();
    }

    /// Counts one feed request.
    pub fn feed_request(&self, path: &str, status: u16) {
        self.feed_requests.get_or_create(&RequestLabels { path: path.to_owned(), status }).inc();
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .expect("writing to a String cannot fail");
        text
    }
}

/// The WebSub families.
pub struct WebsubMetrics {
    pub notifications: Family<NotificationLabels, Counter>,
    pub deleted: Family<ChannelLabels, Counter>,
    /// 1 per subscription, labelled with its state.
    pub subscriptions: Family<SubscriptionLabels, Gauge>,
    /// Per subscription: when its lease ends, in Unix seconds (0 when unknown).
    pub lease_expiry: Family<SubscriptionLabels, Gauge>,
    /// Per subscription: when its last notification arrived, in Unix seconds (0 for never).
    pub last_notification: Family<SubscriptionLabels, Gauge>,
}

impl WebsubMetrics {
    fn register(registry: &mut Registry) -> WebsubMetrics {
        let metrics = WebsubMetrics {
            notifications: Family::default(),
            deleted: Family::default(),
            subscriptions: Family::default(),
            lease_expiry: Family::default(),
            last_notification: Family::default(),
        };
        let notifications = "WebSub notifications received, by result";
        registry.register("websub_notifications", notifications, metrics.notifications.clone());
        let deleted = "Entries hubs reported deleted (no stub is ever deleted)";
        registry.register("websub_deleted_entries", deleted, metrics.deleted.clone());
        registry.register(
            "websub_subscription",
            "WebSub subscriptions, by state",
            metrics.subscriptions.clone(),
        );
        let lease = "When a WebSub subscription's lease ends (Unix seconds; 0: unknown)";
        registry.register("websub_lease_expiry_timestamp_seconds", lease, metrics.lease_expiry.clone());
        let last = "When a WebSub subscription's last notification arrived (Unix seconds; 0: never)";
        registry.register(
            "websub_last_notification_timestamp_seconds",
            last,
            metrics.last_notification.clone(),
        );
        metrics
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_every_metric_with_the_exported_names() {
        let metrics = Metrics::new();
        metrics.poll("mlst", "ok");
        metrics.episodes.inc();
        metrics.stubs_written.inc();
        metrics.fetch_duration.observe(0.2);
        metrics.feed_request("/feed.xml", 304);
        metrics.websub_notification("mlst", "unsigned");
        metrics.websub_deleted("mlst", 2);
        let text = metrics.render();
        for name in [
            "syndicator_polls_total{channel=\"mlst\",result=\"ok\"} 1",
            "syndicator_episodes_total 1",
            "syndicator_stubs_written_total 1",
            "syndicator_fetch_duration_seconds_bucket",
            "syndicator_feed_requests_total{path=\"/feed.xml\",status=\"304\"} 1",
            "syndicator_websub_notifications_total{channel=\"mlst\",result=\"unsigned\"} 1",
            "syndicator_websub_deleted_entries_total{channel=\"mlst\"} 2",
        ] {
            assert!(text.contains(name), "{name} in\n{text}");
        }
    }
}
