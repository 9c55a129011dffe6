#!/usr/bin/env python3
"""Generate a deterministic corpus of realistic Danish materials and a query set for the search benchmark.

    bench/search/generate.py --size 10000 --seed 42 --out bench/search/out

writes OUT/corpus-N.jsonl (one material per line, in the content format of `samspil import`) and
OUT/queries-N.txt (500 queries of 1-3 words, one per line).

Words are drawn Zipf-like (Zipf-Mandelbrot, s=1.07) from a vocabulary ranked as follows: first the words
of the seed page (Tests/AppTests/Fixtures/samarbejder-og-partnerskaber.txt) by their frequency on that
page, then the words of the Danish word list /usr/share/dict/danish (Debian package wdanish) in an order
shuffled with the seed. Swedish and English materials (about 5% each) use the first column of the
Snowball fixtures in Tests/SamspilSearchTests/Fixtures/{swedish,english}.tsv, behind a short list of
common words. The corpus depends only on the seed and the input files; the first N materials of a larger
corpus are the corpus of size N. Only the standard library's `random` drives choices, so output is
the same across machines and Python versions (3.2+).
"""
from __future__ import annotations

import argparse
import bisect
import collections
import itertools
import json
import os
import random
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import stopwords  # noqa: E402

SEED_PAGE = os.path.join(REPO, "Tests", "AppTests", "Fixtures", "samarbejder-og-partnerskaber.txt")
DANISH_DICT = "/usr/share/dict/danish"
FIXTURES = os.path.join(REPO, "Tests", "SamspilSearchTests", "Fixtures")

TYPES = ["publikation", "artikel", "model", "vaerktoej", "tjekliste", "liste", "kortlaegning", "guide", "dialogark"]
TYPE_WEIGHTS = [20, 25, 8, 12, 8, 5, 6, 10, 6]
AUDIENCES = ["skoler", "kommuner", "eksterne-laeringsmiljoeer", "plc", "skoleledere", "laerere"]
TOPICS = ["partnerskaber", "samarbejde", "roller-og-relationer", "skole-virksomhedssamarbejde",
          "kommunal-organisering", "kortlaegning", "aaben-skole", "netvaerk"]
FIRST_NAMES = ["Anne", "Mette", "Marie", "Lene", "Hanne", "Karen", "Louise", "Camilla", "Sofie", "Ida", "Line",
               "Marianne", "Pia", "Trine", "Kirsten", "Signe", "Julie", "Ea", "Marlene", "Jesse-Lee", "Peter",
               "Jens", "Lars", "Henrik", "Søren", "Morten", "Anders", "Thomas", "Martin", "Rasmus", "Jakob",
               "Mads", "Niels", "Ole", "Kasper", "Christian", "Mikkel", "Frederik", "Jonas", "Bo"]
LAST_NAMES = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
              "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen",
              "Johansen", "Møller", "Mortensen", "Damsgaard Andersen", "Holm", "Bomgren", "Kramm", "Stevns Matzon",
              "Costa Dollerup", "Lund", "Bach", "Friis", "Skov", "Vestergaard", "Kjær", "Dahl", "Bruun"]
ORGANISATIONS = ["Skoletjenesten", "Skoletjenesten Öresund", "Skoletjenesten Museum Vestsjælland",
                 "Nationalt Netværk af Skoletjenester", "Nationalmuseet", "Danmarks Naturfredningsforening",
                 "Københavns Kommune", "Aarhus Kommune", "Odense Kommune", "Aalborg Kommune", "Vejle Kommune",
                 "Roskilde Universitet", "Professionshøjskolen Absalon", "VIA University College",
                 "Københavns Professionshøjskole", "Danmarks Evalueringsinstitut", "Statens Museum for Kunst",
                 "Naturhistorisk Museum Aarhus", "Den Blå Planet", "Experimentarium", "Danmarks Biblioteksskole",
                 "Musikskolen i Ringsted", "Naturskolen Kolding", "Dansk Industri", "Ungdommens Uddannelsesvejledning"]
SWEDISH_COMMON = ["och", "att", "det", "som", "en", "på", "är", "för", "med", "till", "av", "den", "har", "om",
                  "inte", "kan", "ett", "vi", "skolan", "samarbete", "elever", "lärare", "museum", "nätverk",
                  "organisationsgränser", "tid", "nya", "idéer", "möjligheter", "skapa", "insikter", "lärande",
                  "kommunen", "partnerskap", "undervisning", "verksamhet", "utveckling", "barn", "unga", "kultur"]
ENGLISH_COMMON = ["the", "and", "of", "to", "in", "a", "is", "for", "that", "with", "on", "as", "are", "by",
                  "school", "schools", "partnership", "partnerships", "learning", "museum", "teachers", "pupils",
                  "collaboration", "municipality", "network", "outdoor", "education", "community", "roles",
                  "relations", "model", "guide", "experience", "open", "local", "companies", "culture", "children"]

ZIPF_S = 1.07
ZIPF_Q = 2.7
QUERY_COUNT = 500
WORD_RE = re.compile(r"[^\W\d_]+")  # letters only


def read_seed_words(path: str) -> list[str]:
    """Words of the seed page, most frequent first, each in its most frequent spelling (case)."""
    text = open(path, encoding="utf-8").read()
    # The page was scraped with labels glued to titles ("publikationFokus"): split at lower→upper.
    text = re.sub(r"(?<=[a-zæøå])(?=[A-ZÆØÅ])", " ", text)
    counts: collections.Counter[str] = collections.Counter()
    spellings: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for match in WORD_RE.finditer(text):
        word = match.group(0)
        if len(word) < 2 and word.lower() not in ("i", "å"):
            continue
        counts[word.lower()] += 1
        spellings[word.lower()][word] += 1
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    result = []
    for lower in ranked:
        # Prefer the lowercase spelling unless the word is mostly capitalised (a name).
        forms = spellings[lower]
        best = max(forms, key=lambda f: (forms[f], f == lower))
        result.append(lower if forms.get(lower, 0) * 2 >= forms[best] else best)
    return result


def read_dict_words(path: str, exclude: set[str]) -> list[str]:
    """The word list's words, less abbreviations and genitives (a word ending in -s whose stem without
    the -s is listed too), which would otherwise make up a third of the text."""
    with open(path, encoding="utf-8") as f:
        listed = [line.strip() for line in f]
    listed_set = set(listed)
    words = []
    seen = set(exclude)
    for word in listed:
        if len(word) < 2 or not WORD_RE.fullmatch(word):
            continue
        if word.isupper():  # abbreviations: AAU, ABBA
            continue
        if word.endswith("s") and word[:-1] in listed_set:
            continue
        lower = word.lower()
        if lower in seen:
            continue
        seen.add(lower)
        words.append(word)
    return words


def read_fixture_words(path: str) -> list[str]:
    words = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            word = line.split("\t", 1)[0]
            if len(word) >= 2 and WORD_RE.fullmatch(word):
                words.append(word)
    return words


class Vocabulary:
    """Words in rank order with Zipf-Mandelbrot cumulative weights."""

    def __init__(self, words: list[str]):
        self.words = words
        self.rank = {}
        for i, w in enumerate(words):
            self.rank.setdefault(w.lower(), i)
        total = 0.0
        self.cum = []
        for r in range(len(words)):
            total += 1.0 / (r + 1 + ZIPF_Q) ** ZIPF_S
            self.cum.append(total)
        self.total = total

    def sample(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum, k=k)


def build_vocabularies(seed: int) -> dict[str, Vocabulary]:
    seed_words = read_seed_words(SEED_PAGE)
    seed_lower = {w.lower() for w in seed_words}
    if not os.path.exists(DANISH_DICT):
        sys.exit(f"generate.py: {DANISH_DICT} is missing; install it with: apt-get install -y wdanish")
    danish = read_dict_words(DANISH_DICT, seed_lower)
    random.Random(f"{seed}-danish-vocabulary").shuffle(danish)
    vocabularies = {"da": Vocabulary(seed_words + danish)}
    for lang, common, fixture in (("sv", SWEDISH_COMMON, "swedish.tsv"), ("en", ENGLISH_COMMON, "english.tsv")):
        rest = [w for w in read_fixture_words(os.path.join(FIXTURES, fixture)) if w.lower() not in set(common)]
        random.Random(f"{seed}-{lang}-vocabulary").shuffle(rest)
        vocabularies[lang] = Vocabulary(common + rest)
    return vocabularies


def sentence(vocab: Vocabulary, rng: random.Random, n: int, end: str = ".") -> str:
    words = vocab.sample(rng, n)
    if rng.random() < 0.3 and n > 6:
        i = rng.randrange(2, n - 2)
        words[i] = words[i] + ","
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words) + end


def text_of_words(vocab: Vocabulary, rng: random.Random, count: int) -> list[str]:
    """Sentences totalling exactly `count` words."""
    sentences = []
    left = count
    while left > 0:
        n = min(left, rng.randint(4, 16))
        if 0 < left - n < 3:
            n = left
        sentences.append(sentence(vocab, rng, n))
        left -= n
    return sentences


def body_markdown(vocab: Vocabulary, rng: random.Random, count: int) -> str:
    sentences = text_of_words(vocab, rng, count)
    paragraphs = []
    i = 0
    while i < len(sentences):
        take = rng.randint(2, 5)
        chunk = sentences[i:i + take]
        i += take
        roll = rng.random()
        if roll < 0.12 and len(chunk) >= 3:
            # A bulleted list: each sentence becomes an item.
            paragraphs.append("\n".join("- " + s.rstrip(".") for s in chunk))
        elif roll < 0.20 and paragraphs:
            # A heading made of the first sentence, then the rest as a paragraph.
            paragraphs.append("## " + chunk[0].rstrip("."))
            if chunk[1:]:
                paragraphs.append(" ".join(chunk[1:]))
        else:
            if roll > 0.9:
                words = chunk[0].split(" ")
                j = rng.randrange(len(words))
                if words[j][-1:].isalpha():
                    words[j] = "**" + words[j] + "**"
                chunk[0] = " ".join(words)
            paragraphs.append(" ".join(chunk))
    return "\n\n".join(paragraphs)


def material(index: int, rng: random.Random, vocabularies: dict[str, Vocabulary]) -> dict:
    roll = rng.random()
    language = "da" if roll < 0.90 else ("sv" if roll < 0.95 else "en")
    vocab = vocabularies[language]
    title_words = vocab.sample(rng, rng.randint(3, 10))
    title_words[0] = title_words[0][:1].upper() + title_words[0][1:]
    title = " ".join(title_words)
    teaser = " ".join(text_of_words(vocab, rng, rng.randint(15, 40)))
    body = body_markdown(vocab, rng, rng.randint(80, 300))
    persons = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(rng.choice([0, 1, 1, 1, 2, 2, 3]))]
    organisation = rng.choice(ORGANISATIONS) if (not persons or rng.random() < 0.7) else None
    audiences = sorted(rng.sample(range(len(AUDIENCES)), rng.randint(1, 3)))
    topics = sorted(rng.sample(range(len(TOPICS)), rng.randint(1, 3)))
    return {
        "slug": f"bench-{index:06d}",
        "title": title,
        "genre": None,
        "type": rng.choices(TYPES, weights=TYPE_WEIGHTS)[0],
        "teaser": teaser,
        "body": body,
        "credits": {"kind": "written" if rng.random() < 0.4 else "developed", "persons": persons,
                    "organisation": organisation},
        "year": rng.randint(2010, 2025),
        "language": language,
        "readingMinutes": None,
        "audiences": [AUDIENCES[i] for i in audiences],
        "topics": [TOPICS[i] for i in topics],
        "versions": [],
        "status": "published",
    }


# ---------------------------------------------------------------------------------------------- queries

FREQUENT_MAX_RANK = 1_000
MID_MAX_RANK = 50_000


def content_words(m: dict, vocab: Vocabulary) -> list[tuple[str, int]]:
    """(lowercase word, vocabulary rank) of the material's words that are no stop words."""
    seen = {}
    for text in (m["title"], m["teaser"], m["body"]):
        for w in WORD_RE.findall(text):
            lower = w.lower()
            if len(lower) < 3 or lower in stopwords.DANISH or lower in seen:
                continue
            rank = vocab.rank.get(lower)
            if rank is not None:
                seen[lower] = rank
    return list(seen.items())


def inflection_map(vocab: Vocabulary) -> dict[str, list[str]]:
    """Danish stem -> the lowercase vocabulary words with that stem (only stems with 2+ forms)."""
    try:
        import Stemmer  # PyStemmer
    except ImportError:
        sys.exit("generate.py: PyStemmer is missing; install it with: pip install PyStemmer")
    stemmer = Stemmer.Stemmer("danish")
    lowers = sorted({w.lower() for w in vocab.words})
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for word, stem in zip(lowers, stemmer.stemWords(lowers)):
        groups[stem].append(word)
    return {stem: words for stem, words in groups.items() if len(words) > 1}


def make_queries(sources: list[dict], vocab: Vocabulary, seed: int, size: int) -> list[str]:
    import Stemmer
    stemmer = Stemmer.Stemmer("danish")
    groups = inflection_map(vocab)
    rng = random.Random(f"{seed}-queries-{size}")
    kinds = (["frequent"] * 175 + ["mid"] * 150 + ["inflected"] * 125 + ["compound"] * 50)[:QUERY_COUNT]
    rng.shuffle(kinds)
    frequent_pool = [w.lower() for w in vocab.words[:FREQUENT_MAX_RANK]
                     if len(w) >= 3 and w.lower() not in stopwords.DANISH]
    queries = []
    source_iter = itertools.cycle(sources)
    for kind in kinds:
        m = next(source_iter)
        words = content_words(m, vocab)
        k = rng.choices([1, 2, 3], weights=[45, 35, 20])[0]
        freq = [w for w, r in words if r < FREQUENT_MAX_RANK]
        mid = [w for w, r in words if FREQUENT_MAX_RANK <= r < MID_MAX_RANK]
        others = [w for w, _ in words]
        if kind == "frequent":
            pool = freq if len(freq) >= k else freq + rng.sample(frequent_pool, k)
            chosen = rng.sample(pool, k)
        elif kind == "mid":
            first = rng.choice(mid) if mid else rng.choice(others)
            rest = [w for w in others if w != first]
            chosen = [first] + rng.sample(rest, min(k - 1, len(rest)))
        elif kind == "inflected":
            candidates = [w for w in others if len(groups.get(stemmer.stemWord(w), [])) > 1]
            if candidates:
                base = rng.choice(candidates)
                alternatives = [f for f in groups[stemmer.stemWord(base)] if f != base]
                first = rng.choice(alternatives)
            else:
                base = first = rng.choice(others)
            rest = [w for w in others if w != base]
            chosen = [first] + rng.sample(rest, min(k - 1, len(rest)))
        else:  # compound: a long word of the material, usually alone
            long_words = [w for w in others if len(w) >= 13] or sorted(others, key=len)[-3:]
            first = min(rng.sample(long_words, min(3, len(long_words))), key=lambda w: vocab.rank[w])
            rest = [w for w in others if w != first]
            chosen = [first] + rng.sample(rest, min(min(k, 2) - 1, len(rest)))
        if len(chosen) > 1:
            rng.shuffle(chosen)
        queries.append(" ".join(chosen))
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, required=True, help="number of materials")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", required=True, help="output directory")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    started = time.perf_counter()
    vocabularies = build_vocabularies(args.seed)

    # Materials whose words make the queries: chosen up front so the corpus stream is not disturbed.
    picker = random.Random(f"{args.seed}-query-sources-{args.size}")
    candidates = set(picker.sample(range(1, args.size + 1), min(args.size, QUERY_COUNT * 2)))
    sources = []

    corpus_path = os.path.join(args.out, f"corpus-{args.size}.jsonl")
    rng = random.Random(args.seed)
    with open(corpus_path + ".part", "w", encoding="utf-8") as out:
        for index in range(1, args.size + 1):
            m = material(index, rng, vocabularies)
            out.write(json.dumps(m, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
            if index in candidates and m["language"] == "da":
                sources.append(m)
    os.replace(corpus_path + ".part", corpus_path)

    queries = make_queries(sources, vocabularies["da"], args.seed, args.size)
    queries_path = os.path.join(args.out, f"queries-{args.size}.txt")
    with open(queries_path, "w", encoding="utf-8") as out:
        out.write("\n".join(queries) + "\n")
    size_mb = os.path.getsize(corpus_path) / 1e6
    print(json.dumps({"corpus": corpus_path, "queries": queries_path, "materials": args.size, "seed": args.seed,
                      "corpus_mb": round(size_mb, 1), "vocabulary_da": len(vocabularies["da"].words),
                      "seconds": round(time.perf_counter() - started, 1)}))


if __name__ == "__main__":
    main()
