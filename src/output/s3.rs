//! Object storage over the S3 protocol (`[publish.s3]`), through the `object_store` crate: each
//! changed feed is one PUT (atomic per object in S3) at `<prefix>/<feed path>`, with its
//! Content-Type, the server's `Cache-Control: public, max-age=…`, and its SHA-256 twice: as
//! `x-amz-checksum-sha256` (the service verifies the bytes it received) and as the metadata
//! `x-amz-meta-sha256` (readable with a HEAD).
//!
//! Whether the bucket holds a feed is answered from the store, not the bucket: the `uploads`
//! tree keeps the hash of the bytes last uploaded successfully per (destination, path). A
//! failed upload is not recorded, so the next rebuild retries it; a record lost in a crash
//! costs one repeated upload. Objects changed in the bucket by hand are not noticed until the
//! feed's bytes change.
//!
//! The bridge from the synchronous [`Destination::deliver`] to the async client: each delivery
//! runs on a fresh scoped thread that owns a current-thread runtime, and builds its client
//! there, so connections never outlive their runtime. The caller only waits on that thread:
//! it works the same from an async worker (`sync`), a blocking thread (`serve`'s rebuild) or
//! no runtime at all (`feeds`), and cannot deadlock on the caller's runtime. Every request is
//! bounded by `[fetch] timeout_secs`, with two quick retries.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use object_store::aws::{AmazonS3, AmazonS3Builder, Checksum};
use object_store::path::Path as ObjectPath;
use object_store::{Attribute, Attributes, ClientOptions, ObjectStore, PutOptions, RetryConfig};

use super::Destination;
use crate::config::{Config, S3};
use crate::publish::Feed;
use crate::store::Store;

/// The environment variables the credentials are read from; the token is optional.
pub const ACCESS_KEY_VAR: &str = "AWS_ACCESS_KEY_ID";
pub const SECRET_KEY_VAR: &str = "AWS_SECRET_ACCESS_KEY";
pub const SESSION_TOKEN_VAR: &str = "AWS_SESSION_TOKEN";

pub struct S3Bucket {
    config: S3,
    credentials: Credentials,
    cache_control: String,
    timeout: Duration,
    store: Arc<Store>,
    /// This destination's name in the store's `uploads` tree: endpoint, bucket and prefix.
    id: String,
}

struct Credentials {
    access_key: String,
    secret_key: String,
    token: Option<String>,
}

impl Credentials {
    fn from_env() -> anyhow::Result<Credentials> {
        let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
        match (var(ACCESS_KEY_VAR), var(SECRET_KEY_VAR)) {
            (Some(access_key), Some(secret_key)) => {
                Ok(Credentials { access_key, secret_key, token: var(SESSION_TOKEN_VAR) })
            }
            _ => anyhow::bail!(
                "[publish.s3] needs credentials: set {ACCESS_KEY_VAR} and {SECRET_KEY_VAR} \
                 (and {SESSION_TOKEN_VAR} for temporary ones) in the environment"
            ),
        }
    }
}

impl S3Bucket {
    /// The bucket `[publish.s3]` names, if any; an error when its credentials are missing.
    pub fn from_config(config: &Config, store: &Arc<Store>) -> anyhow::Result<Option<S3Bucket>> {
        let Some(s3) = &config.publish.s3 else { return Ok(None) };
        Ok(Some(S3Bucket {
            credentials: Credentials::from_env()?,
            cache_control: format!("public, max-age={}", config.server.cache_max_age.get()),
            timeout: Duration::from_secs(config.fetch.timeout_secs.get()),
            store: store.clone(),
            id: format!("s3 {} {}/{}", endpoint_shown(s3), s3.bucket.as_str(), s3.prefix.key("")),
            config: s3.clone(),
        }))
    }

    fn client(&self) -> object_store::Result<AmazonS3> {
        let s3 = &self.config;
        let retry = RetryConfig { max_retries: 2, retry_timeout: self.timeout, ..RetryConfig::default() };
        let options = ClientOptions::new().with_timeout(self.timeout).with_connect_timeout(self.timeout);
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(s3.bucket.as_str())
            .with_region(&s3.region)
            .with_access_key_id(&self.credentials.access_key)
            .with_secret_access_key(&self.credentials.secret_key)
            .with_virtual_hosted_style_request(!s3.path_style)
            .with_checksum_algorithm(Checksum::SHA256)
            .with_retry(retry)
            .with_client_options(options);
        if let Some(token) = &self.credentials.token {
            builder = builder.with_token(token);
        }
        if let Some(endpoint) = &s3.endpoint {
            let mut url = endpoint.url().clone();
            if !s3.path_style {
                // object_store expects the bucket in a virtual-hosted endpoint's host.
                let host = format!("{}.{}", s3.bucket.as_str(), url.host_str().unwrap_or_default());
                url.set_host(Some(&host)).map_err(|e| object_store::Error::Generic {
                    store: "S3",
                    source: format!("cannot put the bucket into the endpoint's host {host}: {e}").into(),
                })?;
            }
            builder = builder
                .with_endpoint(url.as_str().trim_end_matches('/'))
                .with_allow_http(url.scheme() == "http");
        }
        builder.build()
    }

    /// Uploads each feed concurrently on a current-thread runtime of this thread; one result
    /// per feed, in order.
    fn upload_all(&self, feeds: &[&Feed]) -> anyhow::Result<Vec<object_store::Result<()>>> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the upload runtime")?;
        let bucket = self.client().context("cannot set up the S3 client")?;
        let uploads = feeds.iter().map(|feed| self.upload(&bucket, feed));
        Ok(runtime.block_on(futures_util::future::join_all(uploads)))
    }

    async fn upload(&self, bucket: &AmazonS3, feed: &Feed) -> object_store::Result<()> {
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, feed.format.content_type().into());
        attributes.insert(Attribute::CacheControl, self.cache_control.clone().into());
        attributes.insert(Attribute::Metadata("sha256".into()), sha256_hex(&feed.text).into());
        let options = PutOptions { attributes, ..PutOptions::default() };
        let key = ObjectPath::from(self.config.prefix.key(feed.path));
        bucket.put_opts(&key, feed.text.clone().into_bytes().into(), options).await.map(drop)
    }
}

impl Destination for S3Bucket {
    fn name(&self) -> &'static str {
        "object storage"
    }

    fn holds(&self, feed: &Feed) -> bool {
        match self.store.uploaded_hash(&self.id, feed.path) {
            Ok(hash) => hash.is_some_and(|hash| hash == sha256_hex(&feed.text)),
            Err(e) => {
                tracing::warn!("cannot read the upload record of {}: {e}; uploading it again", feed.path);
                false
            }
        }
    }

    fn deliver(&self, changed: &[&Feed]) -> anyhow::Result<()> {
        let results = std::thread::scope(|scope| scope.spawn(|| self.upload_all(changed)).join())
            .map_err(|_| anyhow::anyhow!("the upload thread panicked"))??;
        let mut failed = Vec::new();
        for (feed, result) in changed.iter().zip(results) {
            let key = self.config.prefix.key(feed.path);
            let recorded = result.map_err(anyhow::Error::from).and_then(|()| {
                Ok(self.store.put_uploaded_hash(&self.id, feed.path, &sha256_hex(&feed.text))?)
            });
            if let Err(e) = recorded {
                failed.push(format!("{key}: {e:#}"));
            }
        }
        if failed.is_empty() {
            return Ok(());
        }
        anyhow::bail!(
            "{} of {} upload(s) to bucket {} failed (retried at the next rebuild): {}",
            failed.len(),
            changed.len(),
            self.config.bucket.as_str(),
            failed.join("; ")
        )
    }
}

/// `check`'s description of `[publish.s3]`: bucket, prefix, endpoint and whether the
/// credentials are set (never their values).
pub fn describe(s3: &S3) -> String {
    let credentials = match Credentials::from_env() {
        Ok(_) => format!("set ({ACCESS_KEY_VAR}, {SECRET_KEY_VAR})"),
        Err(_) => format!("MISSING: set {ACCESS_KEY_VAR} and {SECRET_KEY_VAR}"),
    };
    format!(
        "s3://{}/{} at {} (region {}, {} style); credentials {credentials}",
        s3.bucket.as_str(),
        s3.prefix.key(""),
        endpoint_shown(s3),
        s3.region,
        if s3.path_style { "path" } else { "virtual-hosted" }
    )
}

fn endpoint_shown(s3: &S3) -> String {
    s3.endpoint.as_ref().map_or_else(|| "AWS".to_owned(), |e| e.url().to_string())
}

fn sha256_hex(text: &str) -> String {
    crate::hash::hash_hex(text.as_bytes())
}
