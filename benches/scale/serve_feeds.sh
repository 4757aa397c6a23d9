# Sourced by the scale scripts, with N, ITEMS and HOSTS (default 1) set: sets BIN and W (a
# temp folder removed at exit), starts the loopback feed server for N channels x ITEMS items
# on HOSTS addresses, and writes "$W/c.toml" following all of them (backfill = 0; `[fetch]`
# is the default unless FETCH_TOML holds lines for it), "$W/urls.txt" (the same URLs, for the
# baseline) and a Hugo site in "$W/site".
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BIN=${SYNDICATOR_BIN:-${CARGO_TARGET_DIR:-$REPO/target}/release/syndicator}
[ -x "$BIN" ] || { echo "build first: cargo build --release ($BIN missing)" >&2; exit 1; }
HOSTS=${HOSTS:-1}
W=$(mktemp -d /tmp/syndicator-scale.XXXXXX)
/usr/bin/python3 "$HERE/feed_server.py" --channels "$N" --items "$ITEMS" --hosts "$HOSTS" \
  --changed-file "$W/changed" --port-file "$W/port" 2>/dev/null &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null; rm -rf "$W"' EXIT
for _ in $(seq 1 600); do [ -s "$W/port" ] && break; sleep 0.1; done
PORT=$(cat "$W/port")
for i in $(seq 0 $((N - 1))); do echo "http://127.0.0.$((i % HOSTS + 1)):$PORT/c/$i.xml"; done > "$W/urls.txt"
{
  printf '[site]\nroot = "%s/site"\ntitle = "S"\nbase_url = "https://b.example/"\nlanguage = "en"\n' "$W"
  printf '[store]\npath = "%s/store.db"\n' "$W"
  [ -n "${FETCH_TOML:-}" ] && printf '[fetch]\n%s\n' "$FETCH_TOML"
  awk '{printf "\n[[channels]]\nid = \"c%d\"\nname = \"S%d\"\nbackfill = 0\nfeed = \"%s\"\n", NR-1, NR-1, $0}' "$W/urls.txt"
} > "$W/c.toml"
mkdir -p "$W/site" && : > "$W/site/hugo.toml"   # sync needs a Hugo site
