//! `GET` and `POST /websub/{token}`: the WebSub callback, answered by the [`Control`]. The
//! notification body is read up to [`MAX_NOTIFICATION_BYTES`] (413 beyond). The token is
//! never logged.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::ServerState;
use crate::websub::callback::{Delivered, Push, Verification};
use crate::websub::signature;

/// The largest notification accepted. YouTube's are a few KiB; a hub pushing a whole large
/// feed is answered 413, and polling picks the change up.
pub const MAX_NOTIFICATION_BYTES: usize = 1024 * 1024;

/// The hub's verification of intent: the challenge echoed, or 404.
pub async fn verify(
    State(state): State<Arc<ServerState>>,
    Path(token): Path<String>,
    Query(query): Query<Verification>,
) -> Response {
    match state.control.websub_verify(&token, &query) {
        Some(body) => ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response(),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// The hub's notification: 204 whether acted on or ignored, 404 for an unknown token.
pub async fn notify(
    State(state): State<Arc<ServerState>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Ok(body) = axum::body::to_bytes(body, MAX_NOTIFICATION_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "notification too large\n").into_response();
    };
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let push = Push { signature: text(signature::HEADER), link: text(header::LINK.as_str()), body: &body };
    match state.control.websub_notify(&token, &push) {
        Delivered::Taken => StatusCode::NO_CONTENT.into_response(),
        Delivered::Unknown => (StatusCode::NOT_FOUND, "not found\n").into_response(),
        Delivered::Failed => (StatusCode::INTERNAL_SERVER_ERROR, "try again\n").into_response(),
    }
}
