//! Asking a running `syndicator serve` through its admin API, for `status` and `feeds` while it
//! holds the store (sled allows one process per store). The bearer token comes from
//! `SYNDICATOR_ADMIN_TOKEN`, the variable `serve` reads; without it the error says to set it.

use std::time::Duration;

use anyhow::Context as _;

use super::serve::ADMIN_TOKEN_VAR;
use crate::config::Config;
use crate::fetch::local_request;
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
        self.call("GET", "/api/status")
    }

    /// `POST /api/feeds`: rebuilds the feeds; `{"files": [...], "changed": n}`.
    pub fn rebuild_feeds(&self) -> anyhow::Result<serde_json::Value> {
        self.call("POST", "/api/feeds")
    }

    fn call(&self, method: &str, path: &str) -> anyhow::Result<serde_json::Value> {
        let url = format!("{}{path}", self.base);
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(async {
            let answer = local_request(method, &url, Some(&self.token), Duration::from_secs(60))
                .await
                .with_context(|| format!("cannot reach the running serve at {url} ([server] listen)"))?;
            let body = answer.body;
            match answer.status {
                401 => anyhow::bail!(
                    "{method} {url} refused the token in {ADMIN_TOKEN_VAR} (401): use the value the running serve has"
                ),
                404 => anyhow::bail!(
                    "{method} {url} answered 404: the running serve has no admin API; restart it with {ADMIN_TOKEN_VAR} set"
                ),
                s if !(200..300).contains(&s) => {
                    anyhow::bail!("{method} {url} answered {s}: {}", String::from_utf8_lossy(&body).trim())
                }
                _ => serde_json::from_slice(&body).with_context(|| format!("{method} {url}: the answer is not JSON")),
            }
        })
    }
}
