#!/usr/bin/env python3
"""Reference search engines for the search benchmark, on the same corpus and queries as Samspil.

    bench/search/reference.py fts5    --corpus FILE --queries FILE --db PATH
    bench/search/reference.py tantivy --corpus FILE --queries FILE --dir PATH

fts5: a raw SQLite FTS5 table (title, teaser, body, credits; tokenize='unicode61 remove_diacritics 0')
over texts stemmed in Python (PyStemmer, Snowball stemmer of the material's language, NFKC + lowercase,
words split on what is not a letter or digit, Snowball stop words left out as Samspil's analyzer does).
The build is timed from reading the corpus to the commit of its single transaction. Each query is
stemmed with the Danish stemmer, its words quoted and ANDed, and run as
    SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t, 5.0, 2.0, 1.0, 2.0) LIMIT 20
timed from the raw query string to the fetched rows.

tantivy: tantivy-py with a registered analyzer simple tokenizer → lowercase → Danish stop words →
Danish Snowball stemmer (for all materials), fields title/teaser/body/credits, query parsed with
conjunction by default and boosts title 5, teaser 2, credits 2 (as the bm25 weights above), top 20.
The build is timed from reading the corpus to the commit (the writer's threads: --threads, 0 = tantivy's
choice).

Both run the whole query list once untimed (warm-up), then once timed, and print one JSON object:
{"engine", "build_seconds", "documents", "p50_ms", "p99_ms", "mean_ms", "queries", "zero_hit_queries",
 "mean_hits", ...}.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import time
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import stopwords  # noqa: E402

WORD_RE = re.compile(r"[^\W_]+")
STEMMER_NAMES = {"da": "danish", "sv": "swedish", "en": "english"}


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100)
    return ordered[int(rank) - 1]


def summary(times_s: list[float]) -> dict:
    ms = [t * 1000 for t in times_s]
    return {"p50_ms": round(percentile(ms, 50), 4), "p99_ms": round(percentile(ms, 99), 4),
            "mean_ms": round(sum(ms) / len(ms), 4), "queries": len(ms)}


def time_queries(run, queries):
    """Runs every query once untimed (warm-up), then once timed; returns (seconds per query, hits per query)."""
    for q in queries:
        run(q)
    times, hits = [], []
    for q in queries:
        t0 = time.perf_counter()
        result = run(q)
        times.append(time.perf_counter() - t0)
        hits.append(len(result))
    return times, hits


def read_queries(path: str) -> list[str]:
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def words(text: str) -> list[str]:
    return WORD_RE.findall(unicodedata.normalize("NFKC", text).lower())


def credits_text(m: dict) -> str:
    credits = m.get("credits") or {}
    return " ".join(list(credits.get("persons") or []) + [credits.get("organisation") or ""])


class Analyzer:
    def __init__(self):
        try:
            import Stemmer  # PyStemmer
        except ImportError:
            sys.exit("reference.py: PyStemmer is missing; install it with: pip install PyStemmer")
        self.stemmers = {lang: Stemmer.Stemmer(name) for lang, name in STEMMER_NAMES.items()}

    def terms(self, text: str, language: str) -> list[str]:
        stop = stopwords.BY_LANGUAGE.get(language, stopwords.DANISH)
        stemmer = self.stemmers.get(language, self.stemmers["da"])
        return stemmer.stemWords([w for w in words(text) if w not in stop])

    def text(self, text: str, language: str) -> str:
        return " ".join(self.terms(text, language))


# ------------------------------------------------------------------------------------------------ FTS5

FTS5_QUERY = "SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t, 5.0, 2.0, 1.0, 2.0) LIMIT 20"


def fts5(args) -> dict:
    import sqlite3
    analyzer = Analyzer()
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(args.db + suffix):
            os.remove(args.db + suffix)
    con = sqlite3.connect(args.db, isolation_level=None)
    con.execute("CREATE VIRTUAL TABLE t USING fts5(title, teaser, body, credits, "
                "tokenize='unicode61 remove_diacritics 0')")

    def rows():
        with open(args.corpus, encoding="utf-8") as f:
            for rowid, line in enumerate(f, start=1):
                m = json.loads(line)
                lang = m.get("language") or "da"
                yield (rowid, analyzer.text(m["title"], lang), analyzer.text(m["teaser"], lang),
                       analyzer.text(m["body"], lang), analyzer.text(credits_text(m), lang))

    started = time.perf_counter()
    con.execute("BEGIN")
    con.executemany("INSERT INTO t(rowid, title, teaser, body, credits) VALUES (?, ?, ?, ?, ?)", rows())
    con.execute("COMMIT")
    build_seconds = time.perf_counter() - started
    documents = con.execute("SELECT count(*) FROM t").fetchone()[0]

    queries = read_queries(args.queries)
    danish = analyzer.stemmers["da"]

    def run(q: str) -> list:
        terms = danish.stemWords([w for w in words(q) if w not in stopwords.DANISH])
        if not terms:
            return []
        match = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
        return con.execute(FTS5_QUERY, (match,)).fetchall()

    times, hits = time_queries(run, queries)
    con.close()
    return {"engine": "sqlite-fts5", "sqlite_version": sqlite3.sqlite_version,
            "build_seconds": round(build_seconds, 3), "documents": documents,
            "db_mb": round(os.path.getsize(args.db) / 1e6, 1), **summary(times),
            "zero_hit_queries": sum(1 for h in hits if h == 0), "mean_hits": round(sum(hits) / len(hits), 2)}


# --------------------------------------------------------------------------------------------- tantivy

def tantivy_ref(args) -> dict:
    try:
        import tantivy
    except ImportError:
        sys.exit("reference.py: tantivy is missing; install it with: pip install tantivy")
    shutil.rmtree(args.dir, ignore_errors=True)
    os.makedirs(args.dir)
    fields = ["title", "teaser", "body", "credits"]
    builder = tantivy.SchemaBuilder()
    for name in fields:
        builder.add_text_field(name, stored=False, tokenizer_name="da_stem", index_option="position")
    schema = builder.build()
    index = tantivy.Index(schema, path=args.dir)
    analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                .filter(tantivy.Filter.remove_long(40))
                .filter(tantivy.Filter.lowercase())
                .filter(tantivy.Filter.stopword("danish"))
                .filter(tantivy.Filter.stemmer("danish"))
                .build())
    index.register_tokenizer("da_stem", analyzer)

    started = time.perf_counter()
    writer = index.writer(heap_size=args.heap_mb * 1_000_000, num_threads=args.threads)
    documents = 0
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            m = json.loads(line)
            writer.add_document(tantivy.Document(title=m["title"], teaser=m["teaser"], body=m["body"],
                                                 credits=credits_text(m)))
            documents += 1
    writer.commit()
    writer.wait_merging_threads()
    build_seconds = time.perf_counter() - started

    index.reload()
    searcher = index.searcher()
    boosts = {"title": 5.0, "teaser": 2.0, "body": 1.0, "credits": 2.0}
    queries = read_queries(args.queries)

    def run(q: str) -> list:
        terms = [w for w in words(q) if w not in stopwords.DANISH]
        if not terms:
            return []
        text = " ".join('"' + t + '"' for t in terms)
        query = index.parse_query(text, fields, field_boosts=boosts, conjunction_by_default=True)
        return searcher.search(query, 20, count=False).hits

    times, hits = time_queries(run, queries)
    size = sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(args.dir) for name in names)
    return {"engine": "tantivy", "tantivy_version": getattr(tantivy, "__version__", None),
            "threads": args.threads, "build_seconds": round(build_seconds, 3), "documents": documents,
            "index_mb": round(size / 1e6, 1), **summary(times),
            "zero_hit_queries": sum(1 for h in hits if h == 0), "mean_hits": round(sum(hits) / len(hits), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description="Reference search engines for the Samspil search benchmark.")
    sub = parser.add_subparsers(dest="engine", required=True)
    p = sub.add_parser("fts5", help="raw SQLite FTS5 over Python-stemmed text")
    p.add_argument("--corpus", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--db", required=True, help="SQLite file to create (replaced if it exists)")
    p = sub.add_parser("tantivy", help="tantivy with a Danish stemming analyzer")
    p.add_argument("--corpus", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--dir", required=True, help="index directory to create (replaced if it exists)")
    p.add_argument("--threads", type=int, default=0, help="index writer threads; 0: tantivy's choice")
    p.add_argument("--heap-mb", type=int, default=256, help="index writer heap, MB in all")
    args = parser.parse_args()
    result = fts5(args) if args.engine == "fts5" else tantivy_ref(args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
