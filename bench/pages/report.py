#!/usr/bin/env python3
"""Turns pages.py's JSON into a dated section of bench/RESULTS.md: machine facts, the command, a table per
catalogue size and page-cache mode, and issue 11's targets with PASS/FAIL.

    report.py RESULT.json COMMAND >> bench/RESULTS.md
"""

import json
import os
import platform
import subprocess
import sys
import time


def sh(command):
    try:
        return subprocess.run(command, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:
        return "?"


def fmt(value, digits=2):
    return "–" if value is None else f"{value:,.{digits}f}".replace(",", " ")


def main():
    result = json.load(open(sys.argv[1]))
    command = sys.argv[2] if len(sys.argv) > 2 else "bench/pages/run"
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    memory = sh("free -g | awk '/Mem/ {print $2}'")
    dirty = " (with uncommitted changes)" if sh("git status --porcelain --untracked-files=no") else ""
    lines = [
        f"## Pages — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu}), {memory} GB, "
        f"{platform.system()} {platform.release()}; {sh('swift --version 2>&1 | head -n1')}; "
        f"{sh('wrk --version 2>&1 | head -n1')}; {sh('nginx -v 2>&1')}. Commit {sh('git rev-parse --short HEAD')}"
        f"{dirty}.",
        "",
        f"Command: `{command}`. The server (release build, SQLite, `LOG_LEVEL=warning`) and nginx run pinned to core 0,",
        f"wrk to core 1; {result['seconds']} s per measurement: requests/s at 32 connections, p50/p99 at 1 connection.",
        "Ratios are requests/s ÷ `/healthz`'s requests/s in the same server run.",
        "",
    ]
    verdicts = []
    for run in result["runs"]:
        size = run["size"]
        label = "the seed (11 materials)" if size == 0 else f"the seed and {size:,} generated materials".replace(",", " ")
        for mode, numbers in run["modes"].items():
            floor = numbers["/healthz"]["rps_32"]
            lines += [f"### {label}, page cache {'on' if mode == 'cache' else 'off (`SAMSPIL_PAGE_CACHE_MB=0`)'}", "",
                      "| page | req/s (32 conn.) | ÷ /healthz | p50 ms (1 conn.) | p99 ms (1 conn.) | non-2xx |",
                      "| --- | ---: | ---: | ---: | ---: | ---: |"]
            for page, n in numbers.items():
                ratio = n["rps_32"] / floor
                lines.append(f"| `{page}` | {fmt(n['rps_32'], 0)} | {fmt(ratio)} | {fmt(n['p50_ms_1'], 3)} | "
                             f"{fmt(n['p99_ms_1'], 3)} | {n['non_2xx']} |")
                if page in ("/healthz",) or page.startswith("nginx"):
                    continue
                if page.startswith("/redaktion"):
                    verdicts.append((f"{label}, cache {'on' if mode == 'cache' else 'off'}: logged-in `{page}` ≥ ¼ of /healthz", fmt(ratio), ratio >= 0.25))
                elif page.startswith("/soeg over"):
                    if mode == "no-cache":
                        verdicts.append((f"{label}: search page `{page}`, no page cache, ≥ 1/10 of /healthz", fmt(ratio), ratio >= 0.1))
                elif mode == "cache":
                    verdicts.append((f"{label}, cache on: `{page}` ≥ ½ of /healthz", fmt(ratio), ratio >= 0.5))
                else:
                    verdicts.append((f"{label}, cache off: `{page}` ≥ 1/10 of /healthz", fmt(ratio), ratio >= 0.1))
                if n["non_2xx"]:
                    verdicts.append((f"{label}, cache {'on' if mode == 'cache' else 'off'}: `{page}` answered only 2xx", f"{n['non_2xx']} non-2xx", False))
            lines.append("")
        render = run.get("render")
        if render:
            ratio = render["page_render_ms_median"] / render["api_render_ms_median"]
            lines += [f"Search page `render` (Server-Timing, median of {render['queries']} queries, no page cache): "
                      f"{fmt(render['page_render_ms_median'], 3)} ms; the API's JSON of the same results: "
                      f"{fmt(render['api_render_ms_median'], 3)} ms (÷ {fmt(ratio)}). Means: {fmt(render['page_render_ms_mean'], 3)} "
                      f"and {fmt(render['api_render_ms_mean'], 3)} ms.", ""]
            verdicts.append((f"{label}: search page `render` ≤ 2 × the API's", f"× {fmt(ratio)}", ratio <= 2))
        if run.get("rss_mb"):
            lines += ["Server peak RSS: " + ", ".join(f"{mode} {fmt(mb, 0)} MB" for mode, mb in run["rss_mb"].items()) + ".", ""]
    lines += ["Targets (issue 11):", "", "| target | measured | result |", "| --- | ---: | --- |"]
    for name, shown, passed in verdicts:
        lines.append(f"| {name} | {shown} | {'PASS' if passed else 'FAIL'} |")
    failed = sum(1 for _, _, passed in verdicts if not passed)
    lines += ["", f"{len(verdicts) - failed} of {len(verdicts)} targets met.", ""]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
