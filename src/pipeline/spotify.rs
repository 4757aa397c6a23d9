//! Spotify's Web API as a source: client-credentials OAuth (credentials from the environment,
//! the token fetched at most once per sync and reused until it expires), and paging through a
//! show's episodes until a whole page is already known or `next` loops back.

use std::collections::HashSet;

use chrono::{Duration, Utc};
use url::Url;

use super::Ctx;
use super::failure::{Cause, FailureKind};
use crate::config::Channel;
use crate::fetch::{FetchError, FetchErrorKind, Fetcher};
use crate::model::Item;
use crate::model::Validators;
use crate::source::{self, Token};

pub const CLIENT_ID_VAR: &str = "SPOTIFY_CLIENT_ID";
pub const CLIENT_SECRET_VAR: &str = "SPOTIFY_CLIENT_SECRET";
/// Paging stops after this many pages whatever `next` says (a loop guard).
const MAX_PAGES: usize = 40;
/// A token this close to expiry is renewed first.
const EXPIRY_MARGIN: Duration = Duration::seconds(60);

/// The credentials and the cached token. The secret is never logged or shown.
pub struct SpotifyAuth {
    credentials: Option<(String, String)>,
    token_url: Url,
    token: tokio::sync::Mutex<Option<Token>>,
}

impl SpotifyAuth {
    /// Reads `SPOTIFY_CLIENT_ID` and `SPOTIFY_CLIENT_SECRET` from the environment.
    pub fn from_env(token_url: Url) -> SpotifyAuth {
        let var = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let credentials = var(CLIENT_ID_VAR).zip(var(CLIENT_SECRET_VAR));
        SpotifyAuth { credentials, token_url, token: tokio::sync::Mutex::new(None) }
    }

    /// Why Spotify cannot be polled without credentials, when they are missing.
    pub fn missing_credentials(&self) -> Option<String> {
        self.credentials.is_none().then(|| {
            format!(
                "{CLIENT_ID_VAR} and {CLIENT_SECRET_VAR} are not set: create an app at \
                 developer.spotify.com and export both to poll Spotify (the other platforms go on)"
            )
        })
    }

    /// A valid access token: the cached one, or a new one from the token endpoint.
    pub async fn token(&self, fetcher: &Fetcher) -> Result<String, Cause> {
        let Some((id, secret)) = &self.credentials else {
            return Err(Cause::new(FailureKind::Auth, self.missing_credentials().unwrap_or_default()));
        };
        let mut cached = self.token.lock().await;
        if let Some(token) = cached.as_ref().filter(|t| t.expires_at - EXPIRY_MARGIN > Utc::now()) {
            return Ok(token.access_token.clone());
        }
        let body = fetcher
            .post_form_basic(&self.token_url, id, secret, &[("grant_type", "client_credentials")])
            .await
            .map_err(|e| {
                let message = format!("cannot get a Spotify token: {e}");
                Cause::new(FailureKind::Auth, message).retry_after(e.retry_after())
            })?;
        let token = source::parse_token(&body, Utc::now()).map_err(|e| {
            Cause::new(FailureKind::Auth, format!("cannot get a Spotify token from {}: {e}", self.token_url))
        })?;
        Ok(cached.insert(token).access_token.clone())
    }

    /// Forgets a token the API rejected, so the next poll asks for a new one (skipped if
    /// another channel is fetching a token right now: that one is fresh).
    fn forget(&self) {
        if let Ok(mut token) = self.token.try_lock() {
            *token = None;
        }
    }
}

/// Whether an API error means the token was rejected.
pub fn is_unauthorized(kind: &FetchErrorKind) -> bool {
    matches!(kind, FetchErrorKind::Status { status, .. } if status.as_u16() == 401)
}

/// The cause of a failed API request, keeping its `Retry-After`; a rejected token is
/// forgotten so the next poll asks for a new one.
pub fn rejected(ctx: &Ctx, error: FetchError) -> Cause {
    if is_unauthorized(&error.kind) {
        ctx.spotify.forget();
        return Cause::new(FailureKind::Auth, format!("{error}: the Spotify API rejected the token"));
    }
    Cause::new(FailureKind::Fetch, error.to_string()).retry_after(error.retry_after())
}

/// The items of the first page (already fetched) and of the following pages, until a page is
/// entirely known (to the store or from an earlier page of this run), there is no `next`, or
/// `next` names a page already fetched (a loop). An id repeated across pages is kept once.
pub async fn all_pages(
    ctx: &Ctx,
    channel: &Channel,
    first_url: &Url,
    first: &[u8],
    token: &str,
) -> Result<Vec<Item>, Cause> {
    let stored = |item: &Item| matches!(ctx.store.episode_of_item(channel.id(), item), Ok(Some(_)));
    let unparsable = |url: &Url, e: source::ParseError| Cause::new(FailureKind::Parse, format!("{url}: {e}"));
    let mut page = source::parse_spotify_page(first).map_err(|e| unparsable(first_url, e))?;
    let mut fetched = HashSet::from([first_url.clone()]);
    let mut ids = HashSet::new();
    let mut items = Vec::new();
    for _ in 0..MAX_PAGES {
        let done = source::page_is_known(&page.items, |item| ids.contains(&item.platform_id) || stored(item));
        items.extend(page.items.drain(..).filter(|item| ids.insert(item.platform_id.clone())));
        let Some(next) = page.next.take().filter(|_| !done) else { break };
        let url = next_page_url(&next, first_url).map_err(|e| Cause::new(FailureKind::Parse, e))?;
        if !fetched.insert(url.clone()) {
            tracing::warn!("{} spotify: next page {url} was already fetched; paging stops", channel.id());
            break;
        }
        let outcome =
            ctx.fetcher.get(&url, &Validators::default(), Some(token)).await.map_err(|e| rejected(ctx, e))?;
        let crate::fetch::FetchOutcome::Modified(body, _) = outcome else { break };
        page = source::parse_spotify_page(&body).map_err(|e| unparsable(&url, e))?;
    }
    Ok(items)
}

/// A `next` page URL, accepted only on the origin of the first page: the bearer token is
/// never sent anywhere else, and no other scheme (such as `file:`) is followed.
fn next_page_url(next: &str, first: &Url) -> Result<Url, String> {
    let url = Url::parse(next).map_err(|e| format!("bad next page URL {next}: {e}"))?;
    if url.origin() != first.origin() {
        return Err(format!(
            "next page URL {next} leaves {}; not followed",
            first.origin().ascii_serialization()
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_pages_stay_on_the_first_pages_origin() {
        let first = Url::parse("https://api.spotify.com/v1/shows/x/episodes?limit=50").unwrap();
        assert!(next_page_url("https://api.spotify.com/v1/shows/x/episodes?offset=50", &first).is_ok());
        for bad in ["https://evil.example/steal", "http://api.spotify.com/v1/x", "file:///etc/passwd", "::"] {
            assert!(next_page_url(bad, &first).is_err(), "{bad}");
        }
    }
}
