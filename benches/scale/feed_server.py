#!/usr/bin/env python3
"""Loopback feed server for the scale benchmark.

Serves N deterministic synthetic podcast RSS feeds at /c/<i>.xml, each with ITEMS items
(generated once at start, held in memory). A strong ETag per body; If-None-Match gives a 304.
If the file named by --changed-file exists and holds a channel number, that channel gets one
extra, newer item (so its body and ETag change).

With --hosts K the same feeds are served on the loopback addresses 127.0.0.1 … 127.0.0.K, all
on one port (the first address picks it), so a client sees K distinct hosts.

    feed_server.py --port 0 --channels 1000 --items 50 --hosts 100 --changed-file /tmp/x --port-file /tmp/p
"""
import argparse
import threading
import hashlib
import http.server
import os
import sys
from email.utils import formatdate

BASE = 1_700_000_000  # 2023-11-14T22:13:20Z
DAY = 86_400


def item_xml(ch, n):
    ts = BASE + n * DAY + ch * 60
    words = ["agents", "scaling", "reasoning", "robots", "compilers", "kernels", "vision", "speech"]
    topic = " ".join(words[(n + k + ch) % len(words)] for k in range(3))
    desc = (
        f"<p>In episode {n} of show {ch} we talk about {topic}. "
        + "A longer paragraph of show notes with links and timestamps. " * 4
        + f'<a href="https://example.com/show/{ch}/ep/{n}">notes</a></p>'
    )
    return (
        "<item>"
        f"<title><![CDATA[Show {ch} episode {n}: {topic}]]></title>"
        f"<description><![CDATA[{desc}]]></description>"
        f"<link>https://example.com/show/{ch}/ep/{n}</link>"
        f'<guid isPermaLink="false">show-{ch}-ep-{n}</guid>'
        f"<pubDate>{formatdate(ts, usegmt=True)}</pubDate>"
        f'<enclosure url="https://cdn.example.com/{ch}/{n}.mp3" length="{1000000 + n}" type="audio/mpeg"/>'
        "<itunes:duration>01:02:03</itunes:duration>"
        "</item>"
    )


def feed(ch, items, extra=False):
    numbers = list(range(items + (1 if extra else 0)))
    body = "".join(item_xml(ch, n) for n in reversed(numbers))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>'
        f"<title>Show {ch}</title><link>https://example.com/show/{ch}</link>"
        f"<description>Synthetic show {ch}</description>{body}</channel></rss>"
    ).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--channels", type=int, required=True)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--changed-file", default="")
    ap.add_argument("--port-file", default="")
    ap.add_argument("--hosts", type=int, default=1)
    args = ap.parse_args()
    if not 1 <= args.hosts <= 254:
        sys.exit("--hosts must be 1 to 254")

    bodies = {}
    for ch in range(args.channels):
        b = feed(ch, args.items)
        bodies[ch] = (b, '"%s"' % hashlib.sha1(b).hexdigest())
    changed_cache = {}

    def changed_channel():
        if not args.changed_file:
            return None
        try:
            with open(args.changed_file) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # TCP_NODELAY: the headers and the body go out in two writes, and with Nagle's
        # algorithm the body waits for the client's delayed ACK of the headers (~40 ms on
        # Linux) on every kept-alive request, which no real feed host does.
        disable_nagle_algorithm = True

        def log_message(self, *a):
            pass

        def do_GET(self):
            path = self.path
            if not (path.startswith("/c/") and path.endswith(".xml")):
                return self.send_error(404)
            try:
                ch = int(path[3:-4])
                body, etag = bodies[ch]
            except (ValueError, KeyError):
                return self.send_error(404)
            if changed_channel() == ch:
                if ch not in changed_cache:
                    b = feed(ch, args.items, extra=True)
                    changed_cache[ch] = (b, '"%s"' % hashlib.sha1(b).hexdigest())
                body, etag = changed_cache[ch]
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 1024

    srv = Server(("127.0.0.1", args.port), Handler)
    port = srv.server_address[1]
    for host in range(2, args.hosts + 1):
        more = Server((f"127.0.0.{host}", port), Handler)
        threading.Thread(target=more.serve_forever, daemon=True).start()
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(str(port))
        os.replace(args.port_file + ".tmp", args.port_file)
    print(f"serving {args.channels} feeds on port {port} of {args.hosts} host(s)", file=sys.stderr)
    srv.serve_forever()


if __name__ == "__main__":
    main()
