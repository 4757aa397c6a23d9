//! What a sync that finds nothing new cannot avoid spending (issue 17, target 2: a warm
//! `sync` of 1,000 channels in ≤ 0.15 s of CPU): the pieces a warm sync is made of, each done
//! with bare library calls in a fresh process, next to nothing at all. The store is written
//! the way a cold sync of 1,000 channels × 50 podcast episodes writes it; a second process
//! of this bench (`warm_floor server`) answers every request with `304 Not Modified`, as a
//! feed server answers a conditional request when nothing changed.
//!
//! Cases, each in a child process (this bench binary run again) that reports its own CPU time
//! (user + system, every thread, from its start to its end, as `/usr/bin/time` counts a sync):
//! - nothing: the process's floor;
//! - `Store::open` right after the writes (sled replays the log of the whole cold write and
//!   writes its snapshot: what the first warm sync after a cold one pays), measured once;
//! - `Store::open` later (sled replays the log since the previous open);
//! - `Store::open`, then recording 1,000 polls as a sync does (read and write each channel's
//!   source state and summary), then a flush;
//! - 1,000 conditional GETs with `reqwest` on one kept-alive host, at most 8 in flight;
//! - both: the floor of a warm sync, which on top of it only reads its config and compares.
//!
//!   cargo bench --bench warm_floor [-- ROUNDS]

mod common;

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::Utc;
use futures_util::StreamExt as _;
use syndicator::model::Platform;
use syndicator::store::Store;

const CHANNELS: usize = 1_000;
const PER_CHANNEL: usize = 50;
/// The default `[fetch] per_host` limit.
const IN_FLIGHT: usize = 8;

/// What a child process does before it reports its CPU time; `port` is the server's.
type Case = fn(&Path, u16);

const CASES: [(&str, Case); 5] = [
    ("nothing (the process's floor)", |_, _| {}),
    ("Store::open", |path, _| drop(Store::open(path).expect("the store opens"))),
    ("Store::open + record 1,000 polls + flush", |path, _| record_polls(path)),
    ("1,000 conditional GETs (reqwest, 304)", |_, port| conditional_gets(port)),
    ("both: a warm sync's floor", |path, port| {
        record_polls(path);
        conditional_gets(port);
    }),
];
/// The case measured first, right after the writes.
const STORE_OPEN: usize = 1;

fn feed_url(port: u16, channel: usize) -> String {
    format!("http://127.0.0.1:{port}/c/{channel}.xml")
}

/// Reads and writes back each channel's source state and summary, as a sync records a poll.
fn record_polls(path: &Path) {
    let store = Store::open(path).expect("the store opens");
    let now = Utc::now();
    for channel in (0..CHANNELS).map(|c| format!("c{c}")) {
        let url = format!("https://example.com/{channel}.xml");
        let state = store.source_state(&channel, Platform::Podcast, &url).expect("a source state");
        store.put_source_state(&channel, Platform::Podcast, &url, &state).expect("recorded");
        let mut summary = store.channel_state(&channel).expect("a summary");
        summary.last_poll = Some(now);
        store.put_channel_state(&channel, &summary).expect("recorded");
    }
    store.flush().expect("flushed");
}

/// Asks for every channel's feed with a validator, on a current-thread runtime as `sync` does.
fn conditional_gets(port: u16) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("a client");
    runtime.block_on(async {
        let get = |channel| {
            let request = client.get(feed_url(port, channel)).header("If-None-Match", "\"v1\"");
            async move { request.send().await.expect("an answer").status() }
        };
        let statuses = futures_util::stream::iter(0..CHANNELS).map(get).buffer_unordered(IN_FLIGHT);
        let unchanged = statuses.filter(|s| std::future::ready(s.as_u16() == 304)).count().await;
        assert_eq!(unchanged, CHANNELS, "every answer is 304");
    });
}

/// Answers every request on every connection with `304 Not Modified`, until killed.
fn serve() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    println!("{}", listener.local_addr().expect("an address").port());
    std::io::stdout().flush().expect("the port is printed");
    for stream in listener.incoming().flatten() {
        std::thread::spawn(move || answer_unchanged(stream));
    }
}

fn answer_unchanged(stream: TcpStream) {
    stream.set_nodelay(true).expect("TCP_NODELAY");
    let mut writer = stream.try_clone().expect("a second handle");
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line == "\r\n" => {
                let answer = b"HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 0\r\n\r\n";
                if writer.write_all(answer).is_err() {
                    return;
                }
            }
            Ok(_) => {}
        }
    }
}

fn start_server() -> (Child, u16) {
    let exe = std::env::current_exe().expect("this bench's path");
    let mut child = Command::new(exe).arg("server").stdout(Stdio::piped()).spawn().expect("the server");
    let mut port = String::new();
    BufReader::new(child.stdout.as_mut().expect("its output")).read_line(&mut port).expect("its port");
    (child, port.trim().parse().expect("a port number"))
}

/// CPU seconds this process has used so far, every thread.
fn own_cpu_seconds() -> f64 {
    // SAFETY: an all-zero rusage is a valid value for getrusage to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid rusage for the call to fill in.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    assert_eq!(rc, 0, "getrusage works");
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Runs `case` in a fresh process; the CPU seconds it reports.
fn cpu_of(case: usize, path: &Path, port: u16) -> f64 {
    let exe = std::env::current_exe().expect("this bench's path");
    let out = Command::new(exe)
        .args(["child", &case.to_string(), &port.to_string()])
        .arg(path)
        .output()
        .expect("a child");
    assert!(out.status.success(), "case {case} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().parse().expect("the child's CPU time")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.as_slice() {
        [_, server] if server == "server" => serve(),
        [_, child, case, port, path] if child == "child" => {
            CASES[case.parse::<usize>().expect("a case number")].1(
                Path::new(path),
                port.parse().expect("a port"),
            );
            println!("{}", own_cpu_seconds());
        }
        _ => compare(args.iter().skip(1).find_map(|a| a.parse().ok()).unwrap_or(3)),
    }
}

/// Writes the store, measures every case `rounds` times, prints the table.
fn compare(rounds: usize) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("store.db");
    common::store::record(&path, &common::store::channels(CHANNELS, PER_CHANNEL));
    let (mut server, port) = start_server();
    let first = cpu_of(STORE_OPEN, &path, port);
    let mut cpu = vec![Vec::new(); CASES.len()];
    for _ in 0..rounds {
        for (case, runs) in cpu.iter_mut().enumerate() {
            runs.push(cpu_of(case, &path, port));
        }
    }
    server.kill().expect("the server stops");
    println!(
        "{:<44} | CPU, s, a child process each",
        format!("{CHANNELS} channels × {PER_CHANNEL} episodes")
    );
    println!("{:<44} | {first:.3}", "Store::open, first after the writes");
    for ((label, _), runs) in CASES.iter().zip(&cpu) {
        let runs: Vec<String> = runs.iter().map(|s| format!("{s:.3}")).collect();
        println!("{label:<44} | {}", runs.join(", "));
    }
}
