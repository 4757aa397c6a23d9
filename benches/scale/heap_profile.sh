#!/usr/bin/env bash
# Heap profile of a cold sync of N channels x ITEMS items under heaptrack (Debian package
# heaptrack); prints the top peak-memory consumers.
#   benches/scale/heap_profile.sh 300 50
set -euo pipefail
N=$1; ITEMS=$2
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BIN=${SYNDICATOR_BIN:-${CARGO_TARGET_DIR:-$REPO/target}/release/syndicator}
W=$(mktemp -d /tmp/syndicator-heap.XXXXXX)
/usr/bin/python3 "$HERE/feed_server.py" --channels "$N" --items "$ITEMS" --changed-file "$W/changed" --port-file "$W/port" 2>/dev/null &
SP=$!
trap 'kill $SP; rm -rf $W' EXIT
for _ in $(seq 1 600); do [ -s "$W/port" ] && break; sleep 0.1; done
PORT=$(cat "$W/port")
{ printf '[site]\nroot = "%s/site"\ntitle = "S"\nbase_url = "https://b.example/"\nlanguage = "en"\n[store]\npath = "%s/store.db"\n[fetch]\nconcurrency = 32\n' "$W" "$W"
  for i in $(seq 0 $((N-1))); do printf '\n[[channels]]\nid = "c%d"\nname = "S%d"\nbackfill = 0\nfeed = "http://127.0.0.1:%d/c/%d.xml"\n' $i $i $PORT $i; done; } > "$W/c.toml"
cd $W && RUST_LOG=warn timeout 300 heaptrack -o $W/heap $BIN --config "$W/c.toml" sync >/dev/null 2>&1 || true
heaptrack_print "$W"/heap*.zst | grep -E "^peak heap|^peak RSS"
heaptrack_print "$W"/heap*.zst | sed -n '/PEAK MEMORY CONSUMERS/,/MOST TEMPORARY/p' \
  | grep -E "^[0-9.]+[KMG] peak memory consumed" -A1 | head -20
