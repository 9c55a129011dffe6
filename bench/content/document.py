#!/usr/bin/env python3
"""Write a content file (the format of `samspil import`) of N generated materials for the content benchmark.

    bench/content/document.py --size 100000 --seed 42 --out bench/content/out/content-100000.json

The materials are those of the search benchmark's corpus (bench/search/generate.py: the same seed gives
the same materials, and the first N of a larger corpus are the corpus of size N), given what that corpus
leaves out so that every table of a material is exercised: versions (a link, a file, one announced),
a genre, an entered reading time, drafts, dates. The vocabularies are those of the seed
(Sources/App/Resources/Seed/content.json), which the generator draws its slugs from; 20 themes list
50 materials each. Materials are written one by one, so the generator's memory does not grow with N.
Needs only the standard library and /usr/share/dict/danish (Debian package wdanish).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "bench", "search"))
import generate  # noqa: E402  (the search benchmark's corpus generator)

SEED_CONTENT = os.path.join(REPO, "Sources", "App", "Resources", "Seed", "content.json")
GENRES = ["fokus", "model", "vaerktoej", "inspiration", "kortlaegning"]
THEMES = 20
THEME_SIZE = 50


def completed(m: dict, index: int, rng: random.Random) -> dict:
    """The generated material with versions, a genre, reading time, status and dates (fixed by the seed)."""
    versions = []
    if rng.random() < 0.6:
        versions.append({"kind": "full", "label": None, "availability": "link",
                         "url": f"https://example.org/materialer/{m['slug']}"})
    if rng.random() < 0.3:
        versions.append({"kind": "pixi", "label": "Pixi-udgave", "availability": "file",
                         "fileName": f"{m['slug']}-pixi.pdf", "contentType": "application/pdf"})
    if rng.random() < 0.1:
        versions.append({"kind": "other", "label": "Engelsk udgave", "availability": "unavailable"})
    m["versions"] = versions
    m["genre"] = rng.choice(GENRES) if rng.random() < 0.3 else None
    m["readingMinutes"] = rng.randint(2, 45) if rng.random() < 0.2 else None
    m["status"] = "draft" if rng.random() < 0.05 else "published"
    day = 1_600_000_000 + index * 600
    m["createdAt"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(day))
    m["updatedAt"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(day + rng.randint(0, 86_400 * 30)))
    return m


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, required=True, help="number of materials")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", required=True, help="the file to write")
    args = parser.parse_args()
    started = time.perf_counter()

    with open(SEED_CONTENT, encoding="utf-8") as f:
        vocabularies = json.load(f)["vocabularies"]
    words = generate.build_vocabularies(args.seed)
    corpus_rng = random.Random(args.seed)  # the stream generate.py draws the corpus from
    extra_rng = random.Random(f"{args.seed}-content-extras")
    theme_rng = random.Random(f"{args.seed}-content-themes")
    themes = [{"slug": f"bench-tema-{t:02d}", "title": f"Benchmarktema {t}", "section": "Benchmark",
               "intro": f"Tema nummer {t} med {THEME_SIZE} materialer.",
               "materials": [f"bench-{i:06d}" for i in sorted(theme_rng.sample(range(1, args.size + 1), min(THEME_SIZE, args.size)))],
               "status": "published"} for t in range(1, THEMES + 1)]

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out + ".part", "w", encoding="utf-8") as out:
        out.write('{"format":"samspil-content","version":1,"vocabularies":')
        out.write(json.dumps(vocabularies, ensure_ascii=False, separators=(",", ":")))
        out.write(',"materials":[')
        for index in range(1, args.size + 1):
            m = completed(generate.material(index, corpus_rng, words), index, extra_rng)
            if index > 1:
                out.write(",")
            out.write("\n")
            out.write(json.dumps(m, ensure_ascii=False, separators=(",", ":")))
        out.write('\n],"themes":')
        out.write(json.dumps(themes, ensure_ascii=False, separators=(",", ":")))
        out.write("}\n")
    os.replace(args.out + ".part", args.out)
    print(json.dumps({"file": args.out, "materials": args.size, "themes": THEMES, "seed": args.seed,
                      "mb": round(os.path.getsize(args.out) / 1e6, 1), "seconds": round(time.perf_counter() - started, 1)}))


if __name__ == "__main__":
    main()
