#!/usr/bin/env python3
"""Render one run of bench/content/run as a Markdown section (written to standard output).

    bench/content/report.py --out OUT --sizes 10000,100000 --command "bench/content/run ..." --machine FILE

Reads OUT/results-N/*.json and checks the targets at the largest size: `samspil export` no slower than
`samspil import` of the same catalogue, and export memory flat (peak RSS at the largest size at most
FLAT_MAX times that at the smallest). A missing measurement shows as "–" and its target as "not
measured", never as a pass.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os

FLAT_MAX = 1.25  # export peak RSS at the largest size ÷ at the smallest


def load(path: str) -> dict | None:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def num(value, digits=1, unit="") -> str:
    return "–" if value is None else f"{value:,.{digits}f}{unit}"


def get(d: dict | None, key: str):
    return None if d is None else d.get(key)


def mib(kb):
    return None if kb is None else kb / 1024


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def verdict(value, limit) -> str:
    if value is None:
        return "not measured"
    return "**PASS**" if value <= limit else "**FAIL**"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--sizes", required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("--machine", required=True)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    runs = {}
    for size in sizes:
        d = os.path.join(args.out, f"results-{size}")
        runs[size] = {name: load(os.path.join(d, f"{name}.json"))
                      for name in ("document", "import", "export", "export-check", "round-trip")}

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"## Content benchmark (import and export) — {now}", ""]
    with open(args.machine, encoding="utf-8") as f:
        lines += [f"- {line.strip()}" for line in f if line.strip()]
    lines += [f"- command: `{args.command}`", ""]
    lines += [
        "`samspil import FILE` into an empty database, then `samspil export > FILE` of it, each a separate process "
        "under `/usr/bin/time` (wall time including start-up and migration check; peak RSS). Content files from "
        "`bench/content/document.py` (the search benchmark's materials plus versions, genres, drafts, dates; "
        "20 themes of 50 materials).",
        "",
        "| materials | file (MB) | import (s) | import peak RSS (MiB) | export (s) | export peak RSS (MiB) | export (MB) | export ÷ import time |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in sizes:
        r = runs[size]
        imp, exp = get(r["import"], "wall_seconds"), get(r["export"], "wall_seconds")
        lines.append(
            f"| {size:,} | {num(get(r['document'], 'mb'))} | {num(imp, 2)} | {num(mib(get(r['import'], 'max_rss_kb')))} "
            f"| {num(exp, 2)} | {num(mib(get(r['export'], 'max_rss_kb')))} | {num(get(r['export-check'], 'export_mb'))} "
            f"| {num(ratio(exp, imp), 3, '×')} |"
        )
    lines.append("")

    largest, smallest = sizes[-1], sizes[0]
    big, small = runs[largest], runs[smallest]
    speed = ratio(get(big["export"], "wall_seconds"), get(big["import"], "wall_seconds"))
    flat = ratio(get(big["export"], "max_rss_kb"), get(small["export"], "max_rss_kb")) if largest != smallest else None
    lines += [
        "| target | measured | limit | result |",
        "| --- | ---: | ---: | --- |",
        f"| export time ÷ import time, {largest:,} materials | {num(speed, 3, '×')} | ≤ 1× | {verdict(speed, 1.0)} |",
        f"| export peak RSS at {largest:,} ÷ at {smallest:,} materials (memory flat) | {num(flat, 2, '×')} | ≤ {FLAT_MAX}× "
        f"| {verdict(flat, FLAT_MAX)} |",
        "",
    ]
    trip = get(small["round-trip"], "identical")
    if trip is not None:
        lines.append(f"- Round trip at {smallest:,}: the export imported into a fresh database and exported again is "
                     f"{'byte for byte the same' if trip else 'NOT the same'}.")
    per = [(s, ratio(get(runs[s]["export"], "wall_seconds"), s / 1000)) for s in sizes]
    per_import = [(s, ratio(get(runs[s]["import"], "wall_seconds"), s / 1000)) for s in sizes]
    lines.append("- Seconds per 1,000 materials, export: " + ", ".join(f"{num(v, 3)} at {s:,}" for s, v in per)
                 + "; import: " + ", ".join(f"{num(v, 3)} at {s:,}" for s, v in per_import) + ".")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
