//! The daemon's side of WebSub: the subscriber loop runs beside the schedules (restarted
//! with them on every reload, which resubscribes every source); the hub's requests to the
//! callback are answered here; an accepted notification starts the channel's normal run
//! through [`crate::websub::push`], under the channel's lock.

use std::sync::Arc;

use tokio::sync::watch;

use super::Daemon;
use crate::pipeline::Ctx;
use crate::websub::callback::{self, Accepted, Answer, Delivered, Push, Received, Verification};
use crate::websub::push::{Entry, Runner};

impl Daemon {
    /// Runs the subscriber for the current context until `stop` turns true.
    pub(super) async fn run_subscriber(self: &Arc<Self>, mut stop: watch::Receiver<bool>) {
        let stopped = async move {
            let _ = stop.wait_for(|stopped| *stopped).await;
        };
        crate::websub::subscriber::run(self.ctx(), self.websub_wake.clone(), self.clock.clone(), stopped)
            .await;
    }

    /// Answers a hub's verification of intent: the body of a 200, or `None` for a 404.
    pub fn websub_verify(&self, token: &str, query: &Verification) -> Option<String> {
        let answer = callback::verify(&self.ctx().store, token, query, (self.clock)()).unwrap_or_else(|e| {
            tracing::error!("websub: cannot record a verification: {e}");
            Answer::NotFound
        });
        self.websub_wake.notify_one();
        match answer {
            Answer::Challenge(challenge) => Some(challenge),
            Answer::Noted => Some(String::new()),
            Answer::NotFound => None,
        }
    }

    /// Takes a hub's notification: counted, and when it holds and names entries (or cannot
    /// be read), the channel runs.
    pub fn websub_notify(self: &Arc<Self>, token: &str, push: &Push) -> Delivered {
        let ctx = self.ctx();
        let received = match callback::receive(&ctx.store, token, push, (self.clock)()) {
            Ok(received) => received,
            Err(e) => {
                tracing::error!("websub: cannot record a notification: {e}");
                return Delivered::Failed;
            }
        };
        match received {
            Received::Unknown => return Delivered::Unknown,
            Received::Ignored { channel, why } => ctx.metrics.websub_notification(&channel, why.label()),
            Received::Accepted(accepted) => self.pushed(&ctx, accepted),
        }
        self.websub_wake.notify_one();
        Delivered::Taken
    }

    /// Logs and counts what a notification deleted (a stub is never deleted), and runs the
    /// channel unless deletions are all it reports.
    fn pushed(self: &Arc<Self>, ctx: &Ctx, accepted: Accepted) {
        let Accepted { channel, platform, ids, deleted } = accepted;
        ctx.metrics.websub_notification(&channel, "accepted");
        for gone in &deleted {
            tracing::info!(channel, %platform, entry = gone, "the hub reports an entry deleted; its stub, if any, is kept");
        }
        ctx.metrics.websub_deleted(&channel, deleted.len() as u64);
        if !ids.is_empty() || deleted.is_empty() {
            tracing::info!(channel, %platform, entries = ?ids, "pushed by the hub; running the channel");
            if self.pushes.add(&channel, ids.into_iter().map(|id| (platform, id))) {
                let (daemon, stop, id) = (self.clone(), self.stopping.subscribe(), channel.clone());
                let started = self.spawn_tracked(async move {
                    daemon.pushes.drive(&id, &PushRunner(daemon.clone()), stop).await;
                });
                if !started {
                    self.pushes.forget(&channel);
                }
            }
        }
    }
}

/// Runs a channel for a push, after any run in progress.
struct PushRunner(Arc<Daemon>);

impl Runner for PushRunner {
    async fn run(&self, channel: &str, wanted: Vec<Entry>) -> Vec<Entry> {
        let Some(report) = self.0.run_channel_after_any(channel).await else { return Vec::new() };
        let ctx = self.0.ctx();
        let known = |(platform, id): &Entry| ctx.store.knows_item(channel, *platform, id).unwrap_or(false);
        wanted
            .into_iter()
            .filter(|entry| !report.listing.contains(entry.0, &entry.1) && !known(entry))
            .collect()
    }
}
