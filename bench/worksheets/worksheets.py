#!/usr/bin/env python3
"""The worksheet benchmark's driver (bench/worksheets/run builds and calls it, under scripts/with-postgres): for each
database, 50 people — each with an account, a membership of one school and a logged-in session of their own — save
answers to items of the same worksheet over HTTP from 50 keep-alive connections at once, first paced (a save per person
every 2 s) and then as fast as they can, 30 s each; every save a person's own item or, now and then, one of a few items
they all share (where 409 conflicts are expected). Then, on the
same database: every acknowledged save is looked for in the item's history (`worksheet_answer_events`) with the text
that was sent, and each item's current answer (`worksheet_answers`) must be the item's last acknowledged save.
In the same run, two references: `GET /healthz` over the same client and the same 50 connections (the HTTP floor),
and the save's write transaction — the statements `WorksheetSaving.saveAnswer` sends inside it — from Python on the
same database (the database floor). Prints one JSON document; report.py turns it into a section of bench/RESULTS.md.

    worksheets.py --bin DIR --backends sqlite,postgres [--people 50] [--seconds 30] [--paced 2] [--shared-items 4] [--shared-share 0.1]
"""

import argparse
import asyncio
import collections
import http.client
import http.cookiejar
import json
import math
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "en lang og hemmelig sætning til arbejdsarket"
SCHOOL = "Benchmarkskolen (arbejdsark)"
TOOL = "arbejdsark-benchmark"
# Text that pads each save's answer to a realistic reflection (the unique part comes first).
FILLER = ("Vi har aftalt, at eleverne besøger museet to gange i efteråret, og at læreren og formidleren mødes en uge før "
          "hvert besøg for at planlægge forløbet. Det fungerer godt, når vi på forhånd har afstemt, hvad eleverne skal "
          "lære, og hvem der gør hvad på dagen. Næste år vil vi gerne inddrage eleverne mere i planlægningen og give "
          "dem mulighed for at vise, hvad de har lært, for forældrene. Det kræver tid, som vi skal finde i skemaet. ")


def log(message):
    print(f"[worksheets {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else None


def summary(values):
    if not values:
        return {"n": 0}
    return {"n": len(values), "p50": percentile(values, 50), "p90": percentile(values, 90), "p99": percentile(values, 99),
            "max": max(values), "mean": statistics.fmean(values)}


def email(person):
    return f"person-{person + 1:02d}@bench.example"


def own_item(person):
    return f"person-{person + 1:02d}"


def shared_item(index):
    return f"faelles-{index + 1}"


# ------------------------------------------------------------------------------------------------ the tool

def install_tool(binary_dir, people, shared):
    """Adds the benchmark's tool to the private copy's Resources/Seed/tools.json: the seed tools have at most 16 items
    that take an answer, fewer than 50 people, so it has one reflection item per person ("Hver sit punkt") and a few
    that all share ("Fælles punkter"). The app checks it with ToolRules and stores it as it stores the seed tools."""
    path = os.path.join(binary_dir, "samspil_App.resources", "Resources", "Seed", "tools.json")
    tools = [t for t in json.load(open(path, encoding="utf-8")) if t["slug"] != TOOL]
    tools.append({
        "slug": TOOL,
        "title": "Arbejdsark til benchmark",
        "introduction": "Et værktøj, som bench/worksheets lægger i sin egen kopi af frøet: et fælles arbejdsark, hvor hver deltager har sit eget punkt.",
        "audiences": ["skoler"],
        "sections": [
            {"id": "faelles", "title": "Fælles punkter",
             "items": [{"id": shared_item(i), "kind": "refleksion", "text": f"Fælles spørgsmål {i + 1}: hvad har vi lært?"} for i in range(shared)]},
            {"id": "hver-sit", "title": "Hver sit punkt",
             "items": [{"id": own_item(p), "kind": "refleksion", "text": f"Deltager {p + 1}: hvad tager du med fra samarbejdet?"} for p in range(people)]},
        ],
    })
    with open(path, "w", encoding="utf-8") as out:
        json.dump(tools, out, ensure_ascii=False, indent=1)


# ------------------------------------------------------------------------------------------------ databases

def connect(backend, database, autocommit=True):
    if backend == "sqlite":
        import apsw   # the SQLite release the app bundles (3.54.1), as bench/partnerships uses
        db = apsw.Connection(database[len("sqlite://"):])
        db.setbusytimeout(10_000)
        return db
    import psycopg
    # Unnamed statements, as PostgresNIO sends them (psycopg would prepare named ones after 5 runs).
    return psycopg.connect(database, autocommit=autocommit, prepare_threshold=None)


def query(backend, database, sql, binds=()):
    db = connect(backend, database)
    try:
        cursor = db.cursor()
        cursor.execute(sql if backend == "sqlite" else sql.replace("?", "%s"), binds)
        return cursor.fetchall()
    finally:
        db.close()


def normal_uuid(value):
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, (bytes, bytearray)):
        return uuid.UUID(bytes=bytes(value))
    return uuid.UUID(str(value))


def prepare(backend, database, args, folder):
    """The school (organisations import), 50 accounts (user create) and their memberships (organisations member), all
    through the app's CLI; returns the school's id and slug."""
    binary = os.path.join(args.bin, "samspil")
    env = dict(os.environ, DATABASE_URL=database, LOG_LEVEL="error", SAMSPIL_BCRYPT_COST="10")
    header = ("type;navn;institutionsnummer;skoletype;laeringsmiljoe;kommune;adresse;postnummer;by;hjemmeside;telefon;email;"
              "beskrivelse;fag;klassetrin;tilgaengelighed;breddegrad;laengdegrad")
    csv_path = os.path.join(folder, "school.csv")
    with open(csv_path, "w", encoding="utf-8") as out:
        out.write(header + "\n" + f"skole;{SCHOOL};999901;folkeskole;;0101;Benchvej 1;2200;København N;;;;;;0, 1, 2, 3, 4, 5, 6, 7, 8, 9;;;\n")
    started = time.perf_counter()
    subprocess.run([binary, "organisations", "import", csv_path], check=True, env=env, stdout=subprocess.DEVNULL)
    school_id, slug = query(backend, database, "SELECT id, slug FROM organisations WHERE name = ?", (SCHOOL,))[0]
    for person in range(args.people):
        subprocess.run([binary, "user", "create", "--name", f"Deltager {person + 1}", "--password-stdin", email(person)],
                       input=PASSWORD + "\n", text=True, check=True, env=env, stdout=subprocess.DEVNULL)
        subprocess.run([binary, "organisations", "member", slug, email(person), "laerer"], check=True, env=env, stdout=subprocess.DEVNULL)
    return normal_uuid(school_id), slug, time.perf_counter() - started


def history(backend, database, worksheet):
    """The worksheet's answer history and current answers, as stored: {(item, revision): text}, {item: (revision, text)}."""
    events = collections.Counter()
    texts = {}
    for wid, item, revision, answer in query(backend, database, "SELECT worksheet_id, item_id, revision, answer FROM worksheet_answer_events"):
        if normal_uuid(wid) != worksheet:
            continue
        events[(item, revision)] += 1
        texts[(item, revision)] = json.loads(answer).get("text")
    current = {}
    for wid, item, revision, answer in query(backend, database, "SELECT worksheet_id, item_id, revision, answer FROM worksheet_answers"):
        if normal_uuid(wid) == worksheet:
            current[item] = (revision, json.loads(answer).get("text"))
    return events, texts, current


def check(acks, events, texts, current):
    """Every acknowledged save in the history with its exact text; no revision of an item acknowledged twice; each
    item's current answer its last acknowledged save; the history holds nothing that was not acknowledged."""
    lost, wrong, twice = [], [], []
    seen = {}
    for a in acks:
        key = (a["item"], a["revision"])
        if key in seen:
            twice.append({"item": a["item"], "revision": a["revision"], "first": seen[key], "second": a["text"][:40]})
        seen[key] = a["text"][:40]
        if key not in texts:
            lost.append({"item": a["item"], "revision": a["revision"], "text": a["text"][:40], "why": "not in worksheet_answer_events"})
        elif texts[key] != a["text"]:
            wrong.append({"item": a["item"], "revision": a["revision"], "sent": a["text"][:40], "stored": (texts[key] or "")[:40]})
    last = {}
    for a in acks:
        if a["item"] not in last or a["revision"] > last[a["item"]]["revision"]:
            last[a["item"]] = a
    final = []
    for item, a in sorted(last.items()):
        stored = current.get(item)
        if stored is None or stored[0] != a["revision"] or stored[1] != a["text"]:
            final.append({"item": item, "last acknowledged revision": a["revision"], "stored revision": stored[0] if stored else None,
                          "same text": bool(stored) and stored[1] == a["text"]})
    unacknowledged = sorted(f"{item}@{revision}" for (item, revision) in texts if (item, revision) not in seen)
    duplicates = sorted(f"{item}@{revision}" for (item, revision), n in events.items() if n > 1)
    return {"acknowledged": len(acks), "events": sum(events.values()), "lost": lost, "different text": wrong,
            "revision acknowledged twice": twice, "current answer not the last acknowledged": final,
            "in the history but not acknowledged": unacknowledged, "duplicate events": duplicates,
            "items with answers": len(current)}


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


def cpu_seconds(pid):
    """The process's user + system CPU time so far."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        return int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1)) / 1024


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def token(page):
    match = re.search(r'name="_csrf" value="([^"]+)"', page)
    if not match:
        raise RuntimeError("no CSRF field on the page")
    return match.group(1)


def log_in(base, person):
    """Logs the person in through the form; returns (cookie header, the session's CSRF token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/log-ind", timeout=30).read().decode()
    data = urllib.parse.urlencode({"email": email(person), "password": PASSWORD, "_csrf": token(page), "naeste": "/arbejdsark"}).encode()
    page = opener.open(urllib.request.Request(base + "/log-ind", data=data, headers={"Origin": base}), timeout=60).read().decode()
    session = [c for c in jar if c.name.endswith("samspil-session")]
    if not session:
        raise RuntimeError(f"{email(person)}: the login failed")
    return f"{session[0].name}={session[0].value}", token(page)


def start_worksheet(base, cookie, csrf, school_id):
    """Starts a worksheet of the benchmark's tool owned by the school; returns its id."""
    opener = urllib.request.build_opener(NoRedirect)
    data = urllib.parse.urlencode({"_csrf": csrf, "owner": f"organisation:{str(school_id).upper()}", "title": "Fælles arbejdsark (benchmark)"}).encode()
    request = urllib.request.Request(f"{base}/vaerktoejer/{TOOL}/arbejdsark", data=data, headers={"Origin": base, "Cookie": cookie})
    try:
        opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        if error.code != 303:
            raise RuntimeError(f"starting the worksheet answered {error.code}: {error.read()[:300]!r}")
        location = error.headers["Location"]
    else:
        raise RuntimeError("starting the worksheet did not redirect")
    match = re.search(r"/arbejdsark/([0-9A-Fa-f-]{36})", location)
    if not match:
        raise RuntimeError(f"starting the worksheet redirected to {location}")
    return match.group(1)


# ------------------------------------------------------------------------------------------------ the client

class Connection:
    """One keep-alive HTTP/1.1 connection over asyncio streams: requests written whole, responses read by
    Content-Length (or chunked)."""

    def __init__(self, port):
        self.port = port
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    def close(self):
        if self.writer:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method, path, headers, body=b""):
        if self.writer is None:
            await self.open()
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        if body or method == "POST":
            head += f"Content-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + body)
        status_and_headers = await self.reader.readuntil(b"\r\n\r\n")
        lines = status_and_headers.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        fields = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                fields[k.strip().lower()] = v.strip()
        if "content-length" in fields:
            data = await self.reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                data += await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                data = data[:-2]
        else:
            data = b""
        if fields.get("connection", "").lower() == "close":
            self.close()
        return status, fields, data


async def healthz_load(port, connections, seconds, warmup):
    """GET /healthz from `connections` connections at once, each sending the next request when the last is answered."""
    latencies, timeline = [], collections.Counter()
    start = time.perf_counter() + warmup
    end = start + seconds
    errors = collections.Counter()

    async def one():
        connection = Connection(port)
        while True:
            t0 = time.perf_counter()
            if t0 >= end:
                break
            try:
                status, _, _ = await connection.request("GET", "/healthz", {})
            except (OSError, asyncio.IncompleteReadError) as error:
                errors[type(error).__name__] += 1
                connection.close()
                continue
            t1 = time.perf_counter()
            if status != 200:
                errors[str(status)] += 1
            elif t0 >= start and t1 <= end:
                latencies.append((t1 - t0) * 1000)
                timeline[int(t1 - start)] += 1
        connection.close()

    await asyncio.gather(*(one() for _ in range(connections)))
    return {"requests": len(latencies), "seconds": seconds, "per second": len(latencies) / seconds, "latency ms": summary(latencies),
            "errors": dict(errors), "timeline": [timeline[i] for i in range(seconds)]}


class Person:
    def __init__(self, number, cookie, csrf, items):
        self.number = number
        self.cookie = cookie
        self.csrf = csrf
        self.known = dict(items)   # item → the revision this person last saw
        self.saves = 0


async def saves_load(args, port, base, worksheet, people, interval=0.0, phase=0):
    """Each person, on a connection of their own, saves and saves again until the time is up: their own item, or with
    probability `shared_share` one of the shared items. After a 409 the person reads the item's page again (as the
    script sends them there) and saves over the newer revision next time. `interval` 0: the next save as soon as the
    last is answered; else a save every `interval` seconds (each person starting at a random moment of the first), or
    as soon as the last is answered when that took longer."""
    start = time.perf_counter() + args.warmup
    end = start + args.seconds
    shared = [shared_item(i) for i in range(args.shared_items)]
    acks, saved_ms, conflict_ms, reread_ms = [], [], [], []
    counts = collections.Counter()
    errors = []
    timeline = collections.Counter()
    item_path = f"/arbejdsark/{worksheet}/punkter/"

    async def reread(connection, person, item):
        t0 = time.perf_counter()
        status, _, body = await connection.request("GET", item_path + item, {"Cookie": person.cookie})
        t1 = time.perf_counter()
        if status != 200:
            errors.append({"request": f"GET {item}", "status": status, "body": body[:300].decode("utf-8", "replace")})
            return
        if start <= t0 and t1 <= end:
            reread_ms.append((t1 - t0) * 1000)
        counts["re-reads"] += 1
        found = re.search(r'name="basedOn" value="(\d+)"', body.decode("utf-8", "replace"))
        if found:
            person.known[item] = int(found.group(1))

    async def one(person):
        rng = random.Random(args.seed * 1000 + person.number + 100_000 * phase)
        next_at = time.perf_counter() + rng.uniform(0, interval)
        connection = Connection(port)
        own = own_item(person.number)
        headers = {"Cookie": person.cookie, "Origin": base, "Accept": "application/json",
                   "Content-Type": "application/x-www-form-urlencoded"}
        while True:
            if interval:
                wait = next_at - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
            t0 = time.perf_counter()
            if t0 >= end:
                break
            next_at = t0 + interval
            item = rng.choice(shared) if shared and rng.random() < args.shared_share else own
            person.saves += 1
            text = f"{email(person.number).split('@')[0]} save-{person.saves} {item}: " + FILLER[:max(0, args.text_chars - 40)].strip()
            body = urllib.parse.urlencode({"_csrf": person.csrf, "basedOn": str(person.known[item]), "text": text}).encode()
            try:
                status, _, answer = await asyncio.wait_for(connection.request("POST", item_path + item, headers, body), args.timeout)
            except asyncio.TimeoutError:
                counts["timeouts"] += 1
                errors.append({"request": f"POST {item}", "status": "timeout", "body": f"no answer in {args.timeout} s"})
                connection.close()
                await reread(connection, person, item)
                continue
            except (OSError, asyncio.IncompleteReadError) as error:
                counts["connection errors"] += 1
                errors.append({"request": f"POST {item}", "status": type(error).__name__, "body": str(error)[:200]})
                connection.close()
                await reread(connection, person, item)
                continue
            t1 = time.perf_counter()
            window = start <= t0 and t1 <= end
            if status == 200:
                revision = json.loads(answer)["revision"]
                acks.append({"item": item, "revision": revision, "text": text, "person": person.number, "at": t1})
                person.known[item] = revision
                counts["acknowledged"] += 1
                counts["acknowledged, shared items" if item != own else "acknowledged, own items"] += 1
                if window:
                    saved_ms.append((t1 - t0) * 1000)
                    timeline[int(t1 - start)] += 1
            elif status == 409:
                counts["conflicts"] += 1
                counts["conflicts, own items" if item == own else "conflicts, shared items"] += 1
                if window:
                    conflict_ms.append((t1 - t0) * 1000)
                await reread(connection, person, item)
            else:
                counts[f"status {status}"] += 1
                errors.append({"request": f"POST {item}", "status": status, "body": answer[:300].decode("utf-8", "replace")})
                await reread(connection, person, item)
        connection.close()

    began = time.perf_counter()
    await asyncio.gather(*(one(p) for p in people))
    in_window = sum(timeline.values())
    return {"interval (s)": interval, "seconds": args.seconds, "acknowledged in the window": in_window, "acknowledged per second": in_window / args.seconds,
            "saved latency ms": summary(saved_ms), "conflict latency ms": summary(conflict_ms),
            "all saves latency ms": summary(saved_ms + conflict_ms), "re-read latency ms": summary(reread_ms),
            "counts": dict(counts), "errors": errors[:50], "error count": len(errors),
            "timeline": [timeline[i] for i in range(args.seconds)], "wall (s)": time.perf_counter() - began}, acks


# ------------------------------------------------------------------------------------------------ the database floor

SQLITE_CLAIM = 'UPDATE "_fluent_migrations" SET batch = batch WHERE 0'
UPDATE = ('UPDATE "worksheet_answers" SET answer = ?, revision = revision + 1, updated_at = ?, user_id = ?, author_name = ? '
          'WHERE worksheet_id = ? AND item_id = ? AND revision = ? RETURNING revision')
INSERT = ('INSERT INTO "worksheet_answer_events" (id, worksheet_id, item_id, revision, answer, at, user_id, author_name) '
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?)')


def write_reference(backend, database, worksheet, items, connections, seconds, text_chars):
    """The write transaction of `WorksheetSaving.saveAnswer` for a saved item — (on SQLite `writeTransaction`'s claiming
    UPDATE), the UPDATE … WHERE revision = ? RETURNING and the INSERT into the history — from Python on the same
    database after the server stopped, each connection saving its own items round-robin, as fast as it can.
    SQLite: one connection with the app's settings (WAL, synchronous = FULL); the app's writes take turns too
    (`SQLiteWriters`). PostgreSQL: as many connections as the app held during the load."""
    rows = query(backend, database, "SELECT worksheet_id, item_id, revision, user_id, author_name, updated_at, typeof(id) FROM worksheet_answers"
                 if backend == "sqlite" else "SELECT worksheet_id, item_id, revision, user_id, author_name, updated_at, '' FROM worksheet_answers")
    rows = [r for r in rows if normal_uuid(r[0]) == worksheet and r[1] in items]
    if backend == "sqlite":
        sample = query(backend, database, "SELECT typeof(id), id, typeof(at) FROM worksheet_answer_events LIMIT 1")[0]
    lanes = [rows[i::connections] for i in range(connections)]
    latencies, lock = [], threading.Lock()
    done = collections.Counter()
    start = time.perf_counter() + 1
    end = start + seconds
    failures = []

    def lane(k):
        db = connect(backend, database, autocommit=True)
        cursor = db.cursor()
        if backend == "sqlite":
            for pragma in ("PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -32768"):
                cursor.execute(pragma)
        known = {r[1]: r for r in lanes[k]}
        order = list(known)
        n, mine = 0, []
        if not order:
            return
        while time.perf_counter() < start:
            time.sleep(0.001)
        while True:
            t0 = time.perf_counter()
            if t0 >= end:
                break
            wid, item, revision, user, author, _, _ = known[order[n % len(order)]]
            n += 1
            answer = json.dumps({"text": f"reference {k} save-{n} {item}: " + FILLER[:max(0, text_chars - 40)].strip()}, ensure_ascii=False,
                                separators=(",", ":"))
            try:
                if backend == "sqlite":
                    now = time.time() if sample[2] == "real" else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
                    event_id = str(uuid.uuid4()).upper() if sample[0] == "text" else uuid.uuid4().bytes
                    cursor.execute("BEGIN")
                    cursor.execute(SQLITE_CLAIM)
                    new = cursor.execute(UPDATE, (answer, now, user, author, wid, item, revision)).fetchall()
                    cursor.execute(INSERT, (event_id, wid, item, new[0][0], answer, now, user, author))
                    cursor.execute("COMMIT")
                else:
                    import datetime
                    now = datetime.datetime.now(datetime.timezone.utc)
                    with db.transaction():
                        new = cursor.execute(UPDATE.replace("?", "%s"), (answer, now, user, author, wid, item, revision)).fetchall()
                        cursor.execute(INSERT.replace("?", "%s"), (uuid.uuid4(), wid, item, new[0][0], answer, now, user, author))
            except Exception as error:   # noqa: BLE001 — reported, not hidden
                failures.append(repr(error)[:200])
                if backend == "sqlite":
                    try:
                        cursor.execute("ROLLBACK")
                    except Exception:   # noqa: BLE001
                        pass
                continue
            t1 = time.perf_counter()
            known[item] = (wid, item, new[0][0], user, author, None, None)
            mine.append((t1 - t0) * 1000)
        db.close()
        with lock:
            latencies.extend(mine)
            done["transactions"] += len(mine)

    threads = [threading.Thread(target=lane, args=(k,)) for k in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"connections": connections, "seconds": seconds, "transactions": done["transactions"],
            "per second": done["transactions"] / seconds, "latency ms": summary(latencies), "failures": failures[:10],
            "failure count": len(failures)}


# ------------------------------------------------------------------------------------------------ one database

def postgres_counters(database):
    rows = query("postgres", database, "SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated "
                 "FROM pg_stat_database WHERE datname = current_database()")
    return dict(zip(["commits", "rollbacks", "rows returned", "rows fetched", "rows inserted", "rows updated"], rows[0]))


def server_log_findings(path):
    """Lines of the server's log (LOG_LEVEL=warning) that tell of trouble, counted by their gist, with a few excerpts."""
    lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    trouble = [line for line in lines if re.search(r"error|critical|warning|locked|500|fatal", line, re.IGNORECASE)]
    kinds = collections.Counter(re.sub(r"[0-9A-F]{8}-[0-9A-F-]{27}|\d+", "#", line)[:160] for line in trouble)
    return {"lines": len(lines), "trouble lines": len(trouble), "kinds": kinds.most_common(10), "excerpts": trouble[:12]}


def run_backend(args, backend, database, folder):
    log(f"{backend}: a school, {args.people} accounts and memberships (samspil organisations import, user create, organisations member)")
    school_id, school_slug, prepared = prepare(backend, database, args, folder)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = os.path.join(folder, f"server-{backend}.log")
    server = start_server(os.path.join(args.bin, "samspil"), database, port, log_path)
    result = {"backend": backend, "prepare (s)": prepared, "school": school_slug}
    before = None
    try:
        started = time.perf_counter()
        sessions = [log_in(base, p) for p in range(args.people)]
        result["log in (s)"] = time.perf_counter() - started
        worksheet = start_worksheet(base, *sessions[0], school_id)
        result["worksheet"] = worksheet
        items = {shared_item(i): 0 for i in range(args.shared_items)} | {own_item(p): 0 for p in range(args.people)}
        people = []
        for p, (cookie, _) in enumerate(sessions):
            # Each person opens the worksheet: the page's form carries their session's token and the revisions.
            request = urllib.request.Request(f"{base}/arbejdsark/{worksheet}", headers={"Cookie": cookie})
            page = urllib.request.urlopen(request, timeout=30).read().decode()
            people.append(Person(p, cookie, token(page), items))
        shown = len(re.findall(r'name="basedOn"', page))
        result["items on the page"] = shown
        log(f"{backend}: worksheet {worksheet} with {shown} items; {args.people} people logged in")

        log(f"{backend}: reference GET /healthz, {args.people} connections, {args.reference_seconds} s")
        result["healthz"] = asyncio.run(healthz_load(port, args.people, args.reference_seconds, 1))
        log(f"{backend}: /healthz {result['healthz']['per second']:.0f}/s, p99 {result['healthz']['latency ms']['p99']:.2f} ms")

        acks = []
        if args.paced:
            cpu_before = cpu_seconds(server.pid)
            log(f"{backend}: {args.people} people saving every {args.paced:g} s for {args.warmup} s + {args.seconds} s")
            paced, more = asyncio.run(saves_load(args, port, base, worksheet, people, interval=args.paced, phase=1))
            paced["server CPU (s)"] = cpu_seconds(server.pid) - cpu_before
            result["paced saves"] = paced
            acks += more
            log(f"{backend}: paced: {paced['acknowledged per second']:.0f} saves/s, p50 {paced['saved latency ms'].get('p50', 0):.1f} ms, "
                f"p99 {paced['saved latency ms'].get('p99', 0):.1f} ms; {paced['counts']}")
        before = postgres_counters(database) if backend == "postgres" else None
        cpu_before = cpu_seconds(server.pid)
        log(f"{backend}: {args.people} people saving as fast as they can for {args.warmup} s + {args.seconds} s")
        loaded, more = asyncio.run(saves_load(args, port, base, worksheet, people))
        acks += more
        loaded["server CPU (s)"] = cpu_seconds(server.pid) - cpu_before
        result["saves"] = loaded
        result["server VmHWM MiB"] = peak_rss_mib(server.pid)
        if backend == "postgres":
            result["app connections"] = query("postgres", database, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                              "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")[0][0]
        log(f"{backend}: {loaded['acknowledged per second']:.0f} saves/s, p50 {loaded['saved latency ms'].get('p50', 0):.1f} ms, "
            f"p99 {loaded['saved latency ms'].get('p99', 0):.1f} ms; {loaded['counts']}")
    finally:
        stop(server)
    if before is not None:
        # A backend reports its counters when it ends (and when idle, at most once a second): read after the server stopped.
        after = postgres_counters(database)
        result["postgres counters during the load"] = {k: after[k] - before[k] for k in after}
    result["server log"] = server_log_findings(log_path)

    log(f"{backend}: checking {len(acks)} acknowledged saves against the database")
    events, texts, current = history(backend, database, uuid.UUID(worksheet))
    result["check"] = check(acks, events, texts, current)
    c = result["check"]
    problems = sum(len(c[k]) for k in ("lost", "different text", "revision acknowledged twice", "current answer not the last acknowledged"))
    log(f"{backend}: lost: {len(c['lost'])}; other problems {problems - len(c['lost'])}; "
        f"{c['events']} events, {len(c['in the history but not acknowledged'])} unacknowledged")

    connections = 1 if backend == "sqlite" else max(1, result.get("app connections") or 1)
    log(f"{backend}: reference: the save's write transaction from Python, {connections} connection(s), {args.reference_seconds} s")
    result["write reference"] = write_reference(backend, database, uuid.UUID(worksheet), {own_item(p) for p in range(args.people)},
                                                connections, args.reference_seconds, args.text_chars)
    log(f"{backend}: write reference {result['write reference']['per second']:.0f}/s")
    if backend == "sqlite":
        path = database[len("sqlite://"):]
        result["database MB"] = sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p)) / 1e6
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True, help="folder with the release samspil and its resources (a private copy: the tool is added to it)")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30, help="the measured time of saving")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of saving before the measured time (its saves are checked too)")
    parser.add_argument("--reference-seconds", type=int, default=10)
    parser.add_argument("--paced", type=float, default=2.0,
                        help="before the load as fast as they can: the same people saving every this many seconds (0: skip)")
    parser.add_argument("--shared-items", type=int, default=4)
    parser.add_argument("--shared-share", type=float, default=0.1, help="the share of saves that go to a shared item")
    parser.add_argument("--text-chars", type=int, default=400, help="about how long each saved answer is")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before a save counts as unanswered")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    install_tool(args.bin, args.people, args.shared_items)
    # The client and the references on core 1; the server on core 0 (taskset in start_server).
    os.sched_setaffinity(0, {1})
    folder = tempfile.mkdtemp(prefix="bench-worksheets-")
    load_before = os.getloadavg()
    runs = []
    try:
        for backend in args.backends.split(","):
            if backend == "sqlite":
                database = f"sqlite://{folder}/worksheets.sqlite"
            elif backend == "postgres":
                database = os.environ.get("POSTGRES_TEST_URL")
                if not database:
                    raise SystemExit("worksheets.py: postgres needs POSTGRES_TEST_URL (run it under scripts/with-postgres)")
            else:
                raise SystemExit(f"worksheets.py: unknown backend {backend}")
            runs.append(run_backend(args, backend, database, folder))
    finally:
        subprocess.run(["rm", "-rf", folder])
    import apsw
    settings = {k: getattr(args, k) for k in ("people", "seconds", "paced", "warmup", "reference_seconds", "shared_items", "shared_share", "text_chars", "timeout", "seed")}
    print(json.dumps({"settings": settings, "sqlite reference": apsw.sqlite_lib_version(),
                      "load average": {"start": load_before, "end": os.getloadavg()}, "runs": runs}, indent=1, default=str))


if __name__ == "__main__":
    main()
