#!/usr/bin/env bash
# Where the RSS growth with history comes from: builds a store of N x ITEMS episodes (one
# cold sync), then measures the peak RSS of `feeds` (store open + date-index read, no
# polling) and of a warm `sync`.
#   benches/scale/rss_probe.sh 200 50; benches/scale/rss_probe.sh 200 500
set -euo pipefail
N=$1; ITEMS=$2
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BIN=${SYNDICATOR_BIN:-${CARGO_TARGET_DIR:-$REPO/target}/release/syndicator}
W=$(mktemp -d /tmp/rssprobe.XXXXXX)
/usr/bin/python3 "$HERE/feed_server.py" --channels "$N" --items "$ITEMS" --changed-file "$W/changed" --port-file "$W/port" 2>/dev/null &
SP=$!
trap 'kill $SP; rm -rf $W' EXIT
for _ in $(seq 1 600); do [ -s "$W/port" ] && break; sleep 0.1; done
PORT=$(cat "$W/port")
{ printf '[site]\nroot = "%s/site"\ntitle = "S"\nbase_url = "https://b.example/"\nlanguage = "en"\n[store]\npath = "%s/store.db"\n[fetch]\nconcurrency = 32\n' "$W" "$W"
  for i in $(seq 0 $((N-1))); do printf '\n[[channels]]\nid = "c%d"\nname = "S%d"\nbackfill = 0\nfeed = "http://127.0.0.1:%d/c/%d.xml"\n' $i $i $PORT $i; done; } > "$W/c.toml"
RUST_LOG=warn $BIN --config "$W/c.toml" sync >/dev/null 2>&1
m() { /usr/bin/time -v -o "$W/t" env RUST_LOG=warn $BIN --config "$W/c.toml" "$@" >/dev/null 2>&1; awk -F': ' '/Maximum resident/ {printf "%.1f MB\n", $2/1024}' "$W/t"; }
echo "N=$N ITEMS=$ITEMS store=$(du -sm $W/store.db | cut -f1) MB"
echo -n "feeds: "; m feeds
echo -n "warm sync: "; m sync
