//! `syndicator serve` as a process: schedules that fire, feeds served with validators and
//! compression, the locked admin API, health and metrics, signals, and `sync` beside it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, LAST_MODIFIED,
};

use super::app::{App, fixture};
use super::upstream::Route;

pub const TOKEN: &str = "test-admin-token-1234";

const SERVE: &str = r#"
[schedule]
default = "* * * * * *"
jitter_secs = 0

[server]
listen = "127.0.0.1:0"

[[channels]]
id = "mlst"
name = "Machine Learning Street Talk"
backfill = 10
podcast = "{upstream}/podcast.xml"
"#;

/// A running `syndicator serve`, killed on drop.
pub struct Serve {
    child: Child,
    base: String,
    stderr: Arc<Mutex<String>>,
}

impl Serve {
    pub fn start(app: &App, env: &[(&str, &str)]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_syndicator"))
            .arg("serve")
            .current_dir(app.dir.path())
            .env_remove("SYNDICATOR_ADMIN_TOKEN")
            .env("RUST_LOG", "info")
            .envs(env.iter().copied())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let mut serve = Serve { child, base: String::new(), stderr };
        let line = serve.wait_for_log("listening on http://");
        serve.base = line.split("listening on ").nth(1).unwrap().trim().to_owned();
        serve
    }

    pub fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits (up to 15 s) for a log line containing `needle` and returns it.
    pub fn wait_for_log(&self, needle: &str) -> String {
        wait_until(|| self.log().lines().find(|l| l.contains(needle)).map(str::to_owned))
            .unwrap_or_else(|| panic!("no log line with {needle:?}:\n{}", self.log()))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn signal(&self, name: &str) {
        let status = Command::new("kill").args([&format!("-{name}"), &self.child.id().to_string()]).status();
        assert!(status.unwrap().success());
    }

    /// Sends SIGTERM and returns the exit code and how long it took.
    pub fn stop(mut self) -> (i32, Duration) {
        let started = Instant::now();
        self.signal("TERM");
        let code = self.child.wait().unwrap().code().unwrap_or(-1);
        (code, started.elapsed())
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `check` every 50 ms for up to 15 s.
/// How long a test waits for something the service does on its own (a first run, a log line,
/// a hub's verification): generous, since the machine may be loaded; a passing test returns as
/// soon as it sees it. Waiting bounds only, never a speed requirement.
pub(super) const PATIENCE: Duration = Duration::from_secs(60);

pub(super) fn wait_until<T>(mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        if let Some(value) = check() {
            return Some(value);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

/// Sends `GET <path>` byte for byte (no URL normalisation) and returns the raw response.
fn raw_get(serve: &Serve, path: &str) -> String {
    raw_request(serve, &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
}

/// Sends `request` as is and returns whatever comes back before the server closes.
fn raw_request(serve: &Serve, request: &str) -> String {
    use std::io::{Read, Write};
    let address = serve.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let _ = stream.write_all(request.as_bytes());
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

pub fn app() -> App {
    let app = App::new();
    app.upstream.set("/podcast.xml", Route::xml(fixture("podcast.xml")).with_etag("v1"));
    app.config(SERVE);
    app
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().gzip(false).brotli(false).build().unwrap()
}

/// The item count of the served channels feed, once it has `at_least` items.
async fn feed_with(serve: &Serve, at_least: usize) -> (usize, String) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let response = client().get(serve.url("/sources/feed.xml")).send().await.unwrap();
        let etag = response.headers()[ETAG].to_str().unwrap().to_owned();
        let count = rss::Channel::read_from(&response.bytes().await.unwrap()[..]).unwrap().items().len();
        if count >= at_least || Instant::now() > deadline {
            return (count, etag);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn schedules_fire_and_new_episodes_reach_stubs_and_the_served_feed() {
    let app = app();
    let serve = Serve::start(&app, &[]);
    let (count, first_etag) = feed_with(&serve, 4).await;
    assert_eq!(count, 4, "{}", serve.log());
    assert_eq!(app.stubs().len(), 4);
    assert!(
        wait_until(|| (app.upstream.seen("/podcast.xml").len() >= 3).then_some(())).is_some(),
        "fires repeatedly"
    );
    let newer = String::from_utf8(fixture("podcast.xml")).unwrap().replacen(
        "<item>",
        "<item><title>A Brand New Episode</title><guid>new-guid-1</guid>\
         <pubDate>Fri, 28 Nov 2025 10:00:00 GMT</pubDate><description>new</description></item><item>",
        1,
    );
    app.upstream.set("/podcast.xml", Route::xml(newer).with_etag("v2"));
    let (count, etag) = feed_with(&serve, 5).await;
    assert_eq!(count, 5, "{}", serve.log());
    assert_ne!(etag, first_etag, "a changed feed gets a new ETag");
    assert!(app.stubs().iter().any(|(_, text)| text.contains("A Brand New Episode")));
    let (code, _) = serve.stop();
    assert_eq!(code, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn feeds_are_served_with_validators_compression_and_head() {
    let app = app();
    let serve = Serve::start(&app, &[]);
    feed_with(&serve, 4).await;
    let response = client().get(serve.url("/atom.xml")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/atom+xml; charset=utf-8");
    assert_eq!(response.headers()["cache-control"], "public, max-age=300");
    let etag = response.headers()[ETAG].clone();
    let again = client().get(serve.url("/atom.xml")).header(IF_NONE_MATCH, etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
    let head = client().head(serve.url("/feed.json")).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()[CONTENT_TYPE], "application/feed+json; charset=utf-8");
    let gzip =
        client().get(serve.url("/sources/feed.xml")).header(ACCEPT_ENCODING, "gzip").send().await.unwrap();
    assert_eq!(gzip.headers()[CONTENT_ENCODING], "gzip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&gzip.bytes().await.unwrap()[..]),
        &mut xml,
    )
    .unwrap();
    assert!(xml.contains("<rss"));
    for path in ["/nope.xml", "/../Cargo.toml", "/sources/../feed.xml", "/%2e%2e/config/syndicator.toml"] {
        assert!(raw_get(&serve, path).starts_with("HTTP/1.1 404"), "{path}");
    }
    let index = client().get(serve.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(index.contains("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/atom.xml\">"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_admin_api_is_off_without_a_token_and_locked_with_one() {
    let app = app();
    let off = Serve::start(&app, &[]);
    let status = client().get(off.url("/api/status")).bearer_auth(TOKEN).send().await.unwrap().status();
    assert_eq!(status, StatusCode::NOT_FOUND, "never open");
    drop(off);
    let serve = Serve::start(&app, &[("SYNDICATOR_ADMIN_TOKEN", TOKEN)]);
    let get = |auth: Option<&'static str>| {
        let request = client().get(serve.url("/api/status"));
        let request = match auth {
            Some(value) => request.header(AUTHORIZATION, value),
            None => request,
        };
        async move { request.send().await.unwrap() }
    };
    assert_eq!(get(None).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(get(Some("Bearer wrong")).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(get(Some("bearer test-admin-token-1234")).await.status(), StatusCode::OK, "any case");
    let ok = get(Some("Bearer test-admin-token-1234")).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let status: serde_json::Value = serde_json::from_slice(&ok.bytes().await.unwrap()).unwrap();
    assert_eq!(status["channels"][0]["id"], "mlst");
    assert!(status["channels"][0]["next_run"].is_string());
    let sync = client().post(serve.url("/api/sync?channel=mlst")).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(sync.status(), StatusCode::ACCEPTED);
    let unknown = client().post(serve.url("/api/sync?channel=nope")).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert!(!serve.log().contains(TOKEN), "the token is never logged");
}

#[tokio::test(flavor = "multi_thread")]
async fn health_metrics_and_the_healthcheck_command() {
    let app = app();
    let config = std::fs::read_to_string(app.path("config/syndicator.toml")).unwrap();
    let serve = Serve::start(&app, &[]);
    feed_with(&serve, 4).await;
    assert_eq!(client().get(serve.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
    client().get(serve.url("/feed.xml")).send().await.unwrap();
    let metrics = client().get(serve.url("/metrics")).send().await.unwrap().text().await.unwrap();
    for name in [
        "syndicator_polls_total{channel=\"mlst\",result=\"ok\"}",
        "syndicator_episodes_total 4",
        "syndicator_stubs_written_total 4",
        "syndicator_fetch_duration_seconds_count",
        "syndicator_feed_requests_total{path=\"/feed.xml\",status=\"200\"} 1",
    ] {
        assert!(metrics.contains(name), "{name} in\n{metrics}");
    }
    let port = serve.base.rsplit(':').next().unwrap();
    std::fs::write(
        app.path("config/syndicator.toml"),
        // Every interface, as in a container (loopback only fails the check there).
        config.replace("127.0.0.1:0", &format!("0.0.0.0:{port}")),
    )
    .unwrap();
    let check = app.run(&["healthcheck"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    // Proxy variables are for upstreams: a dead proxy does not make the local server unhealthy.
    let dead_proxy = "http://127.0.0.1:9";
    let proxied = app.run_with_env(
        &["healthcheck"],
        &[("HTTP_PROXY", dead_proxy), ("http_proxy", dead_proxy), ("ALL_PROXY", dead_proxy)],
    );
    assert_eq!(proxied.code, 0, "{}", proxied.stderr);
}

/// `/healthz` until its status and body satisfy `done` (up to 15 s): (status, body).
pub(super) async fn health_until(
    serve: &Serve,
    done: impl Fn(StatusCode, &str) -> bool,
) -> (StatusCode, String) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let response = client().get(serve.url("/healthz")).send().await.unwrap();
        let (status, body) = (response.status(), response.text().await.unwrap());
        if done(status, &body) || Instant::now() > deadline {
            return (status, body);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn healthz_is_503_with_the_reason_while_the_feeds_cannot_be_rebuilt() {
    let app = app();
    let serve = Serve::start(&app, &[("SYNDICATOR_ADMIN_TOKEN", TOKEN)]);
    feed_with(&serve, 4).await;
    assert_eq!(client().get(serve.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
    let sources = app.path("site/static/sources");
    std::fs::remove_dir_all(&sources).unwrap();
    std::fs::write(&sources, "a file where the feeds' folder should be").unwrap();
    let (status, body) = health_until(&serve, |status, _| status != StatusCode::OK).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{}", serve.log());
    assert!(body.contains("cannot write the feed") && body.contains("sources"), "{body}");
    let response = client().get(serve.url("/api/status")).bearer_auth(TOKEN).send().await.unwrap();
    let report: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert!(report["feeds_error"].as_str().unwrap().contains("cannot write the feed"), "{report}");
    assert_eq!(feed_with(&serve, 4).await.0, 4, "the last good feeds are still served");
    std::fs::remove_file(&sources).unwrap();
    let (status, body) = health_until(&serve, |status, _| status == StatusCode::OK).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok\n"), "recovers once a rebuild succeeds");
}

#[tokio::test(flavor = "multi_thread")]
async fn last_modified_is_stable_across_restarts_for_unchanged_bytes() {
    let app = app();
    let last_modified = |serve: &Serve| {
        let url = serve.url("/feed.xml");
        async move {
            let response = client().get(url).send().await.unwrap();
            let etag = response.headers()[ETAG].to_str().unwrap().to_owned();
            (response.headers()[LAST_MODIFIED].to_str().unwrap().to_owned(), etag)
        }
    };
    let first = Serve::start(&app, &[]);
    feed_with(&first, 4).await;
    let before = last_modified(&first).await;
    assert_eq!(first.stop().0, 0);
    std::thread::sleep(Duration::from_millis(1100));
    let second = Serve::start(&app, &[]);
    feed_with(&second, 4).await;
    assert_eq!(last_modified(&second).await, before, "same bytes, same ETag and Last-Modified");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_stops_it_cleanly_and_quickly() {
    let app = app();
    let serve = Serve::start(&app, &[]);
    feed_with(&serve, 4).await;
    let (code, took) = serve.stop();
    assert_eq!(code, 0);
    assert!(took < Duration::from_secs(10), "took {took:?}");
    let status = app.run(&["status"]);
    assert_eq!(status.code, 0, "the store opens cleanly: {}", status.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn sighup_reloads_a_valid_config_and_keeps_the_running_one_otherwise() {
    let app = app();
    let serve = Serve::start(&app, &[("SYNDICATOR_ADMIN_TOKEN", TOKEN)]);
    feed_with(&serve, 4).await;
    let path = app.path("config/syndicator.toml");
    let config = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, config.replace("jitter_secs = 0", "jitter_secs = \"soon\"")).unwrap();
    serve.signal("HUP");
    serve.wait_for_log("config not reloaded");
    let renamed = config.replace("name = \"Machine Learning Street Talk\"", "name = \"MLST Renamed\"");
    std::fs::write(&path, renamed).unwrap();
    serve.signal("HUP");
    serve.wait_for_log("config reloaded");
    let response = client().get(serve.url("/api/status")).bearer_auth(TOKEN).send().await.unwrap();
    let status: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(status["channels"][0]["name"], "MLST Renamed");
    let health = client().get(serve.url("/healthz")).send().await.unwrap().status();
    assert_eq!(health, StatusCode::OK, "the scheduler runs again after a reload");
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_beside_a_running_serve_says_what_is_going_on() {
    let app = app();
    let serve = Serve::start(&app, &[]);
    feed_with(&serve, 4).await;
    let run = app.run(&["sync"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("in use by another syndicator process"), "{}", run.stderr);
    assert!(run.stderr.contains("POST /api/sync"), "{}", run.stderr);
    assert_eq!(app.stubs().len(), 4, "nothing corrupted");
    let state: Vec<_> =
        std::fs::read_dir(app.path("state")).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(!state.iter().any(|n| n.to_string_lossy().contains(".corrupt-")), "never moved aside: {state:?}");
    drop(serve);
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_request_heads_are_refused() {
    let app = app();
    let serve = Serve::start(&app, &[]);
    let huge = format!("/feed.xml?{}", "a".repeat(20 * 1024));
    let response = raw_get(&serve, &huge);
    assert!(
        response.is_empty() || response.starts_with("HTTP/1.1 431"),
        "{}",
        &response[..response.len().min(80)]
    );
    let many_headers: String = (0..100).map(|i| format!("X-H{i}: v\r\n")).collect();
    let response = raw_request(&serve, &format!("GET /feed.xml HTTP/1.1\r\nHost: x\r\n{many_headers}\r\n"));
    assert!(
        response.is_empty() || response.starts_with("HTTP/1.1 431"),
        "{}",
        &response[..response.len().min(80)]
    );
    assert!(raw_get(&serve, "/feed.xml").starts_with("HTTP/1.1 200"), "still serving");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_client_is_cut_off_after_the_header_timeout() {
    use std::io::{Read, Write};
    let app = app();
    let serve = Serve::start(&app, &[]);
    let mut slow = std::net::TcpStream::connect(serve.base.trim_start_matches("http://")).unwrap();
    slow.write_all(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n").unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(9) && waited < Duration::from_secs(19), "closed after {waited:?}");
    assert!(raw_get(&serve, "/feed.xml").starts_with("HTTP/1.1 200"), "others are served meanwhile");
}

#[tokio::test(flavor = "multi_thread")]
async fn feeds_keep_being_served_while_syncs_run() {
    let app = app();
    let serve = Serve::start(&app, &[("SYNDICATOR_ADMIN_TOKEN", TOKEN)]);
    feed_with(&serve, 4).await;
    let client = reqwest::Client::new();
    let mut workers = Vec::new();
    for worker in 0..8 {
        let (client, url) =
            (client.clone(), serve.url(if worker % 2 == 0 { "/feed.xml" } else { "/sources/atom.xml" }));
        workers.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for _ in 0..150 {
                statuses.push(client.get(&url).send().await.map(|r| r.status().as_u16()).unwrap_or(0));
            }
            statuses
        }));
    }
    for _ in 0..5 {
        let sync = client.post(serve.url("/api/sync")).bearer_auth(TOKEN).send().await.unwrap();
        assert_eq!(sync.status(), StatusCode::ACCEPTED);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut served = 0;
    for worker in workers {
        let statuses = worker.await.unwrap();
        assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
        served += statuses.len();
    }
    assert_eq!(served, 1200);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_channel_is_polled_once_at_start_up() {
    let app = app();
    let config = std::fs::read_to_string(app.path("config/syndicator.toml")).unwrap();
    let daily = config.replace("default = \"* * * * * *\"", "default = \"0 0 4 * * *\"");
    std::fs::write(app.path("config/syndicator.toml"), daily).unwrap();
    let serve = Serve::start(&app, &[]);
    let (count, _) = feed_with(&serve, 4).await;
    assert_eq!(count, 4, "polled at start-up, not at 04:00: {}", serve.log());
    assert_eq!(app.upstream.seen("/podcast.xml").len(), 1);
}
