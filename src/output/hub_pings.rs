//! WebSub publishing (`[websub] publish_hubs`): when a feed's bytes change, each hub is told
//! `hub.mode=publish&hub.url=<public_url>/<feed path>` (the feed's `rel="self"` URL), and
//! fetches the feed itself to push it to its subscribers.
//!
//! Pings never hold the rebuild up: [`Destination::deliver`] hands them to a thread of their
//! own (with its own current-thread runtime and client, as `s3` does) and returns. Each ping
//! is tried up to [`ATTEMPTS`] times, a few seconds apart. What a hub was told is kept in the
//! store's `uploads` tree (the hash of the bytes it was last pinged for, per hub and feed),
//! recorded only on success: a ping that fails for good — the hub down — is sent again by
//! the next rebuild, even after a restart, so a change is never left unannounced. While a
//! ping is in flight its feed counts as held, so two rebuilds never ping twice.
//! `sync` and `feeds` wait for their pings ([`HubPings::settle`]) before they exit.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::Destination;
use crate::config::{Config, PublicUrl};
use crate::fetch::Fetcher;
use crate::hash::hash_hex;
use crate::publish::Feed;
use crate::store::Store;

/// Tries per ping.
pub const ATTEMPTS: usize = 3;
/// The wait before the second and third try.
const RETRY_WAITS: [Duration; 2] = [Duration::from_secs(1), Duration::from_secs(4)];

pub struct HubPings {
    hubs: Vec<url::Url>,
    public_url: PublicUrl,
    store: Arc<Store>,
    user_agent: String,
    timeout: Duration,
    in_flight: InFlight,
    /// The threads sending them, for [`HubPings::settle`].
    senders: Mutex<Vec<JoinHandle<()>>>,
}

/// The (hub, feed path, hash) of each ping being sent.
type InFlight = Arc<Mutex<HashSet<PingKey>>>;
type PingKey = (String, &'static str, String);

/// One ping to send: the hub, the feed's path and URL, and the hash of its bytes.
#[derive(Clone)]
struct Ping {
    hub: url::Url,
    path: &'static str,
    url: String,
    hash: String,
}

impl Ping {
    fn key(&self) -> PingKey {
        (self.hub.to_string(), self.path, self.hash.clone())
    }
}

impl HubPings {
    /// The pings `[websub] publish_hubs` asks for, if any (they need `public_url`, which the
    /// config guarantees).
    pub fn from_config(config: &Config, store: &Arc<Store>) -> Option<HubPings> {
        let public_url = config.server.public_url.clone()?;
        let hubs: Vec<url::Url> = config.websub.publish_hubs().iter().map(|hub| hub.url().clone()).collect();
        (!hubs.is_empty()).then(|| HubPings {
            hubs,
            public_url,
            store: store.clone(),
            user_agent: config.user_agent(),
            timeout: Duration::from_secs(config.fetch.timeout_secs.get()),
            in_flight: Arc::default(),
            senders: Mutex::default(),
        })
    }

    /// Whether `hub` was told about exactly these bytes of `feed`, or is being told.
    fn told(&self, hub: &url::Url, feed: &Feed, hash: &str) -> bool {
        let key = (hub.to_string(), feed.path, hash.to_owned());
        if self.in_flight.lock().unwrap_or_else(std::sync::PoisonError::into_inner).contains(&key) {
            return true;
        }
        match self.store.uploaded_hash(&destination(hub), feed.path) {
            Ok(told) => told.as_deref() == Some(hash),
            Err(e) => {
                tracing::warn!("cannot read what {hub} was told about {}: {e}; telling it again", feed.path);
                false
            }
        }
    }
}

impl Destination for HubPings {
    fn name(&self) -> &'static str {
        "WebSub hubs"
    }

    fn holds(&self, feed: &Feed) -> bool {
        let hash = hash_hex(feed.text.as_bytes());
        self.hubs.iter().all(|hub| self.told(hub, feed, &hash))
    }

    fn deliver(&self, changed: &[&Feed]) -> anyhow::Result<()> {
        let mut pings = Vec::new();
        for feed in changed {
            let hash = hash_hex(feed.text.as_bytes());
            for hub in self.hubs.iter().filter(|hub| !self.told(hub, feed, &hash)) {
                let url = self.public_url.join(feed.path);
                pings.push(Ping { hub: hub.clone(), path: feed.path, url, hash: hash.clone() });
            }
        }
        if pings.is_empty() {
            return Ok(());
        }
        self.in_flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(pings.iter().map(Ping::key));
        let sender = Sender {
            store: self.store.clone(),
            in_flight: self.in_flight.clone(),
            user_agent: self.user_agent.clone(),
            timeout: self.timeout,
        };
        let thread =
            std::thread::Builder::new().name("hub-pings".into()).spawn(move || sender.send_all(pings))?;
        let mut senders = self.senders.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        senders.retain(|sender| !sender.is_finished());
        senders.push(thread);
        Ok(())
    }

    /// Waits as long as one ping can take: its tries under `[fetch] timeout_secs` and the
    /// waits between them (the pings of a delivery go out together).
    fn settle(&self) {
        let within = self.timeout * ATTEMPTS as u32 + RETRY_WAITS.iter().sum::<Duration>();
        let deadline = Instant::now() + within;
        let senders =
            std::mem::take(&mut *self.senders.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        for sender in senders {
            while !sender.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            if !sender.is_finished() {
                tracing::warn!("WebSub pings still in flight after {within:?}; the next rebuild sends them");
                return;
            }
            let _ = sender.join();
        }
    }
}

/// What a sending thread needs.
struct Sender {
    store: Arc<Store>,
    in_flight: InFlight,
    user_agent: String,
    timeout: Duration,
}

impl Sender {
    fn send_all(self, pings: Vec<Ping>) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
        let fetcher = Fetcher::new(&self.user_agent, self.timeout, 64 * 1024);
        let (runtime, fetcher) = match (runtime, fetcher) {
            (Ok(runtime), Ok(fetcher)) => (runtime, fetcher),
            (Err(e), _) => return self.give_up(&pings, &e.to_string()),
            (_, Err(e)) => return self.give_up(&pings, &e.to_string()),
        };
        runtime.block_on(futures_util::future::join_all(pings.iter().map(|ping| self.send(&fetcher, ping))));
    }

    /// Pings one hub about one feed, up to [`ATTEMPTS`] times; records success.
    async fn send(&self, fetcher: &Fetcher, ping: &Ping) {
        let form = [("hub.mode", "publish"), ("hub.url", ping.url.as_str())];
        let mut waits = RETRY_WAITS.iter();
        let outcome = loop {
            match fetcher.post_form(&ping.hub, &form).await {
                Ok(()) => break Ok(()),
                Err(e) => match waits.next() {
                    Some(wait) => tokio::time::sleep(*wait).await,
                    None => break Err(e.to_string()),
                },
            }
        };
        match outcome {
            Ok(()) => {
                tracing::info!(hub = %ping.hub, feed = ping.url, "told the hub the feed changed");
                if let Err(e) = self.store.put_uploaded_hash(&destination(&ping.hub), ping.path, &ping.hash) {
                    tracing::warn!("cannot record the ping of {}: {e}; it is sent again", ping.url);
                }
            }
            Err(e) => tracing::warn!(
                hub = %ping.hub, feed = ping.url,
                "cannot tell the hub the feed changed after {ATTEMPTS} tries: {e}; the next rebuild tries again"
            ),
        }
        self.done(ping);
    }

    fn give_up(&self, pings: &[Ping], why: &str) {
        tracing::warn!("cannot send WebSub pings: {why}; the next rebuild tries again");
        pings.iter().for_each(|ping| self.done(ping));
    }

    fn done(&self, ping: &Ping) {
        self.in_flight.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&ping.key());
    }
}

/// This hub's name in the store's `uploads` tree.
fn destination(hub: &url::Url) -> String {
    format!("websub {hub}")
}
