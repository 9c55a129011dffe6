#!/usr/bin/env python3
"""Turns worksheets.py's JSON into a dated section of bench/RESULTS.md: machine facts, the command, per database the
saves per second with p50/p99 against the two references of the same run (GET /healthz over the same client; the
save's write transaction from Python), the lost-answers check, conflicts and errors, and what the server logged.

    report.py RESULT.json COMMAND >> bench/RESULTS.md
"""

import json
import os
import platform
import subprocess
import sys
import time

NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def sh(command):
    try:
        return subprocess.run(command, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:
        return "?"


def num(value, digits=0):
    return f"{value:,.{digits}f}".replace(",", " ")


def ms(summary, key):
    return num(summary[key], 1) if summary.get("n") else "–"


def cpu_per_request(sv):
    """The server's CPU time ÷ every request of the phase (saves, 409s, re-reads), in ms."""
    counts = sv["counts"]
    requests = counts.get("acknowledged", 0) + counts.get("conflicts", 0) + counts.get("re-reads", 0)
    return sv["server CPU (s)"] / requests * 1000 if requests else 0


def paced_line(sv):
    counts = sv["counts"]
    return (f"- Paced (each person a save every {sv['interval (s)']:g} s): {num(sv['acknowledged in the window'])} acknowledged in the timed "
            f"{sv['seconds']} s, p50 / p90 / p99 / max {ms(sv['saved latency ms'], 'p50')} / {ms(sv['saved latency ms'], 'p90')} / "
            f"{ms(sv['saved latency ms'], 'p99')} / {ms(sv['saved latency ms'], 'max')} ms; {num(counts.get('conflicts, shared items', 0))} conflicts on "
            f"shared items, {num(counts.get('conflicts, own items', 0))} on own items; errors {sv['error count']}"
            + (": " + "; ".join(f"{e['request']} → {e['status']} {e['body'][:120]!r}" for e in sv["errors"][:5]) if sv["errors"] else "")
            + f"; server CPU {sv['server CPU (s)']:.1f} s in {sv['wall (s)']:.1f} s ({sv['server CPU (s)'] / sv['wall (s)']:.0%} of its core).")


def main():
    result = json.load(open(sys.argv[1]))
    command = sys.argv[2] if len(sys.argv) > 2 else "bench/worksheets/run"
    s = result["settings"]
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    memory = sh("free -g | awk '/Mem/ {print $2}'")
    dirty = " (with uncommitted changes)" if sh("git status --porcelain --untracked-files=no") else ""
    people, seconds = s["people"], s["seconds"]
    lines = [
        f"## Worksheets: {people} people saving answers of one worksheet — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu}), {memory} GB, {platform.system()} {platform.release()}; "
        f"{sh('swift --version 2>&1 | head -n1')}; Python {platform.python_version()}; SQLite reference {result['sqlite reference']} (apsw); "
        f"{sh('psql --version')}. Commit {sh('git rev-parse --short HEAD')}{dirty}. Load average (1 min) at the start "
        f"{result['load average']['start'][0]:.2f}, at the end {result['load average']['end'][0]:.2f} (other work on the machine shows here).",
        "",
        f"Command: `{command}`. Per database a new database; a school (`samspil organisations import`), {people} accounts "
        f"(`samspil user create`) made teachers of it (`samspil organisations member`), each logged in through the form with a session "
        f"of their own. One worksheet owned by the school, of a tool with {s['shared_items']} shared reflection items and one reflection "
        f"item per person ({s['shared_items'] + people} items; the four seed tools have at most 16 items that take an answer, so the "
        "benchmark adds this tool to its private copy of `Seed/tools.json`, which the app checks and stores as it does the seed tools). "
        f"The server (release build, `LOG_LEVEL=warning`) runs pinned to core 0; the client (Python asyncio, one keep-alive connection "
        f"per person) and the references on core 1; PostgreSQL (scripts/with-postgres: fsync off) unpinned.",
        "",
        f"Load: all {people} people at once, each on a keep-alive connection of their own: `POST "
        "/arbejdsark/<id>/punkter/<item>` with `Accept: application/json`, `_csrf`, `basedOn` = the revision the person last saw and a "
        f"unique text of about {s['text_chars']} characters (\"person-17 save-233 …\"); their own item, or with probability "
        f"{s['shared_share']:.0%} one of the shared items, where 409 is the expected answer when someone saved it since — the person "
        f"then reads the item's page again (as the script sends them there) and saves over the newer revision next time. "
        + (f"First paced — each person a save every {s['paced']:g} s (or as soon as the last was answered, if that took longer), what "
           "a script saving as people type might send — then as fast as they can: each person's next save as soon as the last was "
           f"answered, the most the server takes from {people} people (there the latency is mostly waiting in line: about people ÷ rate). "
           if s.get("paced") else "Each person's next save as soon as the last was answered. ")
        + f"Each phase {s['warmup']:g} s of saving untimed, then {seconds} s timed; a save counts in the rates and percentiles when it was sent and "
        "answered within the timed window. Lost answers: afterwards every acknowledged save (warm-up included) is looked up in "
        "`worksheet_answer_events` by (worksheet, item, revision) and must hold exactly the text sent; no revision may be acknowledged "
        "twice; each item's `worksheet_answers` row must be its last acknowledged save.",
        "",
        f"References, same run, same database: (1) `GET /healthz` from the same client over {people} connections for "
        f"{s['reference_seconds']} s before the load — the floor of HTTP and the client, no database; (2) after the server stopped, the "
        "save's write transaction as `WorksheetSaving.saveAnswer` sends it (on SQLite `writeTransaction`'s claiming UPDATE; the "
        "`UPDATE worksheet_answers … WHERE revision = ? RETURNING revision`; the `INSERT` into `worksheet_answer_events`) from Python "
        f"for {s['reference_seconds']} s, each connection saving its own items in turn — SQLite: one connection (`apsw`, WAL, "
        "synchronous = FULL, as the app; the app's writes take turns as well), PostgreSQL: as many connections as the app held. "
        "The app does more per save than (2): it reads the session, the person's memberships, the worksheet and its tool's "
        "definition before, and every answer of the worksheet after (for the progress it answers). Ratios are app ÷ reference.",
        "",
        "| database | load | saves/s | p50 ms | p99 ms | 409s (shared items) | errors | server CPU per request | `/healthz` /s | "
        "saves ÷ `/healthz` | write transactions /s | saves ÷ write |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    verdicts = []
    for run in result["runs"]:
        name = NAMES[run["backend"]]
        h, w, c = run["healthz"], run["write reference"], run["check"]
        phases = ([(f"each every {s['paced']:g} s ({people / s['paced']:g}/s offered)", run["paced saves"], False)] if run.get("paced saves") else []) \
            + [("as fast as they can", run["saves"], True)]
        errors = 0
        for label, sv, ratios in phases:
            counts = sv["counts"]
            errors += sv["error count"]
            lines.append(f"| {name} | {label} | {num(sv['acknowledged per second'])} | {ms(sv['saved latency ms'], 'p50')} | "
                         f"{ms(sv['saved latency ms'], 'p99')} | {num(counts.get('conflicts', 0))} | {sv['error count']} | {cpu_per_request(sv):.1f} ms | "
                         + (f"{num(h['per second'])} | {sv['acknowledged per second'] / h['per second']:.3f} | {num(w['per second'])} | "
                            f"{sv['acknowledged per second'] / w['per second']:.2f} |" if ratios else "| | | |"))
        lost = len(c["lost"])
        verdicts.append((f"{name}: lost answers (acknowledged saves missing from the history or with another text)", lost, lost == 0))
        others = sum(len(c[k]) for k in ("different text", "revision acknowledged twice", "current answer not the last acknowledged"))
        verdicts.append((f"{name}: other disagreements (text differs, a revision acknowledged twice, current answer not the last save)", others, others == 0))
        verdicts.append((f"{name}: errors (answers other than 200 and 409, timeouts, broken connections)", errors, errors == 0))
        wrong = sum(sv["counts"].get("conflicts, own items", 0) for _, sv, _ in phases)
        verdicts.append((f"{name}: 409 on a person's own item (no one else saves it, so a refused save is a wrong one)", wrong, wrong == 0))
    lines.append("")
    for run in result["runs"]:
        name = NAMES[run["backend"]]
        sv, h, w, c = run["saves"], run["healthz"], run["write reference"], run["check"]
        counts = sv["counts"]
        timeline = sv["timeline"]
        lines += [f"### {name}", "",
                  *([paced_line(run["paced saves"])] if run.get("paced saves") else []),
                  f"- As fast as they can: {num(sv['acknowledged in the window'])} acknowledged in the timed {sv['seconds']} s, min {min(timeline)} and max "
                  f"{max(timeline)} in one second of it; with the warm-up {num(counts.get('acknowledged', 0))} ({num(counts.get('acknowledged, own items', 0))} "
                  f"of own items, {num(counts.get('acknowledged, shared items', 0))} of shared items). "
                  f"Latency of acknowledged saves p50 / p90 / p99 / max {ms(sv['saved latency ms'], 'p50')} / {ms(sv['saved latency ms'], 'p90')} / "
                  f"{ms(sv['saved latency ms'], 'p99')} / {ms(sv['saved latency ms'], 'max')} ms.",
                  f"- Conflicts (as fast as they can): {num(counts.get('conflicts, shared items', 0))} on shared items, {num(counts.get('conflicts, own items', 0))} on own items "
                  f"(expected 0: no one else saves them); a 409's p50 / p99 {ms(sv['conflict latency ms'], 'p50')} / {ms(sv['conflict latency ms'], 'p99')} ms; "
                  f"{num(counts.get('re-reads', 0))} re-reads of an item's page after a conflict, p50 / p99 {ms(sv['re-read latency ms'], 'p50')} / "
                  f"{ms(sv['re-read latency ms'], 'p99')} ms.",
                  f"- Errors (as fast as they can): {sv['error count']}" + (": " + "; ".join(f"{e['request']} → {e['status']} {e['body'][:120]!r}" for e in sv["errors"][:5]) if sv["errors"] else "") + ".",
                  f"- Lost answers (both phases): **lost: {len(c['lost'])}** of {num(c['acknowledged'])} acknowledged saves; {len(c['different text'])} with another text; "
                  f"{len(c['revision acknowledged twice'])} revisions acknowledged twice; {len(c['current answer not the last acknowledged'])} items whose "
                  f"current answer is not their last acknowledged save ({c['items with answers']} items answered); history rows {num(c['events'])}, of them "
                  f"{len(c['in the history but not acknowledged'])} not acknowledged to the client; {len(c['duplicate events'])} duplicate history rows.",
                  f"- `/healthz`: {num(h['per second'])}/s over {people} connections, p50 / p99 {ms(h['latency ms'], 'p50')} / {ms(h['latency ms'], 'p99')} ms"
                  + (f", errors {h['errors']}" if h["errors"] else "") + ".",
                  f"- Write reference: {num(w['per second'])} transactions/s over {w['connections']} connection(s), p50 / p99 "
                  f"{ms(w['latency ms'], 'p50')} / {ms(w['latency ms'], 'p99')} ms" + (f"; {w['failure count']} failed: {w['failures'][:3]}" if w["failure count"] else "") + ".",
                  f"- Server: {sv['server CPU (s)']:.1f} s of CPU during the {sv['wall (s)']:.1f} s of saving as fast as they can (warm-up included; "
                  f"{sv['server CPU (s)'] / sv['wall (s)']:.0%} of its one core); peak RSS "
                  f"{run['server VmHWM MiB']:.0f} MiB; CPU per request = that CPU ÷ every request of the saving (saves, 409s, re-reads). Setup: accounts and memberships {run['prepare (s)']:.1f} s, {people} logins {run['log in (s)']:.1f} s."]
        if run.get("postgres counters during the load"):
            pc = run["postgres counters during the load"]
            saves = counts.get("acknowledged", 0) + counts.get("conflicts", 0)
            lines.append(f"- PostgreSQL during the saving, about ({run['app connections']} app connections; `pg_stat_database` before the load and after the server stopped): {num(pc['commits'])} commits, "
                         f"{num(pc['rollbacks'])} rollbacks, {num(pc['rows returned'])} rows returned, {num(pc['rows inserted'])} inserted, "
                         f"{num(pc['rows updated'])} updated — {pc['commits'] / max(1, saves + counts.get('re-reads', 0)):.1f} commits (each statement "
                         "outside a transaction is one) per request.")
        if run.get("database MB"):
            lines.append(f"- Database file with its WAL at the end: {run['database MB']:.1f} MB.")
        log = run["server log"]
        if log["trouble lines"]:
            lines += [f"- Server log: {log['trouble lines']} lines of trouble out of {log['lines']}; most common:", "", "  ```",
                      *(f"  {n}× {kind}" for kind, n in log["kinds"]), "  ```", "", "  First lines:", "", "  ```",
                      *(f"  {line[:300]}" for line in log["excerpts"]), "  ```"]
        else:
            lines.append(f"- Server log: no errors or warnings ({log['lines']} lines at `LOG_LEVEL=warning`).")
        lines.append("")
    lines += ["Issue 14 (\"0 lost answers: every acknowledged save present at the end\"), and no errors under the load:", "",
              "| check | found | result |", "| --- | ---: | --- |"]
    for label, found, ok in verdicts:
        lines.append(f"| {label} | {found} | {'PASS' if ok else '**FAIL**'} |")
    met = sum(1 for v in verdicts if v[2])
    lines += ["", f"{met} of {len(verdicts)} checks passed.", ""]
    print("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
