//! Hostile upstreams (issue 6): servers that never answer, trickle, never stop, inflate a gzip
//! bomb, loop redirects or refuse connections; rate limits with and without `Retry-After`;
//! a YouTube 404. Each failure is named by channel, platform and cause, the other channel is
//! processed, the sync exits 2 within the timeout, and backoff honours the server.

use std::io::Write as _;
use std::process::Stdio;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use flate2::{Compression, write::GzEncoder};
use syndicator::model::Platform;
use syndicator::store::Store;

use super::app::{App, Run, fixture};
use super::faults::{assert_failure_at, with_broken_channel};
use super::hostile_server::{self as server, Hostile};
use super::sync::{MLST, mlst_app};
use super::upstream::Route;

/// Generous: the timeout is 2 s, the machine may be slow and loaded.
const SYNC_BOUND: Duration = Duration::from_secs(20);

/// A good channel beside a `broken` one served by `hostile`.
fn hostile_app(hostile: &Hostile, fetch: &str) -> App {
    with_broken_channel(App::new(), &hostile.url("/broken.xml"), fetch)
}

/// Asserts an isolated failure naming `cause`, within [`SYNC_BOUND`].
fn assert_bounded_failure(app: &App, url: &str, cause: &str) {
    let started = Instant::now();
    assert_failure_at(app, url, cause);
    assert!(started.elapsed() < SYNC_BOUND, "took {:?}", started.elapsed());
}

#[test]
fn a_server_that_never_sends_headers_times_out() {
    let hostile = Hostile::start(server::silent);
    assert_bounded_failure(&hostile_app(&hostile, ""), &hostile.url("/broken.xml"), "timed out after 2 s");
}

#[test]
fn a_body_trickling_a_byte_a_second_times_out() {
    let hostile = Hostile::start(server::trickle);
    assert_bounded_failure(&hostile_app(&hostile, ""), &hostile.url("/broken.xml"), "timed out after 2 s");
}

#[test]
fn an_endless_body_stops_at_the_limit() {
    let hostile = Hostile::start(server::endless);
    let app = hostile_app(&hostile, "max_body_bytes = 1048576");
    assert_bounded_failure(&app, &hostile.url("/broken.xml"), "larger than the limit of 1048576 bytes");
}

#[test]
fn a_redirect_loop_is_cut_off() {
    let hostile = Hostile::start(server::respond(302, &[("Location", "/broken.xml")], Vec::new()));
    assert_bounded_failure(&hostile_app(&hostile, ""), &hostile.url("/broken.xml"), "redirected more than 5");
    assert!(hostile.requests() <= 6, "{} requests", hostile.requests());
}

#[test]
fn a_refused_connection_fails_only_its_source() {
    let url = server::closed_port_url();
    assert_bounded_failure(&with_broken_channel(App::new(), &url, ""), &url, "failed to connect");
}

#[test]
fn a_gzip_bomb_stops_at_the_limit_in_bounded_memory() {
    const INFLATED: u64 = 256 << 20;
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..INFLATED >> 20 {
        encoder.write_all(&zeros).unwrap();
    }
    let bomb = encoder.finish().unwrap();
    assert!(bomb.len() as u64 * 200 < INFLATED, "small on the wire: {} bytes", bomb.len());
    let headers = [("Content-Encoding", "gzip"), ("Content-Type", "application/xml")];
    let hostile = Hostile::start(server::respond(200, &headers, bomb));
    let app = hostile_app(&hostile, "max_body_bytes = 4194304");
    let started = Instant::now();
    let (run, peak_kib) = run_measuring_peak_rss(&app, &["sync"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("larger than the limit of 4194304 bytes"), "{}", run.stderr);
    assert!(started.elapsed() < SYNC_BOUND, "took {:?}", started.elapsed());
    assert!(peak_kib * 1024 < INFLATED / 2, "peak RSS {peak_kib} KiB: the bomb was inflated");
    eprintln!("gzip bomb: peak RSS {peak_kib} KiB");
}

/// Runs the binary and samples its peak resident set (`VmHWM`, KiB) until it exits; 0 where
/// `/proc` is unavailable.
fn run_measuring_peak_rss(app: &App, args: &[&str]) -> (Run, u64) {
    let mut child = app.command(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        let text = std::fs::read_to_string(&status).unwrap_or_default();
        let hwm =
            text.lines().find_map(|l| l.strip_prefix("VmHWM:")).map(|v| v.trim_end_matches("kB").trim());
        peak = peak.max(hwm.and_then(|v| v.parse().ok()).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(5));
    }
    (child.wait_with_output().unwrap().into(), peak)
}

/// The `next try` time `status` shows for the one source backing off.
fn next_try(app: &App) -> DateTime<Utc> {
    let status = app.run(&["status"]);
    let line = status.stdout.lines().find(|l| l.contains("backing off:"));
    let line = line.unwrap_or_else(|| panic!("no backoff in status: {}", status.stdout));
    line.rsplit(' ').next().unwrap().parse().unwrap()
}

/// A `broken` channel answering `status` with `headers`: fails, backs off until about
/// `expected` after the first sync, and is not asked again by a second sync right away.
fn assert_backs_off(status: u16, headers: &[(&str, &str)], expected: std::ops::Range<i64>) {
    let hostile = Hostile::start(server::respond(status, headers, b"go away".to_vec()));
    let app = hostile_app(&hostile, "");
    let before = Utc::now();
    assert_failure_at(&app, &hostile.url("/broken.xml"), &status.to_string());
    let wait = (next_try(&app) - before).num_seconds();
    assert!(expected.contains(&wait), "next try in {wait} s, expected {expected:?}");
    let again = app.sync_expecting(2);
    assert!(again.stderr.contains("backing off until"), "{}", again.stderr);
    assert_eq!(hostile.requests(), 1, "not polled again before the backoff ends");
}

#[test]
fn a_429_with_retry_after_in_seconds_is_honoured() {
    assert_backs_off(429, &[("Retry-After", "3600")], 3590..3610);
}

#[test]
fn a_429_with_retry_after_as_an_http_date_is_honoured() {
    let date = (Utc::now() + chrono::Duration::hours(2)).format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    assert_backs_off(429, &[("Retry-After", &date)], 7190..7210);
}

#[test]
fn a_429_or_403_without_retry_after_backs_off_exponentially() {
    assert_backs_off(429, &[], 25..65);
    assert_backs_off(403, &[], 25..65);
}

/// Ends the backoff of `channel`'s `platform` source at `url` now, keeping its failure count
/// and validators, as if its time had passed.
fn expire_backoff(app: &App, channel: &str, platform: Platform, url: &str) {
    let store = Store::open(&app.path("state/syndicator.db")).unwrap();
    let mut state = store.source_state(channel, platform, url).unwrap();
    assert!(state.failures > 0 && state.retry_at.is_some(), "{state:?}");
    state.retry_at = Some(Utc::now() - chrono::Duration::seconds(1));
    store.put_source_state(channel, platform, url, &state).unwrap();
    store.flush().unwrap();
}

/// `sync`, retried while sled still holds the lock of this process's dropped store handle.
fn sync_when_store_free(app: &App, code: i32) -> Run {
    for _ in 0..200 {
        let run = app.run(&["sync"]);
        if !(run.code == 1 && run.stderr.contains("in use")) {
            assert_eq!(run.code, code, "{}", run.stderr);
            return run;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("the store stayed locked");
}

#[test]
fn a_failing_source_is_polled_again_once_its_backoff_ends() {
    let app = App::new();
    app.upstream.set("/broken.xml", Route::status(500));
    let url = app.upstream.url("/broken.xml");
    let app = with_broken_channel(app, &url, "");
    app.sync_expecting(2);
    app.upstream.set("/broken.xml", Route::xml(fixture("blog-rss.xml")));
    expire_backoff(&app, "broken", Platform::Feed, &url);
    sync_when_store_free(&app, 0);
    assert_eq!(app.upstream.seen("/broken.xml").len(), 2);
    let status = app.run(&["status"]);
    assert!(!status.stdout.contains("backing off"), "failures reset: {}", status.stdout);
}

#[test]
fn a_youtube_404_is_transient_and_drops_nothing() {
    let app = mlst_app(MLST);
    app.sync_expecting(0);
    let before = app.stubs();
    app.upstream.set("/youtube.xml", Route::status(404));
    let run = app.sync_expecting(2);
    assert!(run.stderr.contains("mlst youtube:") && run.stderr.contains("404"), "{}", run.stderr);
    let status = app.run(&["status"]);
    assert!(status.stdout.contains("episodes:      4"), "no episode dropped: {}", status.stdout);
    app.upstream.set("/youtube.xml", Route::xml(fixture("youtube.xml")));
    expire_backoff(&app, "mlst", Platform::Youtube, &app.upstream.url("/youtube.xml"));
    sync_when_store_free(&app, 0);
    assert_eq!(app.stubs(), before, "no new stub, none touched");
    let status = app.run(&["status"]);
    assert!(status.stdout.contains("episodes:      4"), "{}", status.stdout);
}
