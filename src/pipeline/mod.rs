//! The unit of work, shared by `sync` and `serve` (the daemon runs it when the scheduler or
//! `POST /api/sync` says): poll a channel's platforms, fetch the new items' chapters, do the
//! stub work fixes by hand left, fold new items into episodes, write stubs for new episodes,
//! then record what was done.
//!
//! Order of commits, per channel: each new episode is recorded only after its stub is durably
//! on disk; the sources' validators are recorded last, after every episode, so that a failed
//! write is retried by the next run instead of being skipped as "not modified". A new page
//! bundle's resources (its cover) are fetched before any stub is written, and staged with it;
//! covers that failed are retried after the commit (see `covers`), and the transcripts the
//! new stubs are owed are fetched then too (see `transcripts`), never holding a stub up. The store is
//! flushed once per run (`sync_all`, or the daemon after each channel): whatever a crash loses
//! from the store is rebuilt from the stubs' `syndicator_id`s or costs one refetch.

mod chapters;
mod covers;
mod events;
mod failure;
mod merge;
mod new_stub;
mod poll;
mod spotify;
mod stub_work;
mod stubs;
mod transcripts;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use tracing::Instrument as _;

use crate::config::{Channel, Config, SourceUrl};
use crate::content::SectionDir;
use crate::episodes::Listing;
use crate::fetch::Fetcher;
use crate::metrics::Metrics;
use crate::model::{Item, Platform};
use crate::output::Outputs;
use crate::store::{ChannelState, SourceState, Store};
use crate::stub::Template;
pub use merge::{Fetch, Merged, merge, merge_fetch};
pub use poll::{MAX_BACKOFF, Poll, backoff, failed_state};
pub use spotify::{CLIENT_ID_VAR, CLIENT_SECRET_VAR, SpotifyAuth};

/// Everything a sync needs, built once per run (or per config in `serve`).
pub struct Ctx {
    pub config: Arc<Config>,
    pub store: Arc<Store>,
    pub fetcher: Fetcher,
    pub template: Template,
    pub section: SectionDir,
    /// Spotify credentials and the token, fetched at most once per run and reused until expiry.
    pub spotify: SpotifyAuth,
    /// Plan only: fetch and parse, write nothing (no stubs, no store records).
    pub dry_run: bool,
    /// Poll sources that are backing off (a manual `sync --force`); `false` from [`Ctx::new`].
    pub force: bool,
    /// Counters and timings, exported by `serve` at `/metrics`.
    pub metrics: Arc<Metrics>,
    /// Where rebuilt feeds go: the public folder, plus the served set under `serve`.
    pub outputs: Outputs,
    /// The blog's repository when `[git] enabled` (never in a dry run).
    pub git: Option<Arc<crate::git::Repo>>,
}

/// What one channel's sync did.
#[derive(Debug, Clone, Default)]
pub struct ChannelReport {
    pub channel: String,
    pub new_episodes: usize,
    /// New episodes left without a stub by `backfill` on a source's first fetch.
    pub held_back: usize,
    /// Known episodes that gained a platform copy.
    pub grown: usize,
    /// Stub file names written (or, in a dry run, that would be written), with their text.
    pub stubs: Vec<(String, String)>,
    /// Untouched stubs rewritten (or that would be) because a platform copy arrived late.
    pub updated: Vec<(String, String)>,
    /// Resource files written into page bundles (the cover …), relative to the section:
    /// committed by `[git]` with the stubs.
    pub resources: Vec<String>,
    /// Transcripts written beside stubs, relative to the site root: raw material, never
    /// committed by `[git]`.
    pub transcripts: Vec<String>,
    /// One message per failed source or write, naming channel, platform and cause.
    pub failures: Vec<String>,
    /// Notification events not yet queued: queued with the episodes' store commit, or (source
    /// events, and when nothing was committed) with the sources' states.
    pub events: Vec<crate::notify::Event>,
    /// Every id each source fetched with new bytes listed (a WebSub push asks whether the
    /// pushed entry is in the feed yet).
    pub listing: Listing,
}

/// What a whole sync did.
#[derive(Debug, Default)]
pub struct SyncReport {
    pub channels: Vec<ChannelReport>,
    pub elapsed: Duration,
}

impl SyncReport {
    pub fn new_episodes(&self) -> usize {
        self.channels.iter().map(|c| c.new_episodes).sum()
    }
    pub fn held_back(&self) -> usize {
        self.channels.iter().map(|c| c.held_back).sum()
    }
    pub fn stubs_written(&self) -> usize {
        self.channels.iter().map(|c| c.stubs.len()).sum()
    }
    pub fn stubs_updated(&self) -> usize {
        self.channels.iter().map(|c| c.updated.len()).sum()
    }
    pub fn failures(&self) -> usize {
        self.channels.iter().map(|c| c.failures.len()).sum()
    }
}

impl Ctx {
    pub fn new(
        config: Arc<Config>,
        store: Arc<Store>,
        template: Template,
        dry_run: bool,
    ) -> anyhow::Result<Ctx> {
        let fetcher = Fetcher::for_config(&config)?;
        if !dry_run {
            crate::notify::register(&config, &store)?;
        }
        Ok(Ctx {
            outputs: if dry_run { Outputs::default() } else { Outputs::from_config(&config, &store)? },
            git: if dry_run { None } else { crate::git::Repo::open(&config)?.map(Arc::new) },
            section: SectionDir::new(config.section_dir()),
            spotify: SpotifyAuth::from_env(config.spotify.token_url.url().clone()),
            config,
            store,
            fetcher,
            template,
            dry_run,
            force: false,
            metrics: Arc::new(Metrics::new()),
        })
    }
}

/// Syncs every channel (or only `only`), calling `on_done` as each channel finishes. As many
/// channels run at once as requests may be in flight (`[fetch] max_connections`); the fetcher
/// holds each host to `[fetch] concurrency`.
pub async fn sync_all(ctx: &Ctx, only: Option<&str>, on_done: impl Fn(&ChannelReport)) -> SyncReport {
    let started = Instant::now();
    if !ctx.dry_run {
        match ctx.section.remove_stale_temp_files() {
            Ok(0) => {}
            Ok(n) => tracing::info!("removed {n} temporary file(s) left by an interrupted run"),
            Err(e) => tracing::warn!("cannot clean {}: {e}", ctx.section.path().display()),
        }
    }
    let channels = ctx.config.channels.iter().filter(|c| only.is_none_or(|id| c.id() == id));
    let mut reports: Vec<ChannelReport> = futures_util::stream::iter(channels)
        .map(|channel| sync_channel(ctx, channel))
        .buffer_unordered(ctx.config.fetch.max_connections.get() as usize)
        .inspect(|report| on_done(report))
        .collect()
        .await;
    reports.sort_by(|a, b| a.channel.cmp(&b.channel));
    if let Err(e) = ctx.store.flush() {
        tracing::error!("cannot flush the store: {e}");
    }
    SyncReport { channels: reports, elapsed: started.elapsed() }
}

/// Polls one channel, writes stubs for its new episodes and records everything.
/// Its logs carry the channel through a `sync_channel{channel=…}` span.
pub async fn sync_channel(ctx: &Ctx, channel: &Channel) -> ChannelReport {
    let span = tracing::info_span!("sync_channel", channel = channel.id());
    run_channel(ctx, channel).instrument(span).await
}

async fn run_channel(ctx: &Ctx, channel: &Channel) -> ChannelReport {
    let now = Utc::now();
    let mut report = ChannelReport { channel: channel.id().to_owned(), ..ChannelReport::default() };
    let polls = futures_util::future::join_all(channel.sources().map(|(platform, url)| async move {
        (platform, url, poll::poll(ctx, channel, platform, url, now).await)
    }))
    .await;
    let mut polled = collect_polls(ctx, channel, polls, &mut report);
    chapters::fetch_chapters(ctx, channel, &mut polled.items, &polled.first_fetch).await;
    let committed = commit(ctx, channel, &mut polled, now, &mut report).await;
    if !ctx.dry_run {
        covers::retry(ctx, channel, now, &mut report).await;
        transcripts::deliver(ctx, channel, now, &mut report).await;
    }
    let validators_ok = match committed {
        Ok(()) => true,
        Err(e) => {
            let message = format!("{}: {e:#}", channel.id());
            tracing::error!(channel = channel.id(), "{message}");
            report.failures.push(message);
            false
        }
    };
    report.listing = polled.listing;
    if !ctx.dry_run {
        let states = if validators_ok { polled.states.as_slice() } else { &[] };
        save_states(ctx, channel, states, &mut report, now);
    }
    report
}

/// Does the stub work fixes by hand left, folds new items into episodes, fetches and stages
/// the resources of new page bundles, then writes the stubs and records the episodes.
async fn commit(
    ctx: &Ctx,
    channel: &Channel,
    polled: &mut Polled,
    now: DateTime<Utc>,
    report: &mut ChannelReport,
) -> anyhow::Result<()> {
    off_the_async_workers(|| stub_work::do_stub_work(ctx, channel, report))?;
    if polled.items.is_empty() {
        return Ok(());
    }
    let items = std::mem::take(&mut polled.items);
    let fetched = stubs::Fetched { items, listing: &polled.listing, first: &polled.first_fetch };
    let planned = off_the_async_workers(|| stubs::plan_items(ctx, channel, fetched, now, report))?;
    let staged = covers::stage(ctx, channel, &planned.new_bundles(ctx, channel)).await;
    off_the_async_workers(|| stubs::commit_items(ctx, channel, planned, staged, report))
}

/// The polls of one channel, sorted out.
struct Polled {
    /// New items (not known yet) that pass the channel's filters.
    items: Vec<Item>,
    /// Items that came from a source's first successful fetch (subject to backfill).
    first_fetch: HashSet<(Platform, String)>,
    /// Every id each fetched source listed, new or known (tells re-publications apart).
    listing: Listing,
    /// Source states to save once the items are committed, with the URL each is for.
    states: Vec<(Platform, String, SourceState)>,
}

fn collect_polls(
    ctx: &Ctx,
    channel: &Channel,
    polls: Vec<(Platform, &SourceUrl, Poll)>,
    report: &mut ChannelReport,
) -> Polled {
    let mut polled = Polled {
        items: Vec::new(),
        first_fetch: HashSet::new(),
        listing: Listing::default(),
        states: Vec::new(),
    };
    for (platform, url, poll) in polls {
        let result = match &poll {
            Poll::Failed(_) => "failed",
            Poll::NotModified(_) => "not_modified",
            Poll::Items { .. } => "ok",
        };
        ctx.metrics.poll(channel.id(), result);
        match poll {
            Poll::Failed(failure) => {
                failure.log();
                announce_failing(ctx, &failure, report);
                report.failures.push(failure.to_string());
            }
            Poll::NotModified(state) => polled.states.push((platform, url.to_string(), state)),
            Poll::Items { items, state, first } => {
                polled.listing.record(platform, items.iter().map(|item| item.platform_id.as_str()));
                for item in items.into_iter().filter(|item| wanted(ctx, channel, item)) {
                    if first {
                        polled.first_fetch.insert((item.platform, item.platform_id.clone()));
                    }
                    polled.items.push(item);
                }
                polled.states.push((platform, url.to_string(), state));
            }
        }
    }
    polled
}

/// Runs CPU-heavy synchronous work (loading a channel's episodes, merging, recording) without
/// stalling the other tasks of a multi-threaded runtime (`serve` keeps answering meanwhile).
pub fn off_the_async_workers<T>(work: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current().map(|handle| handle.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(work),
        _ => work(),
    }
}

/// Adds `source.failing` when this failure made the source's count reach the threshold.
/// Only a failure the poll recorded counts (its message is the state's last error): not a
/// poll skipped while backing off, nor missing credentials, which touch no state.
fn announce_failing(ctx: &Ctx, failure: &failure::SourceFailure, report: &mut ChannelReport) {
    if ctx.dry_run || ctx.config.notify.is_empty() || failure.cause.kind == failure::FailureKind::BackingOff {
        return;
    }
    let Ok(state) = ctx.store.source_state(&failure.channel, failure.platform, &failure.url) else { return };
    if state.last_error.as_deref() != Some(failure.to_string().as_str()) {
        return;
    }
    let before = state.failures.saturating_sub(1);
    let error = state.last_error.as_deref();
    report.events.extend(events::source_event(
        &failure.channel,
        failure.platform,
        &failure.url,
        before,
        state.failures,
        error,
    ));
}

/// Whether an item passes the channel's filters and is not known yet.
fn wanted(ctx: &Ctx, channel: &Channel, item: &Item) -> bool {
    (channel.shorts || !item.is_short)
        && channel.wants_title(&item.title)
        && matches!(ctx.store.episode_of_item(channel.id(), item), Ok(None))
}

/// Records the channel's poll for `status`, and the sources' validators in `states`. Not
/// flushed here: the caller flushes once per run (a lost record only costs a refetch).
fn save_states(
    ctx: &Ctx,
    channel: &Channel,
    states: &[(Platform, String, SourceState)],
    report: &mut ChannelReport,
    now: DateTime<Utc>,
) {
    let result = (|| -> Result<(), crate::store::StoreError> {
        for (platform, url, state) in states {
            let before = ctx.store.source_state(channel.id(), *platform, url)?.failures;
            let recovered = events::source_event(channel.id(), *platform, url, before, state.failures, None);
            report.events.extend(recovered.filter(|_| !ctx.config.notify.is_empty()));
            ctx.store.put_source_state(channel.id(), *platform, url, state)?;
        }
        ctx.store
            .enqueue_events(&crate::notify::queueable(&ctx.config, &std::mem::take(&mut report.events)))?;
        let mut summary: ChannelState = ctx.store.channel_state(channel.id())?;
        summary.last_poll = Some(now);
        summary.stubs_written += report.stubs.len() as u64;
        summary.last_error = report.failures.first().cloned();
        summary.last_result = Some(match (report.failures.is_empty(), report.new_episodes) {
            (false, _) => "failed".to_owned(),
            (true, 0) => "ok, nothing new".to_owned(),
            (true, n) => format!("ok, {n} new episode(s)"),
        });
        ctx.store.put_channel_state(channel.id(), &summary)
    })();
    if let Err(e) = result {
        tracing::error!("{}: cannot record the poll: {e}", channel.id());
    }
}
