"""Date tags against the gold Date spans of WiNER-fr 2016.

    .venv/bin/python bench/eval_dates.py [--corpus PATH] [--sample N] [--runs N]

Prints:
- recall of the gold Date spans that name a day (a day number with a month,
  a lone day number of a list such as "les 9 et 10 juin", a weekday, or
  hier/aujourd'hui/demain), counting a span found when the words of one of
  our tags (or of the dateline) overlap it; a second figure counts the
  words of every mention (find_date_mentions: a date mentioned twice in
  other words is one tag, and its second words are not in the tag). The
  dateline is read with
  find_dateline (no publication date); find_dates gets the gold publication
  date of the article;
- the number of tags, and a random sample of tags (fixed seed) with the
  article id, the words, the resolved date and the sentence, to check
  precision by hand; then a second sample that leaves out the easy tags
  (the date of the dateline, read on the dateline itself);
- the time per article of find_dates (median of several runs) and, for
  scale, of dateparser.search_dates on a subset, measured in the same run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.enrich.dates import find_date_mentions, find_dateline, find_dates  # noqa: E402
from generator.enrich.dates.tense import sentence_bounds  # noqa: E402
from generator.enrich.dates.words import FRENCH  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/corpora/winer-fr-2016/winer-fr-2016.jsonl"

_MONTH = "|".join(re.escape(m) for m in sorted(FRENCH.months, key=len, reverse=True))
_DAY_NUMBER = r"(?<!\d)(?:0?[1-9]|[12]\d|3[01])(?:\s?er)?(?!\d)"
_DAY_WITH_MONTH = re.compile(rf"{_DAY_NUMBER}\s+(?:{_MONTH})", re.I)
_LONE_DAY = re.compile(rf"\s*{_DAY_NUMBER}\s*")
_DAY_WORD = re.compile(
    r"(?<!\w)(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|avant-hier|"
    r"aujourd['’]hui|demain|après-demain)(?!\w)", re.I
)


def names_a_day(span: str) -> bool:
    """Whether a gold Date span names one day (not a year, month, century, hour)."""
    return bool(
        _DAY_WITH_MONTH.search(span) or _DAY_WORD.search(span) or _LONE_DAY.fullmatch(span)
    )


def occurrences(text: str, words: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(words)
    while start >= 0:
        spans.append((start, start + len(words)))
        start = text.find(words, start + 1)
    return spans


def tag_document(doc: dict):
    text = doc["text"]
    dateline = find_dateline(text, "fr")
    tags = find_dates(text, "fr", dt.date.fromisoformat(doc["date"]))
    return dateline, tags


def on_dateline(doc: dict, at: int) -> bool:
    """Whether the words at this offset are on a dateline line."""
    text = doc["text"]
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = text[start:end if end >= 0 else len(text)]
    found = find_dateline(line, "fr")
    return bool(found) and line.find(found[1]) == at - start


def print_sample(title: str, sample: list) -> None:
    print(f"\n{title}")
    for i, (doc, tag, at) in enumerate(sample, 1):
        text = doc["text"]
        left, right = sentence_bounds(text, at, at + len(tag.text))
        sentence = " ".join(text[left:right].split())
        print(f"{i:3d}. {doc['id']} pub {doc['date']}  {tag.text!r} -> {tag.date}\n     {sentence}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--body-sample", type=int, default=100,
                        help="sample size among the tags that are not the dateline's date")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--misses", type=int, default=30, help="missed spans to print")
    parser.add_argument("--dateparser-docs", type=int, default=40)
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"skipped: corpus not found at {args.corpus}")
        return 0
    docs = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]

    gold_day = found = found_mentions = 0
    datelines = dateline_right = 0
    missed: list[tuple[str, str, str]] = []
    all_tags: list[tuple[dict, object, int]] = []  # article, tag, offset of its words
    dateline_tags = 0
    for doc in docs:
        text = doc["text"]
        dateline, tags = tag_document(doc)
        covered: list[tuple[int, int]] = []
        if dateline:
            datelines += 1
            dateline_right += dateline[0][:10] == doc["date"]
            covered += occurrences(text, dateline[1])
        mentions = find_date_mentions(text, "fr", dt.date.fromisoformat(doc["date"]))
        mentioned = covered + [(m.start, m.end) for m in mentions]
        first_at = {}
        for m in mentions:
            first_at.setdefault(m.date, m.start)
        for tag in tags:
            covered += occurrences(text, tag.text)
            at = first_at[tag.date]
            all_tags.append((doc, tag, at))
            dateline_tags += tag.date == doc["date"] and on_dateline(doc, at)
        for ent in doc["entities"]:
            if ent["type"] != "Date" or not names_a_day(ent["text"]):
                continue
            gold_day += 1
            found_mentions += any(a < ent["end"] and ent["start"] < b for a, b in mentioned)
            if any(a < ent["end"] and ent["start"] < b for a, b in covered):
                found += 1
            else:
                context = text[max(0, ent["start"] - 50):ent["end"] + 30].replace("\n", " ")
                missed.append((doc["id"], ent["text"], context))

    gold_dates = sum(e["type"] == "Date" for d in docs for e in d["entities"])
    print(f"corpus: {args.corpus} ({len(docs)} articles)")
    print(f"gold Date spans: {gold_dates}; naming a day: {gold_day}")
    print(f"day-date recall (words of the tags): {found}/{gold_day} = {found / gold_day:.3f}")
    print(f"day-date recall (words of every mention): {found_mentions}/{gold_day} "
          f"= {found_mentions / gold_day:.3f}")
    print(f"datelines read: {datelines}, of which on the gold publication day: {dateline_right}")
    day_tags = sum(len(t.date) == 10 for _, t, _ in all_tags)
    print(f"tags: {len(all_tags)} ({day_tags} days, {len(all_tags) - day_tags} months; "
          f"{dateline_tags} are the dateline's own date)")
    print(f"\nfirst {min(args.misses, len(missed))} of {len(missed)} day spans not in a tag's words:")
    for doc_id, words, context in missed[: args.misses]:
        print(f"  {doc_id}  {words!r}  …{context}…")

    rng = random.Random(args.seed)
    sample = rng.sample(all_tags, min(args.sample, len(all_tags)))
    print_sample(f"random sample of {len(sample)} tags (seed {args.seed}) for a hand check:", sample)
    # the dateline's own date is the easy case: a second sample leaves it out
    body_tags = [
        (doc, tag, at) for doc, tag, at in all_tags
        if not (tag.date == doc["date"] and on_dateline(doc, at))
    ]
    sample = random.Random(args.seed + 1).sample(body_tags, min(args.body_sample, len(body_tags)))
    print_sample(f"random sample of {len(sample)} tags among the {len(body_tags)} that are not "
                 f"the dateline's own date (seed {args.seed + 1}):", sample)

    timings = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        for doc in docs:
            tag_document(doc)
        timings.append((time.perf_counter() - t0) / len(docs))
    ours = statistics.median(timings)
    print(f"\nfind_dateline + find_dates: median {ours * 1000:.2f} ms per article "
          f"({args.runs} runs over {len(docs)} articles)")
    try:
        from dateparser.search import search_dates
    except ImportError:
        print("dateparser not installed: no baseline")
        return 0
    subset = docs[: args.dateparser_docs]
    search_dates("le 3 janvier 2020", languages=["fr"])  # load its data outside the timing
    dp_timings = []
    for _ in range(3):
        t0 = time.perf_counter()
        for doc in subset:
            base = dt.datetime.fromisoformat(doc["date"])
            search_dates(doc["text"], languages=["fr"], settings={"RELATIVE_BASE": base})
        dp_timings.append((time.perf_counter() - t0) / len(subset))
    theirs = statistics.median(dp_timings)
    print(f"dateparser.search_dates (baseline, same run): median {theirs * 1000:.2f} ms per article "
          f"(3 runs over {len(subset)} articles); ours is {theirs / ours:.0f}x faster")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
