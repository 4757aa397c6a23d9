//! Walking the outbox: each entry gets the events after its cursor, in order, until one fails
//! (then it backs off) or the run's budget is spent; delivered events are trimmed.

use std::time::{Duration, Instant};

use chrono::Utc;

use super::{Event, entry_key, send};
use crate::config::Notify;
use crate::pipeline::Ctx;
use crate::store::{NotifyCursor, StoreError};

/// At most this many events per entry per run; the rest go next run.
const EVENTS_PER_RUN: usize = 100;
/// No new send starts after a run has spent this long (a send in flight has its own timeout).
const RUN_BUDGET: Duration = Duration::from_secs(120);
const FIRST_BACKOFF_SECS: i64 = 30;
const MAX_BACKOFF_SECS: i64 = 3600;

/// One delivery at a time per process: two would send the same event twice.
static DELIVERING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How long an entry waits after `failures` consecutive failed sends: 30 s, doubling, at most
/// an hour (a receiver down for hours gets everything within an hour of its return).
pub fn backoff(failures: u32) -> chrono::Duration {
    let doublings = failures.saturating_sub(1).min(16);
    chrono::Duration::seconds((FIRST_BACKOFF_SECS << doublings).min(MAX_BACKOFF_SECS))
}

/// Delivers what is due to every entry of `ctx` (entries backing off wait, unless the run is
/// forced: `sync --force`), then trims what all have delivered and
/// flushes the store. Errors are logged; nothing here fails a sync.
pub async fn deliver(ctx: &Ctx) {
    if ctx.dry_run || ctx.config.notify.is_empty() {
        return;
    }
    let _one = DELIVERING.lock().await;
    let started = Instant::now();
    let entries = ctx.config.notify.iter().map(|entry| deliver_entry(ctx, entry, started));
    futures_util::future::join_all(entries).await;
    let trimmed = (|| {
        let oldest = ctx.store.notify_cursors()?.iter().map(|c| c.next).min();
        ctx.store.trim_outbox(oldest.unwrap_or(0))?;
        ctx.store.flush()
    })();
    if let Err(e) = trimmed {
        tracing::error!("cannot record the notifications' progress: {e}");
    }
}

async fn deliver_entry(ctx: &Ctx, entry: &Notify, started: Instant) {
    let key = entry_key(entry);
    if let Err(e) = deliver_due(ctx, entry, &key, started).await {
        tracing::error!(notify = %entry.target(), "cannot read the notification outbox: {e}");
    }
}

async fn deliver_due(ctx: &Ctx, entry: &Notify, key: &str, started: Instant) -> Result<(), StoreError> {
    let now = Utc::now();
    let mut cursor = ctx.store.notify_cursor(key)?.unwrap_or_default();
    if !ctx.force && cursor.retry_at.is_some_and(|at| at > now) {
        return Ok(());
    }
    for (seq, raw) in ctx.store.outbox_from(cursor.next, EVENTS_PER_RUN)? {
        if started.elapsed() > RUN_BUDGET {
            break;
        }
        match serde_json::from_slice::<Event>(&raw) {
            Ok(event) if entry.wants(event.event, &event.channel) => {
                if let Err(error) = send::send(ctx, entry, &event, &raw).await {
                    return failed(ctx, entry, key, cursor, error);
                }
                tracing::info!(notify = %entry.target(), id = %event.id, event = event.event.as_str(), "delivered");
            }
            Ok(_) => {}
            Err(e) => tracing::error!(seq, "an undecodable event in the outbox is skipped: {e}"),
        }
        cursor = NotifyCursor { next: seq + 1, ..NotifyCursor::default() };
        ctx.store.put_notify_cursor(key, &cursor)?;
    }
    Ok(())
}

/// Records a failed send: the cursor stays, the entry backs off.
fn failed(
    ctx: &Ctx,
    entry: &Notify,
    key: &str,
    cursor: NotifyCursor,
    error: String,
) -> Result<(), StoreError> {
    let failures = cursor.failures.saturating_add(1);
    let retry_at = Utc::now() + backoff(failures);
    tracing::warn!(
        notify = %entry.target(),
        failures,
        retry_at = %retry_at.to_rfc3339(),
        "notification not delivered, retried later: {error}"
    );
    let cursor = NotifyCursor { failures, retry_at: Some(retry_at), last_error: Some(error), ..cursor };
    ctx.store.put_notify_cursor(key, &cursor)
}
