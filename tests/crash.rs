//! Crash safety (issues 6 and 10): `syndicator sync` is SIGKILLed at pseudo-random moments,
//! many times over, then one run finishes. That run must exit 0 (a store the kills left
//! damaged is recovered automatically, with one warning); every episode must have exactly
//! one stub, no stub may be truncated, no temporary file or unfinished sled snapshot may be
//! left, and the store must then open cleanly; a deleted store must lead to no duplicates.
//! The same holds for page bundles (`bundles = true`): no half-written bundle, no staging
//! folder left, exactly one complete `index.md` per episode.
//!
//! To run it in a loop for thousands of kills (see `RELIABILITY.md`): `CRASH_KILLS` (25),
//! `CRASH_SEED` (0) and `CRASH_MAX_DELAY_MS` (half a full first sync) override the
//! parameters, and `CRASH_BIN` runs another build of the binary under the same test.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const ITEMS: usize = 40;

/// A test parameter, overridable by the environment variable `name` so the test can be run
/// in a loop for thousands of kills without editing it (see `RELIABILITY.md`).
fn parameter(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// An RSS feed of [`ITEMS`] podcast episodes, one a day.
fn feed() -> String {
    let items: String = (0..ITEMS)
        .map(|n| {
            format!(
                "<item><guid>ep-{n}</guid><title>Episode {n}: talk number {n}</title>\
                 <pubDate>{:02} Oct 2025 10:00:00 GMT</pubDate><description>Notes {n}</description>\
                 <enclosure url=\"https://cdn.test/{n}.mp3\" type=\"audio/mpeg\" length=\"1\"/></item>",
                n % 28 + 1
            )
        })
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Show</title>{items}</channel></rss>")
}

/// Serves `body` to every request on 127.0.0.1 from a background thread; returns the URL.
fn serve(body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/feed.xml", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let head =
                format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body.as_bytes()));
        }
    });
    url
}

fn syndicator(dir: &Path, args: &[&str]) -> Command {
    // `CRASH_BIN` runs another build (e.g. an older one, to measure a change) under the same test.
    let binary = std::env::var_os("CRASH_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_syndicator").into());
    let mut command = Command::new(binary);
    command.args(args).current_dir(dir).env("RUST_LOG", "warn").stdout(Stdio::null()).stderr(Stdio::null());
    command
}

/// xorshift64: the delays are the same on every run.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// Every stub by `syndicator_id`, asserting each parses: front matter closes, body follows.
fn stubs_by_id(posts: &Path) -> BTreeMap<String, Vec<String>> {
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(posts).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with(".syndicator-"), "temporary file or staging folder left: {name}");
        let path = posts.join(&name);
        let file = if path.is_dir() { path.join("index.md") } else { path };
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let (front, body) = text.strip_prefix("---\n").and_then(|t| t.split_once("\n---\n")).expect(&name);
        assert!(body.contains("Notes "), "{name} is truncated: {text}");
        let id = front.lines().find_map(|l| l.strip_prefix("syndicator_id: ")).expect(&name);
        ids.entry(id.trim_matches('"').to_owned()).or_default().push(name);
    }
    ids
}

fn assert_one_stub_per_episode(posts: &Path) -> BTreeMap<String, Vec<String>> {
    let ids = stubs_by_id(posts);
    assert_eq!(ids.len(), ITEMS, "one stub per episode: {ids:?}");
    assert!(ids.values().all(|names| names.len() == 1), "duplicates: {ids:?}");
    ids
}

/// The files of a folder with their sizes, to tell what a failed run left behind.
fn listing(dir: &Path) -> Vec<(String, u64)> {
    let entries = std::fs::read_dir(dir).into_iter().flatten().flatten();
    entries
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.metadata().map_or(0, |m| m.len())))
        .collect()
}

/// Writes a config following `url` into `dir`, with page bundles if `bundles`.
fn configure(dir: &Path, url: &str, bundles: bool) {
    let config = format!(
        "[site]\nroot = \"site\"\ntitle = \"T\"\nbase_url = \"https://b.test/\"\nbundles = {bundles}\n\
         [store]\npath = \"state/db\"\n[fetch]\ntimeout_secs = 5\n\
         [[channels]]\nid = \"show\"\nname = \"Show\"\nbackfill = 100\nfeed = \"{url}\"\n"
    );
    std::fs::write(dir.join("syndicator.toml"), config).unwrap();
    std::fs::create_dir_all(dir.join("site")).unwrap();
    std::fs::write(dir.join("site/hugo.toml"), "title = \"T\"\n").unwrap();
}

const SYNC: [&str; 3] = ["--config", "syndicator.toml", "sync"];

/// Half of how long one full first sync takes here, in ms: kills are spread over that time
/// (later runs have less to do, so they end sooner).
fn full_run_ms(url: &str) -> u64 {
    let scratch = tempfile::tempdir().unwrap();
    configure(scratch.path(), url, false);
    let started = std::time::Instant::now();
    assert!(syndicator(scratch.path(), &SYNC).status().unwrap().success());
    started.elapsed().as_millis() as u64 / 2 + 1
}

/// SIGKILLs `kills` syncs in `dir`, each after a pseudo-random delay below `max_delay_ms`
/// drawn from `seed`; returns how many were still running when killed.
fn kill_syncs(dir: &Path, kills: u64, seed: u64, max_delay_ms: u64) -> u64 {
    let mut mid_run = 0;
    for iteration in 1..=kills {
        let mut state = (iteration + seed * kills).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let delay = next(&mut state) % max_delay_ms;
        let mut child = syndicator(dir, &SYNC).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        if child.try_wait().unwrap().is_none() {
            mid_run += 1;
        }
        let _ = child.kill();
        child.wait().unwrap();
    }
    mid_run
}

/// The clean run after the kills: it exits 0 whatever the kills left, recovering a damaged
/// store on its own (with one warning naming where the old one went), and leaves no
/// unfinished sled snapshot; `status` then opens the store without any warning.
fn finish_cleanly(dir: &Path) {
    let finish = syndicator(dir, &SYNC).stderr(Stdio::piped()).output().unwrap();
    let log = String::from_utf8_lossy(&finish.stderr);
    let store = listing(&dir.join("state/db"));
    assert!(finish.status.success(), "the run after the kills: {}: {log}\nstore: {store:?}", finish.status);
    if log.contains("could not be used") {
        eprintln!("the store was recovered automatically: {log}");
        assert!(log.contains("moved aside to"), "{log}");
    }
    assert!(store.iter().all(|(name, _)| !name.ends_with(".generating")), "unfinished snapshot: {store:?}");
    let status =
        syndicator(dir, &["--config", "syndicator.toml", "status"]).stderr(Stdio::piped()).output().unwrap();
    let said = String::from_utf8_lossy(&status.stderr);
    assert!(status.status.success() && !said.contains("WARN"), "the store opens cleanly: {said}");
}

#[test]
fn sigkilled_syncs_leave_exactly_one_stub_per_episode() {
    sigkilled_syncs(false);
}

#[test]
fn sigkilled_syncs_leave_exactly_one_complete_bundle_per_episode() {
    sigkilled_syncs(true);
}

fn sigkilled_syncs(bundles: bool) {
    let url = serve(feed());
    let dir = tempfile::tempdir().unwrap();
    configure(dir.path(), &url, bundles);
    let kills = parameter("CRASH_KILLS", 25);
    let seed = parameter("CRASH_SEED", 0);
    let max_delay_ms = match parameter("CRASH_MAX_DELAY_MS", 0) {
        0 => full_run_ms(&url),
        early => early,
    };
    let mid_run = kill_syncs(dir.path(), kills, seed, max_delay_ms);
    eprintln!("{mid_run} of {kills} kills hit a running sync (delays up to {max_delay_ms} ms, seed {seed})");
    finish_cleanly(dir.path());
    let posts = dir.path().join("site/content/posts");
    let before = assert_one_stub_per_episode(&posts);

    std::fs::remove_dir_all(dir.path().join("state")).unwrap();
    assert!(syndicator(dir.path(), &SYNC).status().unwrap().success());
    assert_eq!(assert_one_stub_per_episode(&posts), before, "a deleted store leads to no duplicates");
}
