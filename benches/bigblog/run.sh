#!/usr/bin/env bash
# Big blog, end to end (issue 17): `syndicator feeds` as a whole process on a generated Hugo
# site (benches/common/blog.rs, written by the generate_site bench target), ROUNDS times, with
# wall and CPU time and peak RSS from /usr/bin/time.
#
#   benches/bigblog/run.sh [POSTS=10000] [ROUNDS=5]
#
# Needs a release build (cargo build --release; honours CARGO_TARGET_DIR) and /usr/bin/time.
# SYNDICATOR_BINS="old new" compares several binaries on the same site, alternating rounds;
# SITE_GENERATOR names a prebuilt generate_site binary (else `cargo bench` builds it). The page cache is warm (the site was just written): "cold" means a new
# process with nothing read yet, as every `feeds` run is. Prints a Markdown table; everything
# lives in a temp folder removed at exit.
set -euo pipefail
POSTS=${1:-10000}
ROUNDS=${2:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BINS=${SYNDICATOR_BINS:-${CARGO_TARGET_DIR:-$REPO/target}/release/syndicator}
for bin in $BINS; do
  [ -x "$bin" ] || { echo "build first: cargo build --release ($bin missing)" >&2; exit 1; }
done
W=$(mktemp -d /tmp/syndicator-bigblog.XXXXXX)
trap 'rm -rf "$W"' EXIT

if [ -n "${SITE_GENERATOR:-}" ]; then
  "$SITE_GENERATOR" "$W/site" "$POSTS" >/dev/null
else
  (cd "$REPO" && cargo bench -q --bench generate_site -- "$W/site" "$POSTS" >/dev/null)
fi
cat > "$W/syndicator.toml" <<TOML
[site]
root = "$W/site"
title = "Big"
base_url = "https://big.example.org/"
public_dir = "$W/public"

[store]
path = "$W/store.db"

[[channels]]
id = "show"
name = "Show"
feed = "http://127.0.0.1:9/feed.xml"
TOML

run() { # binary, label
  /usr/bin/time -f "%e %U %S %M" -o "$W/time" "$1" -c "$W/syndicator.toml" feeds >/dev/null 2>"$W/err" \
    || { cat "$W/err" >&2; exit 1; }
  read -r wall user sys rss < "$W/time"
  printf '| %s | %s s | %.2f s | %.1f MB |\n' "$2" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc -l)"
}

echo "$(uptime)"
echo "| \`feeds\`, $POSTS posts | wall | CPU (user+sys) | peak RSS |"
echo "|---|---|---|---|"
for round in $(seq 1 "$ROUNDS"); do
  for bin in $BINS; do run "$bin" "$bin, round $round"; done
done
