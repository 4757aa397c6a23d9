//! The subscriber's loop and its requests to hubs: at start-up and on every reload it
//! resubscribes every source (renewing each lease), then it wakes when something falls due
//! ([`plan::next_wake`]) or is asked to look again (a channel run may have found a feed's
//! hub, a verification changed a lease) — `select!{ sleep until due, wake, shutdown }`, like
//! the scheduler.
//!
//! Requests are the standard form POSTs (`hub.mode`, `hub.topic`, `hub.callback`,
//! `hub.secret`, `hub.lease_seconds`) through `fetch`. Every record change is one atomic
//! update in the store, so a verification arriving while its request is still out is never
//! overwritten. A hub that is down or refuses is logged and retried with backoff; polling
//! goes on meanwhile.

use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use tokio::sync::Notify;

use super::plan::{self, Action, Wanted};
use super::{LEASE_SECONDS, callback_url, token};
use crate::pipeline::Ctx;
use crate::scheduler::{Clock, sleep_until_wall};
use crate::store::{StoreError, Subscription, SubscriptionState};

/// How long the loop sleeps when nothing is due, before it looks again anyway.
const IDLE_LOOK: Duration = Duration::hours(1);

/// Runs the subscriber for `ctx` until `stop` resolves.
pub async fn run(ctx: Arc<Ctx>, wake: Arc<Notify>, clock: Clock, stop: impl Future<Output = ()>) {
    tokio::pin!(stop);
    let mut renew_all = true;
    loop {
        if let Err(e) = reconcile(&ctx, clock(), renew_all).await {
            tracing::error!("websub: cannot read or record the subscriptions: {e}");
        }
        renew_all = false;
        let records = ctx.store.subscriptions().unwrap_or_default();
        ctx.metrics.websub_subscriptions(&records);
        let next = plan::next_wake(&records).unwrap_or_else(|| clock() + IDLE_LOOK);
        tokio::select! {
            () = sleep_until_wall(next, &clock) => {}
            () = wake.notified() => {}
            () = &mut stop => return,
        }
    }
}

/// Does what is due at `now` (everything, when `renew_all`), then flushes the store.
pub async fn reconcile(ctx: &Ctx, now: DateTime<Utc>, renew_all: bool) -> Result<(), StoreError> {
    let wanted = plan::wanted(&ctx.config, |channel, platform, url| {
        ctx.store.source_state(channel, platform, url).ok()
    });
    let records = ctx.store.subscriptions()?;
    let public_url = ctx.config.server.public_url.as_ref();
    let actions = plan::actions(&wanted, &records, public_url, now, renew_all);
    if actions.is_empty() {
        return Ok(());
    }
    for action in actions {
        match action {
            Action::Create(wanted) => create(ctx, wanted, now).await?,
            Action::Subscribe(token) => subscribe(ctx, &token, now).await?,
            Action::Unverified(token) => unverified(ctx, &token, now)?,
            Action::Unsubscribe(token) => unsubscribe(ctx, &token, now).await?,
            Action::Forget(token) => ctx.store.remove_subscription(&token)?,
        }
    }
    let store = ctx.store.clone();
    tokio::task::spawn_blocking(move || store.flush())
        .await
        .map_err(|e| StoreError::Corrupt(e.to_string()))?
}

/// A new subscription for `wanted`, with a fresh token and secret, then its request.
async fn create(ctx: &Ctx, wanted: Wanted, now: DateTime<Utc>) -> Result<(), StoreError> {
    let Some(public_url) = &ctx.config.server.public_url else { return Ok(()) };
    let random =
        || token::random().map_err(|e| StoreError::Corrupt(format!("no randomness for a token: {e}")));
    let token = random()?;
    let record = Subscription {
        callback: callback_url(public_url, &token),
        secret: random()?,
        token,
        channel: wanted.channel,
        platform: wanted.platform,
        source_url: wanted.source_url,
        topic: wanted.topic,
        hub: wanted.hub,
        state: SubscriptionState::Requested,
        lease_seconds: None,
        lease_expires: None,
        last_notification: None,
        verify_by: None,
        failures: 0,
        retry_at: None,
        last_error: None,
    };
    ctx.store.put_subscription(&record)?;
    subscribe(ctx, &record.token, now).await
}

/// Asks the hub to (re)subscribe the record `token`, with the current callback URL.
async fn subscribe(ctx: &Ctx, token: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    let callback = ctx.config.server.public_url.as_ref().map(|url| callback_url(url, token));
    let Some(record) = ctx.store.update_subscription(token, |r| {
        if let Some(callback) = &callback {
            r.callback.clone_from(callback);
        }
        if r.state != SubscriptionState::Active {
            r.state = SubscriptionState::Requested;
        }
        r.verify_by = Some(now + plan::VERIFY_WITHIN);
    })?
    else {
        return Ok(());
    };
    let lease = LEASE_SECONDS.to_string();
    let form = [
        ("hub.mode", "subscribe"),
        ("hub.topic", record.topic.as_str()),
        ("hub.callback", record.callback.as_str()),
        ("hub.secret", record.secret.as_str()),
        ("hub.lease_seconds", lease.as_str()),
    ];
    ask(ctx, &record, &form, now).await
}

/// Asks the hub to stop pushing to the record `token`, kept until the hub confirms or the
/// lease runs out.
async fn unsubscribe(ctx: &Ctx, token: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    let Some(record) = ctx.store.update_subscription(token, |r| {
        r.state = SubscriptionState::Unsubscribing;
        r.lease_expires = Some(r.lease_expires.unwrap_or(now + plan::UNSUBSCRIBE_WITHIN));
        r.verify_by = Some(now + plan::VERIFY_WITHIN);
    })?
    else {
        return Ok(());
    };
    let form = [
        ("hub.mode", "unsubscribe"),
        ("hub.topic", record.topic.as_str()),
        ("hub.callback", record.callback.as_str()),
    ];
    ask(ctx, &record, &form, now).await
}

/// Sends `form` to the record's hub; a failure is recorded with its backoff.
async fn ask(
    ctx: &Ctx,
    record: &Subscription,
    form: &[(&str, &str)],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (channel, platform, hub) = (record.channel.as_str(), record.platform, record.hub.as_str());
    let sent = match url::Url::parse(hub) {
        Ok(url) => ctx.fetcher.post_form(&url, form).await.map_err(|e| e.to_string()),
        Err(e) => Err(format!("the hub URL {hub} is invalid: {e}")),
    };
    match sent {
        Ok(()) => {
            tracing::info!(channel, %platform, hub, topic = record.topic, mode = form[0].1, "asked the hub; waiting for its verification");
            Ok(())
        }
        Err(error) => {
            let message = format!("cannot reach the hub: {error}; polling continues");
            tracing::warn!(channel, %platform, hub, "{message}");
            failed(ctx, &record.token, message, now)
        }
    }
}

/// The hub accepted the record's request but never verified it.
fn unverified(ctx: &Ctx, token: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    let Some(record) = ctx.store.subscription(token)? else { return Ok(()) };
    let message = format!(
        "the hub accepted the request but did not verify it within {} minutes: check that {} reaches \
         this server from the internet ([server] public_url, the reverse proxy); polling continues",
        plan::VERIFY_WITHIN.num_minutes(),
        record.callback
    );
    tracing::warn!(channel = record.channel, platform = %record.platform, hub = record.hub, "{message}");
    failed(ctx, token, message, now)
}

/// Records a failed request: one more failure, its backoff, and the state it leaves.
fn failed(ctx: &Ctx, token: &str, message: String, now: DateTime<Utc>) -> Result<(), StoreError> {
    ctx.store.update_subscription(token, |r| {
        r.failures = r.failures.saturating_add(1);
        r.retry_at = Some(now + crate::pipeline::backoff(r.failures));
        r.verify_by = None;
        r.last_error = Some(message.clone());
        let lease_running = r.lease_expires.is_some_and(|end| end > now);
        if r.state != SubscriptionState::Unsubscribing
            && !(r.state == SubscriptionState::Active && lease_running)
        {
            r.state = SubscriptionState::Failed;
        }
    })?;
    Ok(())
}
