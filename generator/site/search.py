"""The Pagefind search index, built from the rendered article pages.

Pagefind reads the Pagefind attributes of each page (DESIGN.md, article.html):
only the `data-pagefind-body` element is indexed, `data-pagefind-filter`
gives the person/place/organization/year/language filters and
`data-pagefind-sort` the date sort. Pagefind picks the stemmer from the
page's `<html lang>`, so a multilingual site gets one index per language
(French pages stemmed in French, English pages in English); the search page
merges them (themes/default/static/search/search.js). French elisions are
split before indexing so that "accord" finds "l’accord" (split_elisions).
Pagefind is given only what it reads of a page (indexed_page): the same
entry for half the HTML to parse.

Large archives are indexed in shards of `shard_size` articles, each its
own Pagefind bundle (pagefind/, pagefind/shard-2/, …) built by its own
Pagefind process, two at a time, or one when the shards are large
(parallel_shards): Pagefind holds about 190 KB per page in memory until its
index is written, so one index of 100,000 articles would need some 19 GB.
Once the pages are all written, large shards too are indexed two at a
time, their index writes taking turns (parallel_shards_after_rendering).
Each shard is fed to Pagefind from a worker process, so that the build's
own thread, rendering pages meanwhile, does not slow the feeding down
(they would share one interpreter lock). Articles are dealt
to the shards in date order (oldest to shard 1, the next to shard 2, …), so
that a date sort over the merged shards, which Pagefind ranks by position
within each shard, stays in date order (search.js); a shard whose pages did
not change is taken from the cache instead of being indexed again.

The index and the Pagefind UI bundle come back as files (SearchIndex) for
the build to write into pagefind/ (generator.urls.SEARCH_INDEX_DIR).
"""
from __future__ import annotations

import asyncio
import base64
import collections
import contextlib
import functools
import hashlib
import importlib.metadata
import json
import multiprocessing
import os
import re
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Mapping, Sequence, TypeVar


from pagefind.index import IndexConfig, PagefindIndex
from pagefind.service import PagefindService

from generator import lifetime
from generator.cache import Shelf
from generator.config import SiteConfig
from generator.errors import BuildError, Problem
from generator.records import is_language_tag
from generator.report import Reporter
from generator.urls import SEARCH_INDEX_DIR, search_shard_count, search_shard_folder

ENTRY_FILE = "pagefind-entry.json"
# pages sent to the Pagefind service before waiting for their answers
_BATCH = 64
# seconds pagefind gets to exit once its input is closed
_EXIT_TIMEOUT = 30
# largest reply read from pagefind: the whole index comes back as one reply
_REPLY_LIMIT = 1 << 30
# articles per shard when the caller does not say: site.toml's default
SHARD_SIZE = SiteConfig.search_shard_size
MAX_SHARDS = SiteConfig.search_max_shards
# shards indexed at the same time: each Pagefind process holds its shard in memory
PARALLEL_SHARDS = 2
# pages all the Pagefind processes of a build hold at once, at most (about 190 KB
# each: some 760 MB), unless a single shard is larger: shards of more than half
# of it (archives past 80,000 articles) are indexed one at a time
PAGES_IN_FLIGHT = 4000
# what a page costs Pagefind while its pages are added, against while its index is
# written (about 45 KB and 190 KB): two shards whose writes take turns hold one of each
_ADDING_SHARE = 45 / 190
# fewer pages than this are fed from this process: starting workers would cost more
WORKERS_FROM = 500
# files only the first shard needs: the search page loads the interface from pagefind/
_INTERFACE_FILE = re.compile(r"pagefind-(?:ui|modular-ui|component-ui|highlight)\.")


@dataclass(frozen=True)
class SearchReport:
    output: Path  # the pagefind/ folder
    pages: int  # pages in the index
    languages: Mapping[str, int]  # pages per index language
    seconds: float
    shards: int = 1  # Pagefind bundles the pages were dealt to
    shards_reused: int = 0  # shards taken from the cache, not indexed again


T = TypeVar("T")
# an article page: (site path, its HTML or the file that holds it)
Page = tuple[str, "str | Path"]


@dataclass(frozen=True)
class SearchIndex:
    files: tuple[tuple[str, bytes], ...]  # (path in the site, bytes) of every bundle
    report: SearchReport


# French elisions: l’accord, d’Irak, qu’il, jusqu’à … Found from their apostrophe
# (as typed, typographic, or escaped by the template engine), which must be
# followed by a letter and be in text, not in a tag (no end of tag before the
# next start of one); then the word before it is checked (_ELIDED): a
# scan for the apostrophes alone is several times quicker than for the words
_APOSTROPHE = re.compile(r"(?:’|'|&#39;|&#x27;|&rsquo;)(?=\w)(?![^<>]*>)")
_ELIDED = re.compile(r"(?<!\w)(?:qu|jusqu|lorsqu|puisqu|quoiqu|presqu|[cdjlmnst])\Z", re.I)
_LONGEST_ELIDED = len("lorsqu") + 1  # the longest elided word and the character before it
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# the start tag of an element whose text Pagefind takes as a filter value or a
# result field: that text is kept as written
_VERBATIM = re.compile(r"<([a-zA-Z][\w-]*)[^>]*?data-pagefind-(?:filter|meta)\s*=\s*[\"'][^\"'\[>]*[\"'][^>]*>")


def split_elisions(html: str) -> str:
    """The page as Pagefind should read it: "l’accord" → "l’ accord".

    Pagefind joins "l’accord" into one word "laccord", so a search for
    "accord" would miss it; with the space both "accord" and the whole
    phrase are found. Only text is changed, not the elements that give a
    filter value or a result title. The search page removes the space again
    from the excerpts it shows. (Regular expressions over the whole page,
    not a loop over its tags: this runs on every article of a build.)
    """
    out: list[str] = []
    done = 0  # html[:done] is in out
    for start in _VERBATIM.finditer(html):
        name = start.group(1)
        if start.start() < done or start.group(0).endswith("/>") or name.lower() in _VOID:
            continue
        close = re.compile(rf"</{re.escape(name)} *>", re.I).search(html, start.end())
        end = close.start() if close else len(html)
        out.append(_split_in_text(html[done:start.start()]))
        out.append(html[start.start():end])
        done = end
    out.append(_split_in_text(html[done:]))
    return "".join(out)


def _split_in_text(html: str) -> str:
    """A space after each elision's apostrophe (split_elisions)."""
    out: list[str] = []
    done = 0
    for apostrophe in _APOSTROPHE.finditer(html):
        start = apostrophe.start()
        if _ELIDED.search(html, max(0, start - _LONGEST_ELIDED), start):
            out += (html[done:apostrophe.end()], " ")
            done = apostrophe.end()
    out.append(html[done:])
    return "".join(out)


def page_url(site_path: str) -> str:
    """The URL Pagefind stores for a page: root-relative, without index.html.

    The search page prefixes it with the site's own location at run time
    (Pagefind UI `baseUrl`), so results work under any sub-path.
    """
    path = site_path.lstrip("/")
    if path == "index.html":
        return "/"
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return "/" + path


class _Service(PagefindService):
    """Pagefind's service client, answering as soon as a reply arrives.

    The stock client sleeps 0.1 s before reading each reply (0.1 s per
    page: minutes for a large archive), caps a reply at 2 MiB (too small for
    a whole index) and leaves callers waiting forever if the pagefind
    process dies; this client does none of that.
    """

    async def launch(self) -> "_Service":
        self._backend = await asyncio.create_subprocess_exec(
            self._bin, "--service",
            cwd=os.getcwd(),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            limit=_REPLY_LIMIT,
        )
        self._poll_task = self._loop.create_task(self._wait_for_responses())
        return self

    async def _wait_for_responses(self) -> None:
        stdout = self._backend.stdout
        assert stdout is not None
        while True:
            try:
                output = await stdout.readuntil(b",")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
                self._fail_all(f"the pagefind process stopped answering ({type(exc).__name__})")
                return
            # anything pagefind logs comes on the same stream, ending with a
            # newline; the reply itself is base64 (no newline) up to the comma
            message = output[:-1].rsplit(b"\n", 1)[-1].strip()
            try:
                response = json.loads(base64.b64decode(message))
            except ValueError:
                self._fail_all(f"unreadable answer from pagefind: {output[:200]!r}")
                return
            if not response:
                continue
            payload = response.get("payload", {})
            message_id = response.get("message_id")
            if message_id is None and payload.get("original_message"):
                try:
                    message_id = json.loads(payload["original_message"]).get("message_id")
                except ValueError:
                    message_id = None
            future = self._responses.pop(message_id, None)
            if future is None or future.done():
                continue
            if payload.get("type") == "Error":
                future.set_exception(BuildError(f"Pagefind: {payload.get('message', 'unknown error')}"))
            else:
                future.set_result(payload)

    async def close(self) -> None:
        """End of input: pagefind exits on its own; stopped if it does not."""
        backend = self._backend
        if backend.stdin is not None and not backend.stdin.is_closing():
            backend.stdin.close()
        try:
            await asyncio.wait_for(backend.wait(), timeout=_EXIT_TIMEOUT)
        except asyncio.TimeoutError:
            backend.terminate()
            await backend.wait()
        self._poll_task.cancel()

    def _fail_all(self, message: str) -> None:
        for future in self._responses.values():
            if not future.done():
                future.set_exception(BuildError(message))
        self._responses.clear()


_HTML_LANG = re.compile(r"<html\b[^>]*?\blang=[\"']([^\"']*)[\"']", re.IGNORECASE)


def _html(page: Page) -> str:
    """The page's HTML, checked to have the element Pagefind indexes."""
    path, source = page
    html = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    # without it Pagefind would index the whole page: menus, footers, related lists
    if "data-pagefind-body" not in html:
        raise BuildError("article page has no element with data-pagefind-body — "
                         "add it to the <article> of the article template", path)
    lang = _HTML_LANG.search(html)
    # Pagefind names its index files after the tag: one with '/' or '..' would leave the bundle
    if lang and not is_language_tag(lang.group(1)):
        raise BuildError(f"<html lang=\"{lang.group(1)[:40]}\"> is not a language tag (like 'fr' or 'de-CH'); "
                         "fix the article's record or template", path)
    return html


async def _add_page(index: PagefindIndex, page: Page) -> None:
    """Index one page; Pagefind's refusal of it names the page, not the whole shard."""
    try:
        await index.add_html_file(content=split_elisions(indexed_page(_html(page))), url=page_url(page[0]))
    except BuildError as exc:
        if exc.path is not None:
            raise
        raise BuildError(f"the search index refused this article page: {exc.message}", page[0]) from None


async def _index_files(pages: Sequence[Page]) -> list[tuple[str, bytes]]:
    """The files of the Pagefind bundle (path inside it, bytes) for these pages."""
    service = await _Service().launch()
    try:
        index: PagefindIndex = await service.create_index(IndexConfig(write_playground=False))
        for start in range(0, len(pages), _BATCH):
            batch = pages[start:start + _BATCH]
            await asyncio.gather(*(_add_page(index, page) for page in batch))
        # in memory, not write_files(): pagefind answers WriteFiles before its
        # asynchronous writes are done, and a file can end up empty
        with _writing_turn:  # the memory of a write is taken by one process at a time
            files = await index.get_files()
    finally:
        await service.close()
    return [(str(f["path"]), f["content"]) for f in files]


def _run(coroutine):
    """Run the indexing coroutine, also from a thread that already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    outcome: list = []

    def target():
        try:
            outcome.append((True, asyncio.run(coroutine)))
        except BaseException as exc:  # handed back to the caller's thread
            outcome.append((False, exc))

    thread = threading.Thread(target=target, name="pagefind")
    thread.start()
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def read_entry(bundle: Path) -> dict:
    """pagefind-entry.json of a written bundle (BuildError when missing or broken)."""
    path = bundle / ENTRY_FILE
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BuildError("the search index was not written (no pagefind-entry.json)", path) from None
    except (OSError, ValueError) as exc:
        raise BuildError(f"the search index entry is unreadable: {exc}", path) from None
    if not isinstance(entry, dict) or not isinstance(entry.get("languages"), dict):
        raise BuildError("the search index entry has no 'languages' table", path)
    return entry


def indexed_pages(entry: dict) -> dict[str, int]:
    """Pages per index language, from a parsed pagefind-entry.json."""
    return {lang: int(info.get("page_count", 0)) for lang, info in entry["languages"].items()}


def deal(items: Sequence[T], shard_size: int = SHARD_SIZE, max_shards: int = MAX_SHARDS) -> list[list[T]]:
    """Items in date order (oldest first, undated last) dealt to the shards as
    the index deals its pages: the i-th to shard i mod count (module docstring)."""
    count = search_shard_count(len(items), shard_size, max_shards)
    return [list(items[i::count]) for i in range(count)]


class ShardIndexer:
    """Indexes the shards as they are handed in, in order — a build hands each
    in as soon as its pages are written, so Pagefind works while the rest
    renders — then puts the bundles together (finish).

    A shard is taken from the cache when its pages did not change; else it is
    indexed by a worker process, or here when the archive is too small to pay
    for starting workers. The workers index parallel_shards() shards at a time
    while the pages render, parallel_shards_after_rendering() once finish()
    says they are all written.
    """

    def __init__(self, shards: int, pages: int, reporter: Reporter, *, cache_dir: Path | None = None,
                 write: Callable[[str, bytes], None] | None = None):
        """`write(path, bytes)`: where each shard's files go as soon as it is
        indexed (a build's output: they are not held to the end); without
        it, finish() gives them all."""
        self.shards = shards
        self.reporter = reporter
        self.shelf = _shard_shelf(cache_dir) if cache_dir is not None else None
        self.use_workers = pages >= WORKERS_FROM
        self.started = time.perf_counter()
        self.reused = 0  # shards taken from the cache
        self._write = write
        self._sizes: list[int] = []  # pages per shard
        self._keys: list[str] = []
        self._bundles: list = []  # per shard: the files, or a Future of them; None once taken
        self._taken = 0  # shards whose files were checked and written (or kept for finish)
        self._files: list[tuple[str, bytes]] = []  # without `write`: every shard's files
        self._counts: dict[str, int] = {}  # pages indexed per language
        self._pool: ProcessPoolExecutor | None = None
        # shards handed to the workers only when one is free, so that how many
        # run at once can change (_start_waiting): the same lock guards them
        self._waiting: collections.deque = collections.deque()  # (pages, folder, its outcome)
        self._running = 0
        self._at_once = 1
        self._after_rendering = 1
        self._slots = threading.RLock()
        self._closing = False

    def __enter__(self) -> "ShardIndexer":
        return self

    def __exit__(self, *exc_info) -> None:
        if self._pool is not None:
            with self._slots:
                self._closing = True
                for _, _, outcome in self._waiting:
                    outcome.cancel()
                self._waiting.clear()
            self._pool.shutdown(wait=True, cancel_futures=True)

    def add(self, pages: list[Page]) -> None:
        """The next shard's pages (site path, HTML or the file holding it)."""
        for path, _ in pages:
            if path.startswith(SEARCH_INDEX_DIR + "/"):
                raise BuildError(f"a page would be written inside the search bundle folder '{SEARCH_INDEX_DIR}/'", path)
        folder = search_shard_folder(len(self._sizes) + 1)
        key = _shard_key(pages)
        bundle = self.shelf.get(key) if self.shelf is not None else None
        if bundle is not None:
            self.reused += 1
        elif self.use_workers:
            if self._pool is None:
                self._at_once = parallel_shards(len(pages), self.shards)
                self._after_rendering = parallel_shards_after_rendering(len(pages), self.shards)
                self._pool = self._start_workers(len(pages))
            bundle = Future()
            with self._slots:
                self._waiting.append((pages, folder, bundle))
            self._start_waiting()
        else:
            bundle = _index_shard(pages, folder)
            self._remember(key, bundle)
        self._sizes.append(len(pages))
        self._keys.append(key)
        self._bundles.append(bundle)
        self._take_ready(wait=False)

    def _start_workers(self, shard_pages: int) -> ProcessPoolExecutor:
        """As many workers as may run once the pages are written."""
        spawn = multiprocessing.get_context("spawn")  # not forked: the build runs threads
        turns = spawn.Lock() if writes_in_turns(shard_pages, self.shards) else None
        return ProcessPoolExecutor(self._after_rendering, spawn, initializer=_start_worker,
                                   initargs=(lifetime.lifeline(), turns))

    def _start_waiting(self) -> None:
        """Hand the waiting shards to the workers while fewer than allowed run.
        (Also called from the pool's thread, as a shard ends.)"""
        with self._slots:
            while self._waiting and self._running < self._at_once and not self._closing:
                pages, folder, outcome = self._waiting.popleft()
                self._running += 1
                try:
                    running = self._pool.submit(_index_shard, pages, folder)
                except Exception as exc:  # a broken pool: the shard fails with its reason
                    self._running -= 1
                    outcome.set_exception(exc)
                    continue
                running.add_done_callback(functools.partial(self._ended, outcome))

    def _ended(self, outcome: Future, running: Future) -> None:
        with self._slots:
            self._running -= 1
        if running.cancelled():
            outcome.cancel()
        elif running.exception() is not None:
            outcome.set_exception(running.exception())
        else:
            outcome.set_result(running.result())
        self._start_waiting()

    def _remember(self, key: str, bundle: list[tuple[str, bytes]]) -> None:
        if self.shelf is not None:
            self.shelf.put(key, bundle)

    def _take_ready(self, *, wait: bool) -> None:
        """Check and hand on the files of the shards indexed so far, in order
        (`wait`: of every shard, waiting for Pagefind)."""
        while self._taken < len(self._bundles):
            bundle = self._bundles[self._taken]
            if isinstance(bundle, Future):
                if not wait and not bundle.done():
                    return
                bundle = bundle.result()
                self._remember(self._keys[self._taken], bundle)
            self._bundles[self._taken] = None  # its bytes are written: not held to the end
            self._taken += 1
            self._take(self._taken, bundle)

    def _take(self, number: int, bundle: list[tuple[str, bytes]]) -> None:
        """Shard `number`'s files, checked to hold one entry per page given."""
        folder = search_shard_folder(number)
        shard_counts = indexed_pages(_entry_of(bundle, folder))
        given = self._sizes[number - 1]
        if sum(shard_counts.values()) != given:
            raise BuildError(
                f"search index holds {sum(shard_counts.values())} page(s) but {given} article page(s) "
                "were given — the article template must put the article in an element with data-pagefind-body",
                folder)
        for lang, n in shard_counts.items():
            self._counts[lang] = self._counts.get(lang, 0) + n
        files = [(f"{folder}/{name}", content) for name, content in bundle
                 if number == 1 or not _INTERFACE_FILE.match(name)]
        if self._write is None:
            self._files += files
        else:
            for path, content in files:
                self._write(path, content)

    def finish(self) -> SearchIndex:
        """Every shard's files (none when they were handed to `write`).

        Raises BuildError when Pagefind failed or when some pages did not make
        it into the index (an article template without `data-pagefind-body`)."""
        assert len(self._sizes) == self.shards, "every shard must be added before finish()"
        with self._slots:  # the pages are written: the cores are Pagefind's
            self._at_once = self._after_rendering
        self._start_waiting()
        self._take_ready(wait=True)
        if self.shelf is not None:
            self.shelf.keep_only(self._keys)  # only the current shards are worth keeping
        counts = self._counts
        if counts.get("unknown"):
            self.reporter.warn(Problem(SEARCH_INDEX_DIR, f"{counts['unknown']} article page(s) have no <html lang>: "
                                                         "they are searched without stemming"))
        seconds = time.perf_counter() - self.started
        total = sum(counts.values())
        languages = ", ".join(f"{lang}: {n}" for lang, n in sorted(counts.items()))
        self.reporter.debug(f"search index: {total} page(s) ({languages}) in {self.shards} shard(s), "
                            f"{self.reused} unchanged, in {seconds:.2f} s")
        report = SearchReport(output=Path(SEARCH_INDEX_DIR), pages=total, languages=MappingProxyType(counts),
                              seconds=seconds, shards=self.shards, shards_reused=self.reused)
        return SearchIndex(tuple(self._files), report)


def parallel_shards(shard_pages: int, shards: int) -> int:
    """How many Pagefind processes index shards of `shard_pages` pages at once
    while the pages render: two while their pages fit PAGES_IN_FLIGHT, else
    one. (Beside a build that renders on one core, a second Pagefind shares the
    other: it hides the waits of each, it does not double the speed.)"""
    return max(1, min(PARALLEL_SHARDS, shards, PAGES_IN_FLIGHT // max(1, shard_pages)))


def parallel_shards_after_rendering(shard_pages: int, shards: int) -> int:
    """How many once every page is written: then a second Pagefind no longer
    takes a core from the rendering, and the one alone leaves a core idle while
    it writes its index (on one thread). Two also when their pages fit
    PAGES_IN_FLIGHT only if they write their indexes in turns (writes_in_turns)."""
    # one writing (a whole page each), the others adding (_ADDING_SHARE of a page each)
    in_turns = 1 + int((PAGES_IN_FLIGHT / max(1, shard_pages) - 1) / _ADDING_SHARE)
    return max(parallel_shards(shard_pages, shards), min(PARALLEL_SHARDS, shards, in_turns))


def writes_in_turns(shard_pages: int, shards: int) -> bool:
    """Whether the Pagefind processes must write their indexes one at a time:
    when more of them run at once than would fit PAGES_IN_FLIGHT all writing."""
    return parallel_shards_after_rendering(shard_pages, shards) * shard_pages > max(PAGES_IN_FLIGHT, shard_pages)


def index_articles(pages: Sequence[Page], reporter: Reporter, *, shard_size: int = SHARD_SIZE,
                   max_shards: int = MAX_SHARDS, cache_dir: Path | None = None) -> SearchIndex:
    """The search index of the article pages, given oldest first (undated
    last), as the files to write into the site (see ShardIndexer)."""
    shards = deal(list(pages), shard_size, max_shards)
    with ShardIndexer(len(shards), len(pages), reporter, cache_dir=cache_dir) as indexer:
        for shard in shards:
            indexer.add(shard)
        return indexer.finish()


_writing_turn: contextlib.AbstractContextManager = contextlib.nullcontext()


def _start_worker(lifeline, turns) -> None:
    """A shard worker's start: it dies with the build; `turns`: a lock its
    Pagefind must hold to write its index (writes_in_turns), or None."""
    global _writing_turn
    lifetime.die_with_parent(lifeline)
    if turns is not None:
        _writing_turn = turns


def _index_shard(pages: list[Page], folder: str) -> list[tuple[str, bytes]]:
    """One Pagefind bundle: (path inside it, bytes) of its files."""
    try:
        files = _run(_index_files(pages))
    except BuildError as exc:
        if exc.path is not None:  # a page's own problem
            raise
        raise BuildError(f"search index failed: {exc.message}", folder) from None
    except FileNotFoundError as exc:
        raise BuildError(
            f"search index failed: the Pagefind binary was not found ({exc}) — install 'pagefind[bin]'", folder
        ) from None
    except Exception as exc:  # the pagefind client raises bare Exceptions
        detail = exc.args[0] if exc.args else type(exc).__name__
        raise BuildError(f"search index failed: Pagefind said: {detail}", folder) from None
    for name, _ in files:
        if name.startswith("/") or ".." in name.split("/"):
            raise BuildError(f"Pagefind produced a file outside its folder: {name!r}", folder)
    return files


# the element Pagefind indexes, and what would make the rest of the page matter
# to it: a filter, sort or meta attribute, an <h1> or <img> it could take as
# the title or image, or a second marked element
_BODY_ATTRIBUTE = "data-pagefind-body"
_BODY_MARK = re.compile(r"<([a-zA-Z][\w-]*)\b[^>]*?\sdata-pagefind-body\b[^>]*>")
_MATTERS_OUTSIDE = re.compile(r"data-pagefind-|<h1\b|<img\b", re.IGNORECASE)
# inside these a tag can be text: counting tags there could end the element early
_RAW_TEXT = re.compile(r"<!|<(?:script|style|template|textarea|title|xmp|plaintext|iframe|noembed|noframes)\b",
                       re.IGNORECASE)
_HTML_START = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_TITLE = re.compile(r"<title\b[^>]*>.*?</title\s*>", re.IGNORECASE | re.DOTALL)


def _only_body_mark(html: str) -> re.Match | None:
    """The start tag marked data-pagefind-body, when the page has exactly one."""
    if html.count(_BODY_ATTRIBUTE) == 1:  # the common case, without scanning every tag
        at = html.find(_BODY_ATTRIBUTE)
        end = html.find(">", at)
        # a marked tag holds the attribute and no '>' before its end: it is within these bounds
        return _BODY_MARK.search(html, html.rfind(">", 0, at) + 1, end + 1) if end >= 0 else None
    marks = _BODY_MARK.finditer(html)
    mark = next(marks, None)
    return mark if next(marks, None) is None else None


def indexed_page(html: str) -> str:
    """What Pagefind reads of an article page: its <html> tag (the language),
    its <title> and the element marked data-pagefind-body, as a page of their
    own — the same index entry for half the bytes to parse (menus, related
    articles and footer are read and thrown away otherwise). The whole page
    when anything outside that element could count (_MATTERS_OUTSIDE) or the
    element's end cannot be told by counting tags (_RAW_TEXT). Also what
    decides whether a changed page must be indexed again."""
    mark = _only_body_mark(html)
    if mark is None:
        return html
    tags = re.compile(rf"<(/?){re.escape(mark.group(1))}\b[^>]*>", re.IGNORECASE)
    depth = 1
    for tag in tags.finditer(html, mark.end()):
        depth += -1 if tag.group(1) else 1
        if not depth:
            break
    else:
        return html
    before, element, after = html[:mark.start()], html[mark.start():tag.end()], html[tag.end():]
    if _MATTERS_OUTSIDE.search(after) or _RAW_TEXT.search(element):
        return html
    title = _TITLE.search(before)
    if _MATTERS_OUTSIDE.search(before[:title.start()] + before[title.end():] if title else before):
        return html
    start = _HTML_START.search(before)
    return "".join((start.group(0) if start else "<html>", "<head>", title.group(0) if title else "",
                    "</head><body>", element, "</body></html>"))


def index_shard(pages: list[Page], folder: str, number: int) -> dict[str, bytes]:
    """One shard indexed on its own (the preview's, after a save): site path →
    bytes of its files, as a build writes them."""
    return {f"{folder}/{name}": content for name, content in _index_shard(pages, folder)
            if number == 1 or not _INTERFACE_FILE.match(name)}


def shards_to_index(old: list[list[str]], new: list[list[str]], changed: set[str]) -> set[int]:
    """The shards (numbered from 1) to index again after a change: those whose
    articles are not the ones they had, and those holding a changed article."""
    dirty = {n for n, slugs in enumerate(new, 1) if n > len(old) or old[n - 1] != slugs}
    return dirty | {n for n, slugs in enumerate(new, 1) if changed.intersection(slugs)}


def oldest_first_slugs(library) -> list[str]:
    """The articles in the order the index deals them out: oldest first,
    undated last (the Library's order is newest first, undated last)."""
    dated = sum(1 for record in library.articles if record.date is not None)
    return [r.slug for r in library.articles[:dated][::-1]] + [r.slug for r in library.articles[dated:]]


def _entry_of(bundle: list[tuple[str, bytes]], folder: str) -> dict:
    for name, content in bundle:
        if name == ENTRY_FILE:
            try:
                entry = json.loads(content)
            except ValueError as exc:
                raise BuildError(f"the search index entry is unreadable: {exc}", f"{folder}/{name}") from None
            if isinstance(entry, dict) and isinstance(entry.get("languages"), dict):
                return entry
            raise BuildError("the search index entry has no 'languages' table", f"{folder}/{name}")
    raise BuildError("the search index was not written (no pagefind-entry.json)", f"{folder}/{ENTRY_FILE}")


# ---------------------------------------------------------------- the shard cache

def _shard_shelf(cache_dir: Path) -> Shelf:
    """Indexed shards, valid for this code and this version of Pagefind."""
    try:
        pagefind_version = importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        pagefind_version = "unknown"
    return Shelf(cache_dir, "search", code="generator.site.search", extra=f"pagefind {pagefind_version}")


def _shard_key(pages: list[Page]) -> str:
    """Changes with the pages' paths and bytes (the code and Pagefind's version are the shelf's)."""
    digest = hashlib.sha256()
    for path, source in pages:
        data = source.read_bytes() if isinstance(source, Path) else source.encode("utf-8")
        digest.update(path.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()
