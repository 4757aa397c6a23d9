//! `syndicator serve`: one process running the scheduler and the HTTP server.
//!
//! The daemon owns the current [`Ctx`] (swapped on SIGHUP after the new config validates),
//! one lock per channel (a channel never runs twice at once; a scheduled tick or an admin sync
//! that finds it running is skipped), and the feeds being served. A channel run is exactly
//! `pipeline::sync_channel`, the unit of work of `sync`; after every run the feeds are rebuilt
//! and handed to the context's destinations (`crate::output`), the served set among them.
//! Beside the schedules runs the WebSub subscriber (`websub.rs`); a hub's push runs the
//! channel the same way, waiting for a run in progress instead of being skipped.

mod control;
mod signals;
mod websub;

use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use chrono::Utc;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::output::{Delivery, Served};
use crate::pipeline::{self, ChannelReport, Ctx};
use crate::scheduler::{self, Clock};
use crate::server::SharedFeeds;
use crate::site::SiteCache;
pub use control::DaemonControl;
pub use signals::{Signal, Signals};

/// How long shutdown waits for in-flight runs before it stops them (they only stop at an
/// await point, never inside a stub write).
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(8);

pub struct Daemon {
    ctx: RwLock<Arc<Ctx>>,
    /// Where the config came from, reloaded on SIGHUP.
    pub config_path: PathBuf,
    pub feeds: SharedFeeds,
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Scheduler tasks alive in the current generation, for `/healthz`.
    alive: AtomicUsize,
    /// Serialises feed rebuilds, so an older build never lands after a newer one, and keeps
    /// the site's pages as last read, so a rebuild reads only the page files that changed
    /// (and, while the watch of `content/` is quiet, does not walk the site at all).
    rebuilding: Mutex<SiteCache>,
    /// Why the last feed rebuild failed; `None` once one succeeds. Makes `/healthz` 503.
    feeds_failure: Mutex<Option<String>>,
    /// Runs started by `POST /api/sync`, awaited at shutdown like scheduled ones.
    on_demand: Mutex<JoinSet<()>>,
    /// Set when shutdown begins: no new on-demand run starts after it.
    shutting_down: std::sync::atomic::AtomicBool,
    /// Turns true when shutdown begins: ends the waits of push-started runs.
    stopping: watch::Sender<bool>,
    /// The channels with a run started by a WebSub push pending or going.
    pushes: crate::websub::push::Pushes,
    /// Makes the WebSub subscriber look at its subscriptions again (a run may have found a
    /// feed's hub; a verification changed a lease).
    websub_wake: Arc<tokio::sync::Notify>,
    clock: Clock,
}

impl Daemon {
    pub fn new(ctx: Ctx, config_path: PathBuf, clock: Clock) -> Arc<Daemon> {
        let feeds = SharedFeeds::default();
        Arc::new(Daemon {
            ctx: RwLock::new(Arc::new(serving(ctx, &feeds))),
            config_path,
            feeds,
            locks: Mutex::new(HashMap::new()),
            alive: AtomicUsize::new(0),
            rebuilding: Mutex::new(SiteCache::watching()),
            feeds_failure: Mutex::new(None),
            on_demand: Mutex::new(JoinSet::new()),
            shutting_down: std::sync::atomic::AtomicBool::new(false),
            stopping: watch::channel(false).0,
            pushes: Default::default(),
            websub_wake: Default::default(),
            clock,
        })
    }

    pub fn ctx(&self) -> Arc<Ctx> {
        self.ctx.read().expect("the ctx lock is never poisoned").clone()
    }

    /// Swaps in a new context (after a reload).
    pub fn set_ctx(&self, ctx: Ctx) {
        *self.ctx.write().expect("the ctx lock is never poisoned") = Arc::new(serving(ctx, &self.feeds));
    }

    fn lock_for(&self, channel: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.locks.lock().expect("the locks map is never poisoned");
        locks.entry(channel.to_owned()).or_default().clone()
    }

    /// Runs one channel now unless it is already running, then flushes the store and rebuilds
    /// the feeds (off the async workers), then (the channel unlocked) delivers the
    /// notifications that are due, asynchronously and bounded in time. The rebuild happens
    /// after every run, not only when the channel changed something: the blog's pages change
    /// by hand, and a future-dated post becomes due; unchanged files are not rewritten and keep
    /// their ETags. Returns false when skipped.
    pub async fn run_channel(self: &Arc<Self>, id: &str) -> bool {
        let Ok(running) = self.lock_for(id).try_lock_owned() else {
            tracing::info!("{id}: still running; this run is skipped");
            return false;
        };
        self.run_locked(id, running).await.is_some()
    }

    /// [`Daemon::run_channel`], waiting for a run in progress to finish first instead of
    /// skipping (a WebSub push: that run may have fetched the feed before the push); its
    /// report, or `None` when the channel is no longer configured.
    pub async fn run_channel_after_any(self: &Arc<Self>, id: &str) -> Option<ChannelReport> {
        let running = self.lock_for(id).lock_owned().await;
        self.run_locked(id, running).await
    }

    async fn run_locked(
        self: &Arc<Self>,
        id: &str,
        running: tokio::sync::OwnedMutexGuard<()>,
    ) -> Option<ChannelReport> {
        let ctx = self.ctx();
        let channel = ctx.config.channel(id)?;
        crate::git::before_run(&ctx).await;
        let report = pipeline::sync_channel(&ctx, channel).await;
        tracing::info!(
            channel = id,
            new_episodes = report.new_episodes,
            stubs_written = report.stubs.len(),
            stubs_updated = report.updated.len(),
            failures = report.failures.len(),
            "channel synced"
        );
        let daemon = self.clone();
        let after_run = tokio::task::spawn_blocking(move || {
            if let Err(e) = daemon.ctx().store.flush() {
                tracing::error!("cannot flush the store: {e}");
            }
            daemon.rebuild_feeds();
        });
        if let Err(e) = after_run.await {
            tracing::error!("the feed rebuild failed: {e}");
        }
        crate::git::after_run(&ctx, std::slice::from_ref(&report)).await;
        drop(running);
        self.websub_wake.notify_one();
        crate::notify::deliver(&ctx).await;
        Some(report)
    }

    /// Rebuilds the feeds from the site and the store and hands them to the context's
    /// destinations (the public folder and the served set among them). A failure (even a
    /// panic inside a builder) keeps what each destination holds, is logged, and is
    /// remembered for `/healthz` until a rebuild succeeds.
    pub fn rebuild_feeds(&self) {
        let _ = self.try_rebuild_feeds();
    }

    /// [`Daemon::rebuild_feeds`], returning every feed's path and what the delivery did, or
    /// why it failed (logged and remembered as well).
    pub fn try_rebuild_feeds(&self) -> Result<(Vec<&'static str>, Delivery), String> {
        let mut site = self.rebuilding.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let ctx = self.ctx();
        let rebuilt = std::panic::catch_unwind(AssertUnwindSafe(|| -> anyhow::Result<_> {
            let feeds = crate::feeds::build_with(&ctx.config, &ctx.store, &mut site, Utc::now())?;
            Ok((feeds.iter().map(|feed| feed.path).collect::<Vec<_>>(), ctx.outputs.deliver(&feeds)))
        }));
        let logged = |failure: String| {
            tracing::error!("{failure}");
            failure
        };
        let outcome = match rebuilt {
            // `log` names each failed destination itself.
            Ok(Ok((paths, delivery))) => match delivery.log() {
                true => Ok((paths, delivery)),
                false => Err(format!("cannot deliver the feeds: {}", delivery.failures.join("; "))),
            },
            Ok(Err(e)) => Err(logged(format!("cannot rebuild the feeds: {e:#}"))),
            Err(panic) => Err(logged(format!("the feed rebuild panicked: {}", panic_message(&panic)))),
        };
        *self.feeds_failure.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
            outcome.as_ref().err().cloned();
        outcome
    }

    /// Why the last feed rebuild failed, if it did.
    pub fn feeds_failure(&self) -> Option<String> {
        self.feeds_failure.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Starts a run of `id` in the background (for `POST /api/sync`); tracked for shutdown.
    pub fn spawn_run(self: &Arc<Self>, id: String) -> bool {
        let daemon = self.clone();
        self.spawn_tracked(async move {
            daemon.run_channel(&id).await;
        })
    }

    /// Starts `work` in the background, awaited at shutdown; false once shutdown has begun.
    fn spawn_tracked(&self, work: impl Future<Output = ()> + Send + 'static) -> bool {
        let mut runs = self.on_demand.lock().expect("the on-demand runs lock is never poisoned");
        if self.shutting_down.load(Ordering::SeqCst) {
            return false;
        }
        while runs.try_join_next().is_some() {}
        runs.spawn(work);
        true
    }

    /// Marks the start of shutdown: on-demand runs are refused from now on, and push-started
    /// runs stop waiting to retry.
    pub fn begin_shutdown(&self) {
        let _runs = self.on_demand.lock().expect("the on-demand runs lock is never poisoned");
        self.shutting_down.store(true, Ordering::SeqCst);
        self.stopping.send_replace(true);
    }

    /// Waits for the runs started on demand; returns false if `grace` ran out first.
    pub async fn finish_on_demand_runs(&self, grace: Duration) -> bool {
        let mut runs =
            std::mem::take(&mut *self.on_demand.lock().expect("the on-demand runs lock is never poisoned"));
        let finished = tokio::time::timeout(grace, async { while runs.join_next().await.is_some() {} }).await;
        finished.is_ok()
    }

    /// Whether every channel of the current config has a live scheduler task.
    pub fn scheduler_alive(&self) -> bool {
        self.alive.load(Ordering::SeqCst) == self.ctx().config.channels.len()
    }

    /// Runs every channel's schedule, and the WebSub subscriber, until `stop` turns true;
    /// in-flight runs finish first.
    pub async fn run_schedules(self: &Arc<Self>, stop: watch::Receiver<bool>) {
        let ctx = self.ctx();
        let tz = ctx.config.site.timezone.0;
        let jitter = ctx.config.schedule.jitter_secs.get();
        let mut tasks = JoinSet::new();
        let (daemon, subscriber_stop) = (self.clone(), stop.clone());
        tasks.spawn(async move { daemon.run_subscriber(subscriber_stop).await });
        for channel in &ctx.config.channels {
            let schedule = channel.schedule(&ctx.config).clone();
            let (daemon, id, mut stop) = (self.clone(), channel.id().to_owned(), stop.clone());
            let clock = self.clock.clone();
            tasks.spawn(async move {
                let _alive = AliveGuard::new(&daemon.alive);
                let stopped = async move {
                    let _ = stop.wait_for(|stopped| *stopped).await;
                };
                scheduler::run_schedule(schedule, tz, jitter, clock, stopped, || async {
                    daemon.run_channel(&id).await;
                })
                .await;
            });
        }
        while tasks.join_next().await.is_some() {}
    }

    /// The next scheduled run of a channel (without jitter).
    pub fn next_run(&self, ctx: &Ctx, id: &str) -> Option<chrono::DateTime<Utc>> {
        let channel = ctx.config.channel(id)?;
        scheduler::next_fire(channel.schedule(&ctx.config), ctx.config.site.timezone.0, (self.clock)())
    }
}

/// `ctx` with the served feeds among its destinations.
fn serving(mut ctx: Ctx, feeds: &SharedFeeds) -> Ctx {
    let site_title = ctx.config.site.title.clone();
    let public_dir = ctx.config.public_dir();
    ctx.outputs.add(Box::new(Served { feeds: feeds.clone(), site_title, public_dir }));
    ctx
}

/// The text a panic carried, when it is a string.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("?")
}

/// Counts a scheduler task as alive for as long as it exists.
struct AliveGuard<'a>(&'a AtomicUsize);

impl<'a> AliveGuard<'a> {
    fn new(counter: &'a AtomicUsize) -> AliveGuard<'a> {
        counter.fetch_add(1, Ordering::SeqCst);
        AliveGuard(counter)
    }
}

impl Drop for AliveGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
