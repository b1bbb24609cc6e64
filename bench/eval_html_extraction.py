"""How much of an article's text HTML ingest keeps, and how much else it lets in.

Runs Gazette's HTML reader (trafilatura plus cleaning) over the pages of
../shared/corpora/extraction-benchmark-en and compares the body it would
write with the hand-checked article text: token-level precision, recall and
F1 (bags of words), per page then averaged, with the median.

It also checks what a reader sees first: how often the summary is the title,
and how often the body's first paragraph repeats the title (both should be
never), and how much of the page the record says was removed.

Pages are split by a hash of their name: a third is held back (the default
part reported); the rules were tuned on the other two thirds only.

    .venv/bin/python bench/eval_html_extraction.py [--corpus DIR] [--part held-back|tuning|all]
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from generator.config import SiteConfig
from generator.errors import GazetteError
from generator.ingest.boilerplate import load_rules
from generator.ingest.markdown_text import plain_text
from generator.ingest.prepare import prepare
from generator.ingest.seeds import read_seed

# ../shared beside the repository (or beside the folder of its work trees)
DEFAULT = next((p / "shared" / "corpora" / "extraction-benchmark-en" for p in Path(__file__).resolve().parents[1:4]
                if (p / "shared" / "corpora").is_dir()),
               Path(__file__).resolve().parents[2] / "shared" / "corpora" / "extraction-benchmark-en")
_WORD = re.compile(r"\w+", re.U)


def tokens(text: str) -> Counter:
    return Counter(w.casefold() for w in _WORD.findall(text))


def score(predicted: Counter, gold: Counter) -> tuple[float, float]:
    common = sum((predicted & gold).values())
    precision = common / max(1, sum(predicted.values()))
    recall = common / max(1, sum(gold.values()))
    return precision, recall


def held_back(key: str) -> bool:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 3 == 0


def _same(a: str, b: str) -> bool:
    return " ".join(_WORD.findall(a.casefold())) == " ".join(_WORD.findall(b.casefold()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--part", choices=("held-back", "tuning", "all"), default="held-back")
    args = parser.parse_args()
    truth_file = args.corpus / "ground-truth.json"
    if not truth_file.exists():
        print(f"skipped: {truth_file} not found (the development corpora live in ../shared/corpora)")
        return 0
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    rules = load_rules()
    precisions, recalls, f1s, failures = [], [], [], []
    seen = Counter()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        config = SiteConfig(root=Path(tmp), language="en")
        for page in sorted((args.corpus / "html").glob("*.html.gz")):
            key = page.name.split(".")[0]
            gold = truth.get(key, {}).get("articleBody")
            if not gold or (args.part != "all" and held_back(key) != (args.part == "held-back")):
                continue
            path = Path(tmp) / f"{key}.html"
            path.write_bytes(gzip.decompress(page.read_bytes()))
            try:
                record = prepare(read_seed(path), config, rules, None).record
                text = f"{record.title}\n{plain_text(record.body)}"
                _look(record, seen)
            except GazetteError as exc:
                failures.append(f"{key[:12]}: {exc.message}")
                text = ""
            p, r = score(tokens(text), tokens(gold))
            precisions.append(p)
            recalls.append(r)
            f1s.append(0.0 if p + r == 0 else 2 * p * r / (p + r))
    seconds = time.perf_counter() - started
    _print(args.part, f1s, precisions, recalls, failures, seen, seconds)
    return 0


def _look(record, seen: Counter) -> None:
    """What a reader sees first: the summary and the first paragraph."""
    seen["records"] += 1
    first = next((p for p in plain_text(record.body).split("\n\n") if p.strip()), "")
    seen["summary is the title"] += _same(record.summary, record.title)
    seen["first paragraph is the title"] += _same(first, record.title)
    removed = [r for r in record.removed if r.rule == "html-extractor"]
    seen["with removed blocks"] += bool(removed)
    seen["removed characters"] += sum(len(r.text) for r in removed)


def _print(part, f1s, precisions, recalls, failures, seen, seconds) -> None:
    n = len(f1s)
    print(f"part: {part}, pages: {n}, no text extracted: {len(failures)}, {seconds / max(1, n) * 1000:.0f} ms/page")
    print("| measure | mean | median |\n|---|---|---|")
    for name, values in (("precision", precisions), ("recall", recalls), ("F1", f1s)):
        print(f"| {name} | {statistics.mean(values):.3f} | {statistics.median(values):.3f} |")
    records = max(1, seen["records"])
    print(f"summary is the title: {seen['summary is the title']} of {seen['records']}; "
          f"first paragraph is the title: {seen['first paragraph is the title']}; "
          f"records listing removed blocks: {seen['with removed blocks']}, "
          f"{seen['removed characters'] / records:.0f} characters of them a page on average")
    for line in failures[:10]:
        print("  ", line)


if __name__ == "__main__":
    sys.exit(main())
