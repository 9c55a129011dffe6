#!/usr/bin/env python3
"""The reference for the organisation import: the same rows inserted into SQLite by Python's sqlite3 (C), as plainly as
it gets: read the CSV, one table with the same columns, one transaction, executemany; WAL and synchronous=FULL as the
app runs. Prints the seconds it took (reading the file included).

Usage: plain_insert.py FILE.csv DB.sqlite
"""
import csv
import sqlite3
import sys
import time
import uuid


def main():
    start = time.perf_counter()
    with open(sys.argv[1], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header, body = rows[0], rows[1:]
    db = sqlite3.connect(sys.argv[2], isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    columns = ", ".join(f'"{name}" TEXT' for name in header)
    db.execute(f'CREATE TABLE organisations (id BLOB PRIMARY KEY, slug TEXT UNIQUE, {columns})')
    placeholders = ", ".join("?" for _ in range(len(header) + 2))
    db.execute("BEGIN")
    db.executemany(f"INSERT INTO organisations VALUES ({placeholders})",
                   ((uuid.uuid4().bytes, f"o-{index}", *row) for index, row in enumerate(body)))
    db.execute("COMMIT")
    db.close()
    print(f"{time.perf_counter() - start:.3f}")


if __name__ == "__main__":
    main()
