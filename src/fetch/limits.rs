//! How many requests may be in flight: at most `per_host` to any one host, and at most `total`
//! across all of them. A thousand channels spread over many hosts then go wide, while one host
//! (YouTube serves every channel's feed) never sees more than `per_host` connections from us.
//!
//! A request first waits for its host's slot and only then for a global one, so requests
//! queued behind a busy host never hold global slots that other hosts could use.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use reqwest::Url;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The two limits and the slots handed out under them.
#[derive(Debug)]
pub struct Limits {
    /// Requests in flight to one host (`[fetch] concurrency`).
    per_host: usize,
    /// Slots shared by every host (`[fetch] max_connections`).
    total: Arc<Semaphore>,
    /// One semaphore per host seen so far; a run follows a bounded set of hosts (its config).
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// Held while a request is in flight; dropping it frees both slots.
#[derive(Debug)]
pub struct Slot {
    _host: OwnedSemaphorePermit,
    _total: OwnedSemaphorePermit,
}

impl Limits {
    /// Limits of `per_host` requests per host and `total` in all (each at least 1).
    pub fn new(per_host: usize, total: usize) -> Limits {
        Limits {
            per_host: per_host.max(1),
            total: Arc::new(Semaphore::new(total.max(1))),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Requests in flight to one host at most.
    pub fn per_host(&self) -> usize {
        self.per_host
    }

    /// Waits until a request to `url` may start: first its host's slot, then a global one.
    pub async fn slot(&self, url: &Url) -> Slot {
        let host = self.host(url);
        let host = host.acquire_owned().await.expect("a host semaphore is never closed");
        let total = self.total.clone().acquire_owned().await.expect("the total semaphore is never closed");
        Slot { _host: host, _total: total }
    }

    /// The semaphore of `url`'s host (its name or address, without the port: one machine
    /// answering on several ports is still one machine to be polite to).
    fn host(&self, url: &Url) -> Arc<Semaphore> {
        let name = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let mut hosts = self.hosts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        hosts.entry(name).or_insert_with(|| Arc::new(Semaphore::new(self.per_host))).clone()
    }
}

#[cfg(test)]
mod tests {
    use futures_util::FutureExt as _;

    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[tokio::test]
    async fn a_busy_host_waits_for_its_own_slots_and_leaves_the_rest_to_others() {
        let limits = Limits::new(2, 3);
        let _a1 = limits.slot(&url("http://a.example/1")).await;
        let _a2 = limits.slot(&url("http://A.example:8080/2")).await;
        let (a3, b1, c1) = (url("http://a.example/3"), url("http://b.example/1"), url("http://c.example/1"));
        let third_on_a = limits.slot(&a3);
        tokio::pin!(third_on_a);
        assert!(third_on_a.as_mut().now_or_never().is_none(), "a host never gets a third slot");
        let b1 = limits.slot(&b1).now_or_never();
        assert!(b1.is_some(), "a request waiting for its busy host holds no global slot");
        let c1 = limits.slot(&c1);
        tokio::pin!(c1);
        assert!(c1.as_mut().now_or_never().is_none(), "the total of 3 is reached");
        drop(b1);
        assert!(c1.now_or_never().is_some(), "a freed slot goes to the next host");
        assert!(third_on_a.now_or_never().is_none(), "a still has its 2 in flight");
    }
}
