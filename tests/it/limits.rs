//! `[fetch] concurrency` (per host) and `[fetch] max_connections` (in all), end to end: feed
//! servers on several loopback addresses count the requests they are answering at once.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::app::{App, SITE};

/// How long each answer waits: long enough that without the limits every request of a run
/// would be in flight at once.
const HOLD: Duration = Duration::from_millis(150);

/// Requests being answered now, and the most there ever were.
#[derive(Default)]
struct Gauge {
    now: AtomicUsize,
    peak: AtomicUsize,
}

impl Gauge {
    fn enter(&self) {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
    }
    fn leave(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }
    fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

/// A feed server on `127.0.0.<host>` answering any `/c/<n>.xml` with a one-item feed after
/// [`HOLD`], counting into its own gauge and into the gauge shared by every host.
struct CountingHost {
    addr: SocketAddr,
    gauge: Arc<Gauge>,
}

impl CountingHost {
    fn start(host: u8, all_hosts: Arc<Gauge>) -> CountingHost {
        let listener = std::net::TcpListener::bind((Ipv4Addr::new(127, 0, 0, host), 0)).unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let gauge = Arc::new(Gauge::default());
        let mine = gauge.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
                    let (mine, all_hosts) = (mine.clone(), all_hosts.clone());
                    async move {
                        mine.enter();
                        all_hosts.enter();
                        tokio::time::sleep(HOLD).await;
                        mine.leave();
                        all_hosts.leave();
                        one_item_feed(uri.path())
                    }
                });
                axum::serve(listener, app).await.unwrap();
            });
        });
        CountingHost { addr, gauge }
    }
}

fn one_item_feed(path: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{path}</title><item>\
         <title>Episode of {path}</title><guid>{path}</guid>\
         <pubDate>Mon, 24 Nov 2025 10:00:00 GMT</pubDate></item></channel></rss>"
    )
}

/// Syncs `channels` channels spread round-robin over `hosts`, under the given `[fetch]` limits.
fn sync_over(hosts: &[CountingHost], channels: usize, per_host: usize, total: usize) {
    let app = App::new();
    app.config("");
    let fetch = format!("timeout_secs = 10\nconcurrency = {per_host}\nmax_connections = {total}");
    let mut config = SITE.replace("timeout_secs = 2", &fetch);
    for n in 0..channels {
        let host = &hosts[n % hosts.len()];
        config.push_str(&format!(
            "\n[[channels]]\nid = \"c{n}\"\nname = \"C{n}\"\nfeed = \"http://{}/c/{n}.xml\"\n",
            host.addr
        ));
    }
    std::fs::write(app.path("config/syndicator.toml"), config).unwrap();
    app.sync_expecting(0);
    assert_eq!(app.stubs().len(), channels, "every channel's episode got its stub");
}

#[test]
fn one_host_never_sees_more_than_its_per_host_limit() {
    let all = Arc::new(Gauge::default());
    let hosts = [CountingHost::start(1, all.clone())];
    sync_over(&hosts, 12, 3, 64);
    assert_eq!(hosts[0].gauge.peak(), 3, "one host: up to, and never past, `concurrency`");
}

#[test]
fn many_hosts_go_wider_than_one_each_within_its_limit_and_all_within_the_total() {
    let all = Arc::new(Gauge::default());
    let hosts: Vec<CountingHost> = (2..=5).map(|host| CountingHost::start(host, all.clone())).collect();
    sync_over(&hosts, 24, 3, 8);
    for host in &hosts {
        assert!(host.gauge.peak() <= 3, "{}: {} at once, over the per-host 3", host.addr, host.gauge.peak());
    }
    assert!(all.peak() > 3, "four hosts went wider than one host may ({} at once)", all.peak());
    assert!(all.peak() <= 8, "{} at once, over max_connections = 8", all.peak());
}
