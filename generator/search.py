"""The Pagefind search index, built in-process from the rendered article pages.

Pagefind reads the Pagefind attributes of each page (DESIGN.md, article.html):
only the `data-pagefind-body` element is indexed, `data-pagefind-filter`
gives the person/place/organization/year/language filters and
`data-pagefind-sort` the date sort. Pagefind picks the stemmer from the
page's `<html lang>`, so a multilingual site gets one index per language
(French pages stemmed in French, English pages in English); the search page
merges them (themes/default/static/search/search.js). French elisions are
split before indexing so that "accord" finds "l’accord" (split_elisions).

The index and the Pagefind UI bundle are written to <site_dir>/pagefind/.
"""
from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping, Sequence

from pagefind.index import IndexConfig, PagefindIndex
from pagefind.service import PagefindService

from generator.errors import BuildError, Problem
from generator.report import Reporter

SEARCH_DIR = "pagefind"
ENTRY_FILE = "pagefind-entry.json"
# pages sent to the Pagefind service before waiting for their answers
_BATCH = 64
# seconds pagefind gets to exit once its input is closed
_EXIT_TIMEOUT = 30
# largest reply read from pagefind: the whole index comes back as one reply
_REPLY_LIMIT = 1 << 30


@dataclass(frozen=True)
class SearchReport:
    output: Path  # the pagefind/ folder
    pages: int  # pages in the index
    languages: Mapping[str, int]  # pages per index language
    seconds: float


# French elided words: l’accord, d’Irak, qu’il, jusqu’à … (the apostrophe as
# typed, typographic, or escaped by the template engine)
_ELISION = re.compile(r"(?<!\w)(qu|jusqu|lorsqu|puisqu|quoiqu|presqu|[cdjlmnst])(’|'|&#39;|&#x27;|&rsquo;)(?=\w)", re.I)
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_START_TAG = re.compile(r"<([a-zA-Z][\w-]*)")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# elements whose text Pagefind takes as a filter value or a result field, kept as written
_VERBATIM = re.compile(r"data-pagefind-(?:filter|meta)\s*=\s*[\"'][^\"'\[]*[\"']")


def split_elisions(html: str) -> str:
    """The page as Pagefind should read it: "l’accord" → "l’ accord".

    Pagefind joins "l’accord" into one word "laccord", so a search for
    "accord" would miss it; with the space both "accord" and the whole
    phrase are found. Only text is changed, not the elements that give a
    filter value or a result title. The search page removes the space again
    from the excerpts it shows.
    """
    out: list[str] = []
    verbatim: list[str] = []  # open elements whose text is a filter value or meta
    for token in _TAG_OR_TEXT.split(html):
        if token.startswith("<"):
            if token.startswith("</"):
                name = token[2:].strip(" >").lower()
                if verbatim and verbatim[-1] == name:
                    verbatim.pop()
            elif _VERBATIM.search(token) and not token.endswith("/>"):
                start = _START_TAG.match(token)
                if start and start.group(1).lower() not in _VOID:
                    verbatim.append(start.group(1).lower())
            out.append(token)
        elif verbatim or not token:
            out.append(token)
        else:
            out.append(_ELISION.sub(r"\1\2 ", token))
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


async def _index_files(pages: Sequence[tuple[str, str]]) -> list[tuple[str, bytes]]:
    """The files of the Pagefind bundle (path inside it, bytes) for these pages."""
    service = await _Service().launch()
    try:
        index: PagefindIndex = await service.create_index(IndexConfig(write_playground=False))
        for start in range(0, len(pages), _BATCH):
            batch = pages[start:start + _BATCH]
            await asyncio.gather(*(
                index.add_html_file(content=split_elisions(html), url=page_url(path)) for path, html in batch
            ))
        # in memory, not write_files(): pagefind answers WriteFiles before its
        # asynchronous writes are done, and a file can end up empty
        files = await index.get_files()
    finally:
        await service.close()
    return [(str(f["path"]), f["content"]) for f in files]


def _write_bundle(bundle: Path, files: list[tuple[str, bytes]]) -> None:
    for name, content in files:
        target = (bundle / name).resolve()
        if not target.is_relative_to(bundle):
            raise BuildError(f"Pagefind produced a file outside its folder: {name!r}", bundle)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


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


def build_search_index(site_dir: Path, pages: Sequence[tuple[str, str]], reporter: Reporter) -> SearchReport:
    """Index the article pages (site path, rendered HTML) into site_dir/pagefind/.

    Raises BuildError when Pagefind fails or when some pages did not make it
    into the index (an article template without `data-pagefind-body`).
    """
    started = time.perf_counter()
    pages = list(pages)
    bundle = Path(site_dir).resolve() / SEARCH_DIR
    for path, html in pages:
        if path.startswith(SEARCH_DIR + "/"):
            raise BuildError(f"a page would be written inside the search bundle folder '{SEARCH_DIR}/'", path)
        # without it Pagefind would index the whole page: menus, footers, related lists
        if "data-pagefind-body" not in html:
            raise BuildError("article page has no element with data-pagefind-body — "
                             "add it to the <article> of the article template", path)
    try:
        files = _run(_index_files(pages))
    except BuildError as exc:
        raise BuildError(f"search index failed: {exc.message}", bundle) from None
    except FileNotFoundError as exc:
        raise BuildError(
            f"search index failed: the Pagefind binary was not found ({exc}) — install 'pagefind[bin]'", bundle
        ) from None
    except Exception as exc:  # the pagefind client raises bare Exceptions
        detail = exc.args[0] if exc.args else type(exc).__name__
        raise BuildError(f"search index failed: Pagefind said: {detail}", bundle) from None
    _write_bundle(bundle, files)

    counts = indexed_pages(read_entry(bundle))
    total = sum(counts.values())
    if total != len(pages):
        raise BuildError(
            f"search index holds {total} page(s) but {len(pages)} article page(s) were given — "
            "the article template must put the article in an element with data-pagefind-body",
            bundle,
        )
    if counts.get("unknown"):
        reporter.warn(Problem(bundle, f"{counts['unknown']} article page(s) have no <html lang>: "
                                      "they are searched without stemming"))
    seconds = time.perf_counter() - started
    languages = ", ".join(f"{lang}: {n}" for lang, n in sorted(counts.items()))
    reporter.debug(f"search index: {total} page(s) ({languages}) in {seconds:.2f} s")
    return SearchReport(output=bundle, pages=total, languages=MappingProxyType(counts), seconds=seconds)
