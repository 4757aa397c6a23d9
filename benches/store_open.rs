//! What opening the store costs in memory, against sled's own open (issue 17, target 3:
//! peak RSS flat within ±10 % from 10,000 to 100,000 stored episodes). `feeds`, a warm sync
//! and a one-changed sync all grow by about the same 8 MB between those histories; this
//! measures whether that is sled 0.34 opening a bigger store or syndicator's code on top.
//!
//! Two stores are written the way a sync writes them (200 channels × 50 and × 500 podcast
//! episodes, `Store::put_episodes` per channel, one flush), then each case runs in a fresh
//! child process (this bench binary run again as `store_open child CASE PATH`) that reports
//! its own peak RSS (`VmHWM`): doing nothing (the process's floor); a bare `sled::Config`
//! open with the store's cache capacity, with a 64 KiB one, and in `LowSpace` mode; the bare
//! open plus every tree; `Store::open`; and `Store::open` plus the newest 50 episodes read
//! from the date index (what `feeds` does). The first open after the writes replays sled's
//! log and writes its snapshot, so it is measured once, before the rounds.
//!
//!   cargo bench --bench store_open [-- ROUNDS]

mod common;

use std::os::unix::fs::MetadataExt as _;
use std::path::Path;
use std::process::Command;

use syndicator::store::Store;

/// Stored histories, (channels, episodes per channel): as `benches/scale/rss_probe.sh 200 50`
/// and `… 200 500`.
const HISTORIES: [(usize, usize); 2] = [(200, 50), (200, 500)];
/// The store's sled cache capacity (`sled_config` in `src/store.rs`).
const STORE_CACHE: u64 = 16 << 20;
/// How many episodes `feeds` reads by default (`[feeds] limit`).
const FEED_LIMIT: usize = 50;

/// What a child process does with the store before it reports its peak RSS.
type Case = fn(&Path);

const CASES: [(&str, Case); 7] = [
    ("nothing (the process's floor)", |_| {}),
    ("sled open, 16 MiB cache (the store's)", |path| drop(sled_open(path, STORE_CACHE))),
    ("sled open, 64 KiB cache", |path| drop(sled_open(path, 64 << 10))),
    ("sled open, Mode::LowSpace", |path| {
        drop(sled_config(path, STORE_CACHE).mode(sled::Mode::LowSpace).open().expect("sled opens it"))
    }),
    ("sled open + every tree", open_every_tree),
    ("Store::open", |path| drop(Store::open(path).expect("the store opens"))),
    ("Store::open + recent_episodes(50)", read_recent),
];
/// The case measured first, right after the writes.
const SLED_OPEN: usize = 1;

fn sled_config(path: &Path, cache: u64) -> sled::Config {
    sled::Config::new().path(path).cache_capacity(cache)
}

fn sled_open(path: &Path, cache: u64) -> sled::Db {
    sled_config(path, cache).open().expect("sled opens the store")
}

/// Opens every tree the store has (the store opens all of them, and sled's default tree).
fn open_every_tree(path: &Path) {
    let db = sled_open(path, STORE_CACHE);
    for name in db.tree_names() {
        db.open_tree(name).expect("a tree");
    }
}

fn read_recent(path: &Path) {
    let store = Store::open(path).expect("the store opens");
    let recent = store.recent_episodes(FEED_LIMIT, |_| true).expect("the newest episodes");
    assert_eq!(recent.len(), FEED_LIMIT);
}

/// This process's peak RSS in KiB: `VmHWM`, the high-water mark of its own memory. Not
/// `getrusage`'s `ru_maxrss`: Linux keeps across `exec` the peak of the memory a child
/// starts with, its parent's, so every child reported the 228 MB of this writer.
fn own_peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).expect("a VmHWM line");
    line.trim().trim_end_matches("kB").trim().parse().expect("VmHWM in kB")
}

/// Runs `case` on the store at `path` in a fresh process; its peak RSS in MB.
fn peak_rss_mb(case: usize, path: &Path) -> f64 {
    let exe = std::env::current_exe().expect("this bench's path");
    let out = Command::new(exe).arg("child").arg(case.to_string()).arg(path).output().expect("a child");
    assert!(out.status.success(), "case {case} failed: {}", String::from_utf8_lossy(&out.stderr));
    let kib: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().expect("the child's peak RSS");
    kib / 1024.0
}

/// Bytes allocated on disk under `path` (as `du` counts them).
fn disk_usage(path: &Path) -> u64 {
    let meta = std::fs::symlink_metadata(path).expect("a stored file");
    let entries = meta.is_dir().then(|| std::fs::read_dir(path).expect("a folder"));
    let inside: u64 = entries.into_iter().flatten().map(|e| disk_usage(&e.expect("an entry").path())).sum();
    meta.blocks() * 512 + inside
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.as_slice() {
        [_, child, case, path] if child == "child" => {
            CASES[case.parse::<usize>().expect("a case number")].1(Path::new(path));
            println!("{}", own_peak_kib());
        }
        _ => compare(args.iter().skip(1).find_map(|a| a.parse().ok()).unwrap_or(2)),
    }
}

/// Writes the stores, measures every case on each `rounds` times, prints the table.
fn compare(rounds: usize) {
    let dirs: Vec<_> = HISTORIES.iter().map(|_| tempfile::tempdir().expect("a temporary folder")).collect();
    let stores: Vec<_> = dirs.iter().map(|dir| dir.path().join("store.db")).collect();
    for (&(channels, per_channel), store) in HISTORIES.iter().zip(&stores) {
        common::store::record(store, &common::store::channels(channels, per_channel));
    }
    let first: Vec<Vec<f64>> = stores.iter().map(|store| vec![peak_rss_mb(SLED_OPEN, store)]).collect();
    let mut peaks = vec![vec![Vec::new(); stores.len()]; CASES.len()];
    for _ in 0..rounds {
        for (case, row) in peaks.iter_mut().enumerate() {
            row.iter_mut().zip(&stores).for_each(|(cell, store)| cell.push(peak_rss_mb(case, store)));
        }
    }
    let header: Vec<String> = HISTORIES
        .iter()
        .zip(&stores)
        .map(|(&(c, n), store)| {
            format!("{} episodes, store {:.0} MB", c * n, disk_usage(store) as f64 / f64::from(1 << 20))
        })
        .collect();
    println!("{:<38} | {} | growth", "peak RSS, MB, a child process each", header.join(" | "));
    print_row("sled open, first after the writes", &first);
    CASES.iter().zip(&peaks).for_each(|((label, _), row)| print_row(label, row));
}

/// A case's peaks per store, then how much its mean grew from the first store to the last.
fn print_row(label: &str, row: &[Vec<f64>]) {
    let mean = |cell: &Vec<f64>| cell.iter().sum::<f64>() / cell.len() as f64;
    let cells: Vec<String> = row
        .iter()
        .map(|cell| cell.iter().map(|v| format!("{v:.1}")).collect::<Vec<_>>().join(", "))
        .collect();
    let (small, big) = (mean(&row[0]), mean(&row[row.len() - 1]));
    let growth = format!("{:+.1} MB ({:+.0} %)", big - small, 100.0 * (big / small - 1.0));
    println!("{label:<38} | {} | {growth}", cells.join(" | "));
}
