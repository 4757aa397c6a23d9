#!/usr/bin/env python3
"""Share of a `sync` profile per part of the work (issue 17).

    perf record -F 997 --call-graph dwarf,16384 -o perf.data syndicator --config c.toml sync
    perf script -i perf.data -F comm,tid,ip,sym,dso > perf.txt
    benches/scale/perf_buckets.py cold perf.txt      # or: warm perf.txt

Each sample (every thread) goes to the first bucket, in the order below, that names a frame
anywhere in its stack; the rest is "other". Prints percent, samples and bucket.
"""
import collections
import sys

RULES = {
    "cold": [
        ("sled (store writes, reads, flusher, epoch GC)", ["sled::", "crossbeam_epoch"]),
        ("wanted filter / store reads", ["episode_of_copy", "knows_item"]),
        ("parsing and normalising feeds (rss crate, quick-xml, ours)", ["rss::", "quick_xml", "parse_feed"]),
        ("merge", ["merge_fetch", "title_tokens"]),
        ("HTTP (reqwest, hyper, tokio io)", ["reqwest", "hyper", "Fetcher::get", "mio::", "tokio::net", "tokio::io"]),
        ("stubs, hashing, events", ["stubs::", "sha2", "hash_hex"]),
        ("config, start-up", ["Config::", "_dl_", "rustls"]),
    ],
    "warm": [
        ("config load/parse", ["Config::load", "Config::parse", "toml::"]),
        ("feeds rebuild", ["rebuild_feeds", "feeds::rebuild"]),
        ("journal (read at open, rewritten at flush)", ["Journal::"]),
        ("TLS roots / client build", ["for_config", "with_limits", "rustls_native_certs", "rustls_platform_verifier"]),
        ("store open (sled recovery)", ["Store::open", "open_or_recover", "Config::open"]),
        ("sled threadpool start (spinning in Lazy::deref)", ["Lazy<T,F>"]),
        ("recording the polls (save_states)", ["save_states"]),
        ("reading validators", ["Store::source_state", "Store::channel_state"]),
        ("HTTP (reqwest, hyper, kernel send/receive)", ["reqwest", "hyper", "Fetcher::get", "send_get", "mio::", "tokio::net", "tokio::io"]),
        ("dropping the pipeline and store at exit", ["drop_in_place<syndicator::pipeline::Ctx>", "drop_in_place<syndicator::store::Store>"]),
        ("sled other (flusher, epoch)", ["sled::", "crossbeam_epoch"]),
        ("dynamic loader, start", ["_dl_", "_start"]),
        ("syndicator other (epoll wait, sorting, clap, tracing)", ["syndicator::"]),
    ],
}


def samples(path):
    """Each sample's stack: the header line, then its frames."""
    current = []
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if not line.strip() or not line.startswith((" ", "\t")):
            if current:
                yield current
            current = [line] if line.strip() else []
        else:
            current.append(line)
    if current:
        yield current


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in RULES:
        sys.exit("usage: perf_buckets.py cold|warm PERF_SCRIPT_OUTPUT")
    counts = collections.Counter()
    for stack in samples(sys.argv[2]):
        frames = " | ".join(stack[1:])
        bucket = next((name for name, keys in RULES[sys.argv[1]] if any(k in frames for k in keys)), "other")
        counts[bucket] += 1
    total = sum(counts.values())
    for name, n in counts.most_common():
        print(f"{100 * n / total:5.1f}%  {n:5d}  {name}")
    print(f"       {total:5d}  samples")


if __name__ == "__main__":
    main()
