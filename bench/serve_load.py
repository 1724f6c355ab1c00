#!/usr/bin/env python3
"""Load on 'admap serve': N requests, P at a time, while H half-open connections are held.

A half-open connection sends a request line without its end and then stays silent; a
viewer that serves one request at a time stalls behind it. The held connections are
re-opened whenever the server closes one (its read deadline), so H stay held throughout.

    ./admap serve RUN --port 8765 &
    python3 bench/serve_load.py http://127.0.0.1:8765/ --requests 2000 --parallel 20 --half-open 50

Prints one line: seconds, requests per second, answers by status. The requests cycle over
the viewer's GET endpoints (item, flags page, reviews, search, the page); every answer must
be 200, or the script exits 1. Standard library only.
"""
import argparse
import http.client
import json
import socket
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url", help="the viewer's address, as 'admap serve' printed it (with ?token=... off loopback)")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--parallel", type=int, default=20)
    ap.add_argument("--half-open", type=int, default=50)
    ap.add_argument("--items", type=int, default=0, help="item keys to ask for (default: from /api/run)")
    a = ap.parse_args()

    u = urllib.parse.urlsplit(a.url)
    host, port = u.hostname, u.port or 80
    headers = {"Host": "%s:%d" % (host, port)}
    token = urllib.parse.parse_qs(u.query).get("token")
    if token:
        headers["X-Admap-Token"] = token[0]

    items = a.items
    if not items:
        c = http.client.HTTPConnection(host, port, timeout=120)
        c.request("GET", "/api/run", headers=headers)
        items = len(json.loads(c.getresponse().read())["points"]["key"])
        c.close()
    paths = []
    for i in range(a.requests):
        kind = i % 5
        if kind == 0 or kind == 1:
            paths.append("/api/item?key=%d" % ((i * 7919) % items))
        elif kind == 2:
            paths.append("/api/flags?page=%d&size=25" % (i % 4))
        elif kind == 3:
            paths.append("/api/reviews")
        else:
            paths.append("/")

    stop = threading.Event()
    held = []
    lock = threading.Lock()
    reopened = [0]

    def hold(slot):
        while not stop.is_set():
            s = socket.create_connection((host, port))
            s.sendall(b"GET /api/run HTTP/1.1\r\nHost: " + host.encode() + b":")
            with lock:
                held.append(s)
            s.settimeout(0.5)
            while not stop.is_set():
                try:
                    if not s.recv(4096):
                        break  # closed by the server: hold a new one
                except socket.timeout:
                    continue
                except OSError:
                    break
            s.close()
            if not stop.is_set():
                with lock:
                    reopened[0] += 1

    holders = [threading.Thread(target=hold, args=(i,), daemon=True) for i in range(a.half_open)]
    for t in holders:
        t.start()
    while True:
        with lock:
            if len(held) >= a.half_open:
                break
        time.sleep(0.01)

    local = threading.local()

    def fetch(path):
        c = getattr(local, "c", None)
        if c is None:
            c = local.c = http.client.HTTPConnection(host, port, timeout=300)
        try:
            c.request("GET", path, headers=headers)
            r = c.getresponse()
            r.read()
            return r.status
        except (OSError, http.client.HTTPException):
            local.c = None
            c.close()
            return "error"

    statuses = {}
    t0 = time.monotonic()
    with ThreadPoolExecutor(a.parallel) as pool:
        for status in pool.map(fetch, paths):
            statuses[status] = statuses.get(status, 0) + 1
    elapsed = time.monotonic() - t0
    stop.set()
    print("%d requests, %d in parallel, %d half-open held: %.2f s, %.0f requests/s, statuses %s, "
          "half-open re-opened after a server close: %d"
          % (a.requests, a.parallel, a.half_open, elapsed, a.requests / elapsed, statuses, reopened[0]))
    sys.exit(0 if statuses == {200: a.requests} else 1)


if __name__ == "__main__":
    main()
