//! The only network code: one shared HTTP client with explicit limits, conditional GET,
//! `file://` URLs read under the same limits, form POSTs with Basic auth (OAuth token
//! requests), POSTs of notifications (webhooks, ntfy) and of WebSub forms under the same
//! limits; and, in [`local`], requests to syndicator's own server.
//!
//! reqwest has no default timeouts and no body limit, so both are set here: connect, read and
//! total timeouts on the client, a total deadline around each whole request, and the body
//! limit counted while streaming decompressed chunks (a gzip bomb stops at the limit).
//! A 304, or a 200 whose body hashes to the last one (YouTube sends no validators), is
//! [`FetchOutcome::NotModified`]: nothing is parsed or written.
//!
//! Every request over the network waits for a [`Limits`] slot first: at most
//! `[fetch] concurrency` in flight to one host and `[fetch] max_connections` in all.

mod limits;
mod local;
mod origins;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use reqwest::{StatusCode, Url, header};
use thiserror::Error;

use crate::hash::hash_hex;
use crate::model::Validators;
pub use limits::Limits;
pub use local::{LocalAnswer, local_request};
pub use origins::{Origins, Routed};
use tokio::io::AsyncReadExt;

/// The result of a successful fetch.
#[derive(Debug)]
pub enum FetchOutcome {
    /// 304, or the same bytes as last time: skip parsing.
    NotModified(Validators),
    /// New bytes, and the validators to store once they are processed.
    Modified(Vec<u8>, Validators),
}

#[derive(Debug, Error)]
#[error("{method} {url} {kind}")]
pub struct FetchError {
    pub method: &'static str,
    pub url: String,
    pub kind: FetchErrorKind,
}

#[derive(Debug, Error)]
pub enum FetchErrorKind {
    #[error("timed out after {0} s")]
    Timeout(u64),
    #[error("failed to connect: {0}")]
    Connect(String),
    #[error("answered HTTP {status}")]
    Status { status: StatusCode, retry_after: Option<DateTime<Utc>> },
    #[error("sent a body larger than the limit of {0} bytes (fetch.max_body_bytes)")]
    TooLarge(u64),
    #[error("is not a regular file (a folder, FIFO or device); a file: source must be a regular file")]
    NotAFile,
    #[error("redirected more than {MAX_REDIRECTS} times")]
    TooManyRedirects,
    #[error("failed: {0}")]
    Other(String),
}

impl FetchError {
    fn new(method: &'static str, url: &Url, kind: FetchErrorKind) -> FetchError {
        FetchError { method, url: url.to_string(), kind }
    }

    /// The time the server asked us not to come back before (`Retry-After`), if any.
    pub fn retry_after(&self) -> Option<DateTime<Utc>> {
        match self.kind {
            FetchErrorKind::Status { retry_after, .. } => retry_after,
            _ => None,
        }
    }
}

const MAX_REDIRECTS: usize = 5;
const ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
                      application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5";

/// Requests in flight to one host when the config says nothing (`[fetch] concurrency`).
pub const DEFAULT_PER_HOST: usize = 8;
/// Requests in flight in all when the config says nothing (`[fetch] max_connections`).
pub const DEFAULT_TOTAL: usize = 64;

/// One client for every request of a run: pooled connections, limits set once.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    timeout: Duration,
    max_body: u64,
    /// Where requests to an overridden origin go instead (`SYNDICATOR_ORIGIN_*`).
    origins: Origins,
    /// Shared by every clone, so all of a run's requests count against the same limits.
    limits: Arc<Limits>,
}

/// A page fetched whole for discovery (`add`): an HTML page, a feed or an API answer.
#[derive(Debug)]
pub struct Page {
    /// Where the page was found after redirects, in canonical form (see [`Origins`]).
    pub url: Url,
    pub body: Vec<u8>,
}

impl Fetcher {
    /// A fetcher under the default limits ([`DEFAULT_PER_HOST`], [`DEFAULT_TOTAL`]).
    pub fn new(user_agent: &str, timeout: Duration, max_body: u64) -> Result<Fetcher, reqwest::Error> {
        Fetcher::with_limits(user_agent, timeout, max_body, Limits::new(DEFAULT_PER_HOST, DEFAULT_TOTAL))
    }

    /// A fetcher under `limits`; as many idle connections per host are kept as may be in
    /// flight to it, so a busy host's connections are reused instead of reopened.
    pub fn with_limits(
        user_agent: &str,
        timeout: Duration,
        max_body: u64,
        limits: Limits,
    ) -> Result<Fetcher, reqwest::Error> {
        let client = reqwest::Client::builder()
            .user_agent(user_agent)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .read_timeout(timeout)
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
            .gzip(true)
            .brotli(true)
            .pool_max_idle_per_host(limits.per_host())
            .build()?;
        Ok(Fetcher { client, timeout, max_body, origins: Origins::default(), limits: Arc::new(limits) })
    }

    /// The fetcher a command uses: the config's `[fetch]` limits and User-Agent, and the
    /// origin overrides of the environment (a bad one is a configuration error).
    pub fn for_config(config: &crate::config::Config) -> anyhow::Result<Fetcher> {
        let fetch = &config.fetch;
        let timeout = Duration::from_secs(fetch.timeout_secs.get());
        let limits = Limits::new(fetch.concurrency.get() as usize, fetch.max_connections.get() as usize);
        let fetcher =
            Fetcher::with_limits(&config.user_agent(), timeout, fetch.max_body_bytes.get(), limits)?;
        let origins = Origins::from_env().map_err(|message| crate::config::ConfigError::Invalid {
            path: "the environment".into(),
            message,
        })?;
        Ok(Fetcher { origins, ..fetcher })
    }

    /// GETs `url`, conditionally on `previous`, with an optional bearer token.
    pub async fn get(
        &self,
        url: &Url,
        previous: &Validators,
        bearer: Option<&str>,
    ) -> Result<FetchOutcome, FetchError> {
        let url = &self.origins.route(url).url;
        let body = if url.scheme() == "file" {
            self.read_file(url).await?
        } else {
            self.limited("GET", url, self.request(url, previous, bearer)).await?
        };
        Ok(match body {
            None => FetchOutcome::NotModified(previous.clone()),
            Some((bytes, mut validators)) => {
                let hash = hash_hex(&bytes);
                let unchanged = previous.body_hash.as_deref() == Some(hash.as_str());
                validators.body_hash = Some(hash);
                if unchanged {
                    FetchOutcome::NotModified(validators)
                } else {
                    FetchOutcome::Modified(bytes, validators)
                }
            }
        })
    }

    /// GETs a whole page, unconditionally, with an optional bearer token, and says where it
    /// ended up after redirects (so that relative links in it resolve).
    pub async fn get_page(&self, url: &Url, bearer: Option<&str>) -> Result<Page, FetchError> {
        let routed = self.origins.route(url);
        if routed.url.scheme() == "file" {
            let body = self.read_file(&routed.url).await?.map(|(body, _)| body).unwrap_or_default();
            return Ok(Page { url: routed.url, body });
        }
        let exchange = async {
            let response = successful(self.send_get(&routed.url, &Validators::default(), bearer).await?)?;
            let url = routed.canonical(response.url());
            Ok(Page { url, body: self.read_body(response).await? })
        };
        self.within_deadline("GET", &routed.url, exchange).await
    }

    /// POSTs `form` as `application/x-www-form-urlencoded` with HTTP Basic auth and returns
    /// the body of a 2xx answer. Neither the password nor the body ends up in an error.
    pub async fn post_form_basic(
        &self,
        url: &Url,
        user: &str,
        password: &str,
        form: &[(&str, &str)],
    ) -> Result<Vec<u8>, FetchError> {
        let request = self
            .client
            .post(url.clone())
            .basic_auth(user, Some(password))
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_urlencoded(form));
        let exchange = async {
            let response = request.send().await.map_err(|e| self.classify(e))?;
            self.read_body(successful(response)?).await
        };
        self.limited("POST", url, exchange).await
    }

    /// POSTs `body` as `content_type` with extra `headers` (notifications); succeeds on a 2xx
    /// answer, whose body is read under the limit and dropped.
    pub async fn post(
        &self,
        url: &Url,
        content_type: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> Result<(), FetchError> {
        let mut request = self.client.post(url.clone()).header(header::CONTENT_TYPE, content_type);
        for (name, value) in headers {
            let value = header::HeaderValue::from_str(value).map_err(|_| {
                FetchError::new("POST", url, FetchErrorKind::Other(format!("invalid {name} header")))
            })?;
            request = request.header(*name, value);
        }
        let exchange = async {
            let response = request.body(body).send().await.map_err(|e| self.classify(e))?;
            self.read_body(successful(response)?).await.map(drop)
        };
        self.limited("POST", url, exchange).await
    }

    /// Runs a network exchange under the total deadline once `url`'s host has a free slot
    /// (the wait for the slot does not count against the deadline).
    async fn limited<T>(
        &self,
        method: &'static str,
        url: &Url,
        exchange: impl Future<Output = Result<T, FetchErrorKind>>,
    ) -> Result<T, FetchError> {
        let _slot = self.limits.slot(url).await;
        self.within_deadline(method, url, exchange).await
    }

    /// POSTs `form` as `application/x-www-form-urlencoded` (WebSub requests to hubs);
    /// succeeds on a 2xx answer.
    pub async fn post_form(&self, url: &Url, form: &[(&str, &str)]) -> Result<(), FetchError> {
        self.post(url, "application/x-www-form-urlencoded", &[], form_urlencoded(form).into_bytes()).await
    }

    /// Runs a whole exchange (send and body) under the total deadline.
    async fn within_deadline<T>(
        &self,
        method: &'static str,
        url: &Url,
        exchange: impl Future<Output = Result<T, FetchErrorKind>>,
    ) -> Result<T, FetchError> {
        let fail = |kind| FetchError::new(method, url, kind);
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(result) => result.map_err(fail),
            Err(_) => Err(fail(FetchErrorKind::Timeout(self.timeout.as_secs()))),
        }
    }

    /// Sends the request; `None` is a 304.
    async fn request(
        &self,
        url: &Url,
        previous: &Validators,
        bearer: Option<&str>,
    ) -> Result<Option<(Vec<u8>, Validators)>, FetchErrorKind> {
        let response = self.send_get(url, previous, bearer).await?;
        if response.status() == StatusCode::NOT_MODIFIED {
            return Ok(None);
        }
        let response = successful(response)?;
        let validators = validators_of(response.headers());
        let body = self.read_body(response).await?;
        Ok(Some((body, validators)))
    }

    /// Sends a GET, conditional on `previous`, with an optional bearer token.
    async fn send_get(
        &self,
        url: &Url,
        previous: &Validators,
        bearer: Option<&str>,
    ) -> Result<reqwest::Response, FetchErrorKind> {
        let mut request = self.client.get(url.clone()).header(header::ACCEPT, ACCEPT);
        if let Some(etag) = &previous.etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        if let Some(modified) = &previous.last_modified {
            request = request.header(header::IF_MODIFIED_SINCE, modified);
        }
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        request.send().await.map_err(|e| self.classify(e))
    }

    async fn read_body(&self, response: reqwest::Response) -> Result<Vec<u8>, FetchErrorKind> {
        let mut body = Vec::new();
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| self.classify(e))?;
            if body.len() as u64 + chunk.len() as u64 > self.max_body {
                return Err(FetchErrorKind::TooLarge(self.max_body));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// Reads a `file:` URL under the same limits as HTTP: the total deadline, and at most
    /// `max_body` bytes however large the file claims (or turns out) to be. Only regular files:
    /// a FIFO would block the read for ever and a device (`/dev/zero`) never ends, so both are
    /// refused before they are opened.
    async fn read_file(&self, url: &Url) -> Result<Option<(Vec<u8>, Validators)>, FetchError> {
        let fail = |kind| FetchError::new("GET", url, kind);
        let path =
            url.to_file_path().map_err(|()| fail(FetchErrorKind::Other("not a local file path".into())))?;
        let io = |e: std::io::Error| FetchErrorKind::Other(format!("cannot read {}: {e}", path.display()));
        let metadata = tokio::fs::metadata(&path).await.map_err(|e| fail(io(e)))?;
        if !metadata.is_file() {
            return Err(fail(FetchErrorKind::NotAFile));
        }
        let read = async {
            let file = tokio::fs::File::open(&path).await.map_err(io)?;
            let mut body = Vec::new();
            file.take(self.max_body.saturating_add(1)).read_to_end(&mut body).await.map_err(io)?;
            match body.len() as u64 > self.max_body {
                true => Err(FetchErrorKind::TooLarge(self.max_body)),
                false => Ok(Some((body, Validators::default()))),
            }
        };
        self.within_deadline("GET", url, read).await
    }

    fn classify(&self, error: reqwest::Error) -> FetchErrorKind {
        if error.is_timeout() {
            FetchErrorKind::Timeout(self.timeout.as_secs())
        } else if error.is_redirect() {
            FetchErrorKind::TooManyRedirects
        } else if error.is_connect() {
            FetchErrorKind::Connect(root_cause(&error))
        } else {
            FetchErrorKind::Other(root_cause(&error))
        }
    }
}

/// The response when its status is 2xx, else the status and any `Retry-After`.
fn successful(response: reqwest::Response) -> Result<reqwest::Response, FetchErrorKind> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let retry_after = retry_after(response.headers(), Utc::now());
    Err(FetchErrorKind::Status { status, retry_after })
}

/// `application/x-www-form-urlencoded`: unreserved bytes as is, space as `+`, the rest as
/// `%XX`.
fn form_urlencoded(pairs: &[(&str, &str)]) -> String {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|byte| match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                    char::from(byte).to_string()
                }
                b' ' => "+".to_owned(),
                _ => format!("%{byte:02X}"),
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The innermost error message: reqwest's own Display hides the cause.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

fn validators_of(headers: &header::HeaderMap) -> Validators {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    Validators { etag: text(header::ETAG), last_modified: text(header::LAST_MODIFIED), body_hash: None }
}

/// `Retry-After` as seconds or as an HTTP date, resolved against `now`.
pub fn retry_after(headers: &header::HeaderMap, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u32>() {
        return Some(now + chrono::Duration::seconds(seconds.into()));
    }
    DateTime::parse_from_rfc2822(value).ok().map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests;
