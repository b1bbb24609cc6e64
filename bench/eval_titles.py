"""Titles of plain-text seeds: does a titled text keep its first line, and
does an untitled one get a title derived from its lead sentence?

Built from WiNER-fr 2016 (571 French news texts whose first line is the
title) and the gold article texts of extraction-benchmark-en (English,
no title line), both in ../shared/corpora:

- titled: the WiNER text as it is; and with its body joined into one line;
- untitled: the WiNER text without its title line (a dateline comes
  first); all of it joined into one line; starting at its first paragraph
  (title and dateline lines dropped); and the English gold texts as they
  are and joined into one line;
- titled, in English too: each benchmark page's own headline (its metadata,
  read by trafilatura) followed by the gold text.

Each document is in the tuning part or the held-back part by a hash of its
id (a third held back), fixed before any threshold was chosen; the
thresholds in generator/ingest/title.py were set on the tuning part only.

    .venv/bin/python bench/eval_titles.py [--part held-back|tuning|all] [--errors N]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from generator.errors import GazetteError
from generator.ingest.boilerplate import load_rules
from generator.ingest.clean import clean
from generator.ingest.title import DERIVED_TITLE_CHARS, TITLE_MAX_CHARS
from generator.model import RawArticle

# ../shared beside the repository (or beside the folder of its work trees)
CORPORA = next((p / "shared" / "corpora" for p in Path(__file__).resolve().parents[1:4]
                if (p / "shared" / "corpora").is_dir()), Path(__file__).resolve().parents[2] / "shared" / "corpora")
WINER = CORPORA / "winer-fr-2016" / "winer-fr-2016.jsonl"
BENCHMARK = CORPORA / "extraction-benchmark-en" / "ground-truth.json"
# WiNER's datelines stand on their own line and end with a dash: "4 mars 2016 . –"
_WINER_DATELINE = re.compile(r"^.{0,60}\d{4}.{0,30}[–-]\s*$")
_WORD = re.compile(r"\w+")


def held_back(key: str) -> bool:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 3 == 0


def winer_cases(row: dict):
    """(variant, expected title source, text, gold title or None)."""
    lines = [line for line in row["text"].split("\n") if line.strip()]
    body = lines[1:]
    yield "fr titled", "first-line", row["text"], row["title"]
    yield "fr titled, one-line body", "first-line", f"{lines[0]}\n{' '.join(body)}", row["title"]
    yield "fr untitled, title line dropped", "derived", "\n".join(body), None
    yield "fr untitled, one line", "derived", " ".join(body), None
    start = next((i for i, line in enumerate(body) if not _WINER_DATELINE.match(line)), 0)
    yield "fr untitled, first line = first paragraph", "derived", "\n".join(body[start:]), None


def english_cases(key: str, text: str):
    lines = [line for line in text.split("\n") if line.strip()]
    title = _page_title(key)
    if title:
        yield "en titled (page's own title, then the gold text)", "first-line", f"{title}\n{text}", title
    yield "en untitled (gold text)", "derived", "\n".join(lines), None
    yield "en untitled, one line", "derived", " ".join(lines), None


def documents(part: str):
    if WINER.exists():
        for line in WINER.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if _in_part(row["id"], part):
                yield row["id"], winer_cases(row)
    if BENCHMARK.exists():
        for key, value in sorted(json.loads(BENCHMARK.read_text(encoding="utf-8")).items()):
            if value.get("articleBody") and _in_part(key, part):
                yield key, english_cases(key, value["articleBody"])


def _page_title(key: str) -> str | None:
    """The headline the page itself gives (its metadata, read by trafilatura)."""
    import gzip

    import trafilatura

    page = BENCHMARK.parent / "html" / f"{key}.html.gz"
    if not page.exists():
        return None
    meta = trafilatura.extract_metadata(gzip.decompress(page.read_bytes()).decode("utf-8", "replace"))
    return " ".join(meta.title.split()) if meta and meta.title else None


def _in_part(key: str, part: str) -> bool:
    return part == "all" or held_back(key) == (part == "held-back")


def words(text: str) -> Counter:
    return Counter(_WORD.findall(text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("held-back", "tuning", "all"), default="held-back")
    parser.add_argument("--errors", type=int, default=0, help="show up to N wrong cases per variant")
    args = parser.parse_args()
    if not WINER.exists() and not BENCHMARK.exists():
        print(f"skipped: {CORPORA} not found (the development corpora live in ../shared/corpora)")
        return 0
    rules = load_rules()
    tally: dict[str, Counter] = defaultdict(Counter)
    wrong: dict[str, list[str]] = defaultdict(list)
    docs = 0
    for key, cases in documents(args.part):
        docs += 1
        for variant, expected, text, gold in cases:
            _score(key, variant, expected, text, gold, rules, tally[variant], wrong[variant])
    _print(args.part, docs, tally, wrong, args.errors)
    return 0


def _score(key, variant, expected, text, gold, rules, counts: Counter, wrong: list[str]) -> None:
    counts["cases"] += 1
    try:
        article = clean(RawArticle(path=Path(f"{key}.txt"), text=text, sha256=""), rules)
    except GazetteError as exc:
        counts["refused"] += 1
        wrong.append(f"{key}: refused: {exc.message}")
        return
    limit = DERIVED_TITLE_CHARS if article.title_source == "derived" else TITLE_MAX_CHARS
    counts["title within its limit"] += len(article.title) <= limit
    counts["expected source"] += article.title_source == expected
    if gold is not None:
        counts["with gold"] += 1
        counts["gold title kept"] += article.title == " ".join(gold.split())
    # nothing lost: every word of the text is in the title or the body (boilerplate aside)
    lost = words(text) - words(f"{article.title}\n{article.body_text}") - words(" ".join(r.text for r in article.removed))
    counts["no word lost"] += not lost
    if article.title_source != expected:
        wrong.append(f"{key}: {article.title_source}: {article.title[:100]!r}")


def _print(part: str, docs: int, tally: dict[str, Counter], wrong: dict[str, list[str]], show: int) -> None:
    print(f"part: {part}, documents: {docs}")
    print("| variant | cases | expected title source | gold title kept | title within limit | no word lost | refused |")
    print("|---|---|---|---|---|---|---|")
    for variant, c in tally.items():
        n = c["cases"]
        gold = f"{c['gold title kept'] / c['with gold']:.1%}" if c["with gold"] else "—"
        print(f"| {variant} | {n} | {c['expected source'] / n:.1%} | {gold} | "
              f"{c['title within its limit'] / n:.1%} | {c['no word lost'] / n:.1%} | {c['refused']} |")
    for variant, lines in wrong.items():
        for line in lines[:show]:
            print(f"  {variant}: {line}")


if __name__ == "__main__":
    sys.exit(main())
