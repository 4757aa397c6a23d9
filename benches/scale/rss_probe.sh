#!/usr/bin/env bash
# Peak RSS against the size of the history: builds a store of N x ITEMS episodes (one cold
# sync), then measures the peak RSS (and CPU) of `feeds` (store open + date-index read, no
# polling), of a warm `sync` and of a one-changed `sync` (one channel has one new item).
#   benches/scale/rss_probe.sh 200 50; benches/scale/rss_probe.sh 200 500
set -euo pipefail
N=$1; ITEMS=$2
source "$(dirname "$0")/serve_feeds.sh"
RUST_LOG=warn "$BIN" --config "$W/c.toml" sync > /dev/null 2>&1
peak_rss() {
  /usr/bin/time -f "%M %U %S" -o "$W/t" env RUST_LOG=warn "$BIN" --config "$W/c.toml" "$@" > /dev/null 2>&1
  awk '{printf "%.1f MB, CPU %.2f s\n", $1/1024, $2+$3}' "$W/t"
}
echo "N=$N ITEMS=$ITEMS store=$(du -sm "$W/store.db" | cut -f1) MB"
echo -n "feeds: "; peak_rss feeds
echo -n "warm sync: "; peak_rss sync
echo 7 > "$W/changed"
echo -n "one-changed sync: "; peak_rss sync
