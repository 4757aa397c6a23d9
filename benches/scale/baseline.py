#!/usr/bin/python3
"""The Python baseline for the scale benchmark: what a straightforward script does.

Thread pool fetches every feed (conditional GET with the stored ETag), feedparser parses it,
items are deduplicated on their guid in sqlite, new items are merged into episodes by a
normalised title within the channel (7-day window), new episodes after the first fetch get a
Markdown stub, and everything is committed to sqlite once. Same input, same server, same work
as `syndicator sync` with backfill = 0.

    /usr/bin/python3 baseline.py --urls urls.txt --db state.sqlite --out content/ --workers 32
"""
import argparse
import calendar
import concurrent.futures
import os
import re
import sqlite3
import urllib.error
import urllib.request

import feedparser


def fetch(url, etag):
    req = urllib.request.Request(url, headers={"If-None-Match": etag} if etag else {})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, r.headers.get("ETag"), r.read()
    except urllib.error.HTTPError as e:
        if e.code == 304:
            return 304, etag, b""
        raise


def norm(title):
    return " ".join(sorted(re.findall(r"\w+", title.lower())))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--urls", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--workers", type=int, default=32)
    args = ap.parse_args()
    urls = [u.strip() for u in open(args.urls) if u.strip()]
    os.makedirs(args.out, exist_ok=True)
    db = sqlite3.connect(args.db)
    db.executescript(
        "CREATE TABLE IF NOT EXISTS sources(url TEXT PRIMARY KEY, etag TEXT);"
        "CREATE TABLE IF NOT EXISTS items(channel INT, guid TEXT, episode INT, PRIMARY KEY(channel, guid));"
        "CREATE TABLE IF NOT EXISTS episodes(id INTEGER PRIMARY KEY, channel INT, key TEXT, published INT, title TEXT, link TEXT, summary TEXT);"
        "CREATE INDEX IF NOT EXISTS ep_key ON episodes(channel, key);"
    )
    etags = dict(db.execute("SELECT url, etag FROM sources"))

    def work(job):
        channel, url = job
        status, etag, body = fetch(url, etags.get(url))
        if status == 304:
            return channel, url, etag, None
        return channel, url, etag, feedparser.parse(body)

    new_episodes = stubs = 0
    with concurrent.futures.ThreadPoolExecutor(args.workers) as pool:
        for channel, url, etag, parsed in pool.map(work, enumerate(urls)):
            if parsed is None:
                continue
            first = url not in etags
            for e in parsed.entries:
                guid = e.get("id") or e.get("link")
                if db.execute("SELECT 1 FROM items WHERE channel=? AND guid=?", (channel, guid)).fetchone():
                    continue
                published = calendar.timegm(e.published_parsed) if e.get("published_parsed") else 0
                key = norm(e.title)
                row = db.execute(
                    "SELECT id FROM episodes WHERE channel=? AND key=? AND abs(published-?)<=7*86400",
                    (channel, key, published),
                ).fetchone()
                if row:
                    episode = row[0]
                else:
                    cur = db.execute(
                        "INSERT INTO episodes(channel, key, published, title, link, summary) VALUES(?,?,?,?,?,?)",
                        (channel, key, published, e.title, e.get("link"), e.get("summary", "")),
                    )
                    episode = cur.lastrowid
                    new_episodes += 1
                    if not first:
                        path = os.path.join(args.out, f"{channel}-{episode}.md")
                        with open(path, "x") as f:
                            f.write(f'---\ntitle: "{e.title}"\ndraft: true\n---\n\n{e.get("summary", "")}\n')
                        stubs += 1
                db.execute("INSERT INTO items VALUES(?,?,?)", (channel, guid, episode))
            db.execute("INSERT OR REPLACE INTO sources VALUES(?,?)", (url, etag))
    db.commit()
    print(f"baseline: {len(urls)} feeds, {new_episodes} new episodes, {stubs} stubs")


if __name__ == "__main__":
    main()
