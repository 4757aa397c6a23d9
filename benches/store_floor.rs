//! What recording a cold sync costs in the store, against sled's own floor (issue 17,
//! target 2): 1,000 channels × 50 new podcast episodes written the way a sync writes them
//! (`Store::put_episodes`, one transaction per channel commit, then one flush: since schema 3
//! a record and its date index, as each of these episodes is named after its only copy), next
//! to bare sled writing keys of the store's shapes and lengths (record, item index, date
//! index: the store of schema 2) in one transaction per channel; then bare sled without the
//! item index, without transactions (a batch per tree, or every key in one tree and one
//! batch), and the records alone with `apply_batch`: which part of the cost is keys, which
//! transactions. Process CPU time (user + system, every thread: sled's flusher and epoch
//! collector included) and wall time, each case in a fresh store, ROUNDS rounds alternating
//! the cases. Not a criterion bench: one case writes 150,000 keys and takes seconds.
//!
//!   cargo bench --bench store_floor [-- ROUNDS]

mod common;

use std::time::{Duration, Instant};

use sled::Transactional;
use syndicator::model::Episode;
use syndicator::store::Store;

const CHANNELS: usize = 1_000;
const PER_CHANNEL: usize = 50;

/// User + system time of the whole process.
fn process_cpu() -> Duration {
    // SAFETY: an all-zero rusage is a valid value for getrusage to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid rusage for the call to fill in.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    assert_eq!(rc, 0, "getrusage works");
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1_000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Runs `write` in a fresh folder and prints its wall and process CPU time.
fn measure(label: &str, write: impl FnOnce(&std::path::Path)) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (cpu, wall) = (process_cpu(), Instant::now());
    write(&dir.path().join("store.db"));
    let (cpu, wall) = (process_cpu() - cpu, wall.elapsed());
    println!("{label:<48} wall {:>6.2} s   CPU {:>6.2} s", wall.as_secs_f64(), cpu.as_secs_f64());
}

/// How bare sled is asked to write a channel's episodes.
#[derive(Clone, Copy)]
enum Shape {
    /// Record, item index and date index in their own trees, one transaction (schema 2's way).
    ThreeKeysTransaction,
    /// Record and date index, one transaction: the cost of the item index is the difference.
    NoItemIndex,
    /// The three keys in their trees, one `apply_batch` per tree: no transaction, not atomic.
    BatchPerTree,
    /// The three keys under prefixes in one tree, one `apply_batch`: atomic, no transaction.
    OneTree,
    /// The records alone, one `apply_batch`.
    RecordsOnly,
}

type Keys = (Vec<u8>, Vec<u8>, Vec<u8>);

/// Keys of the store's shapes and lengths, written the way `shape` says, one call per channel.
fn bare_sled(path: &std::path::Path, value_len: usize, shape: Shape) {
    let db = sled::Config::new().path(path).cache_capacity(16 << 20).open().expect("sled");
    let trees = ["episodes", "items", "by_date"].map(|name| db.open_tree(name).expect("a tree"));
    let value = vec![7u8; value_len];
    for c in 0..CHANNELS {
        let keys: Vec<Keys> = (0..PER_CHANNEL).map(|n| keys_of(c, n)).collect();
        match shape {
            Shape::ThreeKeysTransaction | Shape::NoItemIndex => {
                in_transaction(&trees, &keys, &value, matches!(shape, Shape::ThreeKeysTransaction))
            }
            Shape::BatchPerTree => {
                let mut batches: [sled::Batch; 3] = Default::default();
                for (id, item, date) in &keys {
                    batches[0].insert(id.as_slice(), value.as_slice());
                    batches[1].insert(item.as_slice(), id.as_slice());
                    batches[2].insert(date.as_slice(), &[]);
                }
                trees.iter().zip(batches).for_each(|(tree, batch)| tree.apply_batch(batch).expect("applied"));
            }
            Shape::OneTree => {
                let mut batch = sled::Batch::default();
                for (id, item, date) in &keys {
                    batch.insert([b"e", id.as_slice()].concat(), value.as_slice());
                    batch.insert([b"i", item.as_slice()].concat(), id.as_slice());
                    batch.insert([b"d", date.as_slice()].concat(), &[]);
                }
                trees[0].apply_batch(batch).expect("applied");
            }
            Shape::RecordsOnly => {
                let mut batch = sled::Batch::default();
                keys.iter().for_each(|(id, _, _)| batch.insert(id.as_slice(), value.as_slice()));
                trees[0].apply_batch(batch).expect("applied");
            }
        }
    }
    db.flush().expect("flushed");
}

/// One sled transaction over the three trees writing `keys`, with or without the item index.
fn in_transaction(trees: &[sled::Tree; 3], keys: &[Keys], value: &[u8], item_index: bool) {
    (&trees[0], &trees[1], &trees[2])
        .transaction(|(episodes, items, by_date)| {
            for (id, item, date) in keys {
                episodes.insert(id.as_slice(), value)?;
                if item_index {
                    items.insert(item.as_slice(), id.as_slice())?;
                }
                by_date.insert(date.as_slice(), &[])?;
            }
            Ok::<_, sled::transaction::ConflictableTransactionError>(())
        })
        .expect("committed");
}

/// An episode id, its item index key and its date index key, in the store's shapes.
fn keys_of(channel: usize, n: usize) -> Keys {
    let id = format!(
        "c{channel}:{:016x}",
        ((channel * PER_CHANNEL + n) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    );
    let item = format!("c{channel}\0podcast\0guid-{}", channel * PER_CHANNEL + n);
    let mut date = ((1_600_000_000_000 + n as u64 * 3_600_000) ^ (1 << 63)).to_be_bytes().to_vec();
    date.extend_from_slice(id.as_bytes());
    (id.into_bytes(), item.into_bytes(), date)
}

/// The mean length of the store's records of `episodes`, read back with sled.
fn mean_record_len(episodes: &[Episode]) -> usize {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("store.db");
    Store::open(&path).and_then(|store| store.put_episodes(episodes)).expect("recorded");
    let db = sled::open(&path).expect("sled");
    let records = db.open_tree("episodes").expect("the episodes tree");
    let lengths: Vec<usize> = records.iter().values().map(|v| v.expect("a record").len()).collect();
    lengths.iter().sum::<usize>() / lengths.len().max(1)
}

fn main() {
    let rounds = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(2);
    let channels = common::store::channels(CHANNELS, PER_CHANNEL);
    let record_len = mean_record_len(&channels[0]);
    println!("{CHANNELS} channels x {PER_CHANNEL} episodes, record {record_len} bytes, {rounds} round(s)");
    for _ in 0..rounds {
        measure("Store::put_episodes, a transaction per channel", |p| common::store::record(p, &channels));
        measure("bare sled, 3 keys per episode, same shapes", |p| {
            bare_sled(p, record_len, Shape::ThreeKeysTransaction)
        });
        measure("bare sled, no item index (2 keys)", |p| bare_sled(p, record_len, Shape::NoItemIndex));
        measure("bare sled, 3 keys, a batch per tree", |p| bare_sled(p, record_len, Shape::BatchPerTree));
        measure("bare sled, 3 keys in one tree, one batch", |p| bare_sled(p, record_len, Shape::OneTree));
        measure("bare sled, the records alone, apply_batch", |p| {
            bare_sled(p, record_len, Shape::RecordsOnly)
        });
    }
}
