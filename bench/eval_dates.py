"""Date tags against WiNER-fr 2016: recall on gold Date spans, precision on hand-checked tags.

    .venv/bin/python bench/eval_dates.py [--part tune|heldout|all] [--code DIR]
                                         [--unchecked N] [--misses N] [--timing]

Prints, for each part of the one split (bench/winer_split.py):
- recall of the gold Date spans that name a day (a day number with a month,
  a lone day number of a list such as "les 9 et 10 juin", a weekday, or
  hier/aujourd'hui/demain), counting a span found when the words of one of
  our tags (or of the dateline) overlap it; a second figure counts the
  words of every mention (find_date_mentions). find_dates gets the gold
  publication date of the article;
- precision on the hand-checked tags of the held-back part, in three
  figures: every checked day tag, the day tags that are not a dateline, and
  the month tags ("YYYY-MM"), so that the easy datelines do not carry it.

Checked are: every day tag of the held-back part that is not the dateline
(the date line under the title), every month tag, and, of the datelines, a
sample drawn by hash, not by position: a dateline tag (article id, words) is
in it when SHA-256 of "id|words" falls in the lowest SAMPLE_PER_MILLE of 1000
buckets. Whether a tag is the dateline is read at the first place the tag's
date is mentioned. The verdicts of bench/data/dates-checked.json stay valid
whatever other tags a change adds or removes; tags to check that have no
verdict yet (a change made them) are listed as unchecked, to be read and
judged. A verdict records the date that was checked, whether it was right
and, when wrong, the right date (null when the words name no single day: a
yearly date, a vague one); a tag whose date has changed since is judged
against that right date. Words that give several tags ("les 9 et 10 juin")
have one verdict per date.

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
SAMPLE_PER_MILLE = 520  # about half of the ~170 dateline tags of the held-back part
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

    verdicts: dict[tuple[str, str], list[dict]] = {}
    if VERDICTS.exists():
        for v in json.loads(VERDICTS.read_text(encoding="utf-8")):
            verdicts.setdefault((v["id"], v["words"]), []).append(v)

    print(f"code: {args.code or HERE.parent}")
    parts = ("tune", "heldout") if args.part == "all" else (args.part,)
    for part in parts:
        docs = winer_split.load(corpus, part=part)
        gold_day = found = found_mentions = 0
        day_tags = month_tags = 0
        missed = []
        to_check = []  # (doc, tag, verdict or None, is the dateline, offset of its first mention)
        for doc in docs:
            text = doc["text"]
            pub = dt.date.fromisoformat(doc["date"])
            dateline = find_dateline(text, "fr")
            tags = find_dates(text, "fr", pub)
            mentions = find_date_mentions(text, "fr", pub)
            covered = occurrences(text, dateline[1]) if dateline else []
            mentioned = covered + [(m.start, m.end) for m in mentions]
            for tag in tags:
                is_day = len(tag.date) == 10
                if is_day:
                    day_tags += 1
                    covered += occurrences(text, tag.text)
                else:
                    month_tags += 1
                if part != CHECKED_PART:
                    continue
                at = next((m.start for m in mentions if m.date == tag.date), text.find(tag.text))
                easy = is_day and on_dateline(text, at, find_dateline)
                if not easy or in_sample(doc["id"], tag.text):
                    to_check.append((doc, tag, verdict_of(verdicts, doc["id"], tag), easy, at))
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
        _precision(to_check, sentence_bounds, args)

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


def verdict_of(verdicts: dict, doc_id: str, tag) -> dict | None:
    """The verdict on a tag: the one on its words and date, else the only
    one on its words (its date changed since), else none."""
    on_words = verdicts.get((doc_id, tag.text), [])
    same = [v for v in on_words if v["date"] == tag.date]
    if same:
        return same[0]
    return on_words[0] if len(on_words) == 1 else None


def _precision(to_check, sentence_bounds, args) -> None:
    groups = {"day": [0, 0, 0], "body": [0, 0, 0], "month": [0, 0, 0]}  # right, checked, unchecked
    unchecked, wrong_tags = [], []
    for doc, tag, verdict, easy, at in to_check:
        kinds = ("day",) if easy else ("day", "body") if len(tag.date) == 10 else ("month",)
        if verdict is None:
            unchecked.append((doc, tag, at))
            for kind in kinds:
                groups[kind][2] += 1
            continue
        if tag.date == verdict["date"]:
            ok = verdict["correct"]
        else:  # the date changed since the check: the right date decides
            ok = tag.date == (verdict["date"] if verdict["correct"] else verdict.get("right_date"))
        for kind in kinds:
            groups[kind][0] += ok
            groups[kind][1] += 1
        if not ok:
            wrong_tags.append((doc, tag, verdict))
    names = {
        "day": "day tags (every non-dateline one + a hash sample of datelines)",
        "body": "day tags that are not a dateline",
        "month": "month tags (YYYY-MM)",
    }
    print("precision on the hand-checked tags:")
    for kind, (right, checked, missing) in groups.items():
        share = f"{right}/{checked} = {right / checked:.3f}" if checked else "n/a"
        print(f"  {names[kind]}: {share} ({missing} unchecked)")
    if args.wrong:
        for doc, tag, v in wrong_tags:
            print(f"  wrong: {doc['id']} pub {doc['date']} {tag.text!r} -> {tag.date} "
                  f"(right: {(v['date'] if v['correct'] else v.get('right_date')) or 'no single day'}; {v['reason']})")
    for doc, tag, at in unchecked[: args.unchecked]:
        text = doc["text"]
        left, end = sentence_bounds(text, at, at + len(tag.text))
        sentence = " ".join(text[left:end].split())
        print(f"  unchecked: {doc['id']} pub {doc['date']}  {tag.text!r} -> {tag.date}\n      {sentence}")


if __name__ == "__main__":
    raise SystemExit(main())
