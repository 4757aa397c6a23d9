#!/usr/bin/env bash
# Scale benchmark: `syndicator sync` as a whole process against N synthetic channels served
# on loopback, cold / warm / one-changed, next to the Python baseline (baseline.py).
#
#   benches/scale/run.sh [N_CHANNELS=1000] [ITEMS_PER_CHANNEL=50]
#
# Needs: a release build (cargo build --release; honours CARGO_TARGET_DIR), /usr/bin/time,
# /usr/bin/python3 with feedparser, strace (optional: counts the one-changed run's writes).
# Prints a Markdown table; everything lives in a temp folder removed at exit.
set -euo pipefail
N=${1:-1000}
ITEMS=${2:-50}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BIN=${SYNDICATOR_BIN:-${CARGO_TARGET_DIR:-$REPO/target}/release/syndicator}
[ -x "$BIN" ] || { echo "build first: cargo build --release ($BIN missing)" >&2; exit 1; }
W=$(mktemp -d /tmp/syndicator-scale.XXXXXX)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT

/usr/bin/python3 "$HERE/feed_server.py" --channels "$N" --items "$ITEMS" \
  --changed-file "$W/changed" --port-file "$W/port" 2>/dev/null &
SERVER_PID=$!
for _ in $(seq 1 600); do [ -s "$W/port" ] && break; sleep 0.1; done
PORT=$(cat "$W/port")

{
  cat <<TOML
[site]
root = "$W/site"
title = "Scale"
base_url = "https://blog.example.com/"
language = "en"

[store]
path = "$W/store.db"

[fetch]
concurrency = 32
TOML
  for i in $(seq 0 $((N - 1))); do
    printf '\n[[channels]]\nid = "c%d"\nname = "Show %d"\nbackfill = 0\nfeed = "http://127.0.0.1:%d/c/%d.xml"\n' "$i" "$i" "$PORT" "$i"
  done
} > "$W/config.toml"
for i in $(seq 0 $((N - 1))); do echo "http://127.0.0.1:$PORT/c/$i.xml"; done > "$W/urls.txt"
mkdir -p "$W/site/content/posts" && : > "$W/site/hugo.toml"   # sync and serve need a Hugo site

ROWS=()
# timed LABEL CMD...: runs CMD under /usr/bin/time -v, records wall seconds and peak RSS (MB).
timed() {
  local label=$1; shift
  /usr/bin/time -v -o "$W/time.txt" "$@" > "$W/out.txt" 2> "$W/err.txt" || {
    echo "$label failed:" >&2; tail -5 "$W/err.txt" >&2; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$W/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$W/time.txt")
  ROWS+=("| $label | $wall | $rss |")
  LAST_WALL=$wall
}
sync_cmd=(env RUST_LOG=warn "$BIN" --config "$W/config.toml" sync)

timed "syndicator cold" "${sync_cmd[@]}"
EPISODES=$(find "$W/store.db" -type f | wc -l)
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

base_cmd=(/usr/bin/python3 "$HERE/baseline.py" --urls "$W/urls.txt" --db "$W/base.sqlite" --out "$W/base-content" --workers 32)
timed "python baseline cold" "${base_cmd[@]}"
timed "python baseline warm" "${base_cmd[@]}"
echo 9 > "$W/changed"
timed "python baseline one-changed" "${base_cmd[@]}"

echo
echo "N = $N channels x $ITEMS items ($((N * ITEMS)) episodes), $(nproc) cores, $(date -u +%FT%TZ)"
echo
echo "| run | wall s | peak RSS MB |"
echo "|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "one-changed: files whose mtime changed under the site: ${CHANGED_SITE:-none}; store files touched: $CHANGED_STORE"
echo "one-changed (second run, strace): $STRACE_SUMMARY (list in /tmp/syndicator-scale-writes.txt)"
