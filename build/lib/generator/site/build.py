"""`gazette build`: content/ → a static site, written atomically.

Reads top to bottom: check the output folder, take the lock, load the
Library (every problem reported), and stop there if nothing changed since
the build that made the output; else compute related articles, plan the
pages, render them into a staging folder, index them for search, and only
then swap the staging folder in place of the previous output.

Doing less: a page whose template inputs (its context, the theme, the code)
are the same as in the previous build is not rendered again — its previous
file is hard-linked into the staging folder; when no article page changed,
the previous search index is kept the same way.
"""
from __future__ import annotations

import hashlib
import itertools
import importlib.metadata
import os
import pickle
import resource
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import generator
from generator import urls
from generator.config import SiteConfig
from generator.errors import BuildError, Problem, ProblemsFound
from generator.site.i18n import strings
from generator.site.library import Library, content_fingerprint, load_library, scan_content
from generator.site.related import related_articles
from generator.site.render import (Theme, load_theme, make_environment, render_template, start_rendering_bodies,
                              static_files, theme_fingerprint)
from generator.report import Reporter
from generator.site.views import OutputPage, Site, plan_site, site_of
from generator.site.output import Writer, build_lock, check_output, read_marker, recover, staging, swap_in, write_marker

PAGES_MEMO = "pages.pickle"
# a previous output of this many files is deleted in the background after the swap
BACKGROUND_DELETE_FROM = 5000
WARNINGS_MEMO = "warnings.pickle"
# the modules whose code decides the bytes of the output
_OUTPUT_MODULES = ("site/build", "config", "site/i18n", "site/library", "model", "records", "site/related", "site/render", "site/search",
                   "urls", "site/views", "site/output")


@dataclass(frozen=True)
class BuildReport:
    output: Path
    pages_written: int  # files whose bytes changed (or are new)
    files_unchanged: int  # files kept as they were in the previous output
    articles: int
    pages: int  # pages of the site (articles, listings, feeds, other files)
    seconds: float
    up_to_date: bool = False  # nothing changed since the previous build: nothing was written


def build_site(config: SiteConfig, *, output: Path | None = None, base_url: str | None = None,
               strict: bool = False, reporter: Reporter) -> BuildReport:
    from generator.site.search import ShardIndexer, deal

    started = time.perf_counter()
    lap = _stopwatch(reporter)
    out = check_output(config, output)
    site = site_of(config, normalise_base_url(base_url or config.base_url))

    with build_lock(config.cache_dir):
        recover(out)
        files = scan_content(config.content_dir, config.root)
        theme = load_theme(config.themes_dir, config.theme)
        code = _code_fingerprint()
        render_key = _render_fingerprint(code, theme, site)
        inputs = _input_fingerprint(content_fingerprint(files), config, render_key)
        previous = read_marker(out) if out.exists() else {}
        if previous.get("inputs") == inputs:
            warnings = _cached_warnings(config.cache_dir, inputs)
            if warnings is not None:  # the same warnings as last time, then nothing to do
                _report_warnings(warnings, strict, reporter)
                report = BuildReport(out, 0, int(previous.get("files", 0)), int(previous.get("articles_count", 0)),
                                     int(previous.get("pages", 0)), _since(started), up_to_date=True)
                lap("records read")
                reporter.result(f"{out} is up to date ({report.articles} articles, nothing changed) "
                                f"in {report.seconds:.2f} s")
                return report
        library = load_library(files, config.cache_dir, reporter)
        _report_warnings(library.warnings, strict, reporter)
        lap("records read")

        bodies = start_rendering_bodies(library, config.cache_dir)  # Markdown, meanwhile
        related = related_articles(library, config.related)
        lap("related articles")
        env = make_environment(theme)
        pages = plan_site(library, related, bodies(), site)
        lap("pages planned")
        memo = _read_memo(config.cache_dir, previous, render_key)
        fresh_memo: dict[str, str] = {}

        with staging(out) as stage:
            writer = Writer(stage, out if out.exists() else None)
            for name, path in static_files(theme):
                writer.write(urls.static_url(name), path.read_bytes(), str(path))

            def write_page(page: OutputPage) -> str:
                """Render and write one page, or keep it; its path."""
                path = urls.file_path(page.url)
                key = _page_key(page)
                fresh_memo[path] = key
                if memo.get(path) == key and writer.keep(path, page.source):
                    return path
                context = {**_page_globals(page, config, site), **page.context}
                html = render_template(env, theme, page.template, context)
                writer.write(path, html.encode("utf-8"), page.source)
                return path

            # articles first, one search shard after the other, each indexed
            # (in worker processes) while the next ones and the other pages render
            article_pages = [p for p in pages if p.kind == "article"]
            shards = deal(_oldest_first(article_pages, library), config.search_shard_size)
            others = [p for p in pages if p.kind != "article"]
            progress = reporter.progress(iter([p for shard in shards for p in shard] + others), len(pages),
                                         "rendering pages")
            with ShardIndexer(len(shards), len(article_pages), reporter, cache_dir=config.cache_dir) as indexer:
                for shard in shards:
                    written = [write_page(page) for page in itertools.islice(progress, len(shard))]
                    indexer.add([(path, stage / path) for path in written])
                for page in progress:
                    write_page(page)
                lap("pages written")
                search = indexer.finish()  # its BuildError, if any, fails the build here
            for path, content in search.files:
                writer.write(path, content, "the search index")
            lap("search indexed")
            output_id = secrets.token_hex(8)
            write_marker(stage, {"inputs": inputs, "output": output_id, "pages": str(len(pages)),
                                 "articles_count": str(len(library.articles)),
                                 "files": str(writer.written + writer.unchanged)})
            swap_in(stage, out, background=int(previous.get("files", 0)) >= BACKGROUND_DELETE_FROM)
            _write_memo(config.cache_dir, output_id, render_key, fresh_memo)
            _write_cache(config.cache_dir / WARNINGS_MEMO, (inputs, library.warnings))
        lap("output swapped in")

    report = BuildReport(out, writer.written, writer.unchanged, len(library.articles), len(pages), _since(started))
    reporter.result(f"built {report.articles} articles, {report.pages} pages into {out} "
                    f"({report.pages_written} written, {report.files_unchanged} unchanged) in {report.seconds:.2f} s")
    return report


# ---------------------------------------------------------------- helpers

def _oldest_first(article_pages: list[OutputPage], library: Library) -> list[OutputPage]:
    """The article pages in the order the search index deals them out: oldest
    first, undated last (the Library's and so the plan's is newest first, undated last)."""
    dated = sum(1 for record in library.articles if record.date is not None)
    return article_pages[:dated][::-1] + article_pages[dated:]


def normalise_base_url(url: str) -> str:
    url = url.strip()
    if "://" not in url:
        raise BuildError(f"base URL '{url}' must be absolute, like https://example.org/archives/")
    return url if url.endswith("/") else url + "/"


def _report_warnings(warnings: tuple[Problem, ...], strict: bool, reporter: Reporter) -> None:
    for problem in warnings:
        if strict:
            reporter.error(Problem(problem.path, f"{problem.message} (--strict)", problem.line))
        else:
            reporter.warn(problem)
    if strict and warnings:
        raise ProblemsFound(reporter.errors)


def _page_globals(page: OutputPage, config: SiteConfig, site: Site) -> dict:
    here = page.url

    def link(target: str) -> str:
        return urls.relative(here, target)

    return {
        "site": site,
        "page": {"url": here, "lang": page.lang, "kind": page.kind},
        "t": strings(config.language),
        "link": link,
        "asset": lambda name: link(urls.static_url(name)),
        "urls": urls,
    }


def _code_fingerprint() -> str:
    """The code that turns a Library into files: Gazette's modules and Pagefind's version."""
    digest = hashlib.sha256()
    package = Path(generator.__file__).parent
    for name in _OUTPUT_MODULES:
        digest.update((package / f"{name}.py").read_bytes())
    for dist in ("pagefind", "jinja2", "markdown-it-py"):
        try:
            digest.update(importlib.metadata.version(dist).encode())
        except importlib.metadata.PackageNotFoundError:
            pass
    return digest.hexdigest()


def _render_fingerprint(code: str, theme: Theme, site: Site) -> str:
    """Everything besides a page's own context that its bytes depend on."""
    return hashlib.sha256(f"{code} {theme_fingerprint(theme)} {site!r}".encode()).hexdigest()


def _input_fingerprint(content: str, config: SiteConfig, render_key: str) -> str:
    """Everything the whole output depends on: the records' bytes, the settings, the theme, the code."""
    settings = (config.related, config.per_page, config.feed_items)
    return hashlib.sha256(f"{content} {render_key} {settings!r}".encode()).hexdigest()


def _cached_warnings(cache_dir: Path, inputs: str) -> tuple[Problem, ...] | None:
    """The warnings of the last build, if it had these inputs."""
    try:
        with (cache_dir / WARNINGS_MEMO).open("rb") as handle:
            stored_inputs, warnings = pickle.load(handle)
    except Exception:  # no memo, or unreadable: do the build
        return None
    return warnings if stored_inputs == inputs else None


def _page_key(page: OutputPage) -> str:
    data = pickle.dumps((page.url, page.template, page.lang, page.kind, page.context), protocol=5)
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _read_memo(cache_dir: Path, previous: dict[str, str], render_key: str) -> dict[str, str]:
    """The page keys of the build that made the current output (else nothing is reused)."""
    try:
        with (cache_dir / PAGES_MEMO).open("rb") as handle:
            output_id, stored_render_key, keys = pickle.load(handle)
    except Exception:  # no memo yet, or unreadable
        return {}
    if output_id != previous.get("output") or stored_render_key != render_key:
        return {}
    return keys


def _write_memo(cache_dir: Path, output_id: str, render_key: str, keys: dict[str, str]) -> None:
    _write_cache(cache_dir / PAGES_MEMO, (output_id, render_key, keys))


def _write_cache(path: Path, value: object) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def _digest(items: list[str]) -> str:
    return hashlib.sha256("\n".join(items).encode()).hexdigest()


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)


def _stopwatch(reporter: Reporter) -> Callable[[str], None]:
    """lap(label): report (with -v) the time since the previous lap."""
    last = [time.perf_counter()]

    def lap(label: str) -> None:
        now = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        reporter.debug(f"{label}: {now - last[0]:.2f} s (peak memory so far {peak} MiB)")
        last[0] = now

    return lap
