"""How much of an article's text HTML ingest keeps, and how much else it lets in.

Runs Gazette's HTML reader (trafilatura plus cleaning) over the pages of
../shared/corpora/extraction-benchmark-en and compares the body it would
write with the hand-checked article text: token-level precision, recall and
F1 (bags of words), per page then averaged, with the median.

    .venv/bin/python bench/eval_html_extraction.py [--corpus DIR]
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from generator.ingest.boilerplate import load_rules
from generator.ingest.clean import clean
from generator.errors import GazetteError
from generator.ingest.seeds import read_seed

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "extraction-benchmark-en"
_WORD = re.compile(r"\w+", re.U)


def tokens(text: str) -> Counter:
    return Counter(w.casefold() for w in _WORD.findall(text))


def score(predicted: Counter, gold: Counter) -> tuple[float, float]:
    common = sum((predicted & gold).values())
    precision = common / max(1, sum(predicted.values()))
    recall = common / max(1, sum(gold.values()))
    return precision, recall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    args = parser.parse_args()
    truth_file = args.corpus / "ground-truth.json"
    if not truth_file.exists():
        print(f"skipped: {truth_file} not found (the development corpora live in ../shared/corpora)")
        return 0
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    rules = load_rules()
    precisions, recalls, f1s, failures = [], [], [], []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for page in sorted((args.corpus / "html").glob("*.html.gz")):
            key = page.name.split(".")[0]
            gold = truth.get(key, {}).get("articleBody")
            if not gold:
                continue
            path = Path(tmp) / f"{key}.html"
            path.write_bytes(gzip.decompress(page.read_bytes()))
            try:
                article = clean(read_seed(path), rules)
                text = f"{article.title}\n{article.body_text}"
            except GazetteError as exc:
                failures.append(f"{key[:12]}: {exc.message}")
                text = ""
            p, r = score(tokens(text), tokens(gold))
            precisions.append(p)
            recalls.append(r)
            f1s.append(0.0 if p + r == 0 else 2 * p * r / (p + r))
    seconds = time.perf_counter() - started
    n = len(f1s)
    print(f"pages: {n}, no text extracted: {len(failures)}, {seconds / max(1, n) * 1000:.0f} ms/page")
    print("| measure | mean | median |\n|---|---|---|")
    for name, values in (("precision", precisions), ("recall", recalls), ("F1", f1s)):
        print(f"| {name} | {statistics.mean(values):.3f} | {statistics.median(values):.3f} |")
    for line in failures[:10]:
        print("  ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
