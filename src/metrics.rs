//! Prometheus metrics (the `prometheus-client` crate), shared by the pipeline (polls, fetch
//! durations, episodes, stubs) and the HTTP server (feed requests), rendered at `/metrics`.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
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

/// Every metric syndicator exports.
pub struct Metrics {
    registry: Registry,
    pub polls: Family<PollLabels, Counter>,
    pub episodes: Counter,
    pub stubs_written: Counter,
    pub fetch_duration: Histogram,
    pub feed_requests: Family<RequestLabels, Counter>,
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
        Metrics { registry, polls, episodes, stubs_written, fetch_duration, feed_requests }
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
        let text = metrics.render();
        for name in [
            "syndicator_polls_total{channel=\"mlst\",result=\"ok\"} 1",
            "syndicator_episodes_total 1",
            "syndicator_stubs_written_total 1",
            "syndicator_fetch_duration_seconds_bucket",
            "syndicator_feed_requests_total{path=\"/feed.xml\",status=\"304\"} 1",
        ] {
            assert!(text.contains(name), "{name} in\n{text}");
        }
    }
}
