#!/usr/bin/env bash
# Scale benchmark: `syndicator sync` as a whole process against N synthetic channels served
# on loopback, cold / warm / one-changed, next to the Python baseline (baseline.py).
#
#   benches/scale/run.sh [N_CHANNELS=1000] [ITEMS_PER_CHANNEL=50] [HOSTS=1] [ROUNDS=2]
#
# HOSTS spreads the channels over that many loopback addresses (127.0.0.1 … 127.0.0.HOSTS),
# channel i on host i mod HOSTS. Cold runs alternate syndicator and the baseline ROUNDS
# times, each from a fresh store, so their wall times share the machine's load; the load
# average is printed before and after. The config is syndicator's default `[fetch]` unless
# FETCH_TOML holds lines for it (e.g. FETCH_TOML='concurrency = 32'). BASELINE=0 skips the
# Python runs (10,000 channels take it minutes).
#
# Needs: a release build (cargo build --release; honours CARGO_TARGET_DIR), /usr/bin/time,
# /usr/bin/python3 with feedparser, strace (optional: counts the one-changed run's writes).
# Prints a Markdown table; everything lives in a temp folder removed at exit.
set -euo pipefail
N=${1:-1000}
ITEMS=${2:-50}
HOSTS=${3:-1}
ROUNDS=${4:-2}
BASELINE=${BASELINE:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/serve_feeds.sh"

ROWS=()
# timed LABEL CMD...: runs CMD under /usr/bin/time -v, records wall seconds, CPU seconds
# (user + sys) and peak RSS (MB).
timed() {
  local label=$1; shift
  /usr/bin/time -v -o "$W/time.txt" "$@" > "$W/out.txt" 2> "$W/err.txt" || {
    echo "$label failed:" >&2; tail -5 "$W/err.txt" >&2; }
  local wall cpu rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$W/time.txt")
  cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$W/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$W/time.txt")
  ROWS+=("| $label | $wall | $cpu | $rss |")
}
sync_cmd=(env RUST_LOG=warn "$BIN" --config "$W/c.toml" sync)
base_cmd=(/usr/bin/python3 "$HERE/baseline.py" --urls "$W/urls.txt" --db "$W/base.sqlite" --out "$W/base-content" --workers 32)
fresh() { rm -rf "$W/store.db" "$W/store.db.journal" "$W/site/content" "$W/site/static" "$W/base.sqlite" "$W/base-content"; }

LOAD_BEFORE=$(uptime)
for round in $(seq 1 "$ROUNDS"); do
  fresh
  timed "syndicator cold ($round)" "${sync_cmd[@]}"
  [ "$BASELINE" = 1 ] && timed "python baseline cold ($round)" "${base_cmd[@]}"
done
timed "syndicator warm" "${sync_cmd[@]}"
echo 7 > "$W/changed"
touch "$W/marker"; sleep 0.01
timed "syndicator one-changed" "${sync_cmd[@]}"
CHANGED_SITE=$(find "$W/site" -type f -newer "$W/marker" | sed "s|$W/site/||" | sort | tr '\n' ' ')
CHANGED_STORE=$(find "$W/store.db" -type f -newer "$W/marker" | wc -l)

STRACE_SUMMARY="(strace not installed)"
if command -v strace > /dev/null; then
  echo 8 > "$W/changed"
  strace -f -qq -e trace=openat,rename,renameat2,link,linkat -o "$W/strace.txt" "${sync_cmd[@]}" > /dev/null 2>&1 || true
  # File-creating or writing opens, and renames/links, split by where they land.
  grep -E 'openat\(.*(O_WRONLY|O_RDWR|O_CREAT)|rename|link' "$W/strace.txt" | grep -v ENOENT > "$W/writes.txt" || true
  W_SITE=$(grep -c "$W/site" "$W/writes.txt" || true)
  W_STORE=$(grep -c "$W/store.db" "$W/writes.txt" || true)
  W_REL=$(grep -vc -e "$W/site" -e "$W/store.db" "$W/writes.txt" || true)
  STRACE_SUMMARY="write-opens+renames+links: site $W_SITE, store $W_STORE, other (relative paths) $W_REL"
  cp "$W/writes.txt" /tmp/syndicator-scale-writes.txt
fi
rm -f "$W/changed"
if [ "$BASELINE" = 1 ]; then
  timed "python baseline warm" "${base_cmd[@]}"
  echo 9 > "$W/changed"
  timed "python baseline one-changed" "${base_cmd[@]}"
fi

echo
echo "N = $N channels x $ITEMS items ($((N * ITEMS)) episodes) on $HOSTS host(s), $(nproc) cores, $(date -u +%FT%TZ)"
echo "[fetch]: ${FETCH_TOML:-defaults}"
echo "load before: $LOAD_BEFORE"
echo "load after:  $(uptime)"
echo
echo "| run | wall s | CPU s (user+sys) | peak RSS MB |"
echo "|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "one-changed: files whose mtime changed under the site: ${CHANGED_SITE:-none}; store files touched: $CHANGED_STORE"
echo "one-changed (second run, strace): $STRACE_SUMMARY (list in /tmp/syndicator-scale-writes.txt)"
