//! Running a channel because its hub pushed. The run is the channel's normal run (the same
//! per-channel lock as the scheduler and `POST /api/sync`), with three differences:
//!
//! - it waits for a run in progress instead of being skipped, since that run may have
//!   fetched the feed before the pushed entry was in it;
//! - pushes for a channel that arrive while its run is pending or going are coalesced into
//!   one more run;
//! - the feed often lags the push by seconds, so while a pushed entry is not in the fetched
//!   feed the channel is run again after each of [`RETRY_DELAYS`]; then polling, which
//!   continues on its schedule throughout, is the safety net.
//!
//! Whether an entry is new or an edit is decided by the run's own rules, never by the push.

use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, watch};

use crate::model::Platform;

/// The waits before running a channel again while a pushed entry is not in its feed.
pub const RETRY_DELAYS: [Duration; 3] =
    [Duration::from_secs(15), Duration::from_secs(60), Duration::from_secs(180)];

/// An entry a push named: its platform and id (the video id on YouTube).
pub type Entry = (Platform, String);

/// What runs a channel for a push.
pub trait Runner: Send + Sync + 'static {
    /// Runs `channel` once any run in progress has finished, and returns those of `wanted`
    /// that are still neither in its fetched feed nor in the store.
    fn run(&self, channel: &str, wanted: Vec<Entry>) -> impl Future<Output = Vec<Entry>> + Send;
}

/// The channels with a push-started run pending or going.
#[derive(Default)]
pub struct Pushes {
    pending: Mutex<HashMap<String, Pending>>,
}

struct Pending {
    /// Entries pushed and not yet seen in the feed.
    wanted: BTreeSet<Entry>,
    /// A push arrived since the last run began: run again at once.
    fresh: bool,
    /// Cuts a retry's wait short when a push arrives (`notify_waiters`: no stored permit, so
    /// a push during a run, already marked `fresh`, never cuts a later wait).
    arrived: Arc<Notify>,
}

impl Pushes {
    /// Records a push of `entries` for `channel`; true when no run is pending for it yet, so
    /// the caller must start [`Pushes::drive`].
    pub fn add(&self, channel: &str, entries: impl IntoIterator<Item = Entry>) -> bool {
        let mut pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let new = !pending.contains_key(channel);
        let entry = pending.entry(channel.to_owned()).or_insert_with(|| Pending {
            wanted: BTreeSet::new(),
            fresh: true,
            arrived: Arc::new(Notify::new()),
        });
        entry.wanted.extend(entries);
        entry.fresh = true;
        entry.arrived.notify_waiters();
        new
    }

    /// Runs `channel` until the pushed entries are in its feed, the retries are spent or
    /// `stop` turns true.
    pub async fn drive(&self, channel: &str, runner: &impl Runner, mut stop: watch::Receiver<bool>) {
        let mut retries = RETRY_DELAYS.iter();
        loop {
            let Some((wanted, arrived)) = self.begin_run(channel) else { return };
            // Created before the run, so a push from now on cuts the retry's wait short.
            let pushed = arrived.notified();
            let missing = runner.run(channel, wanted).await;
            let wait = match self.after_run(channel, missing) {
                AfterRun::Again => {
                    retries = RETRY_DELAYS.iter();
                    continue;
                }
                AfterRun::Done => return,
                AfterRun::Missing(count) => match retries.next() {
                    Some(delay) => *delay,
                    None => {
                        tracing::info!(
                            channel,
                            "{count} pushed entr(y/ies) still not in the feed after {} retries; polling will pick them up",
                            RETRY_DELAYS.len()
                        );
                        return self.forget(channel);
                    }
                },
            };
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = pushed => {}
                _ = stop.wait_for(|stopped| *stopped) => return self.forget(channel),
            }
        }
    }

    /// Takes the entries to look for in the next run.
    fn begin_run(&self, channel: &str) -> Option<(Vec<Entry>, Arc<Notify>)> {
        let mut pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = pending.get_mut(channel)?;
        entry.fresh = false;
        Some((std::mem::take(&mut entry.wanted).into_iter().collect(), entry.arrived.clone()))
    }

    fn after_run(&self, channel: &str, missing: Vec<Entry>) -> AfterRun {
        let mut pending = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(entry) = pending.get_mut(channel) else { return AfterRun::Done };
        entry.wanted.extend(missing);
        if entry.fresh {
            return AfterRun::Again;
        }
        match entry.wanted.len() {
            0 => {
                pending.remove(channel);
                AfterRun::Done
            }
            count => AfterRun::Missing(count),
        }
    }

    /// Drops what is pending for `channel` (its drive ended, or could not start).
    pub fn forget(&self, channel: &str) {
        self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(channel);
    }
}

enum AfterRun {
    /// A push arrived during the run.
    Again,
    Done,
    /// This many pushed entries are not in the feed yet.
    Missing(usize),
}

#[cfg(test)]
mod tests;
