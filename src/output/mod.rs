//! The one seam for outputs: a rebuild hands the feeds to every [`Destination`] — the public
//! folder on disk, the set `serve` answers from, object storage, WebSub hubs to ping — and
//! each receives only the feeds whose bytes it does not hold yet. Adding a destination is one file here implementing [`Destination`] plus its
//! config block, and one line in [`Outputs::from_config`].

mod hub_pings;
mod public_dir;
mod public_files;
pub mod s3;
mod served;

use std::sync::Arc;

use crate::config::Config;
use crate::publish::Feed;
use crate::store::Store;
pub use hub_pings::HubPings;
pub use public_dir::PublicDir;
use s3::S3Bucket;
pub use served::Served;

/// Somewhere feeds go.
pub trait Destination: Send + Sync {
    /// A short name for logs and errors (`public folder`, `served`).
    fn name(&self) -> &'static str;

    /// Whether the destination already holds exactly `feed`'s bytes at its path.
    fn holds(&self, feed: &Feed) -> bool;

    /// Takes the feeds it did not hold; an error leaves them to the next rebuild.
    fn deliver(&self, changed: &[&Feed]) -> anyhow::Result<()>;

    /// Waits, for a bounded time, for work `deliver` left running in the background (a
    /// command about to exit calls it); most destinations finish inside `deliver`.
    fn settle(&self) {}
}

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Delivery {
    /// Paths of the feeds some destination did not hold, in feed order.
    pub changed: Vec<&'static str>,
    /// One message per destination that failed, naming it.
    pub failures: Vec<String>,
}

impl Delivery {
    /// Logs what changed and each failure; true when every destination took its feeds.
    pub fn log(&self) -> bool {
        for failure in &self.failures {
            tracing::error!("cannot deliver the feeds: {failure}");
        }
        tracing::info!(changed = ?self.changed, "feeds rebuilt: {} file(s) changed", self.changed.len());
        self.failures.is_empty()
    }
}

/// The destinations of a run, in delivery order.
#[derive(Default)]
pub struct Outputs(Vec<Box<dyn Destination>>);

impl Outputs {
    /// The destinations the config asks for: the public folder, then object storage when
    /// `[publish.s3]` is set (an error when its credentials are missing), then WebSub hubs
    /// when `[websub] publish_hubs` names some. `store` keeps what the destinations that
    /// cannot look cheaply remember.
    pub fn from_config(config: &Config, store: &Arc<Store>) -> anyhow::Result<Outputs> {
        let mut outputs = Outputs(vec![Box::new(PublicDir(config.public_dir()))]);
        outputs
            .0
            .extend(S3Bucket::from_config(config, store)?.map(|s3| Box::new(s3) as Box<dyn Destination>));
        outputs.0.extend(
            HubPings::from_config(config, store).map(|pings| Box::new(pings) as Box<dyn Destination>),
        );
        Ok(outputs)
    }

    /// Waits for every destination's background work (see [`Destination::settle`]).
    pub fn settle(&self) {
        self.0.iter().for_each(|destination| destination.settle());
    }

    /// Adds a destination after the others.
    pub fn add(&mut self, destination: Box<dyn Destination>) {
        self.0.push(destination);
    }

    /// Hands each destination the feeds it does not hold. A failing destination is reported
    /// and does not stop the others.
    pub fn deliver(&self, feeds: &[Feed]) -> Delivery {
        let mut delivery = Delivery::default();
        for destination in &self.0 {
            let changed: Vec<&Feed> = feeds.iter().filter(|f| !destination.holds(f)).collect();
            for feed in &changed {
                if !delivery.changed.contains(&feed.path) {
                    delivery.changed.push(feed.path);
                }
            }
            if changed.is_empty() {
                continue;
            }
            if let Err(e) = destination.deliver(&changed) {
                delivery.failures.push(format!("{}: {e:#}", destination.name()));
            }
        }
        delivery.changed.sort_by_key(|path| feeds.iter().position(|f| f.path == *path));
        delivery
    }
}

#[cfg(test)]
mod tests;
