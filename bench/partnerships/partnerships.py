#!/usr/bin/env python3
"""The partnership benchmark's driver (bench/partnerships/run builds and calls it, under scripts/with-postgres): for each
database, store one municipality's 10,000 partnerships and 100,000 activities, start `samspil serve` pinned to core 0,
log in as the municipality's coordinator and measure the coordinator's list (a page of 50: first, filtered, deep) and
its CSV export of all over one keep-alive connection from core 1; then, in the same run against the same database, the
reference: the very statements CoordinatorList.rows sends, run by Python (sqlite3, psycopg) and, for the export, turned
into the same CSV by Python's csv module. Also the plans (EXPLAIN QUERY PLAN / EXPLAIN ANALYZE). Prints one JSON
document; report.py turns it into a section of bench/RESULTS.md.

    partnerships.py --bin .build/release --backends sqlite,postgres [--partnerships 10000] [--activities 100000]
"""

import argparse
import csv
import datetime
import hashlib
import http.client
import http.cookiejar
import io
import json
import math
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
EMAIL = "koordinator@bench.example"
PASSWORD = "en lang og hemmelig sætning til benchmark"
SLUG = "koebenhavn"
LIST = f"/partnerskaber/kommune/{SLUG}"
CSV_PATH = f"{LIST}/partnerskaber.csv"
PAGE_SIZE = 50
TIME_FIELDS = {"created_at", "updated_at", "added_at", "publish_consent_at", "starts_at", "ends_at", "published_at"}


def log(message):
    print(f"[partnerships {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------ the list's filters

def pages(partnerships):
    """The list pages measured: name → (query string items, the filter as CoordinatorList.Filter has it)."""
    last = max(1, math.ceil(partnerships / PAGE_SIZE))
    return {
        "first page": ({}, {}),
        "filtered: tilstand=aktiv, skoleaar=2026/27": ({"tilstand": "aktiv", "skoleaar": "2026/27"}, {"state": "aktiv", "year": "2026/27"}),
        "filtered: form, laeringsmiljoe": ({"form": "specialudviklet-forloeb", "laeringsmiljoe": "kulturhistoriske-museer"},
                                           {"form": "specialudviklet-forloeb", "kind": "kulturhistoriske-museer"}),
        f"deep page (side={last}, the last)": ({"side": str(last)}, {"page": last}),
    }


# ------------------------------------------------------------------------------------------------ the app's statements

class Statements:
    """CoordinatorList.rows's SQL (commit of this benchmark), with `?` placeholders; `postgres` turns them into %s."""

    def __init__(self, postgres):
        self.postgres = postgres

    def condition(self, f):
        sql = ('p.id IN (SELECT pp.partnership_id FROM "partnership_parties" pp JOIN "organisations" o ON o.id = pp.organisation_id '
               'WHERE o.municipality_code = ? AND o.kind IN (?, ?))')
        binds = [generate.MUNICIPALITY_CODE, "skole", "kommune"]
        if "state" in f:
            sql += " AND p.state = ?"
            binds.append(f["state"])
        if "form" in f:
            sql += " AND p.form = ?"
            binds.append(f["form"])
        if "year" in f:
            sql += " AND (',' || p.school_years || ',') LIKE ?"
            binds.append(f"%,{f['year']},%")
        if "kind" in f:
            sql += (' AND p.id IN (SELECT pp.partnership_id FROM "partnership_parties" pp JOIN "organisations" o ON o.id = pp.organisation_id '
                    'WHERE o.environment_kind = ?)')
            binds.append(f["kind"])
        return sql, binds

    def q(self, sql, binds):
        return (sql.replace("?", "%s"), binds) if self.postgres else (sql, binds)

    def found(self, f, limit):
        where, binds = self.condition(f)
        sql = (f'SELECT p.id, p.slug, p.title, p.state, p.form, p.school_years, p.updated_at FROM "partnerships" p WHERE {where} '
               'ORDER BY p.updated_at DESC, p.id DESC')
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            binds = binds + [limit, (f.get("page", 1) - 1) * limit]
        return self.q(sql, binds)

    def count(self, f):
        where, binds = self.condition(f)
        return self.q(f'SELECT COUNT(*) AS n FROM "partnerships" p WHERE {where}', binds)

    def which(self, f, ids):
        if ids is None:
            where, binds = self.condition(f)
            return f'partnership_id IN (SELECT p.id FROM "partnerships" p WHERE {where})', binds
        return f"partnership_id IN ({', '.join('?' for _ in ids)})", list(ids)

    def parties(self, f, ids):
        which, binds = self.which(f, ids)
        return self.q('SELECT pp.partnership_id, o.name, o.kind FROM "partnership_parties" pp JOIN "organisations" o ON o.id = pp.organisation_id '
                      f'WHERE pp.{which} ORDER BY pp.partnership_id, pp.position', binds)

    def counts(self, f, ids):
        which, binds = self.which(f, ids)
        return self.q("SELECT partnership_id, COUNT(*) AS activities, "
                      "CAST(SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS BIGINT) AS held, "
                      "CAST(SUM(CASE WHEN status = ? THEN COALESCE(pupils, 0) ELSE 0 END) AS BIGINT) AS pupils "
                      f'FROM "partnership_activities" WHERE {which} GROUP BY partnership_id', ["gennemfoert", "gennemfoert"] + binds)


class Proposed(Statements):
    """The change this benchmark proposes (see bench/RESULTS.md), measured on the same database after
    `CREATE INDEX partnerships_updated_idx ON partnerships (updated_at, id)`:

    - newest first as `ORDER BY p.updated_at DESC, p.id DESC`, so that index serves it read backwards on both databases;
    - a page sorts only ids (`… JOIN (SELECT p.id … LIMIT ? OFFSET ?) page`) and reads its 50 rows after;
    - in that page subquery on SQLite, `+p.id IN (…)` for the municipality's term: SQLite then walks the index newest
      first and probes the list, instead of looking up every listed partnership by its TEXT primary key and sorting
      them all (the count and the export keep the plain term: the hint makes them slower).
    The count, the parties and the activity counts are unchanged."""

    ORDER = "p.updated_at DESC, p.id DESC"
    INDEX = 'CREATE INDEX IF NOT EXISTS partnerships_updated_idx ON "partnerships" (updated_at, id)'

    def found(self, f, limit):
        where, binds = self.condition(f)
        columns = "p.id, p.slug, p.title, p.state, p.form, p.school_years, p.updated_at"
        if limit is None:
            return self.q(f'SELECT {columns} FROM "partnerships" p WHERE {where} ORDER BY {self.ORDER}', binds)
        if not self.postgres:
            where = "+" + where
        return self.q(f'SELECT {columns} FROM "partnerships" p JOIN (SELECT p.id AS page_id FROM "partnerships" p WHERE {where} '
                      f'ORDER BY {self.ORDER} LIMIT ? OFFSET ?) page ON page.page_id = p.id ORDER BY {self.ORDER}',
                      binds + [limit, (f.get("page", 1) - 1) * limit])


def run_rows(db, st, f, limit, timings=None):
    """CoordinatorList.rows in Python: the same statements in the same order; returns (rows, total)."""
    def timed(name, statement):
        start = time.perf_counter()
        cursor = db.cursor()
        cursor.execute(*statement)
        result = cursor.fetchall()
        if timings is not None:
            timings.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        return result

    found = timed("rows", st.found(f, limit))
    if limit is None or (f.get("page", 1) == 1 and len(found) < limit):
        total = len(found)
    else:
        total = timed("count", st.count(f))[0][0]
    if not found:
        return [], total
    ids = None if limit is None else [r[0] for r in found]
    parties = timed("parties", st.parties(f, ids))
    counts = timed("activity counts", st.counts(f, ids))
    rows = {r[0]: {"row": r, "parties": [], "counts": (0, 0, 0)} for r in found}
    for pid, name, kind in parties:
        if pid in rows:
            rows[pid]["parties"].append((name, kind))
    for pid, n, held, pupils in counts:
        if pid in rows:
            rows[pid]["counts"] = (n, held or 0, pupils or 0)
    return [rows[r[0]] for r in found], total


STATE_LABELS = {"ide": "Idé", "i-dialog": "I dialog", "aftalt": "Aftalt", "aktiv": "Aktiv", "evalueret": "Evalueret",
                "afsluttet": "Afsluttet", "fornyet": "Fornyet", "opgivet": "Opgivet"}
FORM_NAMES = {"abonnementsordning": "Abonnementsordning", "specialudviklet-forloeb": "Specialudviklet forløb",
              "fleraarigt-partnerskab": "Flerårigt partnerskab", "enkeltstaaende-projekt": "Enkeltstående projekt",
              "strategisk-kommunalt-partnerskab": "Strategisk kommunalt partnerskab"}
CSV_HEADER = ["Titel", "Tilstand", "Form", "Skoleår", "Parter", "Skoler", "Læringsmiljøer", "Aktiviteter", "Gennemførte aktiviteter",
              "Elever i gennemførte aktiviteter", "Senest ændret", "Adresse"]


def plain_csv(rows, base):
    """The export's CSV made plainly from the rows: the same columns, `;`, CRLF, BOM."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in rows:
        _, slug, title, state, form, years, updated = r["row"]
        if isinstance(updated, datetime.datetime):
            updated = updated.timestamp()
        # As Foundation's ISO8601DateFormatter: milliseconds rounded, then left out (…:06.9996 is …:07).
        updated = datetime.datetime.fromtimestamp(math.floor(round(updated, 3)), datetime.timezone.utc)
        names = [n for n, _ in r["parties"]]
        writer.writerow([title, STATE_LABELS.get(state, state), FORM_NAMES.get(form, form), years.replace(",", ", "), ", ".join(names),
                         ", ".join(n for n, k in r["parties"] if k == "skole"), ", ".join(n for n, k in r["parties"] if k == "laeringsmiljoe"),
                         r["counts"][0], r["counts"][1], r["counts"][2], updated.strftime("%Y-%m-%dT%H:%M:%SZ"), f"{base}/partnerskaber/{slug}"])
    return out.getvalue()


# ------------------------------------------------------------------------------------------------ databases

def connect(backend, database):
    if backend == "sqlite":
        # apsw bundles the same SQLite release as the app's SQLiteNIO (3.54.1), so plans and timings are that release's.
        import apsw
        db = apsw.Connection(database[len("sqlite://"):])
        db.execute("PRAGMA cache_size = -32768")   # as DatabaseSetup.configureSQLite
        db.execute("PRAGMA temp_store = MEMORY")
        return db
    import psycopg
    # Never a named prepared statement (psycopg's default is one after 5 runs, which PostgreSQL then plans generically,
    # blind to LIMIT/OFFSET): PostgresNIO sends each statement unnamed, so the app always gets a plan for its values.
    return psycopg.connect(database, autocommit=True, prepare_threshold=None)


def sqlite_versions():
    """The SQLite release the app bundles (SQLiteNIO's sqlite3.h in the checkout) and the reference's."""
    import glob
    app = None
    for header in glob.glob(os.path.join(os.path.dirname(os.path.dirname(HERE)), ".build/checkouts/sqlite-nio/Sources/*/include/*sqlite3.h")):
        match = re.search(r'#define SQLITE_VERSION\s+"([^"]+)"', open(header, encoding="utf-8", errors="replace").read())
        app = match.group(1) if match else app
    try:
        import apsw
        reference = apsw.sqlite_lib_version()
    except ImportError:
        reference = None
    return {"app": app, "reference": reference}


def sqlite_value(value):
    return str(value).upper() if isinstance(value, uuid.UUID) else value


def postgres_value(field, value):
    if value is None:
        return "\\N"
    if field in TIME_FIELDS:
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc).isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def load(backend, database, tables, coordinator, municipality, folder):
    """Inserts the generated rows in one transaction; makes the account a member with the coordinator's role."""
    now = generate.NOW
    membership = {"id": uuid.uuid4(), "created_at": now, "user_id": coordinator, "organisation_id": municipality, "role": "koordinator"}
    if backend == "sqlite":
        db = sqlite3.connect(database[len("sqlite://"):], isolation_level=None)
        db.execute("BEGIN")
        for table, rows in tables:
            columns = list(rows[0])
            db.executemany(f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" for _ in columns)})',
                           ([sqlite_value(r[c]) for c in columns] for r in rows))
        db.execute("UPDATE users SET role = 'member' WHERE email = ?", (EMAIL,))
        db.execute("INSERT INTO memberships (id, created_at, user_id, organisation_id, role) VALUES (?, ?, ?, ?, ?)",
                   [sqlite_value(membership[c]) for c in ("id", "created_at", "user_id", "organisation_id", "role")])
        db.execute("COMMIT")
        db.close()
        return
    script = ["\\set ON_ERROR_STOP on", "BEGIN;"]
    for table, rows in tables + [("memberships", [membership])]:
        columns = list(rows[0])
        path = os.path.join(folder, f"{table}.tsv")
        with open(path, "w", encoding="utf-8") as out:
            for r in rows:
                out.write("\t".join(postgres_value(c, r[c]) for c in columns) + "\n")
        script.append(f"\\copy \"{table}\" ({', '.join(columns)}) FROM '{path}'")
    script += [f"UPDATE users SET role = 'member' WHERE email = '{EMAIL}';", "COMMIT;",
               # What autovacuum does soon after a bulk insert; without it the planner guesses the tables' sizes.
               "ANALYZE;"]
    subprocess.run(["psql", "-q", "-X", database], input="\n".join(script) + "\n", text=True, check=True, stdout=subprocess.DEVNULL)


def organisation_ids(backend, database):
    db = connect(backend, database)
    cursor = db.cursor()
    cursor.execute("SELECT name, id FROM organisations WHERE name LIKE 'Bench%'")
    found = {name: (str(i).upper() if backend == "sqlite" else i) for name, i in cursor.fetchall()}
    cursor.execute("SELECT id FROM organisations WHERE kind = 'kommune' AND municipality_code = '0101'")
    found["municipality"] = cursor.fetchone()[0]
    cursor.execute("SELECT id FROM users WHERE email = %s" if backend == "postgres" else "SELECT id FROM users WHERE email = ?", (EMAIL,))
    coordinator = cursor.fetchone()[0]
    db.close()
    return found, coordinator


def table_sizes(backend, database):
    db = connect(backend, database)
    cursor = db.cursor()
    sizes = {}
    for table in ("partnerships", "partnership_parties", "partnership_activities", "organisations"):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        sizes[table] = cursor.fetchone()[0]
    if backend == "sqlite":
        sizes["database MB"] = os.path.getsize(database[len("sqlite://"):]) / 1e6
    else:
        cursor.execute("SELECT pg_database_size(current_database())")
        sizes["database MB"] = cursor.fetchone()[0] / 1e6
    db.close()
    return sizes


def prepare(backend, database, args, folder):
    binary = os.path.join(args.bin, "samspil")
    env = dict(os.environ, DATABASE_URL=database, LOG_LEVEL="error", SAMSPIL_BCRYPT_COST="10")
    organisations = os.path.join(folder, "organisations.csv")
    generate.organisations_csv(organisations, args.schools, args.environments, args.seed)
    started = time.perf_counter()
    subprocess.run([binary, "organisations", "import", organisations], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run([binary, "user", "create", "--name", "Kim Koordinator", "--password-stdin", EMAIL], input=PASSWORD + "\n",
                   text=True, check=True, env=env, stdout=subprocess.DEVNULL)
    imported = time.perf_counter() - started
    ids, coordinator = organisation_ids(backend, database)
    started = time.perf_counter()
    partnerships, parties, activities = generate.rows(ids, args.partnerships, args.activities, args.seed)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    load(backend, database, [("partnerships", partnerships), ("partnership_parties", parties), ("partnership_activities", activities)],
         coordinator, ids["municipality"], folder)
    loaded = time.perf_counter() - started
    return {"organisations import + account (s)": imported, "generate rows (s)": generated, "bulk insert (s)": loaded,
            "sizes": table_sizes(backend, database)}


# ------------------------------------------------------------------------------------------------ the server

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, process, seconds=300):
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


def start_server(binary, database, port, log_path):
    env = dict(os.environ, DATABASE_URL=database, SAMSPIL_PUBLIC_URL=f"http://127.0.0.1:{port}", LOG_LEVEL="warning",
               SAMSPIL_BCRYPT_COST="10", SAMSPIL_MAIL="log")
    process = subprocess.Popen(["taskset", "-c", "0", binary, "serve", "--port", str(port)], env=env,
                               stdout=open(log_path, "ab"), stderr=subprocess.STDOUT)
    wait_for(f"http://127.0.0.1:{port}/healthz", process)
    return process


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_in(base):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/log-ind", timeout=30).read().decode()
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"email": EMAIL, "password": PASSWORD, "_csrf": token, "naeste": LIST}).encode()
    opener.open(urllib.request.Request(base + "/log-ind", data=data, headers={"Origin": base}), timeout=60).read()
    session = [c for c in jar if c.name.endswith("samspil-session")]
    if not session:
        raise RuntimeError("the coordinator's login failed")
    return f"{session[0].name}={session[0].value}"


class Client:
    """One keep-alive connection; times each request from sending it to the last byte of the body."""

    def __init__(self, port, cookie):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.headers = {"Cookie": cookie} if cookie else {}

    def get(self, path):
        start = time.perf_counter()
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status} {body[:300]!r}")
        return elapsed, body


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(values):
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95), "p99": percentile(values, 99),
            "mean": statistics.fmean(values), "min": min(values), "max": max(values)}


def path_of(query):
    return LIST + ("?" + urllib.parse.urlencode(query) if query else "")


def html_total(body):
    match = re.search(r"<p>([\d.]+) partnerskaber\. ", body.decode())
    return int(match.group(1).replace(".", "")) if match else None


# ------------------------------------------------------------------------------------------------ plans

def plans(backend, database, st, partnerships, only=None):
    """EXPLAIN QUERY PLAN (SQLite) / EXPLAIN (ANALYZE, BUFFERS) (PostgreSQL) of the first page's and the export's statements."""
    db = connect(backend, database)
    cursor = db.cursor()
    cursor.execute(*st.found({}, PAGE_SIZE))
    ids = [r[0] for r in cursor.fetchall()]
    statements = {"first page: rows": st.found({}, PAGE_SIZE), "first page: count": st.count({}),
                  "first page: parties": st.parties({}, ids), "first page: activity counts": st.counts({}, ids),
                  "deep page: rows": st.found({"page": max(1, math.ceil(partnerships / PAGE_SIZE))}, PAGE_SIZE),
                  "export: rows": st.found({}, None), "export: parties": st.parties({}, None), "export: activity counts": st.counts({}, None)}
    if only:
        statements = {k: v for k, v in statements.items() if k in only}
    out = {}
    for name, (sql, binds) in statements.items():
        if backend == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, binds)
            levels = {0: -1}   # a row's indentation is its parent's plus one
            lines = []
            for node, parent, _, detail in cursor.fetchall():
                levels[node] = levels.get(parent, -1) + 1
                lines.append("  " * levels[node] + detail)
            out[name] = "\n".join(lines)
        else:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, binds)
            out[name] = "\n".join(r[0] for r in cursor.fetchall())
    db.close()
    return out


# ------------------------------------------------------------------------------------------------ one database

def run_backend(args, backend, database, folder):
    log(f"{backend}: preparing {args.partnerships} partnerships, {args.activities} activities")
    result = {"backend": backend, "prepare": prepare(backend, database, args, folder)}
    log(f"{backend}: {result['prepare']['sizes']}")
    st = Statements(postgres=backend == "postgres")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(os.path.join(args.bin, "samspil"), database, port, os.path.join(folder, f"server-{backend}.log"))
    measured = {}
    try:
        cookie = log_in(base)
        client = Client(port, cookie)
        floor = Client(port, None)
        for _ in range(args.warmup):
            floor.get("/healthz")
        measured["/healthz"] = summary([floor.get("/healthz")[0] for _ in range(args.requests)])
        checks = {}
        for name, (query, _) in pages(args.partnerships).items():
            path = path_of(query)
            for _ in range(args.warmup):
                _, body = client.get(path)
            checks[name] = {"path": path, "total shown": html_total(body), "bytes": len(body)}
            measured[name] = summary([client.get(path)[0] for _ in range(args.requests)])
            log(f"{backend}: {name}: p50 {measured[name]['p50']:.2f} ms, p95 {measured[name]['p95']:.2f} ms")
        client.get(CSV_PATH)
        times, body = [], b""
        for _ in range(args.exports):
            elapsed, body = client.get(CSV_PATH)
            times.append(elapsed)
        measured["export (all, CSV)"] = summary(times)
        checks["export (all, CSV)"] = {"path": CSV_PATH, "rows": body.count(b"\r\n") - 1, "bytes": len(body),
                                       "sha256": hashlib.sha256(body).hexdigest()}
        log(f"{backend}: export: median {statistics.median(times):.0f} ms, {checks['export (all, CSV)']['rows']} rows")
        with open(f"/proc/{server.pid}/status") as status:
            result["server VmHWM MiB"] = int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1)) / 1024
    finally:
        stop(server)
    result["app"] = measured
    result["checks"] = checks

    # The reference, on the same database right after: the same statements from Python.
    log(f"{backend}: reference")
    db = connect(backend, database)
    reference, statements, order = {}, {}, {}
    for name, (_, f) in pages(args.partnerships).items():
        for _ in range(args.warmup):
            rows, total = run_rows(db, st, f, PAGE_SIZE)
        timings, times = {}, []
        for _ in range(args.requests):
            start = time.perf_counter()
            run_rows(db, st, f, PAGE_SIZE, timings)
            times.append((time.perf_counter() - start) * 1000)
        reference[name] = summary(times)
        statements[name] = {k: statistics.median(v) for k, v in timings.items()}
        checks[name]["reference total"] = total
        checks[name]["reference rows"] = len(rows)
        order[name] = [r["row"][0] for r in rows]
    rows, _ = run_rows(db, st, {}, None)
    times, csv_times, timings = [], [], {}
    for _ in range(args.exports):
        start = time.perf_counter()
        rows, _ = run_rows(db, st, {}, None, timings)
        middle = time.perf_counter()
        text = plain_csv(rows, base)
        end = time.perf_counter()
        times.append((end - start) * 1000)
        csv_times.append((end - middle) * 1000)
    reference["export (all, CSV)"] = summary(times)
    statements["export (all, CSV)"] = {k: statistics.median(v) for k, v in timings.items()} | {"Python csv": statistics.median(csv_times)}
    checks["export (all, CSV)"]["reference rows"] = len(rows)
    order["export (all, CSV)"] = [r["row"][0] for r in rows]
    checks["export (all, CSV)"]["reference bytes"] = len(text.encode())
    checks["export (all, CSV)"]["same bytes as the reference"] = hashlib.sha256(text.encode()).hexdigest() == checks["export (all, CSV)"]["sha256"]
    db.close()
    result["reference"] = reference
    result["reference statements (median ms)"] = statements
    log(f"{backend}: plans")
    result["plans"] = plans(backend, database, st, args.partnerships)
    if args.proposal:
        result["proposal"] = proposal(backend, database, args, order)
    return result


def proposal(backend, database, args, order):
    """The proposed statements (class Proposed) on the same database with the proposed index, timed as the reference was."""
    log(f"{backend}: proposal")
    db = connect(backend, database)
    db.execute(Proposed.INDEX)
    if backend == "postgres":
        db.execute('ANALYZE "partnerships"')
    st = Proposed(postgres=backend == "postgres")
    timed, statements, same = {}, {}, {}
    for name, (_, f) in pages(args.partnerships).items():
        for _ in range(args.warmup):
            rows, _ = run_rows(db, st, f, PAGE_SIZE)
        timings, times = {}, []
        for _ in range(args.requests):
            start = time.perf_counter()
            run_rows(db, st, f, PAGE_SIZE, timings)
            times.append((time.perf_counter() - start) * 1000)
        timed[name] = summary(times)
        statements[name] = {k: statistics.median(v) for k, v in timings.items()}
        same[name] = [r["row"][0] for r in rows] == order[name]
    times, timings = [], {}
    for _ in range(args.exports):
        start = time.perf_counter()
        rows, _ = run_rows(db, st, {}, None, timings)
        plain_csv(rows, "http://127.0.0.1")   # as the reference's export, so the two compare
        times.append((time.perf_counter() - start) * 1000)
    timed["export (all, CSV)"] = summary(times)
    statements["export (all, CSV)"] = {k: statistics.median(v) for k, v in timings.items()}
    same["export (all, CSV)"] = [r["row"][0] for r in rows] == order["export (all, CSV)"]
    db.close()
    return {"timed": timed, "statements (median ms)": statements, "same rows in the same order": same,
            "plans": plans(backend, database, st, args.partnerships, only={"first page: rows", "deep page: rows", "export: rows"})}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True, help="folder with the release samspil")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--partnerships", type=int, default=10000)
    parser.add_argument("--activities", type=int, default=100000)
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--environments", type=int, default=100)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per list page")
    parser.add_argument("--exports", type=int, default=7, help="timed exports")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-proposal", dest="proposal", action="store_false", help="skip timing the proposed index and statements")
    args = parser.parse_args()
    # The client and the reference on core 1; the server on core 0 (taskset in start_server).
    os.sched_setaffinity(0, {1})
    folder = tempfile.mkdtemp(prefix="bench-partnerships-")
    load_before = os.getloadavg()
    runs = []
    try:
        for backend in args.backends.split(","):
            if backend == "sqlite":
                database = f"sqlite://{folder}/partnerships.sqlite"
            elif backend == "postgres":
                database = os.environ.get("POSTGRES_TEST_URL")
                if not database:
                    raise SystemExit("partnerships.py: postgres needs POSTGRES_TEST_URL (run it under scripts/with-postgres)")
            else:
                raise SystemExit(f"partnerships.py: unknown backend {backend}")
            runs.append(run_backend(args, backend, database, folder))
    finally:
        subprocess.run(["rm", "-rf", folder])
    settings = {k: getattr(args, k) for k in ("partnerships", "activities", "schools", "environments", "requests", "exports", "warmup", "seed")}
    print(json.dumps({"settings": settings, "sqlite": sqlite_versions(), "load average": {"start": load_before, "end": os.getloadavg()}, "runs": runs}, indent=1, default=str))


if __name__ == "__main__":
    main()
