#!/usr/bin/env bash
# Side by side: cold then warm `sync` of each binary in turn, ROUNDS times, against one feed
# server (N channels x ITEMS items on HOSTS loopback addresses), a fresh store and site for
# each cold run; prints wall, CPU (user + sys) and peak RSS per run, and the load average.
#   benches/scale/ab.sh 1000 50 1 2 /path/to/syndicator-main target/release/syndicator
set -euo pipefail
N=$1; ITEMS=$2; HOSTS=$3; ROUNDS=$4; shift 4
BINS=("$@")
SYNDICATOR_BIN=${BINS[0]}
source "$(dirname "$0")/serve_feeds.sh"
measure() {  # measure BIN LABEL
  /usr/bin/time -f "%e %U %S %M" -o "$W/t" env RUST_LOG=warn "$1" --config "$W/c.toml" sync > /dev/null 2> "$W/err" \
    || tail -2 "$W/err" >&2
  awk -v bin="$(basename "$1")" -v label="$2" \
    '{printf "%-28s %-5s wall %6.2f s  CPU %5.2f s  peak RSS %6.1f MB\n", bin, label, $1, $2 + $3, $4 / 1024}' "$W/t"
}
echo "load: $(uptime)"
for _ in $(seq 1 "$ROUNDS"); do
  for bin in "${BINS[@]}"; do
    rm -rf "$W/store.db" "$W/store.db.journal" "$W/site/content" "$W/site/static"
    measure "$bin" cold
    measure "$bin" warm
  done
done
echo "load: $(uptime)"
