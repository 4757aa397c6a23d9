#!/usr/bin/env bash
# Serving benchmark: wrk against `syndicator serve` on the merged channels feed, next to nginx
# serving the same bytes as a static file, in the same session, identity and 304.
#
#   benches/serve/run.sh [DURATION_S=10] [CONNECTIONS=32]
#
# Needs: a release build, wrk, nginx, /usr/bin/python3 (feed_server.py makes the source feed).
set -euo pipefail
DUR=${1:-10}
CONN=${2:-32}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BIN=${SYNDICATOR_BIN:-${CARGO_TARGET_DIR:-$REPO/target}/release/syndicator}
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 1; }
W=$(mktemp -d /tmp/syndicator-serve.XXXXXX)
chmod 755 "$W"  # nginx workers may run as another user
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.3; rm -rf "$W"; }
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A channel whose feed has 60 items: the merged feed then holds 50 entries (the default limit).
/usr/bin/python3 -c "
import sys; sys.path.insert(0, '$REPO/benches/scale'); import feed_server
open('$W/show.xml', 'wb').write(feed_server.feed(1, 60))"
SPORT=$(free_port); NPORT=$(free_port)
cat > "$W/config.toml" <<TOML
[site]
root = "$W/site"
title = "Serve"
base_url = "https://blog.example.com/"
language = "en"
[store]
path = "$W/store.db"
[server]
listen = "127.0.0.1:$SPORT"
[[channels]]
id = "show"
name = "Show"
backfill = 0
feed = "file://$W/show.xml"
TOML
mkdir -p "$W/site/content/posts" && : > "$W/site/hugo.toml"   # sync and serve need a Hugo site
RUST_LOG=warn "$BIN" --config "$W/config.toml" sync
FEED=sources/feed.xml
chmod -R a+rX "$W/site"
BYTES=$(stat -c %s "$W/site/static/$FEED")

cat > "$W/nginx.conf" <<NGINX
worker_processes auto;
pid $W/nginx.pid;
error_log $W/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { application/rss+xml xml; }
  server { listen 127.0.0.1:$NPORT; root $W/site/static; }
}
NGINX
nginx -c "$W/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
RUST_LOG=warn "$BIN" --config "$W/config.toml" serve &
PIDS+=($!)
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$SPORT/$FEED" -o /dev/null && curl -sf "http://127.0.0.1:$NPORT/$FEED" -o /dev/null && break
  sleep 0.1
done
curl -s "http://127.0.0.1:$SPORT/$FEED" > "$W/s.out"; curl -s "http://127.0.0.1:$NPORT/$FEED" > "$W/n.out"
if cmp -s "$W/s.out" "$W/n.out"; then echo "same $BYTES bytes from both"; else echo "bodies differ:"; head -c 300 "$W/s.out"; echo; head -c 300 "$W/n.out"; echo; exit 1; fi
etag() { curl -s -D - -o /dev/null "$1" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r'; }
S_ETAG=$(etag "http://127.0.0.1:$SPORT/$FEED"); N_ETAG=$(etag "http://127.0.0.1:$NPORT/$FEED")
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $S_ETAG" "http://127.0.0.1:$SPORT/$FEED")" = 304 ]
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $N_ETAG" "http://127.0.0.1:$NPORT/$FEED")" = 304 ]

run_wrk() { wrk -t2 -c"$CONN" -d"${DUR}s" "$@" | awk '/Requests\/sec/ {print $2} /Latency/ && !l {l=1; lat=$2} END {}' | head -1; }
echo "| server | request | req/s |"
echo "|---|---|---|"
for round in 1 2; do
  for target in "syndicator $SPORT $S_ETAG" "nginx $NPORT $N_ETAG"; do
    set -- $target
    rps=$(run_wrk "http://127.0.0.1:$2/$FEED")
    echo "| $1 | 200 identity ($BYTES B), round $round | $rps |"
    rps=$(run_wrk -H "If-None-Match: $3" "http://127.0.0.1:$2/$FEED")
    echo "| $1 | 304 If-None-Match, round $round | $rps |"
  done
done
