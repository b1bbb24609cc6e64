"""`gazette entities`: the time of its near-identical names on generated
names, and of the whole review on a generated archive.

    .venv/bin/python bench/entity_review.py [--names 50000] [--articles 100000] [--workers 1]

Names: `--names` distinct person names made of a first name and a surname
drawn from syllables (fixed seed), 2% of them given a typo (a letter
dropped, doubled, changed or two letters swapped) as a further distinct
name. Timed: near.typo_pairs (blocking + rapidfuzz cdist), its pairs, and
how many comparisons it made against the n²/2 of every pair; then every
pair of 3,000 other generated names by rapidfuzz without blocking, to check
that the blocking lost no pair, and a pure-Python loop on 300 names,
extrapolated to all of them, for scale.

Archive: `--articles` articles of 3–8 tags each drawn from the names above
(persons), 2,000 places and 1,000 organisations, held in memory (no files:
the time of reading records is ingest's and the build's concern), then
every section of the review.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz.distance import OSA  # noqa: E402
from rapidfuzz.process import cdist  # noqa: E402

from generator.enrich.aliases import AliasTable, match_key  # noqa: E402
from generator.enrich.review import review_archive  # noqa: E402
from generator.enrich.review import near  # noqa: E402
from generator.enrich.review.archive import Archive  # noqa: E402
from generator.model import Entities, EntityTag, Record  # noqa: E402

SYLLABLES = ("ba be bi bo bu da de di do du fa fe fi fo la le li lo lu ma me mi mo mu na ne ni no "
             "pa pe pi po ra re ri ro ru sa se si so ta te ti to va ve vi vo za ze zi ou an on in "
             "er el ar al or ch tr br gr cl fl").split()


def word(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(low, high))).capitalize()


def typo(rng: random.Random, name: str) -> str:
    i = rng.randrange(1, len(name) - 1)
    how = rng.choice(("drop", "double", "change", "swap"))
    if how == "drop":
        return name[:i] + name[i + 1:]
    if how == "double":
        return name[:i] + name[i] + name[i:]
    if how == "change":
        return name[:i] + rng.choice("aeiourstln") + name[i + 1:]
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def make_names(count: int, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < count * 0.98:
        names.add(f"{word(rng, 1, 3)} {word(rng, 2, 4)}")
    base = sorted(names)
    while len(names) < count:
        names.add(typo(rng, rng.choice(base)))
    return sorted(names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=50_000)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1, help="rapidfuzz workers (-1: every core)")
    args = parser.parse_args()

    names = make_names(args.names)
    keys = sorted({match_key(n) for n in names})
    print(f"{len(names):,} distinct names, {len(keys):,} distinct match keys")

    compared = 0
    real_cdist = near.cdist

    def counting_cdist(rows, columns, **kwargs):
        nonlocal compared
        compared += len(rows) * len(columns)
        return real_cdist(rows, columns, **kwargs)

    near.cdist = counting_cdist
    start = time.perf_counter()
    pairs = list(near.typo_pairs(keys, workers=args.workers))
    blocked = time.perf_counter() - start
    near.cdist = real_cdist
    every = len(keys) * (len(keys) - 1) // 2
    print(f"typo_pairs (blocked cdist): {blocked:.2f} s, {len(pairs):,} pairs, "
          f"{compared:,} comparisons ({compared / every:.2%} of {every:,} pairs)")

    sample = sorted({match_key(n) for n in make_names(3000, seed=5)})
    start = time.perf_counter()
    matrix = cdist(sample, sample, scorer=OSA.distance, score_cutoff=1, workers=args.workers)
    unblocked = {(sample[i], sample[j]) for i in range(len(sample)) for j in range(i + 1, len(sample))
                 if matrix[i][j] <= 1 and len(sample[i]) >= near.MIN_TYPO_LENGTH
                 and near._DIGITS.sub("", sample[i]) != near._DIGITS.sub("", sample[j])}
    unblocked_time = time.perf_counter() - start
    found = set(near.typo_pairs(sample, workers=args.workers))
    print(f"check on {len(sample):,} names: every pair {len(unblocked):,} found in {unblocked_time:.2f} s, "
          f"blocked {len(found):,}, missed {len(unblocked - found)}")

    small = keys[:300]
    start = time.perf_counter()
    for i, a in enumerate(small):
        for b in small[i + 1:]:
            _python_distance_at_most_one(a, b)
    python_time = time.perf_counter() - start
    per_pair = python_time / (len(small) * (len(small) - 1) / 2)
    print(f"pure Python, every pair: {per_pair * 1e6:.1f} µs a pair → about {per_pair * every / 60:.0f} min "
          f"for {len(keys):,} names")

    rng = random.Random(7)
    places = [word(rng, 2, 3) for _ in range(2000)]
    organisations = [word(rng, 2, 4) for _ in range(1000)]
    archive = Archive()
    table = AliasTable({}, frozenset(), frozenset(), "")
    start = time.perf_counter()
    for number in range(args.articles):
        people = rng.sample(names, rng.randint(1, 4))
        entities = Entities(person=tuple(EntityTag(n, 1) for n in people),
                            place=tuple(EntityTag(n, 1) for n in rng.sample(places, rng.randint(1, 3))),
                            organization=tuple(EntityTag(n, 1) for n in rng.sample(organisations, 1)))
        body = " ".join(rng.choice(("le", "la", "selon", "mais", "publicité", "orange", "trois")) for _ in range(40))
        record = Record(title="t", slug=f"a{number}", lang="fr", date=None, date_source="unknown", summary="",
                        body=body, entities=entities)
        archive.add(f"content/a{number}.md", record, table)
    built = time.perf_counter() - start
    start = time.perf_counter()
    review = review_archive(archive, table, frozenset())
    reviewed = time.perf_counter() - start
    totals = ", ".join(f"{s.kind} {s.total:,}" for s in review.sections)
    print(f"archive of {args.articles:,} articles, {len(archive.entities):,} entities: "
          f"indexed in {built:.1f} s, reviewed in {reviewed:.1f} s ({totals})")


def _python_distance_at_most_one(a: str, b: str) -> bool:
    """One edit or none (substitution, insertion, deletion), plainly."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


if __name__ == "__main__":
    main()
