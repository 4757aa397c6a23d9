# Sourced by rss_probe.sh and heap_profile.sh: sets BIN and W (a temp folder removed at
# exit), starts the loopback feed server for N channels x ITEMS items, and writes
# "$W/c.toml" following all of them (backfill = 0, concurrency = 32).
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BIN=${SYNDICATOR_BIN:-${CARGO_TARGET_DIR:-$REPO/target}/release/syndicator}
[ -x "$BIN" ] || { echo "build first: cargo build --release ($BIN missing)" >&2; exit 1; }
W=$(mktemp -d /tmp/syndicator-probe.XXXXXX)
/usr/bin/python3 "$HERE/feed_server.py" --channels "$N" --items "$ITEMS" \
  --changed-file "$W/changed" --port-file "$W/port" 2>/dev/null &
SERVER_PID=$!
trap 'kill $SERVER_PID; rm -rf "$W"' EXIT
for _ in $(seq 1 600); do [ -s "$W/port" ] && break; sleep 0.1; done
PORT=$(cat "$W/port")
{
  printf '[site]\nroot = "%s/site"\ntitle = "S"\nbase_url = "https://b.example/"\nlanguage = "en"\n' "$W"
  printf '[store]\npath = "%s/store.db"\n[fetch]\nconcurrency = 32\n' "$W"
  for i in $(seq 0 $((N - 1))); do
    printf '\n[[channels]]\nid = "c%d"\nname = "S%d"\nbackfill = 0\nfeed = "http://127.0.0.1:%d/c/%d.xml"\n' \
      "$i" "$i" "$PORT" "$i"
  done
} > "$W/c.toml"
mkdir -p "$W/site" && : > "$W/site/hugo.toml"   # sync needs a Hugo site
