//! The HTTP server of `syndicator serve`: the six feeds from memory, a small index page,
//! `/healthz`, `/metrics`, the admin API (`GET /api/status`, `POST /api/sync`,
//! `POST /api/feeds`) behind a bearer token, the WebSub callback (`/websub/{token}`), and the
//! status page for a browser (`/status`, behind a login with the same token). It knows
//! nothing of scheduling, syncing or subscribing: it asks a [`Control`].
//!
//! Only the six feed paths, `/`, `/healthz`, `/metrics`, the callback, the admin routes and
//! the status page's routes answer; nothing is ever read from disk per request, so no path
//! can reach a file.

mod admin;
mod feed_body;
mod feed_set;
mod listener;
mod status_page;
mod websub;
mod write_timeout;

use std::future::Future;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
pub use feed_body::FeedBody;
pub use feed_set::FeedSet;
pub use status_page::{PageSettings, StatusPage};

use crate::metrics::Metrics;

/// What the server asks of the daemon behind it.
pub trait Control: Send + Sync {
    /// `Ok` when the store is open, the scheduler alive and the last feed rebuild succeeded;
    /// else why not.
    fn health(&self) -> Result<(), String>;
    /// Per-channel status as JSON.
    fn status(&self) -> anyhow::Result<serde_json::Value>;
    /// Starts a sync of every channel or of one; returns the ids started, or why not.
    fn sync_now(&self, channel: Option<String>) -> Result<Vec<String>, SyncRefused>;
    /// Rebuilds, writes and serves the feeds now (blocking); `{"files": [paths], "changed": n}`.
    fn rebuild_feeds(&self) -> anyhow::Result<serde_json::Value>;
    /// A hub's verification of intent at the callback `token`: the body of a 200 (the
    /// challenge), or `None` for a 404.
    fn websub_verify(&self, token: &str, query: &crate::websub::callback::Verification) -> Option<String>;
    /// A hub's notification at the callback `token`.
    fn websub_notify(
        &self,
        token: &str,
        push: &crate::websub::callback::Push,
    ) -> crate::websub::callback::Delivered;
}

/// Why `POST /api/sync` started nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncRefused {
    /// No channel has this id (404).
    UnknownChannel(String),
    /// Shutdown has begun (503).
    ShuttingDown,
}

/// Shared by every request.
pub struct ServerState {
    /// The feeds being served, swapped whole when rebuilt (shared with the daemon).
    pub feeds: SharedFeeds,
    pub metrics: Arc<Metrics>,
    /// `SYNDICATOR_ADMIN_TOKEN`; `None` turns the admin API off (404).
    pub admin_token: Option<String>,
    pub control: Arc<dyn Control>,
    /// `Cache-Control: public, max-age=…` on feeds.
    pub max_age: u32,
    /// The status page's templates and sessions (its routes exist only with `admin_token`).
    pub status_page: StatusPage,
}

/// The feeds being served: readers take the current `Arc` (no disk read per request), the
/// daemon swaps in a new set after each rebuild.
#[derive(Clone, Default)]
pub struct SharedFeeds(Arc<RwLock<Arc<FeedSet>>>);

impl SharedFeeds {
    pub fn publish(&self, feeds: FeedSet) {
        *self.0.write().expect("the feeds lock is never poisoned") = Arc::new(feeds);
    }

    pub fn current(&self) -> Arc<FeedSet> {
        self.0.read().expect("the feeds lock is never poisoned").clone()
    }
}

/// The routes. Admin routes and the status page exist only when a token is set.
pub fn router(state: Arc<ServerState>) -> Router {
    let mut router = Router::new()
        .route("/", get(index))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/websub/{token}", get(websub::verify).post(websub::notify));
    if state.admin_token.is_some() {
        router = router
            .route("/api/status", get(admin::status))
            .route("/api/sync", post(admin::sync))
            .route("/api/feeds", post(admin::feeds))
            .merge(status_page::routes());
    }
    router.fallback(feed).with_state(state)
}

/// Serves until `shutdown` resolves, then stops accepting and lets in-flight requests finish
/// (see `listener` for the limits).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<ServerState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    listener::serve(listener, router(state), shutdown).await
}

async fn feed(
    State(state): State<Arc<ServerState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let feeds = state.feeds.current();
    let Some(body) = feeds.get(uri.path()) else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")]).into_response();
    }
    let response = body.respond(&headers, state.max_age);
    state.metrics.feed_request(&body.path, response.status().as_u16());
    response
}

async fn index(State(state): State<Arc<ServerState>>) -> Html<String> {
    Html(state.feeds.current().index_html().to_owned())
}

async fn healthz(State(state): State<Arc<ServerState>>) -> (StatusCode, String) {
    match state.control.health() {
        Ok(()) => (StatusCode::OK, "ok\n".to_owned()),
        Err(why) => {
            (StatusCode::SERVICE_UNAVAILABLE, format!("unhealthy: {}\n", crate::status::printable(&why)))
        }
    }
}

async fn metrics(State(state): State<Arc<ServerState>>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], state.metrics.render())
}
