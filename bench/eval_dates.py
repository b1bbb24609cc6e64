"""Date tags against WiNER-fr 2016: recall on gold Date spans, precision on a hand-checked sample.

    .venv/bin/python bench/eval_dates.py [--part tune|heldout|all] [--code DIR]
                                         [--unchecked N] [--misses N] [--timing]

Prints, for each part of the one split (bench/winer_split.py):
- recall of the gold Date spans that name a day (a day number with a month,
  a lone day number of a list such as "les 9 et 10 juin", a weekday, or
  hier/aujourd'hui/demain), counting a span found when the words of one of
  our tags (or of the dateline) overlap it; a second figure counts the
  words of every mention (find_date_mentions). find_dates gets the gold
  publication date of the article;
- day-date precision on the hand-checked sample of the held-back part.

The sample is drawn by hash, not by position: a day tag (article id, words)
is in it when SHA-256 of "id|words" falls in the lowest SAMPLE_PER_MILLE of
1000 buckets. A tag keeps its place in the sample whatever other tags a
change adds or removes, so the verdicts of bench/data/dates-checked.json stay
valid; tags of the sample that have no verdict yet (a change made them) are
listed as unchecked, to be read and judged. A verdict records the date that
was checked, whether it was right and, when wrong, the right date (null when
the words name no single day: a yearly date, a vague one); a tag whose date
has changed since is judged against that right date.

--code DIR runs the recogniser of another checkout (DIR holds its
`generator/`), to measure a version before a change with the same verdicts.
The corpus is read in place; nothing of it is copied into the project.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VERDICTS = HERE / "data" / "dates-checked.json"
SAMPLE_PER_MILLE = 520  # about 150 of the ~290 day tags of the held-back part
CHECKED_PART = "heldout"


def _import(code: Path | None):
    sys.path.insert(0, str(code.resolve() if code else HERE.parent))
    sys.path.insert(1, str(HERE))
    from generator.enrich.dates import find_date_mentions, find_dateline, find_dates
    from generator.enrich.dates.tense import sentence_bounds
    from generator.enrich.dates.words import FRENCH
    import winer_split
    return find_date_mentions, find_dateline, find_dates, sentence_bounds, FRENCH, winer_split


def in_sample(doc_id: str, words: str) -> bool:
    digest = hashlib.sha256(f"{doc_id}|{words}".encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 1000 < SAMPLE_PER_MILLE


def occurrences(text: str, words: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(words)
    while start >= 0:
        spans.append((start, start + len(words)))
        start = text.find(words, start + 1)
    return spans


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("tune", "heldout", "all"), default="all")
    parser.add_argument("--corpus", type=Path, help="the WiNER-fr 2016 jsonl (default: shared/corpora above the project)")
    parser.add_argument("--code", type=Path, help="a checkout whose generator/ to measure")
    parser.add_argument("--misses", type=int, default=0, help="missed spans to print (tune part only)")
    parser.add_argument("--unchecked", type=int, default=200, help="unchecked sample tags to print")
    parser.add_argument("--wrong", action="store_true", help="print the sample's wrong tags")
    parser.add_argument("--timing", action="store_true", help="time find_dates per article")
    args = parser.parse_args()
    find_date_mentions, find_dateline, find_dates, sentence_bounds, FRENCH, winer_split = _import(args.code)
    corpus = args.corpus or next(
        (c for c in [winer_split.CORPUS, *(p / "shared/corpora/winer-fr-2016/winer-fr-2016.jsonl"
                                           for p in HERE.parents)] if c.exists()), None)
    if corpus is None or not corpus.exists():
        print("skipped: WiNER-fr 2016 corpus not found (--corpus)")
        return 0

    month = "|".join(re.escape(m) for m in sorted(FRENCH.months, key=len, reverse=True))
    day_number = r"(?<!\d)(?:0?[1-9]|[12]\d|3[01])(?:\s?er)?(?!\d)"
    day_with_month = re.compile(rf"{day_number}\s+(?:{month})", re.I)
    lone_day = re.compile(rf"\s*{day_number}\s*")
    day_word = re.compile(
        r"(?<!\w)(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|avant-hier|"
        r"aujourd['’]hui|demain|après-demain)(?!\w)", re.I)

    def names_a_day(span: str) -> bool:
        return bool(day_with_month.search(span) or day_word.search(span) or lone_day.fullmatch(span))

    verdicts = {}
    if VERDICTS.exists():
        for v in json.loads(VERDICTS.read_text(encoding="utf-8")):
            verdicts[(v["id"], v["words"])] = v

    print(f"code: {args.code or HERE.parent}")
    parts = ("tune", "heldout") if args.part == "all" else (args.part,)
    for part in parts:
        docs = winer_split.load(corpus, part=part)
        gold_day = found = found_mentions = 0
        day_tags = month_tags = 0
        missed = []
        sample = []  # (doc, tag, verdict or None)
        for doc in docs:
            text = doc["text"]
            pub = dt.date.fromisoformat(doc["date"])
            dateline = find_dateline(text, "fr")
            tags = find_dates(text, "fr", pub)
            mentions = find_date_mentions(text, "fr", pub)
            covered = occurrences(text, dateline[1]) if dateline else []
            mentioned = covered + [(m.start, m.end) for m in mentions]
            for tag in tags:
                if len(tag.date) == 10:
                    day_tags += 1
                    covered += occurrences(text, tag.text)
                    if part == CHECKED_PART and in_sample(doc["id"], tag.text):
                        easy = on_dateline(text, text.find(tag.text), find_dateline)
                        sample.append((doc, tag, verdicts.get((doc["id"], tag.text)), easy))
                else:
                    month_tags += 1
            for ent in doc["entities"]:
                if ent["type"] != "Date" or not names_a_day(ent["text"]):
                    continue
                gold_day += 1
                found_mentions += any(a < ent["end"] and ent["start"] < b for a, b in mentioned)
                if any(a < ent["end"] and ent["start"] < b for a, b in covered):
                    found += 1
                else:
                    context = text[max(0, ent["start"] - 60):ent["end"] + 40].replace("\n", " ")
                    missed.append((doc["id"], doc["date"], ent["text"], context))
        print(f"\n== {part}: {len(docs)} articles, {gold_day} gold Date spans naming a day")
        print(f"day-date recall (words of the tags):    {found}/{gold_day} = {found / gold_day:.3f}")
        print(f"day-date recall (words of every mention): {found_mentions}/{gold_day} = "
              f"{found_mentions / gold_day:.3f}")
        print(f"tags: {day_tags} days, {month_tags} months")
        if part == "tune" and args.misses:
            print(f"first {min(args.misses, len(missed))} of {len(missed)} missed day spans:")
            for doc_id, pub, words, context in missed[: args.misses]:
                print(f"  {doc_id} pub {pub}  {words!r}  …{context}…")
        if part != CHECKED_PART:
            continue
        _precision(sample, sentence_bounds, args)

    if args.timing:
        docs = winer_split.load(corpus)
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            for doc in docs:
                find_dateline(doc["text"], "fr")
                find_dates(doc["text"], "fr", dt.date.fromisoformat(doc["date"]))
            runs.append((time.perf_counter() - t0) / len(docs))
        print(f"\nfind_dateline + find_dates: median {statistics.median(runs) * 1000:.2f} ms per article")
    return 0


def on_dateline(text: str, at: int, find_dateline) -> bool:
    """Whether the words at this offset are the dateline of their line (the
    easy tags: the publication day, written at the top)."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = text[start:end if end >= 0 else len(text)]
    found = find_dateline(line, "fr")
    return bool(found) and line.find(found[1]) == at - start


def _precision(sample, sentence_bounds, args) -> None:
    right = wrong = body_right = body_checked = 0
    unchecked, wrong_tags = [], []
    for doc, tag, verdict, easy in sample:
        if verdict is None:
            unchecked.append((doc, tag))
            continue
        if tag.date == verdict["date"]:
            ok = verdict["correct"]
        else:  # the date changed since the check: the right date decides
            ok = tag.date == (verdict["date"] if verdict["correct"] else verdict.get("right_date"))
        right += ok
        wrong += not ok
        if not easy:
            body_checked += 1
            body_right += ok
        if not ok:
            wrong_tags.append((doc, tag, verdict))
    checked = right + wrong
    share = f"{right}/{checked} = {right / checked:.3f}" if checked else "n/a"
    print(f"day-date precision on the hand-checked sample: {share} "
          f"({len(sample)} day tags in the sample, {len(unchecked)} unchecked)")
    if body_checked:
        print(f"  of which the tags that are not a dateline: {body_right}/{body_checked} = "
              f"{body_right / body_checked:.3f}")
    if args.wrong:
        for doc, tag, v in wrong_tags:
            print(f"  wrong: {doc['id']} pub {doc['date']} {tag.text!r} -> {tag.date} "
                  f"(right: {v.get('right_date') if not v['correct'] else v['date']}; {v['reason']})")
    for doc, tag in unchecked[: args.unchecked]:
        text = doc["text"]
        at = text.find(tag.text)
        left, end = sentence_bounds(text, at, at + len(tag.text))
        sentence = " ".join(text[left:end].split())
        print(f"  unchecked: {doc['id']} pub {doc['date']}  {tag.text!r} -> {tag.date}\n      {sentence}")


if __name__ == "__main__":
    raise SystemExit(main())
