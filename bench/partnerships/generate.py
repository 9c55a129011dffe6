#!/usr/bin/env python3
"""The data of the partnership benchmark (issue 13): one municipality's schools and learning environments, and its
partnerships with their parties and activities, made up and reproducible from a seed.

Two halves, both used by partnerships.py:

- `organisations_csv(path, ...)` writes the organisations as the directory's CSV import reads them (UTF-8 with BOM, `;`,
  CRLF), so `samspil organisations import` stores them through the app: N schools in København (0101), M learning
  environments spread over the country and all 14 kinds, and a few schools in other municipalities (third parties).
- `rows(organisations, ...)` yields the rows of `partnerships`, `partnership_parties` and `partnership_activities` for
  the ids the import gave those organisations: every partnership has a school of 0101 (position 0) and a learning
  environment (position 1), half of them a third party (another school of 0101, the municipality itself or a school
  elsewhere); states, forms and school years vary; the activities are spread unevenly over the partnerships, held,
  planned or cancelled by date.

Times are Unix seconds (UTC); ids are `uuid.UUID`s. The loaders in partnerships.py turn them into each database's form.

    generate.py organisations OUT.csv [--schools 200] [--environments 100] [--seed 42]   # the CSV alone
"""

import argparse
import csv
import random
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "Sources/App/Resources/Reference"

MUNICIPALITY = "København"
MUNICIPALITY_CODE = "0101"
SCHOOL_PREFIX = "Benchskole København"
ELSEWHERE_PREFIX = "Benchskole andetsteds"
ENVIRONMENT_PREFIX = "Benchmiljø"
OTHER_SCHOOLS = 20

# The default typology (SamspilCore PartnershipForm.defaults).
FORMS = ["abonnementsordning", "specialudviklet-forloeb", "fleraarigt-partnerskab", "enkeltstaaende-projekt",
         "strategisk-kommunalt-partnerskab"]
# PartnershipState raw values with made-up weights: most are running or done.
STATES = [("ide", 10), ("i-dialog", 10), ("aftalt", 15), ("aktiv", 30), ("evalueret", 10), ("afsluttet", 15),
          ("fornyet", 5), ("opgivet", 5)]
TOPICS = ["Vikingetiden", "Vandets kredsløb", "Kunst i byen", "Naturfag i praksis", "Danmarks historie", "Skoven som klasseværelse",
          "Arkitektur og rum", "Madkundskab på gården", "Musik og lyd", "Teknologi og samfund", "Havet og fiskeriet", "Demokrati",
          "Stjerner og planeter", "Byens dyr", "Design og håndværk", "Litteratur på biblioteket"]
SUBJECTS = ["historie", "dansk", "natur-teknologi", "billedkunst", "musik", "biologi", "samfundsfag", "matematik"]
# 2026-12-01 00:00 UTC: activities before it are mostly held, after it planned.
NOW = 1796083200.0
YEAR = 365.25 * 86400


def column(file, name):
    with open(REFERENCE / file, encoding="utf-8", newline="") as handle:
        return [row[name] for row in csv.DictReader(handle)]


def organisations_csv(path, schools=200, environments=100, seed=42):
    """Writes the organisations' CSV; returns how many rows it wrote."""
    rng = random.Random(seed)
    municipalities = [m for m in column("kommuner.csv", "navn") if m != MUNICIPALITY]
    kinds = column("laeringsmiljoer.csv", "slug")
    subjects = column("fag.csv", "slug")
    grades = [str(n) for n in range(0, 11)]
    header = ["type", "navn", "institutionsnummer", "skoletype", "laeringsmiljoe", "kommune", "adresse", "postnummer", "by",
              "hjemmeside", "telefon", "email", "beskrivelse", "fag", "klassetrin", "tilgaengelighed", "breddegrad", "laengdegrad"]
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)

        def school(name, number, municipality):
            levels = ", ".join(sorted(rng.sample(grades, rng.randint(3, 10)), key=int))
            writer.writerow(["skole", name, str(number), "folkeskole", "", municipality, f"Skolevej {number % 1000 + 1}",
                             f"{rng.randint(1000, 2990)}", municipality, f"https://skole-{number}.example", "33 12 34 56",
                             f"kontor{number}@skole.example", "", "", levels, "", "", ""])

        for i in range(schools):
            school(f"{SCHOOL_PREFIX} {i + 1}", 280000 + i, MUNICIPALITY)
            count += 1
        for i in range(OTHER_SCHOOLS):
            school(f"{ELSEWHERE_PREFIX} {i + 1}", 290000 + i, rng.choice(municipalities))
            count += 1
        for i in range(environments):
            municipality = MUNICIPALITY if i % 3 == 0 else rng.choice(municipalities)
            levels = ", ".join(sorted(rng.sample(grades, rng.randint(2, 8)), key=int))
            writer.writerow(["laeringsmiljoe", f"{ENVIRONMENT_PREFIX} {i + 1}", "", "", kinds[i % len(kinds)], municipality,
                             f"Museumsvej {i + 1}", f"{rng.randint(1000, 9990)}", municipality, f"https://miljoe-{i}.example", "", "",
                             f"Et opdigtet læringsmiljø nr. {i + 1}.", ", ".join(rng.sample(subjects, 2)), levels, "Elevator.",
                             f"{rng.uniform(54.6, 57.7):.4f}".replace(".", ","), f"{rng.uniform(8.1, 15.1):.4f}".replace(".", ",")])
            count += 1
    return count


def new_id(rng):
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def rows(organisations, partnerships=10000, activities=100000, seed=42):
    """The rows to insert, as three lists of dicts: (partnerships, parties, activities).

    `organisations` maps each generated organisation's name (and "municipality") to its id in the database."""
    rng = random.Random(seed + 1)
    schools = sorted((n for n in organisations if n.startswith(SCHOOL_PREFIX + " ")), key=lambda n: int(n.rsplit(" ", 1)[1]))
    elsewhere = sorted(n for n in organisations if n.startswith(ELSEWHERE_PREFIX + " "))
    environments = sorted((n for n in organisations if n.startswith(ENVIRONMENT_PREFIX + " ")), key=lambda n: int(n.rsplit(" ", 1)[1]))
    municipality = organisations["municipality"]
    states, state_weights = zip(*STATES)
    partnership_rows, party_rows, activity_rows = [], [], []
    for i in range(partnerships):
        pid = new_id(rng)
        created = NOW - rng.uniform(0.05, 3.5) * YEAR
        updated = created + rng.uniform(0, 1.5) * YEAR
        if updated > NOW - 60:   # not in the future: changed some time in the last 60 days instead (no ties)
            updated = NOW - rng.uniform(60, 60 * 86400)
        first_year = rng.randint(2022, 2027)
        years = ",".join(f"{y}/{(y + 1) % 100:02d}" for y in range(first_year, first_year + rng.choice([1, 1, 1, 2, 2, 3])))
        topic = rng.choice(TOPICS)
        state = rng.choices(states, state_weights)[0]
        agreement = 0 if state in ("ide", "i-dialog") else rng.randint(1, 3)
        partnership_rows.append({
            "id": pid, "created_at": created, "updated_at": updated, "revision": rng.randint(1, 30), "created_by": None,
            "slug": f"bench-partnerskab-{i + 1}", "title": f"{topic} – forløb {i + 1}",
            "summary": f"{topic} for {rng.randint(1, 9)}. klasse sammen med et læringsmiljø.",
            "form": rng.choice(FORMS), "school_years": years, "purpose": "Eleverne lærer med hænderne uden for skolen.",
            "goals": "Eleverne kan fortælle om det, de har set.", "subjects": "\n".join(rng.sample(SUBJECTS, 2)),
            "grade_levels": "\n".join(sorted(rng.sample([str(n) for n in range(1, 10)], 2))),
            "classes_expected": rng.randint(1, 6), "pupils_expected": rng.randint(20, 150), "state": state,
            "agreement_version": agreement, "accepted_version": agreement if agreement and rng.random() < 0.8 else None,
            "renewed_from": None, "case_fields": "", "published_at": updated if state in ("evalueret", "afsluttet") and rng.random() < 0.3 else None,
        })
        parties = [(rng.choice(schools), "Skole"), (rng.choice(environments), "Læringsmiljø")]
        if rng.random() < 0.5:
            pick = rng.random()
            if pick < 0.4:
                parties.append((rng.choice([s for s in schools if s != parties[0][0]]), "Skole"))
            elif pick < 0.8:
                parties.append(("municipality", "Kommune"))
            else:
                parties.append((rng.choice(elsewhere), "Skole"))
        for position, (name, role) in enumerate(parties):
            party_rows.append({"id": new_id(rng), "added_at": created + position * 3600, "partnership_id": pid,
                               "organisation_id": municipality if name == "municipality" else organisations[name],
                               "role": role, "position": position, "publish_consent_at": None})
    # Activities: some partnerships have many, some few, some none.
    weights = [rng.lognormvariate(0, 0.8) for _ in partnership_rows]
    owners = rng.choices(range(len(partnership_rows)), weights, k=activities)
    for n, owner in enumerate(owners):
        partnership = partnership_rows[owner]
        starts = partnership["created_at"] + rng.uniform(0, 2.0) * YEAR
        starts -= starts % 900
        if starts < NOW:
            status = rng.choices(["gennemfoert", "aflyst", "planlagt"], [85, 8, 7])[0]
        else:
            status = rng.choices(["planlagt", "aflyst"], [92, 8])[0]
        activity_rows.append({
            "id": new_id(rng), "created_at": partnership["created_at"], "updated_at": min(NOW - 60, starts), "revision": rng.randint(1, 4),
            "partnership_id": partnership["id"], "title": f"Besøg {n + 1}: {rng.choice(TOPICS).lower()}", "starts_at": starts,
            "ends_at": starts + rng.choice([1, 2, 3, 5]) * 3600, "place": "Læringsmiljøets adresse", "classes": f"{rng.randint(1, 9)}.{rng.choice('abcd')}",
            "grade_level": str(rng.randint(1, 9)), "pupils": None if rng.random() < 0.1 else rng.randint(12, 28),
            "subject": rng.choice(SUBJECTS), "teacher": f"Lærer {rng.randint(1, 800)}", "status": status,
        })
    return partnership_rows, party_rows, activity_rows


def main():
    parser = argparse.ArgumentParser(description="Writes the organisations' CSV of the partnership benchmark.")
    parser.add_argument("what", choices=["organisations"])
    parser.add_argument("out")
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--environments", type=int, default=100)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(organisations_csv(args.out, args.schools, args.environments, args.seed))


if __name__ == "__main__":
    main()
