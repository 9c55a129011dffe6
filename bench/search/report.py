#!/usr/bin/env python3
"""Render one run of bench/search/run as a Markdown section (written to standard output).

    bench/search/report.py --out OUT --sizes 10000,100000 --command "bench/search/run ..." --machine FILE

Reads OUT/results-N/*.json (one JSON object per file; for the Swift tools the last line of their output
that is a JSON object) and compares with the targets of the search benchmark. A missing measurement
shows as "–" and its target as "not measured", never as a pass.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os

TARGET_SIZE = 100_000
IN_PROCESS_MAX = 1.5      # Samspil in-process p50 / raw FTS5 p50
HTTP_MAX = 2.0            # Samspil HTTP p50 / (raw FTS5 p50 + nginx static p50)
BUILD_MAX = 1.0           # Samspil index build / raw FTS5 build (Python stemming)
RSS_MAX_BYTES = 300_000_000  # 300 MB (decimal: the stricter reading)


def load(path: str) -> dict | None:
    try:
        with open(path, encoding="utf-8") as f:
            lines = [line.strip() for line in f if line.strip().startswith("{")]
    except FileNotFoundError:
        return None
    for line in reversed(lines):
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            continue
    return None


def num(value, digits=2, unit="") -> str:
    if value is None:
        return "–"
    if isinstance(value, (int, float)):
        return f"{value:,.{digits}f}{unit}"
    return str(value)


def get(d: dict | None, *keys):
    for key in keys:
        if d is None:
            return None
        d = d.get(key) if isinstance(d, dict) else None
    return d


def verdict(value, limit) -> str:
    if value is None:
        return "not measured"
    return "**PASS**" if value <= limit else "**FAIL**"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def size_section(out: str, size: int) -> list[str]:
    d = os.path.join(out, f"results-{size}")
    gen, index, query, http, rss = (load(os.path.join(d, n)) for n in
                                    ("generate.json", "index.json", "query.json", "http.json", "rss.json"))
    fts5, tantivy, nginx = (load(os.path.join(d, n)) for n in ("fts5.json", "tantivy.json", "nginx.json"))
    index_rss, query_rss, db = (load(os.path.join(d, n)) for n in ("index-rss.json", "query-rss.json", "db.json"))
    if nginx and "skipped" in nginx:
        nginx_note, nginx = nginx["skipped"], None
    else:
        nginx_note = None

    lines = [f"### {size:,} materials", ""]
    if gen:
        lines.append(f"Corpus: {gen.get('corpus_mb')} MB JSONL, {gen.get('materials'):,} materials, "
                     f"{get(http, 'requests') or get(fts5, 'queries') or 500} queries of 1–3 words "
                     f"(seed {gen.get('seed', 42)}; Danish vocabulary {gen.get('vocabulary_da'):,} words).")
        lines.append("")
    lines += [
        "| measurement | Samspil | raw FTS5 (Python stemming) | tantivy (Danish stemmer) | nginx static file |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| index build (s) | {num(get(index, 'index_seconds'), 2)} | {num(get(fts5, 'build_seconds'), 2)} "
        f"| {num(get(tantivy, 'build_seconds'), 2)} | |",
        f"| query p50, in-process (ms) | {num(get(query, 'p50_ms'), 3)} | {num(get(fts5, 'p50_ms'), 3)} "
        f"| {num(get(tantivy, 'p50_ms'), 3)} | |",
        f"| query p99, in-process (ms) | {num(get(query, 'p99_ms'), 3)} | {num(get(fts5, 'p99_ms'), 3)} "
        f"| {num(get(tantivy, 'p99_ms'), 3)} | |",
        f"| query p50 / p99, in-process, first pass (ms): fills the per-process caches | {num(get(query, 'first_pass_p50_ms'), 3)} / {num(get(query, 'first_pass_p99_ms'), 3)} | | | |",
        f"| HTTP p50, one connection (ms) | {num(get(http, 'p50_ms'), 3)} | | | {num(get(nginx, 'p50_ms'), 3)} |",
        f"| HTTP p99, one connection (ms) | {num(get(http, 'p99_ms'), 3)} | | | {num(get(nginx, 'p99_ms'), 3)} |",
        f"| response size (bytes, mean) | {num(get(http, 'mean_bytes'), 0)} | | | {num(get(nginx, 'mean_bytes'), 0)} |",
    ]
    timing = get(http, "server_timing_ms")
    if timing:
        parts = ", ".join(f"{k} {v:.3f}" for k, v in timing.items())
        lines.append(f"| Server-Timing, mean (ms) | {parts} | | | |")
    hwm = get(rss, "vm_hwm_kb")
    lines.append(f"| server peak RSS, VmHWM (MiB) | {num(hwm / 1024 if hwm else None, 1)} | | | |")
    if index_rss or query_rss:
        lines.append(f"| samspil-bench peak RSS index / query (MiB) | "
                     f"{num(get(index_rss, 'max_rss_kb') and get(index_rss, 'max_rss_kb') / 1024, 1)} / "
                     f"{num(get(query_rss, 'max_rss_kb') and get(query_rss, 'max_rss_kb') / 1024, 1)} | | | |")
    lines.append(f"| index size (MB) | {num(get(db, 'database_mb'), 1)} | {num(get(fts5, 'db_mb'), 1)} "
                 f"| {num(get(tantivy, 'index_mb'), 1)} | |")
    lines.append(f"| queries with no hit | {num(get(query, 'zero_hit_queries'), 0)} "
                 f"| {num(get(fts5, 'zero_hit_queries'), 0)} | {num(get(tantivy, 'zero_hit_queries'), 0)} | |")
    lines.append("")

    inproc = ratio(get(query, "p50_ms"), get(fts5, "p50_ms"))
    fts5_p50 = get(fts5, "p50_ms")
    nginx_p50 = get(nginx, "p50_ms")
    base = None if fts5_p50 is None else fts5_p50 + (nginx_p50 or 0.0)
    http_ratio = ratio(get(http, "p50_ms"), base)
    build = ratio(get(index, "index_seconds"), get(fts5, "build_seconds"))
    rss_bytes = hwm * 1024 if hwm else None
    applies = size == TARGET_SIZE
    lines += [
        "| target" + (" (applies at 100,000; shown for information)" if not applies else "")
        + " | measured | limit | result |",
        "| --- | ---: | ---: | --- |",
        f"| in-process p50 (facets + snippets) ÷ raw FTS5 p50 | {num(inproc, 2, '×')} | ≤ {IN_PROCESS_MAX}× "
        f"| {verdict(inproc, IN_PROCESS_MAX)} |",
        f"| HTTP p50 of /api/v1/search ÷ (FTS5 p50 + nginx static p50 = {num(base, 3)} ms) "
        f"| {num(http_ratio, 2, '×')} | ≤ {HTTP_MAX}× | {verdict(http_ratio, HTTP_MAX)} |",
        f"| index build ÷ raw FTS5 build with Python stemming | {num(build, 2, '×')} | ≤ {BUILD_MAX}× "
        f"| {verdict(build, BUILD_MAX)} |",
        f"| server peak RSS | {num(rss_bytes / 1e6 if rss_bytes else None, 1, ' MB')} | ≤ 300 MB "
        f"| {verdict(rss_bytes, RSS_MAX_BYTES)} |",
        "",
    ]
    notes = []
    if nginx_note:
        notes.append(f"nginx: {nginx_note}; the HTTP target uses the FTS5 p50 alone.")
    if get(http, "non_200"):
        notes.append(f"{get(http, 'non_200')} HTTP responses were not 200 (first: {get(http, 'first_error')}).")
    if get(http, "connections") not in (None, 1):
        notes.append(f"The server closed the connection; {get(http, 'connections')} connections were used.")
    if get(nginx, "connections") not in (None, 1):
        notes.append(f"nginx used {get(nginx, 'connections')} connections.")
    if get(tantivy, "threads") == 0:
        notes.append("tantivy's index writer picked its own thread count (up to the 2 cores); FTS5 and "
                     "the Python stemming are single-threaded.")
    for note in notes:
        lines.append(f"- {note}")
    if notes:
        lines.append("")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--sizes", required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("--machine", required=True, help="file with machine facts, one 'name: value' a line")
    parser.add_argument("--title", default="Search benchmark")
    args = parser.parse_args()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"## {args.title} — {now}", ""]
    with open(args.machine, encoding="utf-8") as f:
        facts = [line.rstrip("\n") for line in f if line.strip()]
    lines += [f"- {fact}" for fact in facts]
    lines += [f"- command: `{args.command}`", ""]
    lines += [
        "Everything below was measured in this one run, one after the other on the same machine. Latencies "
        "are over the same 500 queries (1–3 words, ANDed, top 20), each list sent once untimed to warm up "
        "and once timed. Samspil's in-process query includes facets and snippets; the raw FTS5 reference is "
        "`SELECT rowid … MATCH … ORDER BY bm25(t, 5, 2, 1, 2) LIMIT 20` over text stemmed in Python; "
        "tantivy (tantivy-py) uses a lowercase + Danish stop words + Danish Snowball analyzer; nginx serves a "
        "static file of Samspil's mean response size over one keep-alive connection.",
        "",
    ]
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        lines += size_section(args.out, size)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
