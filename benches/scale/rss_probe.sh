#!/usr/bin/env bash
# Where the RSS growth with history comes from: builds a store of N x ITEMS episodes (one
# cold sync), then measures the peak RSS of `feeds` (store open + date-index read, no
# polling) and of a warm `sync`.
#   benches/scale/rss_probe.sh 200 50; benches/scale/rss_probe.sh 200 500
set -euo pipefail
N=$1; ITEMS=$2
source "$(dirname "$0")/serve_feeds.sh"
RUST_LOG=warn "$BIN" --config "$W/c.toml" sync > /dev/null 2>&1
peak_rss() {
  /usr/bin/time -v -o "$W/t" env RUST_LOG=warn "$BIN" --config "$W/c.toml" "$@" > /dev/null 2>&1
  awk -F': ' '/Maximum resident/ {printf "%.1f MB\n", $2/1024}' "$W/t"
}
echo "N=$N ITEMS=$ITEMS store=$(du -sm "$W/store.db" | cut -f1) MB"
echo -n "feeds: "; peak_rss feeds
echo -n "warm sync: "; peak_rss sync
