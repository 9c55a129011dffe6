#!/usr/bin/env python3
"""HTTP latency over one keep-alive connection, for the search benchmark.

Search API (one GET per query, `?q=...&limit=20`):
    bench/search/http_client.py --url http://127.0.0.1:8099 --queries FILE --path /api/v1/search

A static file of a given size served by nginx (started here on 127.0.0.1 with a config in a temporary
folder, stopped afterwards):
    bench/search/http_client.py --nginx-bytes 14000 [--requests 500]

Either way the whole request list is sent once untimed (warm-up, --warmup 0 to skip), then once timed;
each request is timed from sending to having read the whole body. Prints one JSON object with p50/p99/mean
in ms, the mean response size in bytes, non-200 responses, and for the API the mean of each
`Server-Timing` metric (`Server-Timing: db;dur=1.23, render;dur=0.45` → "server_timing_ms": {"db": ...}).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from reference import percentile, read_queries  # noqa: E402


def parse_server_timing(value: str) -> dict[str, float]:
    metrics: dict[str, float] = {}
    for entry in value.split(","):
        parts = [p.strip() for p in entry.split(";")]
        if not parts or not parts[0]:
            continue
        for p in parts[1:]:
            if p.startswith("dur="):
                try:
                    metrics[parts[0]] = metrics.get(parts[0], 0.0) + float(p[4:].strip('"'))
                except ValueError:
                    pass
    return metrics


class Connection(http.client.HTTPConnection):
    """An HTTP/1.1 connection with Nagle's algorithm off, as browsers and load tools have it."""

    def connect(self):
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def measure(host: str, port: int, paths: list[str], warmup: int, timeout: float) -> dict:
    """GET each path on one kept-alive connection; `connections` counts the connections opened in all
    (more than 1 means the server closed the connection, which adds connection set-up to those requests)."""
    conn = Connection(host, port, timeout=timeout)
    connections = 1

    def get(path: str):
        nonlocal conn, connections
        t0 = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Accept": "application/json"})
            response = conn.getresponse()
            body = response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed the kept-alive connection: count it and retry once on a new one.
            conn.close()
            conn = Connection(host, port, timeout=timeout)
            connections += 1
            t0 = time.perf_counter()
            conn.request("GET", path, headers={"Accept": "application/json"})
            response = conn.getresponse()
            body = response.read()
        elapsed = time.perf_counter() - t0
        if response.will_close:  # http.client reopens the connection on the next request
            conn.close()
            connections += 1
        return elapsed, response.status, body, response.getheader("Server-Timing")

    for path in paths[:warmup]:
        get(path)
    times, sizes, timings = [], [], {}
    errors, first_error = 0, None
    timed_with_header = 0
    for path in paths:
        elapsed, status, body, server_timing = get(path)
        times.append(elapsed * 1000)
        sizes.append(len(body))
        if status != 200:
            errors += 1
            if first_error is None:
                first_error = {"path": path, "status": status, "body": body[:300].decode("utf-8", "replace")}
        if server_timing:
            timed_with_header += 1
            for name, dur in parse_server_timing(server_timing).items():
                timings[name] = timings.get(name, 0.0) + dur
    conn.close()
    result = {"p50_ms": round(percentile(times, 50), 4), "p99_ms": round(percentile(times, 99), 4),
              "mean_ms": round(sum(times) / len(times), 4), "requests": len(times),
              "mean_bytes": round(sum(sizes) / len(sizes)), "non_200": errors, "connections": connections}
    if timed_with_header:
        result["server_timing_ms"] = {k: round(v / timed_with_header, 4) for k, v in timings.items()}
    if first_error:
        result["first_error"] = first_error
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nginx did not start listening in time")


NGINX_CONF = """\
{user}
worker_processes 1;
daemon off;
master_process on;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    sendfile on;
    default_type application/json;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
        location / {{ }}
    }}
}}
"""


def nginx_static(size: int, requests: int, warmup: int, timeout: float) -> dict:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if not nginx:
        return {"skipped": "nginx is not installed (apt-get install -y nginx)"}
    tmp = tempfile.mkdtemp(prefix="bench-nginx-")
    process = None
    try:
        os.makedirs(os.path.join(tmp, "www"))
        # A JSON-looking body of exactly `size` bytes.
        filler = ('{"results":[' + '{"slug":"bench-000001","title":"Samarbejder og partnerskaber"},' * (size // 60 + 1))
        with open(os.path.join(tmp, "www", "static.json"), "w", encoding="ascii") as f:
            f.write(filler[:size])
        port = free_port()
        user = "user root;" if os.geteuid() == 0 else ""
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(user=user, tmp=tmp, port=port))
        version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
        process = subprocess.Popen([nginx, "-p", tmp, "-c", conf, "-e", os.path.join(tmp, "error.log")],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for_port(port, process, 10)
        result = measure("127.0.0.1", port, ["/static.json"] * requests, warmup, timeout)
        result["nginx"] = version.replace("nginx version: ", "")
        result["file_bytes"] = size
        return result
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGQUIT)  # graceful stop of master and worker
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="HTTP latency over one keep-alive connection.")
    parser.add_argument("--url", help="base URL, e.g. http://127.0.0.1:8099 (loopback only)")
    parser.add_argument("--queries", help="file with one query per line")
    parser.add_argument("--path", default="/api/v1/search")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--nginx-bytes", type=int, help="serve a static file of this size with nginx and GET it")
    parser.add_argument("--requests", type=int, default=500, help="requests for --nginx-bytes")
    parser.add_argument("--warmup", type=int, default=-1, help="untimed requests first; -1 (default): all once")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds per request (the first search of a new server process loads the whole index vocabulary)")
    args = parser.parse_args()

    if args.nginx_bytes is not None:
        warmup = args.requests if args.warmup < 0 else args.warmup
        print(json.dumps(nginx_static(args.nginx_bytes, args.requests, warmup, args.timeout)))
        return
    if not args.url or not args.queries:
        parser.error("--url and --queries are needed (or --nginx-bytes)")
    url = urllib.parse.urlsplit(args.url)
    if url.scheme != "http" or url.hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("only http:// on the loopback interface is measured")
    queries = read_queries(args.queries)
    paths = [f"{args.path}?{urllib.parse.urlencode({'q': q, 'limit': args.limit})}" for q in queries]
    warmup = len(paths) if args.warmup < 0 else args.warmup
    result = measure(url.hostname, url.port or 80, paths, warmup, args.timeout)
    result["url"] = args.url + args.path
    print(json.dumps(result))


if __name__ == "__main__":
    main()
