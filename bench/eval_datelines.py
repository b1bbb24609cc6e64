"""Datelines: the test strings held back while the grammar was written, and WiNER-fr.

    .venv/bin/python bench/eval_datelines.py [--corpus PATH] [--all]

Prints, for the dateline strings of tests/dateline_cases.py (development
and held-back parts, split by a hash of the text) and for the articles of
WiNER-fr 2016 (split by a hash of the article id, a third held back):
- strings: positives read exactly (publication and update date), negatives
  rightly left without a date;
- WiNER: articles whose dateline was read, and how many of those give the
  gold publication day (WiNER's gold date is the day of the Wikinews page).
With --all, the WiNER datelines that were not read are listed (development
part only: the held-back part is never printed).
Skips cleanly when the corpus is absent.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dateline_cases import NEGATIVE, POSITIVE, split  # noqa: E402
from generator.enrich.dates import find_dateline  # noqa: E402

# ../shared beside the checkout (or beside the folder of worktrees)
_WINER = "shared/corpora/winer-fr-2016/winer-fr-2016.jsonl"
DEFAULT_CORPUS = next((p / _WINER for p in ROOT.parents if (p / _WINER).exists()), ROOT.parent / _WINER)


def read(text: str, lang: str) -> tuple[str | None, str | None]:
    """(publication, update) as Gazette reads them from the top of a text."""
    try:
        from generator.enrich.dates import read_dateline
    except ImportError:  # before read_dateline existed: the one date of find_dateline
        found = find_dateline(text, lang)
        return (found[0] if found else None), None
    line = read_dateline(text, lang)
    return (line.published, line.updated) if line else (None, None)


def score_strings(name: str, positives: list, negatives: list) -> None:
    right = sum(read(text, lang) == (pub, upd) for lang, text, pub, upd in positives)
    clean = sum(read(text, lang) == (None, None) for lang, text in negatives)
    print(f"{name}: positives read exactly {right}/{len(positives)}, "
          f"negatives left without a date {clean}/{len(negatives)}")


def held_back_article(doc_id: str) -> bool:
    return int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16) % 3 == 0


def score_winer(corpus: Path, show_misses: bool) -> None:
    docs = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    for part, held in (("development", False), ("held-back", True)):
        subset = [d for d in docs if held_back_article(d["id"]) == held]
        read_count = right = 0
        misses = []
        for doc in subset:
            published, updated = read(doc["text"], "fr")
            date = published or updated
            read_count += date is not None
            right += date is not None and date[:10] == doc["date"]
            if date is None:
                misses.append(doc)
        print(f"WiNER {part} ({len(subset)} articles): datelines read {read_count}, "
              f"on the gold day {right} ({right / len(subset):.3f} of the articles)")
        if show_misses and not held:
            for doc in misses:
                head = " | ".join(line for line in doc["text"].split("\n") if line.strip())[:160]
                print(f"   {doc['id']}  {head}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--all", action="store_true", help="list the development articles without a dateline")
    args = parser.parse_args()
    pos_dev, pos_held = split(POSITIVE)
    neg_dev, neg_held = split(NEGATIVE)
    score_strings("strings, development", pos_dev, neg_dev)
    score_strings("strings, held back", pos_held, neg_held)
    if not args.corpus.exists():
        print(f"skipped WiNER: corpus not found at {args.corpus}")
        return 0
    score_winer(args.corpus, args.all)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
