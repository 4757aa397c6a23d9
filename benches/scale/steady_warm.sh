#!/usr/bin/env bash
# Routine warm syncs: one cold `sync` and one warm `sync` with the first binary (that warm run
# replays sled's log of the cold run), then ROUNDS rounds of warm syncs alternating the
# binaries over the same store, each line wall, CPU (user + sys) and peak RSS.
#   benches/scale/steady_warm.sh 1000 50 1 4 /path/to/syndicator-old target/release/syndicator
set -euo pipefail
N=$1; ITEMS=$2; HOSTS=$3; ROUNDS=$4; shift 4
SYNDICATOR_BIN=$1
source "$(dirname "$0")/serve_feeds.sh"
echo "load: $(uptime)"
for _ in cold first-warm; do
  RUST_LOG=warn "$SYNDICATOR_BIN" --config "$W/c.toml" sync > /dev/null 2> "$W/err" || tail -2 "$W/err" >&2
done
for _ in $(seq 1 "$ROUNDS"); do
  for bin in "$@"; do
    /usr/bin/time -f "%e %U %S %M" -o "$W/t" env RUST_LOG=warn "$bin" --config "$W/c.toml" sync > /dev/null 2> "$W/err" \
      || tail -2 "$W/err" >&2
    awk -v bin="$(basename "$bin")" \
      '{printf "%-28s steady warm  wall %5.2f s  CPU %5.2f s  peak RSS %6.1f MB\n", bin, $1, $2 + $3, $4 / 1024}' "$W/t"
  done
done
echo "load: $(uptime)"
