//! The status page of `serve`, for the operator's browser: `GET /status` (the login form
//! without a session), `POST /login` (field `token`: the admin token), `POST /status/sync`
//! (field `channel`: start that channel's run, as `POST /api/sync?channel=` does) and
//! `POST /status/logout`. It exists only when the admin token is set, like the admin API.
//!
//! The page shows the data of `/api/status` ([`Control::status`](super::Control::status)), so
//! the page, the API and `syndicator status` never disagree. A login sets the session cookie
//! (`HttpOnly`, `SameSite=Strict`, `Path=/status`, `Secure` when `[server] public_url` is
//! https); every POST made from the page must carry the session's CSRF token and must not come
//! from another origin (see `guard`). Failed logins are logged and throttled (see `session`).

mod guard;
mod labels;
mod render;
mod session;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono_tz::Tz;
use serde::Deserialize;

use super::{ServerState, SyncRefused, admin::same_secret};
use crate::model::Language;
use guard::{COOKIE, form_field, same_origin, session_cookie};
use render::{Renderer, security_headers};
use session::{LoginThrottle, SESSION_LIFETIME, Sessions};

/// The largest form body accepted (a token or a channel id and a CSRF token).
const FORM_LIMIT: usize = 8 * 1024;

/// What the page is set up with at start (a reload does not change it: `[server]` needs a
/// restart, and so do the page's language and time zone).
pub struct PageSettings {
    pub language: Language,
    pub timezone: Tz,
    pub site_title: String,
    /// `[server] public_url`: its scheme decides `Secure`, its origin is accepted in `Origin`.
    pub public_url: Option<url::Url>,
}

/// The page's own state: templates, sessions, the login throttle.
pub struct StatusPage {
    renderer: Renderer,
    sessions: Mutex<Sessions>,
    throttle: Mutex<LoginThrottle>,
    /// The cookie gets `Secure`: browsers reach the page over HTTPS (`public_url` is https).
    secure: bool,
    /// `scheme://host[:port]` of `public_url`, for a proxy that rewrites `Host`.
    public_origin: Option<String>,
}

impl StatusPage {
    pub fn new(settings: PageSettings) -> StatusPage {
        let public = settings.public_url.as_ref();
        StatusPage {
            renderer: Renderer::new(settings.language, settings.timezone, &settings.site_title),
            sessions: Mutex::default(),
            throttle: Mutex::default(),
            secure: public.is_some_and(|url| url.scheme() == "https"),
            public_origin: public.map(|url| url.origin().ascii_serialization()),
        }
    }

    fn sessions(&self) -> MutexGuard<'_, Sessions> {
        self.sessions.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn throttle(&self) -> MutexGuard<'_, LoginThrottle> {
        self.throttle.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The CSRF token of the request's live session, if it has one.
    fn session_csrf(&self, headers: &HeaderMap) -> Option<String> {
        self.sessions().csrf_of(session_cookie(headers)?, Instant::now())
    }

    /// The session id of a POST made from the page: same origin, logged in, right CSRF token;
    /// else why it is refused (logged when it looks like an attack).
    fn check_post(&self, path: &str, headers: &HeaderMap, body: &[u8]) -> Result<String, Refusal> {
        if !same_origin(headers, self.public_origin.as_deref()) {
            tracing::warn!(path, "status page: a cross-origin POST was refused");
            return Err(Refusal::CrossSite);
        }
        let id = session_cookie(headers);
        let csrf = id.and_then(|id| self.sessions().csrf_of(id, Instant::now()));
        let (Some(id), Some(csrf)) = (id, csrf) else { return Err(Refusal::LoggedOut) };
        if !same_secret(&form_field(body, "csrf").unwrap_or_default(), &csrf) {
            tracing::warn!(path, "status page: a POST without the session's CSRF token was refused");
            return Err(Refusal::StaleForm);
        }
        Ok(id.to_owned())
    }

    /// The page telling why a POST was refused (403).
    fn refused(&self, refusal: Refusal) -> Response {
        let label = match refusal {
            Refusal::CrossSite => "cross_site",
            Refusal::LoggedOut => "log_in_first",
            Refusal::StaleForm => "stale_form",
        };
        self.message(StatusCode::FORBIDDEN, label, None)
    }

    /// The session cookie carrying `id`, or (with `None`) the one that removes it.
    fn cookie(&self, id: Option<&str>) -> HeaderValue {
        let (value, max_age) = id.map_or(("", 0), |id| (id, SESSION_LIFETIME.as_secs()));
        let secure = if self.secure { "; Secure" } else { "" };
        let cookie =
            format!("{COOKIE}={value}; Path=/status; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}");
        HeaderValue::from_str(&cookie).expect("a cookie of hex digits and ASCII attributes")
    }

    fn html(&self, status: StatusCode, page: Result<String, minijinja::Error>) -> Response {
        match page {
            Ok(html) => (status, security_headers(), html).into_response(),
            Err(e) => {
                tracing::error!("status page: cannot render: {e:#}");
                (StatusCode::INTERNAL_SERVER_ERROR, security_headers(), "cannot render the page\n")
                    .into_response()
            }
        }
    }

    fn message(&self, status: StatusCode, label: &str, detail: Option<&str>) -> Response {
        self.html(status, self.renderer.message(label, detail))
    }
}

/// Why a POST from the page is not acted on.
enum Refusal {
    /// `Sec-Fetch-Site` or `Origin` names another site or origin.
    CrossSite,
    /// No cookie, or one naming no live session.
    LoggedOut,
    /// The form's CSRF token is missing or is not the session's.
    StaleForm,
}

/// The routes, each refusing bodies over [`FORM_LIMIT`].
pub fn routes() -> Router<Arc<ServerState>> {
    Router::new()
        .route("/status", get(show))
        .route("/login", post(login))
        .route("/status/sync", post(sync))
        .route("/status/logout", post(logout))
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
}

#[derive(Deserialize)]
struct ShowQuery {
    /// The channel whose run the last "sync now" started.
    synced: Option<String>,
}

async fn show(
    State(state): State<Arc<ServerState>>,
    headers: HeaderMap,
    query: Query<ShowQuery>,
) -> Response {
    let page = &state.status_page;
    let Some(csrf) = page.session_csrf(&headers) else {
        return page.html(StatusCode::OK, page.renderer.login(None));
    };
    let control = state.control.clone();
    let status = match tokio::task::spawn_blocking(move || control.status()).await {
        Ok(Ok(status)) => status,
        Ok(Err(e)) => {
            return page.message(StatusCode::INTERNAL_SERVER_ERROR, "failed", Some(&format!("{e:#}")));
        }
        Err(e) => return page.message(StatusCode::INTERNAL_SERVER_ERROR, "failed", Some(&e.to_string())),
    };
    let feeds = state.feeds.current();
    page.html(StatusCode::OK, page.renderer.status(&status, &feeds.paths(), &csrf, query.0.synced.as_deref()))
}

async fn login(State(state): State<Arc<ServerState>>, headers: HeaderMap, body: Bytes) -> Response {
    let (page, now) = (&state.status_page, Instant::now());
    if !same_origin(&headers, page.public_origin.as_deref()) {
        tracing::warn!("status page: a cross-origin login was refused");
        return page.message(StatusCode::FORBIDDEN, "cross_site", None);
    }
    if !page.throttle().allows(now) {
        tracing::warn!("status page: login refused, too many failed logins in the last minute");
        return page.html(StatusCode::TOO_MANY_REQUESTS, page.renderer.login(Some("too_many_failures")));
    }
    let expected = state.admin_token.as_deref().unwrap_or_default();
    if expected.is_empty() || !same_secret(&form_field(&body, "token").unwrap_or_default(), expected) {
        page.throttle().failed(now);
        tracing::warn!("status page: failed login (not the admin token)");
        return page.html(StatusCode::FORBIDDEN, page.renderer.login(Some("wrong_token")));
    }
    match page.sessions().create(now) {
        Ok(id) => {
            tracing::info!("status page: logged in");
            see_other("/status", Some(page.cookie(Some(&id))))
        }
        Err(e) => page.message(StatusCode::INTERNAL_SERVER_ERROR, "failed", Some(&e.to_string())),
    }
}

async fn sync(State(state): State<Arc<ServerState>>, headers: HeaderMap, body: Bytes) -> Response {
    let page = &state.status_page;
    if let Err(refusal) = page.check_post("/status/sync", &headers, &body) {
        return page.refused(refusal);
    }
    let channel = form_field(&body, "channel").unwrap_or_default();
    match state.control.sync_now(Some(channel.clone())) {
        Ok(_) => {
            let query: String =
                url::form_urlencoded::Serializer::new(String::new()).append_pair("synced", &channel).finish();
            see_other(&format!("/status?{query}"), None)
        }
        Err(SyncRefused::UnknownChannel(_)) => page.message(StatusCode::NOT_FOUND, "unknown_channel", None),
        Err(SyncRefused::ShuttingDown) => {
            page.message(StatusCode::SERVICE_UNAVAILABLE, "shutting_down", None)
        }
    }
}

async fn logout(State(state): State<Arc<ServerState>>, headers: HeaderMap, body: Bytes) -> Response {
    let page = &state.status_page;
    match page.check_post("/status/logout", &headers, &body) {
        Ok(id) => {
            page.sessions().end(&id);
            see_other("/status", Some(page.cookie(None)))
        }
        Err(refusal) => page.refused(refusal),
    }
}

/// `303 See Other` to `location` (POST, then redirect, then GET), setting `cookie` if given.
fn see_other(location: &str, cookie: Option<HeaderValue>) -> Response {
    let mut response = (StatusCode::SEE_OTHER, security_headers()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::LOCATION,
        HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/status")),
    );
    if let Some(cookie) = cookie {
        headers.insert(header::SET_COOKIE, cookie);
    }
    response
}
