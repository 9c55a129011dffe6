#!/usr/bin/env python3
"""Writes a CSV of N made-up schools and learning environments as Danish Excel saves it (UTF-8 with BOM, `;`, CRLF).

Usage: generate.py N OUT.csv [--seed S]. Half schools (institution numbers 100000 + i), half learning environments
(unique names), spread over the 98 municipalities of the reference data, with grade levels and subjects.
"""
import csv
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "Sources/App/Resources/Reference"


def column(file, name):
    with open(REFERENCE / file, encoding="utf-8", newline="") as handle:
        return [row[name] for row in csv.DictReader(handle)]


def main():
    count = int(sys.argv[1])
    out = Path(sys.argv[2])
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 42
    rng = random.Random(seed)
    municipalities = column("kommuner.csv", "navn")
    kinds = column("laeringsmiljoer.csv", "slug")
    subjects = column("fag.csv", "slug")
    grades = [str(n) for n in range(0, 11)]
    header = ["type", "navn", "institutionsnummer", "skoletype", "laeringsmiljoe", "kommune", "adresse", "postnummer", "by",
              "hjemmeside", "telefon", "email", "beskrivelse", "fag", "klassetrin", "tilgaengelighed", "breddegrad", "laengdegrad"]
    with open(out, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for i in range(count):
            municipality = rng.choice(municipalities)
            levels = ", ".join(sorted(rng.sample(grades, rng.randint(1, 6)), key=int))
            address = [f"Benchvej {i + 1}", f"{rng.randint(1000, 9990)}", municipality]
            if i % 2 == 0:
                writer.writerow(["skole", f"Benchskole {i}", str(100000 + i), "folkeskole", "", municipality, *address,
                                 f"https://skole-{i}.example", "33 12 34 56", f"kontor{i}@skole.example", "", "", levels, "", "", ""])
            else:
                writer.writerow(["laeringsmiljoe", f"Benchmiljø {i}", "", "", rng.choice(kinds), municipality, *address,
                                 f"https://miljoe-{i}.example", "", "", f"Et **opdigtet** læringsmiljø nr. {i}.\n\nTo afsnit.",
                                 ", ".join(rng.sample(subjects, 2)), levels, "Elevator.", f"{rng.uniform(54.6, 57.7):.4f}".replace(".", ","),
                                 f"{rng.uniform(8.1, 15.1):.4f}".replace(".", ",")])


if __name__ == "__main__":
    main()
