//! Asking a running `syndicator serve` through its admin API, for `status` and `feeds` while it
//! holds the store (sled allows one process per store). The bearer token comes from
//! `SYNDICATOR_ADMIN_TOKEN`, the variable `serve` reads; without it the error says to set it.

use std::time::Duration;

use anyhow::Context as _;
use reqwest::StatusCode;

use super::serve::ADMIN_TOKEN_VAR;
use crate::config::Config;
use crate::store::StoreError;

/// The admin API of the `serve` on `[server] listen`.
pub struct Admin {
    base: String,
    token: String,
}

/// Whether opening the store failed because another process (a `serve`) holds it.
pub fn store_is_locked(error: &anyhow::Error) -> bool {
    matches!(error.downcast_ref::<StoreError>(), Some(StoreError::Locked(_)))
}

impl Admin {
    /// The API of the service the config describes; fails, naming the variable, without a token.
    pub fn from_env(config: &Config) -> anyhow::Result<Admin> {
        let base = config.server.listen.loopback_url("");
        let token = std::env::var(ADMIN_TOKEN_VAR).ok().filter(|t| !t.trim().is_empty());
        let token = token.with_context(|| {
            format!(
                "the store {} is held by a running `syndicator serve`; to ask it over {base}/api/, \
                 set {ADMIN_TOKEN_VAR} to the admin token that serve runs with",
                config.store.path.display()
            )
        })?;
        tracing::info!("the store is held by a running serve; asking it at {base}");
        Ok(Admin { base, token })
    }

    /// `GET /api/status`: `{"channels": [...]}`.
    pub fn status(&self) -> anyhow::Result<serde_json::Value> {
        self.call(reqwest::Method::GET, "/api/status")
    }

    /// `POST /api/feeds`: rebuilds the feeds; `{"files": [...], "changed": n}`.
    pub fn rebuild_feeds(&self) -> anyhow::Result<serde_json::Value> {
        self.call(reqwest::Method::POST, "/api/feeds")
    }

    fn call(&self, method: reqwest::Method, path: &str) -> anyhow::Result<serde_json::Value> {
        let url = format!("{}{path}", self.base);
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(async {
            let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build()?;
            let response = client
                .request(method.clone(), &url)
                .bearer_auth(&self.token)
                .send()
                .await
                .with_context(|| format!("cannot reach the running serve at {url} ([server] listen)"))?;
            let status = response.status();
            let body = response.bytes().await.with_context(|| format!("{method} {url}: reading the answer"))?;
            match status {
                StatusCode::UNAUTHORIZED => anyhow::bail!(
                    "{method} {url} refused the token in {ADMIN_TOKEN_VAR} (401): use the value the running serve has"
                ),
                StatusCode::NOT_FOUND => anyhow::bail!(
                    "{method} {url} answered 404: the running serve has no admin API; restart it with {ADMIN_TOKEN_VAR} set"
                ),
                s if !s.is_success() => {
                    anyhow::bail!("{method} {url} answered {s}: {}", String::from_utf8_lossy(&body).trim())
                }
                _ => serde_json::from_slice(&body).with_context(|| format!("{method} {url}: the answer is not JSON")),
            }
        })
    }
}
