"""`gazette build`: content/ → a static site, written atomically.

Reads top to bottom: check the output folder, take the lock, load the
Library (every problem reported), compute related articles, plan the
pages, render them into a staging folder, index them for search, and only
then swap the staging folder in place of the previous output.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from generator import urls
from generator.config import SiteConfig
from generator.errors import BuildError, Problem, ProblemsFound
from generator.library import load_library
from generator.related import related_articles
from generator.render import load_theme, make_environment, render_bodies, render_template, static_files
from generator.report import Reporter
from generator.views import OutputPage, plan_site, site_of
from generator.writer import Writer, build_lock, check_output, recover, staging, swap_in


@dataclass(frozen=True)
class BuildReport:
    output: Path
    pages_written: int  # files whose bytes changed (or are new)
    files_unchanged: int  # files kept as they were in the previous output
    articles: int
    pages: int  # pages rendered (articles, listings, feeds, other files)
    seconds: float


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


def _page_globals(page: OutputPage, config: SiteConfig, site, strings_for) -> dict:
    here = page.url

    def link(target: str) -> str:
        return urls.relative(here, target)

    return {
        "site": site,
        "page": {"url": here, "lang": page.lang, "kind": page.kind},
        "t": strings_for(config.language),
        "link": link,
        "asset": lambda name: link(urls.static_url(name)),
        "urls": urls,
    }


def build_site(config: SiteConfig, *, output: Path | None = None, base_url: str | None = None,
               strict: bool = False, reporter: Reporter) -> "BuildReport":
    from generator.i18n import strings
    from generator.search import build_search_index

    started = time.perf_counter()
    out = check_output(config, output)
    site = site_of(config, normalise_base_url(base_url or config.base_url))

    with build_lock(config.cache_dir):
        recover(out)
        library = load_library(config.content_dir, config.cache_dir, reporter, site_root=config.root)
        _report_warnings(library.warnings, strict, reporter)
        related = related_articles(library, config.related)
        theme = load_theme(config.themes_dir, config.theme)
        env = make_environment(theme)
        bodies = render_bodies(library, config.cache_dir)
        pages = plan_site(library, related, bodies, site)

        with staging(out) as stage:
            writer = Writer(stage, out if out.exists() else None)
            for name, path in static_files(theme):
                writer.write(urls.static_url(name), path.read_bytes(), str(path))
            article_pages: list[tuple[str, str]] = []
            for page in reporter.progress(pages, len(pages), "rendering pages"):
                context = {**_page_globals(page, config, site, strings), **page.context}
                html = render_template(env, theme, page.template, context)
                path = urls.file_path(page.url)
                writer.write(path, html.encode("utf-8"), page.source)
                if page.kind == "article":
                    article_pages.append((path, html))
            build_search_index(stage, article_pages, reporter)
            swap_in(stage, out)

    report = BuildReport(out, writer.written, writer.unchanged, len(library.articles), len(pages),
                         round(time.perf_counter() - started, 3))
    reporter.result(f"built {report.articles} articles, {report.pages} pages into {out} "
                    f"({report.pages_written} written, {report.files_unchanged} unchanged) in {report.seconds:.2f} s")
    return report
