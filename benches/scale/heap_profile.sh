#!/usr/bin/env bash
# Heap profile of a cold sync of N channels x ITEMS items under heaptrack (Debian package
# heaptrack); prints the peak and the top peak-memory consumers.
#   benches/scale/heap_profile.sh 300 50
set -euo pipefail
N=$1; ITEMS=$2
source "$(dirname "$0")/serve_feeds.sh"
RUST_LOG=warn timeout 300 heaptrack -o "$W/heap" "$BIN" --config "$W/c.toml" sync > /dev/null 2>&1 || true
heaptrack_print "$W"/heap*.zst | grep -E "^peak heap|^peak RSS"
heaptrack_print "$W"/heap*.zst | sed -n '/PEAK MEMORY CONSUMERS/,/MOST TEMPORARY/p' \
  | grep -E "^[0-9.]+[KMG] peak memory consumed" -A1 | head -20
