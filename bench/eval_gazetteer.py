"""The gazetteer (generator/enrich/gazetteer.py) against WiNER-fr 2016 and the hand-written tables.

    .venv/bin/python bench/eval_gazetteer.py [--corpus PATH] [--part tune|heldout|both] [--top N]
    .venv/bin/python bench/eval_gazetteer.py --sweep      # thresholds, on tune only

For each part of the split (bench/winer_split.py; rules are designed on
"tune" only, "heldout" is reported, never tuned on):
- the share of gold Location mentions the gazetteer knows (each distinct
  mention text counted once per document), and the most frequent it lacks;
- the share of gold Person and Organization mentions it knows: the names it
  would protect as places by mistake, with the most frequent of them.
Then the load time: the tables built from the sources (first run of a site),
a new process reading them from the cache (what a cold ingest pays,
median of 5), and the same process reading them again with its lru_cache
cleared (warm, median of 5). Last, the hand-written place tables of
generator/data/aliases/: which canonical names the gazetteer gives the same
name, which it names differently, which it lacks.
Skips with a message when the corpus is absent (the comparison still runs).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import winer_split  # noqa: E402
from generator.enrich import gazetteer as gz  # noqa: E402
from generator.enrich.aliases import match_key, typographic  # noqa: E402

SHARED = Path("/work/shared/corpora/winer-fr-2016/winer-fr-2016.jsonl")
TABLES = ("countries", "cities", "regions", "france")
TYPES = ("Location", "Person", "Organization")
# the kinds a hand-written entry may map to; another kind is another place (Palestine, Texas)
EXPECTED_KINDS = {"countries": {"country", "region"}, "cities": {"city"},
                  "regions": {"continent", "region", "country"}, "france": {"city", "region"}}


def default_corpus() -> Path:
    return winer_split.CORPUS if winer_split.CORPUS.is_file() else SHARED


def mentions(docs: list[dict]) -> dict[str, Counter]:
    """Per gold type, distinct mention texts per document, counted over documents."""
    found = {t: Counter() for t in TYPES}
    for doc in docs:
        seen = {t: set() for t in TYPES}
        for entity in doc["entities"]:
            if entity["type"] in seen:
                seen[entity["type"]].add(typographic(" ".join(entity["text"].split())))
        for t, names in seen.items():
            found[t].update(names)
    return found


def coverage(places: gz.Gazetteer, docs: list[dict], top: int, label: str) -> None:
    counts = mentions(docs)
    print(f"\n== {label}: {len(docs)} documents")
    for t in TYPES:
        total = sum(counts[t].values())
        known = Counter({n: c for n, c in counts[t].items() if n in places})
        share = sum(known.values()) / total if total else 0.0
        print(f"{t:13s} known {sum(known.values()):5d} / {total:5d} = {share:6.1%}"
              f"   ({len(known)} of {len(counts[t])} distinct names)")
        if t == "Location":
            lacking = Counter({n: c for n, c in counts[t].items() if n not in places})
            print("   most frequent unknown:", ", ".join(f"{n} ({c})" for n, c in lacking.most_common(top)))
            kinds = Counter()
            for n, c in known.items():
                kinds[places.lookup(n).kind] += c
            print("   known as:", dict(kinds.most_common()))
        else:
            print("   most frequent known (false protections):",
                  ", ".join(f"{n} ({c}, {describe(places.lookup(n))})" for n, c in known.most_common(top)))


def describe(place: gz.Place) -> str:
    size = f" pop {place.population:,}" if place.population else ""
    return f"{place.kind}{size}"


def load_times(lang: str, runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        _, build_seconds = gz.timed_load(lang, cache)
        # the enrich package (spaCy and the rest) is imported by any ingest
        # anyway: its import is timed apart, the gazetteer's cost is the rest
        script = ("import time, sys; t0 = time.perf_counter(); import generator.enrich; "
                  "t = time.perf_counter(); "
                  "from generator.enrich.gazetteer import gazetteer; "
                  f"g = gazetteer({lang!r}, __import__('pathlib').Path(sys.argv[1])); "
                  "print(time.perf_counter() - t, t - t0, len(g))")
        cold, package = [], []
        for _ in range(runs):
            out = subprocess.run([sys.executable, "-c", script, str(cache)], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout.split()
            cold.append(float(out[0]))
            package.append(float(out[1]))
        warm = [gz.timed_load(lang, cache)[1] for _ in range(runs)]
        size = sum(f.stat().st_size for f in cache.rglob("*.pickle"))
    print(f"\n== load ({lang}): build from the sources {build_seconds:.2f} s (first run of a site; "
          f"cache file {size / 1e6:.1f} MB)")
    print(f"   cold (new process, generator.enrich already imported: import gazetteer.py + read the cache)"
          f" median of {runs}: {statistics.median(cold):.3f} s  {[round(s, 3) for s in cold]}")
    print(f"   (importing the generator.enrich package before it, paid by any ingest: median "
          f"{statistics.median(package):.3f} s)")
    print(f"   warm (same process, lru cleared, file read again) median of {runs}: "
          f"{statistics.median(warm):.3f} s  {[round(s, 3) for s in warm]}")


def compare_tables(places: gz.Gazetteer) -> None:
    folder = ROOT / "generator" / "data" / "aliases"
    print("\n== hand-written tables (canonical name → gazetteer)")
    for table in TABLES:
        data = tomllib.loads((folder / f"{table}.toml").read_text(encoding="utf-8"))
        entries = data.get("place", {})
        same, different, lacking, variants_missed = [], [], [], []
        variants_known = variants_total = 0
        for canonical, variants in entries.items():
            place = places.lookup(canonical)
            if place is None:
                hits = [v for v in variants if v in places]
                lacking.append(canonical + (f" (variant {hits[0]!r} → {places.lookup(hits[0]).name})" if hits else ""))
            elif place.kind not in EXPECTED_KINDS[table]:
                different.append(f"{canonical} → {place.name} ({describe(place)}: another place)")
            elif typographic(place.name) == typographic(canonical):
                same.append(canonical)
            else:
                different.append(f"{canonical} → {place.name} ({place.kind})")
            variants_total += len(variants)
            for v in variants:
                found = places.lookup(v)
                if place is not None and found is not None and found.code == place.code:
                    variants_known += 1
                elif place is not None:
                    variants_missed.append(f"{v} ({'→ ' + found.name + ', ' + found.kind if found else 'unknown'})")
        print(f"\n{table}.toml [place]: {len(entries)} entries: same name {len(same)}, "
              f"named differently or another place {len(different)}, lacking {len(lacking)}; "
              f"variants resolving to the same place {variants_known}/{variants_total}")
        if different:
            print("   named differently or another place:", "; ".join(different))
        if lacking:
            print("   lacking:", "; ".join(lacking))
        if variants_missed:
            print("   variants of known entries the gazetteer lacks or gives another place:",
                  "; ".join(variants_missed))
    organizations = tomllib.loads((folder / "france.toml").read_text(encoding="utf-8")).get("organization", {})
    clashes = [n for n in organizations if n in places]
    print(f"\nfrance.toml [organization] names the gazetteer knows as places: {len(clashes)}"
          + (": " + ", ".join(f"{n} ({describe(places.lookup(n))})" for n in clashes) if clashes else ""))


def sweep(docs: list[dict], lang: str) -> None:
    """Coverage and false protections for each city file and alternate-name threshold."""
    counts = mentions(docs)
    print("\n== sweep on tune: cities file × alternate names from (people)")
    print(f"{'cities':>8s} {'alt from':>10s} {'names':>8s} {'Location':>9s} {'Person':>7s} {'Org':>7s}")
    for cities in (15000, 5000, 1000, 500):
        for alt in (10**9, 200_000, 50_000, 15_000):
            if alt < cities:
                continue
            places = gz.Gazetteer(lang, *gz.build(lang, cities, alt))
            shares = []
            for t in TYPES:
                total = sum(counts[t].values())
                shares.append(sum(c for n, c in counts[t].items() if n in places) / total)
            alt_label = "never" if alt == 10**9 else f"{alt:,}"
            print(f"{cities:8d} {alt_label:>10s} {len(places):8d} " + " ".join(f"{s:8.1%}" for s in shares))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    parser.add_argument("--part", choices=("tune", "heldout", "both"), default="both")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--sweep", action="store_true", help="compare city files and alternate-name thresholds on tune")
    args = parser.parse_args()
    if args.sweep:
        if not args.corpus.is_file():
            print(f"skipped: {args.corpus} is absent")
            return 0
        sweep(winer_split.load(args.corpus, "tune"), args.lang)
        return 0
    places = gz.gazetteer(args.lang)
    print(f"gazetteer {args.lang}: {len(places)} names; cities from cities{gz.CITY_POPULATION}.json, "
          f"alternate names from {gz.ALT_NAME_POPULATION:,} people")
    if args.corpus.is_file():
        parts = ("tune", "heldout") if args.part == "both" else (args.part,)
        for part in parts:
            coverage(places, winer_split.load(args.corpus, part), args.top, part)
    else:
        print(f"\nskipped the corpus figures: {args.corpus} is absent")
    load_times(args.lang)
    compare_tables(places)
    return 0


if __name__ == "__main__":
    sys.exit(main())
