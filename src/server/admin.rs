//! The admin API: `GET /api/status`, `POST /api/sync[?channel=ID]` and `POST /api/feeds`, all
//! requiring `Authorization: Bearer <SYNDICATOR_ADMIN_TOKEN>` (the scheme name in any case, as
//! RFC 7235 says), the token compared in constant time. The token is never logged.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{ServerState, SyncRefused};

#[derive(Deserialize)]
pub struct SyncQuery {
    channel: Option<String>,
}

pub async fn status(State(state): State<Arc<ServerState>>, headers: HeaderMap) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    // The store and `git` are read off the async workers.
    let control = state.control.clone();
    match tokio::task::spawn_blocking(move || control.status()).await {
        Ok(Ok(status)) => Json(status).into_response(),
        Ok(Err(e)) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}\n")).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")).into_response(),
    }
}

pub async fn sync(
    State(state): State<Arc<ServerState>>,
    headers: HeaderMap,
    query: Query<SyncQuery>,
) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    match state.control.sync_now(query.0.channel) {
        Ok(started) => {
            (StatusCode::ACCEPTED, Json(serde_json::json!({ "started": started }))).into_response()
        }
        Err(SyncRefused::UnknownChannel(id)) => {
            let error = format!("no channel \"{id}\"");
            (StatusCode::NOT_FOUND, Json(serde_json::json!({ "error": error }))).into_response()
        }
        Err(SyncRefused::ShuttingDown) => {
            let error = "syndicator is shutting down";
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "error": error }))).into_response()
        }
    }
}

/// `POST /api/feeds`: rebuild the feeds now (for `syndicator feeds` beside a running serve).
pub async fn feeds(State(state): State<Arc<ServerState>>, headers: HeaderMap) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    let control = state.control.clone();
    match tokio::task::spawn_blocking(move || control.rebuild_feeds()).await {
        Ok(Ok(report)) => Json(report).into_response(),
        Ok(Err(e)) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{e:#}\n")).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("the rebuild failed: {e}\n")).into_response(),
    }
}

/// Whether the request carries the admin bearer token.
fn authorized(state: &ServerState, headers: &HeaderMap) -> bool {
    let expected = state.admin_token.as_deref().unwrap_or_default();
    let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(bearer_token);
    !expected.is_empty() && same_secret(given.unwrap_or_default(), expected)
}

/// The token of a `Bearer` credential: the scheme name is case-insensitive (RFC 7235 §2.1)
/// and separated from the token by one or more spaces.
fn bearer_token(credentials: &str) -> Option<&str> {
    let (scheme, token) = credentials.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim_start_matches(' '))
}

fn unauthorized() -> Response {
    let challenge = [(header::WWW_AUTHENTICATE, "Bearer")];
    (StatusCode::UNAUTHORIZED, challenge, "a valid bearer token is required\n").into_response()
}

/// Compares two secrets in time that depends on neither: both are hashed to 32 bytes, and
/// every byte of the digests is compared.
pub(super) fn same_secret(given: &str, expected: &str) -> bool {
    let (a, b) = (Sha256::digest(given.as_bytes()), Sha256::digest(expected.as_bytes()));
    a.iter().zip(b.iter()).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_equal_only_when_identical() {
        assert!(same_secret("s3cret", "s3cret"));
        assert!(!same_secret("s3cret", "s3creT"));
        assert!(!same_secret("", "s3cret"));
        assert!(!same_secret("s3cret-and-more", "s3cret"));
    }

    #[test]
    fn the_bearer_scheme_name_is_case_insensitive() {
        for credentials in ["Bearer s3cret", "bearer s3cret", "BEARER s3cret", "bEaReR  s3cret"] {
            assert_eq!(bearer_token(credentials), Some("s3cret"), "{credentials}");
        }
        for credentials in ["Basic s3cret", "Bearers3cret", "s3cret", "Bearer", "Token s3cret"] {
            assert_eq!(bearer_token(credentials), None, "{credentials}");
        }
    }
}
