"""Wire-copy grouping (generator/ingest/near_duplicates.py): precision and
recall on a labelled sample made from WiNER-fr 2016, and its time.

    .venv/bin/python bench/eval_near_duplicates.py [--corpus PATH] [--timing N]

The labelled sample. The WiNER texts are split by document id (a hash of
the id, so the split is fixed before anything is looked at) into a
development half, used to choose SHINGLE_WORDS and THRESHOLD, and a
held-back half, measured once with the chosen values. In each half, every
other text gets 1–3 republished copies, each with 2–4 realistic edits drawn
at random (fixed seed): a byline added, a credit line ("© AFP", "(Avec
AFP)"…), a different title, the dateline rewritten or dropped, one or two
sentences replaced by another text's sentence, the last sentence dropped
(at most a quarter of the sentences rewritten or dropped: more is another
article), boilerplate lines (share prompts, "Lire aussi", photo credits). A text and its copies
are one story; any two texts of different stories are a negative pair, and
the hard ones are counted apart: two stories published the same day, or
sharing three gold entities or more. Every text goes through ingest's own
reading and cleaning (read_seed, prepare) before grouping.

Prints, per half: pairs, precision and recall of "same group", and the
false positives among hard negatives; on the development half, the sweep.

--timing N: the detection alone (shingles, MinHash signatures, LSH, exact
check, groups) on N synthetic seeds of bench/make_corpus.py, cleaned
beforehand (not timed).

Skips with a message when the corpus is absent.
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.config import load_config  # noqa: E402
from generator.ingest import near_duplicates as nd  # noqa: E402
from generator.ingest.boilerplate import load_rules  # noqa: E402
from generator.ingest.prepare import prepare  # noqa: E402
from generator.ingest.seeds import read_seed  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared/corpora/winer-fr-2016/winer-fr-2016.jsonl"
SWEEP_WORDS = (3, 4, 5)
SWEEP_THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)

BYLINES = ("Par Claire Dumont", "Par Marc Olivier, avec AFP", "Par la rédaction", "De notre correspondant à Bruxelles",
           "Par Sophie Martin et Karim Benali")
CREDITS = ("© AFP", "(Avec AFP)", "AFP", "Avec Reuters", "© 2016 AFP. Tous droits réservés.", "(Belga)")
NOISE = ("Lire aussi : les dernières informations", "Partager sur Facebook", "Publicité",
         "Crédit photo : Reuters", "Photo d'illustration", "Abonnez-vous à notre newsletter")
TITLE_PREFIXES = ("EN DIRECT – ", "VIDÉO. ", "Monde : ", "")


# ---------------------------------------------------------------- the sample

def split_of(doc_id: str) -> str:
    return "held-back" if hashlib.sha256(doc_id.encode()).digest()[0] % 2 else "development"


def paragraphs(doc: dict) -> tuple[str, str | None, list[str]]:
    """(title, dateline or None, body paragraphs) of a WiNER text."""
    lines = [line.strip() for line in doc["text"].split("\n") if line.strip()]
    body = lines[1:]
    dateline = body.pop(0) if body and re.match(r"^\d.*–$", body[0]) else None
    return lines[0], dateline, body


def sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ü«])", paragraph) if s]


def variant(doc: dict, other: dict, rng: random.Random) -> str:
    """A republished copy of `doc`: 2–4 edits; `other` lends rewritten
    sentences. A copy keeps most of the dispatch: a sentence is rewritten
    or dropped only where the text has four sentences or more for each."""
    title, dateline, body = paragraphs(doc)
    body = [sentences(p) for p in body]
    spare = [s for p in paragraphs(other)[2] for s in sentences(p)] or ["Une phrase récrite par la rédaction."]
    budget = sum(map(len, body)) // 4  # sentences that may be rewritten or dropped
    head, tail = [], []
    for edit in rng.sample(range(8), rng.randint(2, 4)):
        if edit == 0:
            head.append(rng.choice(BYLINES))
        elif edit == 1:
            tail.append(rng.choice(CREDITS))
        elif edit == 2:
            lead = " ".join(sum(body, [])[:1]) or title
            title = rng.choice(TITLE_PREFIXES) + lead.split(",")[0][:90]
        elif edit == 3:
            day = dateline.split(" . ")[0].split(",")[0] if dateline else None
            dateline = rng.choice((None, f"PARIS, {day} (AFP) –" if day else None))
        elif edit in (4, 5):  # one or two sentences rewritten
            for _ in range(min(edit - 3, budget)):
                budget -= 1
                paragraph = rng.choice([p for p in body if p])
                paragraph[rng.randrange(len(paragraph))] = rng.choice(spare)
        elif edit == 6 and budget:  # the last sentence dropped
            budget -= 1
            last = [p for p in body if p][-1]
            last.pop()
        elif edit == 7:
            for _ in range(rng.randint(1, 2)):
                body.insert(rng.randrange(len(body) + 1), [rng.choice(NOISE)])
    return seed_text(title, dateline, head, [" ".join(p) for p in body if p], tail)


def seed_text(title: str, dateline: str | None, head: list[str], body: list[str], tail: list[str]) -> str:
    return "\n\n".join([title, *head, *([dateline] if dateline else []), *body, *tail]) + "\n"


def original(doc: dict) -> str:
    title, dateline, body = paragraphs(doc)
    return seed_text(title, dateline, [], body, [])


def sample(docs: list[dict], seed: int = 2016) -> list[tuple[str, str, dict]]:
    """(story id, seed text, the WiNER doc) for the originals and their copies."""
    rng = random.Random(seed)
    out = []
    for number, doc in enumerate(docs):
        out.append((doc["id"], original(doc), doc))
        if number % 2 == 0:
            for _ in range(rng.randint(1, 3)):
                out.append((doc["id"], variant(doc, docs[rng.randrange(len(docs))], rng), doc))
    return out


def cleaned_bodies(items: list[tuple[str, str, dict]]) -> list[str]:
    """Each seed text as ingest reads and cleans it: the record body."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        (site / "seeds").mkdir()
        config = load_config(site)
        rules = load_rules(config.boilerplate)
        bodies = []
        for number, (_, text, _) in enumerate(items):
            path = site / "seeds" / f"{number:05d}.txt"
            path.write_text(text, encoding="utf-8")
            bodies.append(prepare(read_seed(path), config, rules, None).record.body)
        return bodies


# ---------------------------------------------------------------- measuring

def predicted_groups(bodies: list[str]) -> dict[int, int]:
    """Text number → group number, with the module's current settings."""
    shingle_sets = [nd.shingles(body) for body in bodies]
    signatures = {n: nd.signature(s) for n, s in enumerate(shingle_sets)}
    pairs = nd.copy_pairs(signatures, list(signatures), lambda n: shingle_sets[n])
    group_of = {n: n for n in range(len(bodies))}
    for number, group in enumerate(nd.groups(pairs)):
        for member in group:
            group_of[member] = len(bodies) + number
    return group_of


def hard_negative(a: dict, b: dict) -> bool:
    shared = {e["text"] for e in a["entities"] if e["type"] in ("Person", "Location", "Organization")} & \
             {e["text"] for e in b["entities"] if e["type"] in ("Person", "Location", "Organization")}
    return a["date"] == b["date"] or len(shared) >= 3


def score(items: list[tuple[str, str, dict]], group_of: dict[int, int]) -> dict:
    tp = fp = fn = hard = hard_fp = 0
    for i, j in itertools.combinations(range(len(items)), 2):
        same_story = items[i][0] == items[j][0]
        same_group = group_of[i] == group_of[j]
        tp += same_story and same_group
        fn += same_story and not same_group
        fp += same_group and not same_story
        if not same_story and hard_negative(items[i][2], items[j][2]):
            hard += 1
            hard_fp += same_group
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"texts": len(items), "positive pairs": tp + fn, "precision": round(precision, 4),
            "recall": round(recall, 4), "false pairs": fp, "missed pairs": fn,
            "hard negative pairs": hard, "hard negatives grouped": hard_fp}


def with_settings(words: int, threshold: float):
    nd.SHINGLE_WORDS, nd.THRESHOLD = words, threshold


def sweep(items, bodies) -> None:
    print("development half: SHINGLE_WORDS THRESHOLD → precision recall")
    for words, threshold in itertools.product(SWEEP_WORDS, SWEEP_THRESHOLDS):
        with_settings(words, threshold)
        result = score(items, predicted_groups(bodies))
        print(f"  {words} {threshold:.2f} → {result['precision']:.4f} {result['recall']:.4f}"
              f"  (false pairs {result['false pairs']}, hard negatives grouped {result['hard negatives grouped']})")


def timing(count: int) -> None:
    """The detection alone on `count` synthetic seeds, cleaned beforehand."""
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(ROOT / "bench/make_corpus.py"), str(count), tmp, "--formats", "seeds"],
                       check=True, capture_output=True)
        seeds = sorted((Path(tmp) / "seeds").glob("*.txt"))
        config = load_config(Path(tmp))
        rules = load_rules(config.boilerplate)
        bodies = [prepare(read_seed(path), config, rules, None).record.body for path in seeds]
    start = time.perf_counter()
    group_of = predicted_groups(bodies)
    elapsed = time.perf_counter() - start
    grouped = sum(1 for n, g in group_of.items() if g != n)
    print(f"timing: {len(bodies)} synthetic articles, detection alone {elapsed:.2f} s "
          f"({elapsed / len(bodies) * 10000:.1f} s per 10,000), {grouped} grouped")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--timing", type=int, default=0, help="also time the detection on N synthetic seeds")
    parser.add_argument("--no-sweep", action="store_true")
    parser.add_argument("--development-only", action="store_true",
                        help="the sweep only: to choose the settings without seeing the held-back half")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"skipped: {args.corpus} is absent")
        return 0
    docs = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    chosen = (nd.SHINGLE_WORDS, nd.THRESHOLD)
    for half in ("development",) if args.development_only else ("development", "held-back"):
        items = sample([d for d in docs if split_of(d["id"]) == half])
        bodies = cleaned_bodies(items)
        if half == "development" and not args.no_sweep:
            sweep(items, bodies)
        with_settings(*chosen)
        print(f"{half} half, SHINGLE_WORDS={chosen[0]} THRESHOLD={chosen[1]}: "
              f"{json.dumps(score(items, predicted_groups(bodies)), ensure_ascii=False)}")
    if args.timing:
        timing(args.timing)
    return 0


if __name__ == "__main__":
    sys.exit(main())
