"""What a reader's browser loads and waits for per search, by number of
search shards: time to first result, requests and bytes, in Debian's
chromium through Playwright.

    python bench/search_first_result.py [--articles 4000,12000] [--shards 1,10,40] [--queries 5]
                                        [--work /tmp/gazette-search-bench] [--rebuild] [--write]

For each archive size N, N synthetic articles (bench/make_corpus.py,
records, no NLP) are built once per shard count S, with `[build]
search_shard_size` = ceil(N / S), so the builds of one N hold the same
articles and only the shards differ (4,000 articles at 100 per shard give
40, the most a site gets: `search_max_shards`); a second N shows what grows
with the articles rather than with the shards. A build is kept in
WORK/out-N-S and taken again while make_corpus.py, the settings and the
Gazette commit are the same.

Each output is served by a plain `http.server` on 127.0.0.1 (a free port),
and for each query word (words of the articles, from the most common to
rare ones, the same for every S):

  cold   a new browser context (empty cache) opens /search/; "open" is the
         time until the page has loaded every shard and shows its filters;
         then the word is typed and Enter pressed (the 250 ms typing pause
         is not counted): "first result" is the time until a result link
         (or the zero-results line) is on the page
  warm   in the same page, the next word: the shards are loaded, only the
         word's index chunks and the results' fragments come

Requests and bytes are Playwright's requestfinished events in each window,
with Request.sizes() (response headers and body as received). Figures are
the median (min–max) over the words. `--write` puts the table into
bench/README.md between this script's markers.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import math
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT / "tests"), str(ROOT)]

from browser_support import CHROMIUM_ARGS, find_chromium, serve_folder  # noqa: E402
from generator.records import parse_record  # noqa: E402
from run import machine  # noqa: E402
from scaling import write_section  # noqa: E402

START_MARKER = "<!-- search_first_result.py --write: from here to the end marker, replaced by each run -->"
END_MARKER = "<!-- search_first_result.py --write: end -->"
SECTION_HEADING = "## Search: what a query costs the browser (`bench/search_first_result.py`)"
READY = "!document.getElementById('search-layout').hidden"
SHOWN = ("document.querySelector('.search-result-link') || "
         "(document.getElementById('search-status').textContent.includes(term))")
TIMEOUT_MS = 60_000
WORD = re.compile(r"[^\W\d_]{6,}")


def say(message: str) -> None:
    print(f"[search-bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the sites

def shard_size_for(articles: int, shards: int) -> int:
    """Articles per shard that deal `articles` into exactly `shards` shards."""
    size = math.ceil(articles / shards)
    if math.ceil(articles / size) != shards:
        raise ValueError(f"{articles:,} articles cannot be dealt into exactly {shards} shards")
    return size


def site_toml(base: str, shard_size: int, max_shards: int) -> str:
    """The corpus's site.toml with the shard settings under [build]."""
    if "\n[build]\n" not in base:
        raise ValueError("site.toml of the corpus has no [build] table")
    return base.replace("\n[build]\n", f"\n[build]\nsearch_shard_size = {shard_size}\n"
                                       f"search_max_shards = {max_shards}\n", 1)


def query_words(texts: list[str], count: int) -> list[str]:
    """`count` words of the articles, from the most common to rare ones
    (ranks 1, 4, 16, 64, …): a query set that is the same for every build."""
    counts = collections.Counter(w.lower() for text in texts for w in WORD.findall(text))
    ranked = [w for w, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    if len(ranked) < count:
        raise ValueError(f"the articles have only {len(ranked)} distinct words of 6 letters or more")
    picks, rank = [], 1
    while len(picks) < count:
        index = min(rank - 1, len(ranked) - 1)
        word = ranked[index]
        if word in picks:  # the tail is shorter than the ranks: take the next unused
            word = next(w for w in ranked if w not in picks)
        picks.append(word)
        rank *= 4
    return picks


def _revision() -> str:
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip() or "?"


def _code_key() -> str:
    """The committed generator/ and themes/ (a commit that changes only bench/ keeps the builds)."""
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD:generator", "HEAD:themes"],
                          capture_output=True, text=True).stdout.strip() or "?"


def _gazette_env() -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}


def ensure_corpus(work: Path, articles: int) -> Path:
    out = work / f"corpus-{articles}"
    stamp = out / ".stamp"
    digest = hashlib.sha256((BENCH / "make_corpus.py").read_bytes()).hexdigest()[:16]
    if not (stamp.exists() and stamp.read_text() == digest):
        say(f"generating {articles:,} articles into {out} …")
        subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), str(articles), str(out), "--formats",
                        "gazette"], check=True, env=_gazette_env(), stdout=subprocess.DEVNULL)
        stamp.write_text(digest)
    return out / "gazette"


def ensure_build(work: Path, site: Path, articles: int, shards: int, rebuild: bool) -> tuple[Path, float]:
    """WORK/out-N-S built with S shards (or kept from a run with the same inputs); its build time (0 if kept)."""
    out = work / f"out-{articles}-{shards}"
    stamp = work / f"out-{articles}-{shards}.stamp"
    size = shard_size_for(articles, shards)
    base = (site / "site.toml.orig").read_text(encoding="utf-8")
    key = hashlib.sha256(f"{base} {size} {_code_key()} {(site.parent / '.stamp').read_text()}".encode()).hexdigest()
    if not rebuild and stamp.exists() and stamp.read_text() == key and out.is_dir():
        return out, 0.0
    (site / "site.toml").write_text(site_toml(base, size, max(shards, 40)), encoding="utf-8")
    for folder in (out, site / ".gazette"):  # a cold build
        shutil.rmtree(folder, ignore_errors=True)
    say(f"building {articles:,} articles with {shards} search shard(s) of {size} …")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(site), "--output", str(out),
                           "-q"], cwd=ROOT, env=_gazette_env(),
                          capture_output=True, text=True)
    took = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"search bench: the build with {shards} shard(s) failed:\n{done.stderr[-2000:]}")
    found = len(list((out / "pagefind").rglob("pagefind-entry.json")))
    if found != shards:
        raise SystemExit(f"search bench: asked for {shards} shard(s), the build made {found} ({out / 'pagefind'})")
    stamp.write_text(key)
    return out, took


# ------------------------------------------------------------------ the browser

@dataclass
class Traffic:
    """The requests the page finished, with when each finished."""
    finished: list = field(default_factory=list)

    def on_finished(self, request) -> None:
        self.finished.append((time.perf_counter(), request))

    def between(self, start: float, end: float) -> tuple[int, int]:
        """(requests, bytes received) of the requests that finished in [start, end]."""
        count, size = 0, 0
        for at, request in self.finished:
            if start <= at <= end:
                sizes = request.sizes()
                count += 1
                size += max(0, sizes["responseBodySize"]) + max(0, sizes["responseHeadersSize"])
        return count, size


@dataclass(frozen=True)
class Query:
    word: str
    open_s: float  # page opened → every shard loaded (cold only)
    open_requests: int
    open_bytes: int
    first_s: float  # Enter → first result
    requests: int
    bytes: int
    results: int


def _settled(page) -> float:
    """Wait until the network is quiet after the first result (its fragments); the time then."""
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    return time.perf_counter()


def _search(page, word: str, traffic: Traffic) -> tuple[float, int, int, int]:
    page.fill("#search-input", word)
    started = time.perf_counter()
    page.press("#search-input", "Enter")
    page.wait_for_function(f"term => {SHOWN}", arg=word, polling="raf", timeout=TIMEOUT_MS)
    first = time.perf_counter() - started
    requests, size = traffic.between(started, _settled(page))
    results = page.eval_on_selector_all(".search-result-link", "els => els.length")
    return first, requests, size, results


def measure_queries(browser, url: str, words: list[str]) -> tuple[list[Query], list[Query]]:
    """Cold: each word in a new context; warm: the next word in the same page."""
    cold, warm = [], []
    for i, word in enumerate(words):
        context = browser.new_context()
        try:
            page = context.new_page()
            traffic = Traffic()
            page.on("requestfinished", traffic.on_finished)
            started = time.perf_counter()
            page.goto(url + "search/")
            page.wait_for_function(READY, polling="raf", timeout=TIMEOUT_MS)
            opened = time.perf_counter() - started
            open_requests, open_bytes = traffic.between(started, _settled(page))
            cold.append(Query(word, opened, open_requests, open_bytes, *_search(page, word, traffic)))
            following = words[(i + 1) % len(words)]
            warm.append(Query(following, 0.0, 0, 0, *_search(page, following, traffic)))
        finally:
            context.close()
    return cold, warm


# ------------------------------------------------------------------ the table

def _spread(values: list[float], fmt: str) -> str:
    return f"{format(statistics.median(values), fmt)} ({format(min(values), fmt)}–{format(max(values), fmt)})"


def _kb(values: list[int]) -> str:
    return _spread([v / 1024 for v in values], ",.0f")


def table(rows: list[tuple[int, int, float, list[Query], list[Query], float]]) -> list[str]:
    lines = ["| Articles | Shards | Build (s) | Open: s | Open: requests | Open: KB | Cold query: first result (s) | "
             "Cold query: requests | Cold query: KB | Warm query: first result (s) | Warm query: requests | "
             "Warm query: KB | Load |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for articles, shards, built, cold, warm, load in rows:
        lines.append(" | ".join([
            f"| {articles:,}", f"{shards}", f"{built:.0f}" if built else "kept",
            _spread([q.open_s for q in cold], ".2f"), _spread([q.open_requests for q in cold], ".0f"),
            _kb([q.open_bytes for q in cold]),
            _spread([q.first_s for q in cold], ".2f"), _spread([q.requests for q in cold], ".0f"),
            _kb([q.bytes for q in cold]),
            _spread([q.first_s for q in warm], ".2f"), _spread([q.requests for q in warm], ".0f"),
            _kb([q.bytes for q in warm]), f"{load:.1f} |"]))
    return lines


def section(rows, words: list[str], command: str, browser_version: str) -> str:
    lines = [f"Measured {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC with `{command}`; Gazette at git "
             f"{_revision()} (working tree); {machine()}; chromium {browser_version} headless, served by "
             "`http.server` on 127.0.0.1 (no compression, no network latency: a real host adds one round trip "
             "per request).", "",
             "Open = the search page until every shard is loaded; a query's time runs from Enter (the 250 ms "
             "typing pause not counted) to the first result on the page; its requests and bytes run on until the "
             "network is quiet. Cold = a new browser context (empty cache) for each word; warm = the next word "
             f"in the same page. Median (min–max) over the query words ({', '.join(words)}: the words of the "
             "smallest archive at ranks 1, 4, 16, 64, 256 by frequency).", "", *table(rows)]
    return "\n".join(lines)



# ------------------------------------------------------------------ main

def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default="4000", help="comma-separated archive sizes (default: 4000)")
    parser.add_argument("--shards", default="1,10,40", help="comma-separated shard counts (default: 1,10,40)")
    parser.add_argument("--queries", type=int, default=5, help="query words (default: 5)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/gazette-search-bench"),
                        help="corpus and builds, kept between runs (default: /tmp/gazette-search-bench)")
    parser.add_argument("--rebuild", action="store_true", help="build again even when a kept build fits")
    parser.add_argument("--write", action="store_true", help="put the table into bench/README.md")
    args = parser.parse_args(argv)
    try:
        args.shards = sorted({int(s) for s in args.shards.split(",") if s.strip()})
        args.articles = sorted({int(s.replace("_", "")) for s in args.articles.split(",") if s.strip()})
    except ValueError:
        parser.error("--articles and --shards must be numbers separated by commas")
    if not args.shards or not args.articles or min(args.shards) < 1 or args.queries < 1 \
            or min(args.articles) < max(args.shards):
        parser.error("shards and queries at least 1, and at least one article per shard")
    for articles in args.articles:
        for shards in args.shards:
            try:
                shard_size_for(articles, shards)
            except ValueError as exc:
                parser.error(f"{exc} (pick --articles as a multiple of the shard counts)")
    return args


def _stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt  # so that a build under way is stopped (subprocess.run kills it) and the browser closed


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    chromium = find_chromium()
    if chromium is None:
        print("skipped: chromium is not installed (/usr/bin/chromium)")
        return 0
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    work = args.work.resolve()
    rows, words = [], None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        version = browser.version
        try:
            for articles in args.articles:
                site = ensure_corpus(work, articles)
                original = site / "site.toml.orig"
                if not original.exists():
                    original.write_bytes((site / "site.toml").read_bytes())
                if words is None:  # from the smallest archive, a prefix of the others: the same words for all
                    records = sorted((site / "content").glob("*.md"))
                    words = query_words([parse_record(p.read_text(encoding="utf-8"), p).body for p in records],
                                        args.queries)
                    say(f"query words: {', '.join(words)}")
                for shards in args.shards:
                    out, built = ensure_build(work, site, articles, shards, args.rebuild)
                    load = os.getloadavg()[0]  # the machine is shared: times move with it
                    with serve_folder(out, "/") as url:
                        cold, warm = measure_queries(browser, url, words)
                    rows.append((articles, shards, built, cold, warm, load))
                    say(f"{articles:,} articles, {shards} shard(s): "
                        f"open {statistics.median(q.open_s for q in cold):.2f} s, "
                        f"cold first result {statistics.median(q.first_s for q in cold):.2f} s, "
                        f"{statistics.median(q.open_bytes + q.bytes for q in cold) / 1024:,.0f} KB")
        finally:
            browser.close()
    command = shlex.join(["python", "bench/search_first_result.py", *argv])
    text = section(rows, words, command, version)
    print(text)
    if args.write:
        write_section(text, SECTION_HEADING, START_MARKER, END_MARKER)
        say("written into bench/README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
