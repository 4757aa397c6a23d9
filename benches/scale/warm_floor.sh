#!/usr/bin/env bash
# Routine warm syncs next to their floor, alternating in one run (issue 17, target 2): one
# cold and one warm `sync` of 1,000 channels × 50 items (the bench's size), then ROUNDS times
# a warm `sync` (every feed answers 304) and the `both` case of `benches/warm_floor.rs` (bare
# sled opening a copy of the same store and recording 1,000 polls, and 1,000 conditional GETs
# with reqwest against the bench's own 304 server; its cases 1 and 4). Prints each side's CPU
# seconds (user + sys, every thread).
#
#   benches/scale/warm_floor.sh [HOSTS=1] [ROUNDS=8]
#
# Needs a release build of syndicator (SYNDICATOR_BIN, else target/release/syndicator) and
# /usr/bin/python3 and /usr/bin/time; builds the bench with `cargo bench --no-run`.
set -euo pipefail
N=1000
ITEMS=50
HOSTS=${1:-1}
ROUNDS=${2:-8}
HERE=$(cd "$(dirname "$0")" && pwd)
FLOOR=$(cd "$HERE/../.." && cargo bench --bench warm_floor --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\))$/\1/p')
FLOOR=$(cd "$HERE/../.." && realpath "$FLOOR")
source "$HERE/serve_feeds.sh"
"$FLOOR" server > "$W/floor-port" &
FLOOR_PID=$!
trap 'kill $SERVER_PID $FLOOR_PID 2>/dev/null; rm -rf "$W"' EXIT
sync_cpu() {
  /usr/bin/time -f "%U %S" -o "$W/t" env RUST_LOG=warn "$BIN" --config "$W/c.toml" sync > /dev/null 2> "$W/err" \
    || { tail -3 "$W/err" >&2; exit 1; }
  awk '{printf "%.3f", $1 + $2}' "$W/t"
}
sync_cpu > /dev/null
cp -a "$W/store.db" "$W/floor.db"
sync_cpu > /dev/null
for _ in $(seq 1 50); do [ -s "$W/floor-port" ] && break; sleep 0.1; done
"$FLOOR" child 1 "$(cat "$W/floor-port")" "$W/floor.db" > /dev/null   # its replay, as the warm sync's
echo "load before: $(uptime)"
SYNCS=() FLOORS=()
for _ in $(seq 1 "$ROUNDS"); do
  SYNCS+=("$(sync_cpu)")
  FLOORS+=("$(printf '%.3f' "$("$FLOOR" child 4 "$(cat "$W/floor-port")" "$W/floor.db")")")
done
echo "load after: $(uptime)"
echo "routine warm sync, CPU s: ${SYNCS[*]}"
echo "its floor, CPU s:         ${FLOORS[*]}"
