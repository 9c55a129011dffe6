#!/usr/bin/env python3
"""Turns partnerships.py's JSON into a dated section of bench/RESULTS.md: machine facts, the command, per database a
table of the app against the reference (the same statements from Python) with ratios, issue 13's targets with
PASS/FAIL, the statements' share of the time, and the plans.

    report.py RESULT.json COMMAND >> bench/RESULTS.md
"""

import json
import os
import platform
import subprocess
import sys
import time

TARGET_PAGE_P50_MS = 50.0
TARGET_EXPORT_S = 2.0
NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def sh(command):
    try:
        return subprocess.run(command, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:
        return "?"


def ms(value, digits=2):
    return f"{value:,.{digits}f}".replace(",", " ")


def main():
    result = json.load(open(sys.argv[1]))
    command = sys.argv[2] if len(sys.argv) > 2 else "bench/partnerships/run"
    s = result["settings"]
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    memory = sh("free -g | awk '/Mem/ {print $2}'")
    dirty = " (with uncommitted changes)" if sh("git status --porcelain --untracked-files=no") else ""
    postgres = sh("psql --version")
    lines = [
        f"## Partnerships: the coordinator's list and CSV export — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu}), {memory} GB, {platform.system()} {platform.release()}; "
        f"{sh('swift --version 2>&1 | head -n1')}; Python {platform.python_version()}; SQLite in the app {result['sqlite']['app']}, "
        f"in the reference {result['sqlite']['reference']}{'' if result['sqlite']['app'] == result['sqlite']['reference'] else ' (**not the same release**)'}; "
        f"{postgres}. Commit {sh('git rev-parse --short HEAD')}{dirty}. Load average (1 min) at the start {result['load average']['start'][0]:.2f}, "
        f"at the end {result['load average']['end'][0]:.2f} (other work on the machine shows here).",
        "",
        f"Command: `{command}`. One municipality (0101 København) with {s['schools']} schools, {s['environments']} learning environments "
        f"(a third of them in 0101) and {s['partnerships']:,} partnerships (2–3 parties each, one a school of 0101) with "
        f"{s['activities']:,} activities; the organisations and the coordinator's account through `samspil organisations import` and "
        "`samspil user create`, the partnerships, parties and activities inserted in bulk (PostgreSQL then `ANALYZE`d, as autovacuum "
        "would; SQLite has no statistics, as the app never runs `ANALYZE`). The server (release build, `LOG_LEVEL=warning`) "
        "runs pinned to core 0; the client and the reference on core 1; PostgreSQL (scripts/with-postgres: fsync off) unpinned.",
        "",
        f"App: `GET` over one keep-alive connection as the logged-in coordinator, timed to the last byte: {s['warmup']} untimed, then "
        f"{s['requests']} timed requests per page; the export {s['exports']} times after one untimed. Reference: the same statements "
        "`CoordinatorList.rows` sends, in the same order with the same values, from Python in one process (`apsw` 3.54.1, i.e. the "
        "SQLite release the app bundles, on the same file with the app's cache size; `psycopg` over TCP to the same PostgreSQL), and for the export the same CSV columns written by "
        "Python's `csv` module. Ratios are app ÷ reference.",
        "",
    ]
    verdicts = []
    for run in result["runs"]:
        name = NAMES[run["backend"]]
        prep = run["prepare"]
        sizes = prep["sizes"]
        app, ref, checks = run["app"], run["reference"], run["checks"]
        lines += [f"### {name}", "",
                  f"Rows: {sizes['partnerships']:,} partnerships, {sizes['partnership_parties']:,} parties, {sizes['partnership_activities']:,} "
                  f"activities, {sizes['organisations']:,} organisations; database {sizes['database MB']:.1f} MB. Bulk insert "
                  f"{prep['bulk insert (s)']:.1f} s; server peak RSS (VmHWM) {run['server VmHWM MiB']:.0f} MiB.", "",
                  "| request | app p50 ms | app p95 ms | app p99 ms | reference p50 ms | reference p95 ms | p50 ÷ reference | matches | bytes |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        h = app["/healthz"]
        lines.append(f"| `/healthz` (the app's floor) | {ms(h['p50'], 3)} | {ms(h['p95'], 3)} | {ms(h['p99'], 3)} | | | | | |")
        for page, a in app.items():
            if page == "/healthz":
                continue
            r, c = ref[page], checks[page]
            export = page.startswith("export")
            matches = f"{c['rows']:,}" if export else (f"{c['total shown']:,}" if c.get("total shown") is not None else "?")
            lines.append(f"| {page} (`{c['path']}`) | {ms(a['p50'], 1 if export else 2)} | {ms(a['p95'], 1 if export else 2)} | "
                         f"{ms(a['p99'], 1 if export else 2)} | {ms(r['p50'], 1 if export else 2)} | {ms(r['p95'], 1 if export else 2)} | "
                         f"{a['p50'] / r['p50']:.1f}× | {matches} | {c['bytes']:,} |")
            if export:
                if c["rows"] != c["reference rows"]:
                    verdicts.append((f"{name}: the export has every partnership", f"{c['rows']} rows, reference {c['reference rows']}", False))
                if c.get("same bytes as the reference") is False:
                    verdicts.append((f"{name}: the export's bytes are the reference CSV's", "they differ", False))
                verdicts.append((f"{name}: export of all ({c['rows']:,} rows), median", f"{a['p50'] / 1000:.2f} s", a["p50"] / 1000 < TARGET_EXPORT_S,
                                 f"< {TARGET_EXPORT_S:.0f} s"))
            else:
                if c.get("total shown") is not None and c["total shown"] != c["reference total"]:
                    verdicts.append((f"{name}: {page} shows the reference's total", f"{c['total shown']} ≠ {c['reference total']}", False))
                verdicts.append((f"{name}: list, {page}, p50", f"{ms(a['p50'])} ms", a["p50"] < TARGET_PAGE_P50_MS, f"< {TARGET_PAGE_P50_MS:.0f} ms"))
        lines.append("")
        lines += ["Where the reference's time goes (median ms per statement; `count` runs when the first page is full or for later pages):", "",
                  "| request | " + " | ".join(["rows", "count", "parties", "activity counts", "Python csv"]) + " |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for page, parts in run["reference statements (median ms)"].items():
            lines.append(f"| {page} | " + " | ".join(ms(parts[k]) if k in parts else "–" for k in ["rows", "count", "parties", "activity counts", "Python csv"]) + " |")
        lines.append("")
    lines += [f"Targets (issue 13: list page p50 under {TARGET_PAGE_P50_MS:.0f} ms, export of all under {TARGET_EXPORT_S:.0f} s on this machine):", "",
              "| target | measured | limit | result |", "| --- | ---: | ---: | --- |"]
    for verdict in verdicts:
        label, value, ok = verdict[:3]
        limit = verdict[3] if len(verdict) > 3 else ""
        lines.append(f"| {label} | {value} | {limit} | {'PASS' if ok else '**FAIL**'} |")
    met = sum(1 for v in verdicts if v[2])
    lines += ["", f"{met} of {len(verdicts)} targets met.", ""]
    proposals = [run for run in result["runs"] if run.get("proposal")]
    if proposals:
        lines += ["The proposed change, timed on the same databases after the runs above (`Proposed` in partnerships.py): the index "
                  "`partnerships (updated_at, id)`, `ORDER BY p.updated_at DESC, p.id DESC`, a page sorting only ids before reading its 50 rows, and in that "
                  "page subquery on SQLite `+p.id IN (…)` for the municipality's term. Database time of the same "
                  "statements from Python, p50 ms (the app adds its own time on top, see the ratios above):", "",
                  "| database | request | now | proposed | saved | same rows, same order |", "| --- | --- | ---: | ---: | ---: | --- |"]
        for run in proposals:
            prop = run["proposal"]
            for page, timed in prop["timed"].items():
                now = run["reference"][page]["p50"]
                lines.append(f"| {NAMES[run['backend']]} | {page} | {ms(now)} | {ms(timed['p50'])} | {ms(now - timed['p50'])} | "
                             f"{'yes' if prop['same rows in the same order'][page] else '**no**'} |")
        lines.append("")
        for run in proposals:
            parts = run["proposal"]["statements (median ms)"]
            lines += [f"Proposed, {NAMES[run['backend']]}, per statement (median ms):", "",
                      "| request | rows | count | parties | activity counts |", "| --- | ---: | ---: | ---: | ---: |"]
            for page, part in parts.items():
                lines.append(f"| {page} | " + " | ".join(ms(part[k]) if k in part else "–" for k in ["rows", "count", "parties", "activity counts"]) + " |")
            lines.append("")
    for run in result["runs"]:
        lines += [f"Plans, {NAMES[run['backend']]} ({'EXPLAIN QUERY PLAN' if run['backend'] == 'sqlite' else 'EXPLAIN (ANALYZE, BUFFERS)'}):", ""]
        for statement, plan in run["plans"].items():
            if run["backend"] == "postgres":
                keep = [line for line in plan.splitlines() if not line.strip().startswith(("Buffers:", "Planning:", "Sort Method"))]
                plan = "\n".join(keep)
            lines += [f"- {statement}:", "", "  ```", *("  " + line for line in plan.splitlines()), "  ```"]
        lines.append("")
        if run.get("proposal"):
            lines += [f"Plans of the proposed statements, {NAMES[run['backend']]}:", ""]
            for statement, plan in run["proposal"]["plans"].items():
                if run["backend"] == "postgres":
                    plan = "\n".join(line for line in plan.splitlines() if not line.strip().startswith(("Buffers:", "Planning:", "Sort Method")))
                lines += [f"- {statement}:", "", "  ```", *("  " + line for line in plan.splitlines()), "  ```"]
            lines.append("")
    print("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
