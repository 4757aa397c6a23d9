//! Polling one platform URL of a channel: honour backoff, fetch conditionally, parse, and keep
//! the source's failure state. Validators of a successful fetch are handed back, to be stored
//! only once the items are committed (so a failed stub write is retried, not skipped as 304).

use std::hash::{BuildHasher, RandomState};

use chrono::{DateTime, Duration, Utc};

use super::failure::{Cause, FailureKind, SourceFailure};
use super::{Ctx, spotify};
use crate::config::{Channel, SourceUrl};
use crate::fetch::FetchOutcome;
use crate::model::{Item, Platform};
use crate::source;
use crate::store::{HubLink, SourceState};

/// The longest a failing source waits before it is tried again; it is never disabled.
pub const MAX_BACKOFF: Duration = Duration::hours(6);
const FIRST_BACKOFF_SECS: i64 = 60;
/// The furthest a server's `Retry-After` may push the next try, so that no answer can switch
/// a source off for good.
pub const MAX_RETRY_AFTER: Duration = Duration::hours(24);

/// What polling a source gave.
#[derive(Debug)]
pub enum Poll {
    /// Nothing changed since last time.
    NotModified(SourceState),
    /// New bytes, parsed; `first` is true on the source's first successful fetch (backfill).
    Items { items: Vec<Item>, state: SourceState, first: bool },
    /// Fetch or parse failed, or the source is backing off.
    Failed(SourceFailure),
}

/// Polls `platform` of `channel` at `url`; its state (validators, backoff) is that URL's, so a
/// changed URL starts fresh. A source backing off is skipped unless the run is forced
/// (`sync --force`). Missing Spotify credentials fail the source without a backoff: it is a
/// setup problem, not an upstream one, and polling resumes at once when they are set.
pub async fn poll(
    ctx: &Ctx,
    channel: &Channel,
    platform: Platform,
    url: &SourceUrl,
    now: DateTime<Utc>,
) -> Poll {
    let failure =
        |cause| SourceFailure { channel: channel.id().to_owned(), platform, url: url.to_string(), cause };
    if needs_token(platform, url) {
        if let Some(missing) = ctx.spotify.missing_credentials() {
            return Poll::Failed(failure(Cause::new(FailureKind::Auth, missing)));
        }
    }
    let previous = match ctx.store.source_state(channel.id(), platform, url.as_str()) {
        Ok(state) => state,
        Err(e) => return Poll::Failed(failure(Cause::new(FailureKind::Store, format!("{url}: {e}")))),
    };
    if let Some(until) = previous.retry_at.filter(|until| !ctx.force && *until > now) {
        let last = previous.last_error.as_deref().unwrap_or("unknown error");
        return Poll::Failed(failure(Cause::new(
            FailureKind::BackingOff,
            format!(
                "{url} is backing off until {until} after {} failure(s) (`sync --force` polls it now): {last}",
                previous.failures
            ),
        )));
    }
    match fetch_and_parse(ctx, channel, platform, url, &previous).await {
        Ok(poll) => poll,
        Err(cause) => {
            let failure = failure(cause);
            if !ctx.dry_run {
                let state = failed_state(previous, &failure.to_string(), failure.cause.retry_after, now);
                if let Err(e) = ctx.store.put_source_state(channel.id(), platform, url.as_str(), &state) {
                    tracing::error!(channel = channel.id(), platform = %platform, "cannot record the failure: {e}");
                }
            }
            Poll::Failed(failure)
        }
    }
}

/// Whether polling needs a Spotify token: the Web API does; a `file:` Spotify source is a
/// saved API page (one page, read as is: no OAuth, no paging), as the offline demo uses.
fn needs_token(platform: Platform, url: &SourceUrl) -> bool {
    platform == Platform::Spotify && url.url().scheme() != "file"
}

async fn fetch_and_parse(
    ctx: &Ctx,
    channel: &Channel,
    platform: Platform,
    url: &SourceUrl,
    previous: &SourceState,
) -> Result<Poll, Cause> {
    let token = match needs_token(platform, url) {
        true => Some(ctx.spotify.token(&ctx.fetcher).await?),
        false => None,
    };
    let started = std::time::Instant::now();
    let outcome = ctx.fetcher.get(url.url(), &previous.validators, token.as_deref()).await;
    ctx.metrics.fetch_duration.observe(started.elapsed().as_secs_f64());
    tracing::debug!(url = %url, elapsed_ms = started.elapsed().as_millis() as u64, "fetched");
    let fresh = |validators| SourceState { validators, ..SourceState::default() };
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(e) if platform == Platform::Spotify => return Err(spotify::rejected(ctx, e)),
        Err(e) => return Err(Cause::new(FailureKind::Fetch, e.to_string()).retry_after(e.retry_after())),
    };
    match outcome {
        FetchOutcome::NotModified(validators) => {
            Ok(Poll::NotModified(SourceState { hub: previous.hub.clone(), ..fresh(validators) }))
        }
        FetchOutcome::Modified(body, validators) => {
            let unparsable = |e| unparsable(channel, url, e);
            let items = match (platform, token) {
                (Platform::Spotify, Some(token)) => {
                    spotify::all_pages(ctx, channel, url.url(), &body, &token).await?
                }
                (Platform::Spotify, None) => source::parse_spotify_page(&body).map_err(unparsable)?.items,
                (Platform::Apple, _) => source::parse_apple(&body).map_err(unparsable)?,
                (Platform::Youtube | Platform::Podcast | Platform::Feed, _) => {
                    source::parse_feed(&body, platform).map_err(unparsable)?
                }
            };
            let first = previous.validators.body_hash.is_none();
            let state = SourceState { hub: hub_link(platform, &body), ..fresh(validators) };
            Ok(Poll::Items { items, state, first })
        }
    }
}

/// The WebSub hub an RSS/Atom feed names (`rel="hub"`) with its own http(s) URL: the
/// subscriber asks that hub when `[websub] subscribe` is on. YouTube's hub is configured
/// instead, and Apple and Spotify have none.
fn hub_link(platform: Platform, body: &[u8]) -> Option<HubLink> {
    let http = |url: &String| url::Url::parse(url).is_ok_and(|url| matches!(url.scheme(), "http" | "https"));
    let links = match platform {
        Platform::Podcast | Platform::Feed => source::feed_head(body).ok()?,
        Platform::Youtube | Platform::Apple | Platform::Spotify => return None,
    };
    Some(HubLink { hub: links.hub.filter(http)?, self_url: links.self_url.filter(http) })
}

/// Why a fetched body could not be read; a web page where a feed or API URL belongs gets the
/// `add` command that puts the source it stands for in its place.
fn unparsable(channel: &Channel, url: &SourceUrl, error: source::ParseError) -> Cause {
    let fix = match error.is_web_page() {
        true => format!(
            " (a web page: `syndicator add --channel {} '{url}'` puts its feed in its place)",
            channel.id()
        ),
        false => String::new(),
    };
    Cause::new(FailureKind::Parse, format!("{url}: {error}{fix}"))
}

/// The state after one more failure: exponential backoff with jitter, capped at
/// [`MAX_BACKOFF`], and never earlier than the server's `Retry-After` (itself capped at
/// [`MAX_RETRY_AFTER`]).
pub fn failed_state(
    previous: SourceState,
    message: &str,
    retry_after: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> SourceState {
    let failures = previous.failures.saturating_add(1);
    let backoff = now + backoff(failures);
    SourceState {
        validators: previous.validators,
        failures,
        retry_at: Some(retry_after.map_or(backoff, |after| after.min(now + MAX_RETRY_AFTER).max(backoff))),
        last_error: Some(message.to_owned()),
        hub: previous.hub,
    }
}

/// The wait after the `failures`th consecutive failure (1 or more): exponential from a
/// minute, capped at [`MAX_BACKOFF`], with jitter (half to all of it). Also the WebSub
/// subscriber's wait before asking a hub again.
pub fn backoff(failures: u32) -> Duration {
    let exponent = failures.saturating_sub(1).min(20);
    let base = FIRST_BACKOFF_SECS.saturating_mul(1 << exponent).min(MAX_BACKOFF.num_seconds());
    Duration::seconds(base / 2 + (RandomState::new().hash_one(failures) % (base as u64 / 2 + 1)) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_honours_retry_after() {
        let now: DateTime<Utc> = "2025-11-24T00:00:00Z".parse().unwrap();
        let mut state = SourceState::default();
        let mut waits = Vec::new();
        for _ in 0..12 {
            state = failed_state(state, "boom", None, now);
            waits.push((state.retry_at.unwrap() - now).num_seconds());
        }
        assert!((30..=60).contains(&waits[0]), "first wait {}", waits[0]);
        assert!(waits[3] > waits[0]);
        assert!(waits.iter().all(|w| *w <= MAX_BACKOFF.num_seconds()));
        assert!(waits[11] >= MAX_BACKOFF.num_seconds() / 2);
        assert_eq!(state.failures, 12);
        let later = now + Duration::hours(20);
        let honoured = failed_state(SourceState::default(), "429", Some(later), now);
        assert_eq!(honoured.retry_at, Some(later));
        let absurd = now + Duration::days(365 * 100);
        let capped = failed_state(SourceState::default(), "429", Some(absurd), now);
        assert_eq!(capped.retry_at, Some(now + MAX_RETRY_AFTER), "Retry-After never disables a source");
    }
}
