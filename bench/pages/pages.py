#!/usr/bin/env python3
"""The page benchmark's driver (bench/pages/run builds and calls it): for each catalogue size, start
`samspil serve` pinned to one core, with the page cache on and then off, and measure with wrk on the other
core: /healthz (the app's own floor), nginx serving a page's bytes as a static file on the same core, the
public pages, a logged-in editor's page, and the search page over many different queries. Prints one JSON
document with every number; report.py turns it into the table in bench/RESULTS.md.

    pages.py --bin .build/release --sizes 0,1000 --out bench/pages/out
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SEARCH_BENCH = os.path.join(REPO, "bench", "search")

THEME = "/temaer/samarbejder-og-partnerskaber"
MATERIAL = "/materialer/fire-typer-af-partnerskaber"
PUBLIC_PAGES = [THEME, MATERIAL, "/materialer", "/soeg?q=samarbejde", "/feed.atom", "/sitemap.xml"]
EDITOR_PAGE = "/redaktion"
PASSWORD = "en lang og hemmelig sætning til benchmark"


def log(message):
    print(f"[pages {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, process, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


# ------------------------------------------------------------------------------------------------ wrk

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url, connections, seconds, headers=(), script=None):
    command = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    command.append(url)
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    percentiles = {int(p): float(v) * UNITS[u] for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)}
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    if not rate:
        raise RuntimeError(f"wrk gave no rate for {url}:\n{output}")
    return {"rps": float(rate.group(1)), "p50_ms": percentiles.get(50), "p99_ms": percentiles.get(99),
            "non_2xx": int(non2xx.group(1)) if non2xx else 0, "socket_errors": errors.group(0) if errors else None}


def measure(base, path, seconds, headers=(), script=None):
    """Throughput at 32 connections, latency at 1 (after a short warm-up)."""
    url = base + path
    wrk(url, 8, 1, headers, script)
    loaded = wrk(url, 32, seconds, headers, script)
    single = wrk(url, 1, seconds, headers, script)
    return {"rps_32": loaded["rps"], "p50_ms_1": single["p50_ms"], "p99_ms_1": single["p99_ms"],
            "p50_ms_32": loaded["p50_ms"], "non_2xx": loaded["non_2xx"] + single["non_2xx"],
            "socket_errors": loaded["socket_errors"]}


def rotating_script(paths, folder):
    """A wrk script that asks for each path in turn."""
    path = os.path.join(folder, "rotate.lua")
    with open(path, "w", encoding="utf-8") as out:
        out.write("local paths = {\n")
        for p in paths:
            out.write(f"  {json.dumps(p)},\n")
        out.write("}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n"
                  "  return wrk.format(nil, paths[i])\nend\n")
    return path


# ------------------------------------------------------------------------------------------------ servers

def start_server(binary, database, port, env_extra, log_path):
    env = dict(os.environ)
    env.update({"DATABASE_URL": database, "SAMSPIL_PUBLIC_URL": f"http://127.0.0.1:{port}", "LOG_LEVEL": "warning",
                "SAMSPIL_BCRYPT_COST": "10", "SAMSPIL_MAIL": "log"})
    env.update(env_extra)
    process = subprocess.Popen(["taskset", "-c", "0", binary, "serve", "--port", str(port)], env=env,
                               stdout=open(log_path, "ab"), stderr=subprocess.STDOUT)
    wait_for(f"http://127.0.0.1:{port}/healthz", process)
    return process


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


NGINX_CONF = """\
worker_processes 1;
daemon off;
master_process on;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
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
    default_type text/html;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
        location / {{ }}
    }}
}}
"""


def nginx_static(body, seconds, folder):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    tmp = tempfile.mkdtemp(prefix="nginx-", dir=folder)
    os.makedirs(os.path.join(tmp, "www"))
    with open(os.path.join(tmp, "www", "page.html"), "wb") as out:
        out.write(body)
    port = free_port()
    conf = os.path.join(tmp, "nginx.conf")
    user = "user root;\n" if os.geteuid() == 0 else ""
    with open(conf, "w") as out:
        out.write(user + NGINX_CONF.format(tmp=tmp, port=port))
    process = subprocess.Popen(["taskset", "-c", "0", binary, "-p", tmp, "-c", conf, "-e", os.path.join(tmp, "error.log")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/page.html", process, 30)
        result = measure(f"http://127.0.0.1:{port}", "/page.html", seconds)
        result["bytes"] = len(body)
        return result
    finally:
        stop(process)


# ------------------------------------------------------------------------------------------------ steps

def log_in(base):
    """Logs in as the benchmark's administrator; returns the Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/log-ind", timeout=30).read().decode()
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"email": "bench@example.org", "password": PASSWORD, "_csrf": token, "naeste": "/redaktion"}).encode()
    request = urllib.request.Request(base + "/log-ind", data=data, headers={"Origin": base})
    opener.open(request, timeout=60).read()
    session = [c for c in jar if c.name.endswith("samspil-session")]
    if not session:
        raise RuntimeError("the benchmark's login failed")
    return f"Cookie: {session[0].name}={session[0].value}"


def render_times(base, queries):
    """The `render` step of Server-Timing for the search page and for the API's JSON of the same results."""
    page, api = [], []
    for query in queries:
        q = urllib.parse.quote(query)
        for url, into in ((f"{base}/soeg?q={q}", page), (f"{base}/api/v1/search?q={q}&limit=20", api)):
            with urllib.request.urlopen(url, timeout=30) as response:
                response.read()
                timing = response.headers.get("Server-Timing", "")
            match = re.search(r"render;dur=([\d.]+)", timing)
            if match:
                into.append(float(match.group(1)))
    return {"page_render_ms_median": statistics.median(page), "api_render_ms_median": statistics.median(api),
            "page_render_ms_mean": statistics.fmean(page), "api_render_ms_mean": statistics.fmean(api),
            "queries": len(queries), "timed": [len(page), len(api)]}


def prepare_database(binary_dir, size, folder, seed):
    """A database with the seed and `size` generated materials (indexed)."""
    path = os.path.join(folder, f"pages-{size}.sqlite")
    database = f"sqlite://{path}"
    env = dict(os.environ, SAMSPIL_BCRYPT_COST="10")
    if size > 0:
        out = os.path.join(HERE, "out")
        os.makedirs(out, exist_ok=True)
        corpus = os.path.join(out, f"corpus-{size}.jsonl")
        if not os.path.exists(corpus):
            subprocess.run([sys.executable, os.path.join(SEARCH_BENCH, "generate.py"), "--size", str(size), "--seed", str(seed),
                            "--out", out], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([os.path.join(binary_dir, "samspil-bench"), "load", "--database", database, "--corpus", corpus],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        subprocess.run([os.path.join(binary_dir, "samspil-bench"), "index", "--database", database],
                       check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run([os.path.join(binary_dir, "samspil"), "user", "create", "--admin", "--name", "Benchmark",
                    "--password-stdin", "bench@example.org"], input=(PASSWORD + "\n").encode(), check=True,
                   env=dict(env, DATABASE_URL=database), stdout=subprocess.DEVNULL)
    return database


def queries_for(size, seed):
    out = os.path.join(HERE, "out")
    os.makedirs(out, exist_ok=True)
    generated = max(size, 1000)
    path = os.path.join(out, f"queries-{generated}.txt")
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(SEARCH_BENCH, "generate.py"), "--size", str(generated), "--seed", str(seed),
                        "--out", out], check=True, stdout=subprocess.DEVNULL)
    with open(path, encoding="utf-8") as lines:
        return [line.strip() for line in lines if line.strip()][:500]


def run_size(args, size, folder):
    database = prepare_database(args.bin, size, folder, args.seed)
    queries = queries_for(size, args.seed)
    search_script = rotating_script(["/soeg?q=" + urllib.parse.quote(q) for q in queries], folder)
    binary = os.path.join(args.bin, "samspil")
    result = {"size": size, "modes": {}}
    for mode, env_extra in (("cache", {}), ("no-cache", {"SAMSPIL_PAGE_CACHE_MB": "0"})):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(binary, database, port, env_extra, os.path.join(folder, f"server-{size}-{mode}.log"))
        try:
            cookie = log_in(base)
            numbers = {"/healthz": measure(base, "/healthz", args.seconds)}
            if mode == "cache":
                with urllib.request.urlopen(base + THEME, timeout=30) as response:
                    body = response.read()
                numbers["nginx static (theme page's bytes)"] = nginx_static(body, args.seconds, folder)
            for path in PUBLIC_PAGES:
                numbers[path] = measure(base, path, args.seconds)
            numbers[EDITOR_PAGE + " (logged in)"] = measure(base, EDITOR_PAGE, args.seconds, headers=[cookie])
            numbers[f"/soeg over {len(queries)} queries"] = measure(base, "/", args.seconds, script=search_script)
            if mode == "no-cache":
                result["render"] = render_times(base, queries)
            with open(f"/proc/{server.pid}/status") as status:
                result.setdefault("rss_mb", {})[mode] = int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1)) / 1024
            result["modes"][mode] = numbers
        finally:
            stop(server)
        log(f"size {size}, {mode}: done")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True, help="folder with samspil and samspil-bench (release)")
    parser.add_argument("--sizes", default="0,1000", help="generated materials besides the seed's, per run")
    parser.add_argument("--seconds", type=int, default=4, help="wrk duration per measurement")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-pages-")
    try:
        runs = [run_size(args, int(size), folder) for size in args.sizes.split(",")]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps({"seconds": args.seconds, "runs": runs}, indent=1))


if __name__ == "__main__":
    main()
