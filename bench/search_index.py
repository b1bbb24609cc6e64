"""Search indexing speed: Gazette's Pagefind client against the stock one.

The stock client of the `pagefind` Python package sleeps 0.1 s before
reading each answer of the pagefind process, so indexing costs at least
0.1 s per page. generator.site.search replaces only that reader. This script
indexes the same synthetic article pages with both, several runs each, in
the same process, and prints the medians and their ratio.

    .venv/bin/python bench/search_index.py [--pages 200] [--runs 3]

The stock client is measured on --stock-pages pages (default 50) only, as
it needs about 0.1 s a page; its time is reported per page and scaled.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pagefind.index import IndexConfig, PagefindIndex  # noqa: E402

from generator.report import SilentReporter  # noqa: E402
from generator.site.output import Writer  # noqa: E402
from generator.site.search import index_articles, page_url  # noqa: E402

WORDS = ("gouvernement ministre élection accord réforme grève syndicat président député sénat région "
         "ville marché économie budget santé hôpital école université justice procès tribunal police "
         "manifestation sommet traité frontière guerre paix crise énergie climat").split()
PEOPLE = ("Emmanuel Macron", "Angela Merkel", "Boris Johnson", "Marine Le Pen", "Édouard Philippe")
PLACES = ("Paris", "Lyon", "Marseille", "Bruxelles", "Berlin", "Londres")


def synthetic_pages(count: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pages = []
    for n in range(count):
        year = 2010 + n % 14
        date = f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        body = "".join(f"<p>{' '.join(rng.choices(WORDS, k=60))}.</p>" for _ in range(8))
        tags = "".join(f'<a data-pagefind-filter="person">{p}</a>' for p in rng.sample(PEOPLE, 2))
        tags += "".join(f'<a data-pagefind-filter="place">{p}</a>' for p in rng.sample(PLACES, 2))
        html = (f'<!doctype html><html lang="fr"><body><nav>menu</nav><article data-pagefind-body>'
                f'<h1 data-pagefind-meta="title">Article {n}</h1>'
                f'<meta data-pagefind-filter="year[content]" content="{year}">'
                f'<meta data-pagefind-sort="date[content]" content="{date}">{body}{tags}</article></body></html>')
        pages.append((f"articles/article-{n}/index.html", html))
    return pages


def _ours(folder: Path, pages) -> None:
    """Index the pages and write the bundle into `folder`, as a build does."""
    writer = Writer(folder, None)
    for path, content in index_articles(pages, SilentReporter()).files:
        writer.write(path, content, "the search index")


async def _stock(folder: Path, pages) -> None:
    # the stock client writes its files again when the context closes, to
    # config.output_path (default: ./pagefind): point that inside `folder`
    async with PagefindIndex(IndexConfig(output_path=str(folder / "pagefind"))) as index:
        for path, html in pages:
            await index.add_html_file(content=html, url=page_url(path))


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--stock-pages", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    pages = synthetic_pages(args.pages)
    stock_pages = pages[: args.stock_pages]
    ours, stock = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            ours.append(timed(lambda: _ours(Path(tmp) / "a", pages)))
            stock.append(timed(lambda: asyncio.run(_stock(Path(tmp) / "b", stock_pages))))
    ours_per_page = statistics.median(ours) / len(pages)
    stock_per_page = statistics.median(stock) / len(stock_pages)
    print(f"gazette client: {len(pages)} pages, median {statistics.median(ours):.3f} s "
          f"({ours_per_page * 1000:.2f} ms/page) over {args.runs} runs")
    print(f"stock client:   {len(stock_pages)} pages, median {statistics.median(stock):.3f} s "
          f"({stock_per_page * 1000:.2f} ms/page) over {args.runs} runs")
    print(f"stock / gazette per page: {stock_per_page / ours_per_page:.1f}x; "
          f"stock client for {len(pages)} pages ≈ {stock_per_page * len(pages):.1f} s")


if __name__ == "__main__":
    main()
