"""HTML publication and update dates on real pages (extraction-benchmark-en).

    .venv/bin/python bench/eval_html_dates.py [--corpus DIR]

For every page: the publication date as ingest reads it (trafilatura →
htmldate, original_date=True, no extensive search) and the update date
(generator/ingest/html_dates.py). Prints how many pages get each, and how
many update dates are one the page itself states as its modification date
(article:modified_time, og:updated_time, dateModified …; found here by a
plain text search, independent of htmldate). Skips cleanly when the corpus
is absent.
"""
from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.ingest.html_dates import html_update_date  # noqa: E402

_CORPUS = "shared/corpora/extraction-benchmark-en/html"
DEFAULT_CORPUS = next((p / _CORPUS for p in ROOT.parents if (p / _CORPUS).exists()), ROOT.parent / _CORPUS)
_STATED = re.compile(
    r"(?:modified_time|updated_time|dateModified|last-modified|DC\.date\.modified)[\"']?\s*"
    r"(?:content=|:|=)\s*[\"'](\d{4}-\d{2}-\d{2})", re.I)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: corpus not found at {args.corpus}")
        return 0
    import trafilatura

    pages = published = updated = stated = 0
    unconfirmed = []
    for path in sorted(args.corpus.glob("*.html.gz")):
        html = gzip.open(path, "rt", encoding="utf-8", errors="replace").read()
        pages += 1
        doc = trafilatura.bare_extraction(html, with_metadata=True, date_extraction_params={
            "extensive_search": False, "original_date": True})
        if doc is None or not doc.date:
            continue
        published += 1
        update = html_update_date(html, doc.date, doc.url)
        if update:
            updated += 1
            if update in _STATED.findall(html):
                stated += 1
            else:
                unconfirmed.append((path.name[:16], doc.date, update))
    print(f"{pages} pages: publication date {published}, update date {updated}, "
          f"of which stated by the page as its modification date {stated}")
    for row in unconfirmed:
        print("  not found as a stated modification date:", *row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
