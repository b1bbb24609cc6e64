"""`gazette build`: content/ → a static site, written atomically.

build_site() reads top to bottom: open the output folder (checked, locked
and tidied by output.py), stop there if nothing changed since the build
that made it; else load the Library (every problem reported), compute
related articles, plan and render the pages one family at a time into a
staging folder while Pagefind indexes them, and commit: the staging folder
replaces the output. Nothing is held for the whole site but the Library
(no bodies: library.py) and the related articles: a page is planned,
rendered and written, then dropped.

Doing less: a page whose template inputs (its context, the theme, the code)
are the same as in the previous build is not rendered again — its previous
file is hard-linked into the staging folder; when no article page changed,
the previous search index is kept the same way. The page keys of the last
output and the warnings of the last inputs are memos in the cache folder
(cache.py), dropped whenever the code changes.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import itertools
import resource
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping

from generator import cache, urls
from generator.config import SiteConfig
from generator.enrich.aliases import AliasTable, load_aliases
from generator.errors import BuildError, Problem, ProblemsFound
from generator.report import Reporter
from generator.site.build_update import KeptModel, update_site
from generator.site.export import export_files
from generator.site.library import (ContentFile, content_fingerprint, kinds_fixed_by, load_parsed,
                                    report_errors, scan_content)
from generator.site.model import SiteModel
from generator.site.output import Output, read_marker
from generator.site.page_writer import PageRenderer
from generator.site.places import start_locating
from generator.site.render import (BodyStore, Theme, load_theme, make_environment,
                                   start_rendering_bodies, static_files, theme_fingerprint)
from generator.site.views import OutputPage, Planner, Site, families, plan_family, site_of

# the libraries whose versions, besides Gazette's code, decide the bytes of the output
_LIBRARIES = ("pagefind", "jinja2", "markdown-it-py")


@dataclass(frozen=True)
class BuildReport:
    output: Path
    pages_written: int  # files whose bytes changed (or are new)
    files_unchanged: int  # files kept as they were in the previous output
    articles: int
    pages: int  # pages of the site (articles, listings, feeds, other files)
    seconds: float
    up_to_date: bool = False  # nothing changed since the previous build: nothing was written
    in_place: bool = False  # a few records changed: the output was updated in place (build_update.py)


def build_site(config: SiteConfig, *, output: Path | None = None, base_url: str | None = None,
               strict: bool = False, scheduler: str | None = None, reporter: Reporter) -> BuildReport:
    """`scheduler`: a Dask cluster whose workers render the article pages of
    a clean build (site/cluster_render.py); None: every page is rendered here."""
    started = time.perf_counter()
    lap = _stopwatch(reporter)
    page_keys_memo, warnings_memo = _memo(config, "pages"), _memo(config, "warnings")
    with Output.open(config, output) as out, _collector_unfrozen_after():
        site = site_of(config, normalise_base_url(base_url or config.base_url))
        inputs = _read_inputs(config, site, reporter)
        lap("inputs read")
        warnings = _warnings_if_up_to_date(out, inputs, warnings_memo)
        if warnings is not None:
            _report_warnings(warnings, strict, reporter)
            lap("records read")
            return _announce(_up_to_date_report(out, started), reporter)
        fixed_kind = kinds_fixed_by(inputs.aliases)
        kept = KeptModel(config.cache_dir, inputs.render_key)
        model_key = _model_key(inputs, config)
        if out.previous:
            updated = update_site(out, kept, model_key, inputs.files, fixed_kind, inputs.theme,
                                  site, config.language, config.root, config.cache_dir, reporter, lap,
                                  _marker(inputs, "", 0, 0),
                                  check=lambda model: _report_warnings(model.library.warnings, strict, reporter))
            if updated is not None:
                model, written, unchanged, pages = updated
                warnings_memo.write((inputs.fingerprint, model.library.warnings))
                page_keys_memo.write((None, None, {}))  # a clean build renders every page again
                lap("model kept")
                report = BuildReport(out.folder, written, unchanged, len(model.library.articles), pages,
                                     _since(started), in_place=True)
                return _announce(report, reporter)
        locate_places = start_locating(config.language, config.cache_dir)  # the gazetteer, meanwhile
        started_with_library: dict = {}

        def render_bodies_meanwhile(library) -> None:  # on the other core while the related articles are found
            shards = started_with_library["shards"] = _article_shards(library, config)
            started_with_library["bodies"] = start_rendering_bodies(library, config.root, BodyStore(config.cache_dir),
                                                                    order=itertools.chain(*shards))

        model = _load_model(inputs, config, fixed_kind, reporter, render_bodies_meanwhile)
        library, related = model.library, model.related
        bodies = started_with_library["bodies"]
        gc.freeze()  # the model lives to the end of the build: no collection need walk it
        _report_warnings(library.warnings, strict, reporter)
        lap("records read, related articles")

        env = make_environment(inputs.theme, auto_reload=False)
        located = locate_places(library)  # for the maps
        lap("places located")
        output_id = secrets.token_hex(8)
        # kept now, while the Markdown renders, not at the end: pickling it takes
        # hundreds of MB for a moment, better before the pages and Pagefind take theirs
        model_stored = kept.store(output_id, model_key, model, located)
        lap("model stored")
        planner = Planner(library, related, bodies, site, located)

        writer = out.writer()
        previous_keys = _previous_page_keys(page_keys_memo, out, inputs.render_key)
        renderer = PageRenderer(writer, env, inputs.theme, config.language, site, previous_keys)
        for name, path in static_files(inputs.theme):
            writer.write(urls.static_url(name), path.read_bytes(), str(path))
        for path, data in export_files(library, site.base_url):  # data/: the archive as data
            writer.write(path, data, "the data export")
        lap("data exported")
        with _articles_elsewhere(scheduler, renderer, config, reporter) as articles:
            _render_and_index(planner, renderer, started_with_library["shards"], config, reporter, lap, articles)
        bodies.flush()  # the bodies rendered here, for the next build
        lap("search indexed")

        out.commit(_marker(inputs, output_id, renderer.pages, len(library.articles)))
        page_keys_memo.write((output_id, inputs.render_key, renderer.keys))
        warnings_memo.write((inputs.fingerprint, library.warnings))
        if model_stored:
            kept.label(output_id, model_key)  # for the next build to update
        lap("output swapped in")
    report = BuildReport(out.folder, writer.written, writer.unchanged, len(library.articles), renderer.pages,
                         _since(started))
    return _announce(report, reporter)


# ---------------------------------------------------------------- steps

@contextlib.contextmanager
def _collector_unfrozen_after() -> Iterator[None]:
    """A build freezes its model (gc.freeze: the cyclic collector stops walking
    millions of objects that live to its end, seconds at 10,000 articles);
    the preview builds again and again in one process, so they go back to
    the collector's care when the build ends."""
    try:
        yield
    finally:
        gc.unfreeze()


@dataclass(frozen=True)
class _Inputs:
    """What the output is made from, and their fingerprints."""
    files: tuple[ContentFile, ...]
    theme: Theme
    render_key: str  # everything besides a page's own context that its bytes depend on
    fingerprint: str  # everything the whole output depends on
    aliases: AliasTable  # the alias tables: entities.toml fixes the kind of a name


def _read_inputs(config: SiteConfig, site: Site, reporter: Reporter) -> _Inputs:
    files = scan_content(config.content_dir, config.root, reporter, config.cache_dir)
    theme = load_theme(config.themes_dir, config.theme)
    render_key = _render_fingerprint(_code_version(), theme, site)
    aliases = load_aliases(config.entities_file, config.language)  # entities.toml fixes kinds the site shows
    fingerprint = _input_fingerprint(f"{content_fingerprint(files)} {aliases.fingerprint}", config, render_key)
    return _Inputs(files, theme, render_key, fingerprint, aliases)


def _warnings_if_up_to_date(out: Output, inputs: _Inputs, warnings_memo: cache.Entry) -> tuple[Problem, ...] | None:
    """The warnings of the build that made the output, when it was made from
    these same inputs: then there is nothing to do but show them again."""
    if out.previous.get("inputs") != inputs.fingerprint:
        return None
    stored_inputs, warnings = warnings_memo.read(default=(None, None))
    return warnings if stored_inputs == inputs.fingerprint else None


def _up_to_date_report(out: Output, started: float) -> BuildReport:
    previous = out.previous
    return BuildReport(out.folder, 0, int(previous.get("files", 0)), int(previous.get("articles_count", 0)),
                       int(previous.get("pages", 0)), _since(started), up_to_date=True)


def _previous_page_keys(memo: cache.Entry, out: Output, render_key: str) -> dict[str, str]:
    """The page keys of the build that made the current output (else nothing is reused)."""
    output_id, stored_render_key, keys = memo.read(default=(None, None, {}))
    if output_id != out.previous.get("output") or stored_render_key != render_key:
        return {}
    return keys


def _articles_elsewhere(scheduler: str | None, renderer: PageRenderer, config: SiteConfig, reporter: Reporter):
    """The renderer of the article pages on the cluster `scheduler` names, as a
    context (connected, then closed); without one, None: they render here."""
    if not scheduler:
        return contextlib.nullcontext()
    from generator.site.cluster_render import ClusterArticles  # Dask: not loaded without a scheduler

    return ClusterArticles.on(scheduler, renderer, config, reporter)


def _render_and_index(planner: Planner, renderer: PageRenderer, shards: list[list[str]], config: SiteConfig,
                      reporter: Reporter, lap: Callable[[str], None], articles=None) -> None:
    """Plan and write every page, one family at a time (nothing kept but the
    page keys), articles first, one search shard after the other, each
    indexed (in worker processes) while the next ones and the other pages
    render, its search files written as soon as they are made. `articles`: a renderer of the article
    pages elsewhere (cluster_render.ClusterArticles), the others rendering
    here meanwhile. `shards`: the articles of each search shard (_article_shards)."""
    from generator.site.search import ShardIndexer  # Pagefind: not loaded when up to date

    library = planner.library
    others = [family for family in families(library, planner.site) if family[0] != "article"]
    # each shard's files go to the output as soon as Pagefind made them
    write = functools.partial(renderer.writer.write, source="the search index")
    with ShardIndexer(len(shards), len(library.articles), reporter, cache_dir=config.cache_dir,
                      write=write) as indexer:
        if articles is not None:  # the article pages on the cluster, the others here meanwhile
            in_order = reporter.progress(_planned((("article", slug) for shard in shards for slug in shard), planner),
                                         len(library.articles), "rendering article pages")
            articles.render(in_order, [len(s) for s in shards], _planned(iter(others), planner), indexer.add)
        else:  # every page here, while the other core indexes the shards
            in_order = [("article", slug) for shard in shards for slug in shard]
            progress = reporter.progress(itertools.chain(in_order, others), len(in_order) + len(others),
                                         "rendering pages")
            for shard in shards:
                written = [renderer.write(page) for family in itertools.islice(progress, len(shard))
                           for page in plan_family(family, planner)]
                # by file, not as text: shards wait for Pagefind in a queue (at 100,000
                # articles, tens of them), which must not hold their pages
                indexer.add([(path, renderer.writer.stage / path) for path in written])
            for family in progress:
                for page in plan_family(family, planner):
                    renderer.write(page)
        lap("pages written")
        indexer.finish()  # its BuildError, if any, fails the build here


def _article_shards(library, config: SiteConfig) -> list[list[str]]:
    """The articles of each search shard, in the order their pages are rendered."""
    from generator.site.search import deal, oldest_first_slugs  # Pagefind: not loaded when up to date

    return deal(oldest_first_slugs(library), config.search_shard_size, config.search_max_shards)


def _planned(families: Iterator, planner: Planner) -> Iterator[OutputPage]:
    """The pages of these families, planned one family at a time as they are asked for."""
    for family in families:
        yield from plan_family(family, planner)


def _announce(report: BuildReport, reporter: Reporter) -> BuildReport:
    if report.up_to_date:
        reporter.result(f"{report.output} is up to date ({report.articles} articles, nothing changed) "
                        f"in {report.seconds:.2f} s")
    else:
        reporter.result(f"built {report.articles} articles, {report.pages} pages into {report.output} "
                        f"({report.pages_written} written, {report.files_unchanged} unchanged) "
                        f"in {report.seconds:.2f} s")
    return report


def kept_model_of(config: SiteConfig, reporter: Reporter) -> tuple[SiteModel, Mapping] | None:
    """The site model (and places located) the last build kept, when it is of
    the output there now and of content/ as it is now: `gazette serve` starts
    from it instead of indexing the archive again."""
    site = site_of(config, normalise_base_url(config.base_url))
    inputs = _read_inputs(config, site, reporter)
    output = read_marker(config.output_dir).get("output")
    found = KeptModel(config.cache_dir, inputs.render_key).read(output, _model_key(inputs, config))
    if found is None or found[0].file_hashes() != {f.shown: f.sha256 for f in inputs.files}:
        return None
    model, located = found
    return model.attach(kinds_fixed_by(inputs.aliases)), located


# ---------------------------------------------------------------- helpers

def _load_model(inputs: _Inputs, config: SiteConfig, fixed_kind, reporter: Reporter,
                library_ready: Callable | None = None) -> SiteModel:
    """The site model of every record; every problem reported before ProblemsFound.
    `library_ready`: see SiteModel."""
    parsed = load_parsed(inputs.files, config.cache_dir, reporter)
    try:
        model = SiteModel(parsed, fixed_kind, config.related, library_ready)
    except ProblemsFound as found:
        report_errors(found.problems, reporter)
        raise
    report_errors((), reporter, complete=len(parsed) == len(inputs.files))
    return model


def _model_key(inputs: _Inputs, config: SiteConfig) -> str:
    """What a kept model must have been made with to be updated: the code,
    theme and site (render_key), the settings, the alias tables."""
    settings = (config.related, config.per_page, config.feed_items, config.search_shard_size,
                config.search_max_shards, config.language)
    return hashlib.sha256(f"{inputs.render_key} {settings!r} {inputs.aliases.fingerprint}".encode()).hexdigest()


def _marker(inputs: _Inputs, output_id: str, pages: int, articles: int) -> dict[str, str]:
    return {"inputs": inputs.fingerprint, "output": output_id, "pages": str(pages), "articles_count": str(articles)}


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


def _memo(config: SiteConfig, name: str) -> cache.Entry:
    """One of the build's memos in the cache folder, kept only while the build's code is the same."""
    return cache.Entry(config.cache_dir, name, code=__name__, extra=cache.library_versions(*_LIBRARIES))


def _code_version() -> str:
    """The code that turns a Library into files: this module, every Gazette
    module it imports (found by cache.py), and the libraries' versions."""
    return cache.code_version(__name__, extra=cache.library_versions(*_LIBRARIES))



def _render_fingerprint(code: str, theme: Theme, site: Site) -> str:
    """Everything besides a page's own context that its bytes depend on."""
    return hashlib.sha256(f"{code} {theme_fingerprint(theme)} {site!r}".encode()).hexdigest()


def _input_fingerprint(content: str, config: SiteConfig, render_key: str) -> str:
    """Everything the whole output depends on: the records' bytes, the settings, the theme, the code."""
    settings = (config.related, config.per_page, config.feed_items)
    return hashlib.sha256(f"{content} {render_key} {settings!r}".encode()).hexdigest()


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
