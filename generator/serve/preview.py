"""`gazette serve`: build once, serve the site, and on every change re-ingest,
rebuild and reload the open pages.

Reads top to bottom: bind the socket (a taken port is an error at once),
start watching, build, serve in a background thread; then the main thread
runs the build loop: wait for a burst of changes, ingest the changed seeds,
build the whole site (DESIGN.md: no partial rebuilds), tell the browsers.
Builds run in the main thread so that Ctrl-C interrupts them where the build
itself can clean up (its output is atomic).

The site is built exactly as `gazette build` builds it, into the same output
folder; the reload script is only added to HTML responses in memory. Serve
creates nothing else on disk, so stopping it leaves nothing to delete.
"""
from __future__ import annotations

import threading
import time
import traceback
import webbrowser
from pathlib import Path
from typing import Callable

from generator.config import SiteConfig, load_config
from generator.errors import GazetteError, Problem, ProblemsFound
from generator.serve.livereload import BuildStatus, LiveState
from generator.report import Reporter
from generator.serve.http import PreviewServer, is_loopback
from generator.serve.live_search import LiveSearch
from generator.serve.live_site import LiveSite
from generator.serve.pages import BuiltFolder, LayeredSource, PageSource
from generator.serve.watch import (Changes, Debouncer, Watcher, changed_since, fingerprint, refreshed,
                                   watched_places)

BuildFunction = Callable[..., object]  # build_site(config, *, reporter) -> BuildReport
IngestFunction = Callable[..., object]  # ingest(config, paths, *, reporter) -> IngestReport


class Preview:
    """The preview server, its watcher and its build loop.

    `build` and `ingest` default to the real `build_site` and `ingest`; tests
    may pass other functions with the same signatures. `pages` (default: the
    built output folder) is what the server serves.

    A whole build publishes a generation that changed everything; `publish`
    announces one that changed only some site paths (only the tabs showing
    them reload), `set_search_pending` whether the search index lags behind.
    """

    def __init__(
        self,
        config: SiteConfig,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        reporter: Reporter,
        build: BuildFunction | None = None,
        ingest: IngestFunction | None = None,
        debouncer: Debouncer | None = None,
        pages: PageSource | None = None,
    ):
        from generator.site.build import build_site
        build_site_is_real = build is None or build is build_site
        build = build or build_site
        if ingest is None:
            from generator.ingest.run import ingest
        self.config = config
        self.reporter = reporter
        self._build = build
        self._ingest = ingest
        self.live = LiveState()
        self.debouncer = debouncer or Debouncer()
        self._watcher = Watcher(config, self.debouncer)
        self._seen_sources = fingerprint(())
        self._seen_seeds = fingerprint(())
        # with the real build, pages come from the site model (live_site.py) once
        # the first build is in place; a test's build function serves its output
        self._from_model = build_site_is_real and pages is None
        self._live: LiveSite | None = None
        self._search: LiveSearch | None = None
        self._pages = _Layers(pages or BuiltFolder(lambda: self.config.output_dir))
        try:
            self.server = PreviewServer((host, port), self._pages, self.live)
        except OSError as exc:
            raise GazetteError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc} — choose another --port (0: any free one)"
            ) from None
        self._serving: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"

    @property
    def status(self) -> BuildStatus:
        return self.live.status

    def publish(self, changed: frozenset[str] | None = None) -> BuildStatus:
        """A new generation of the site is in place and good: the open tabs whose
        page is among `changed` (site paths; None: everything) reload, the
        error overlay goes."""
        return self.live.publish(changed, building=False, errors=())

    def set_search_pending(self, pending: bool) -> BuildStatus:
        """Whether the search index is still being updated after a save: the
        search page says so while it is."""
        return self.live.update(search_pending=pending)

    # -- life cycle -----------------------------------------------------------

    def start(self) -> None:
        """Watch, build once, and serve in a background thread."""
        self._watcher.start()
        self._seen_seeds = fingerprint([self.config.seeds_dir])
        self._run_build(Changes())
        self._serving = threading.Thread(target=self.server.serve_forever, name="gazette-preview", daemon=True)
        self._serving.start()

    def run_forever(self) -> None:
        """Rebuild after every burst of changes, until Ctrl-C (KeyboardInterrupt)."""
        while True:
            self.step(timeout=0.5)

    def step(self, timeout: float) -> bool:
        """Handle the next burst of changes, if one ends within `timeout`; True if it did."""
        changes = self.debouncer.next_batch(timeout)
        if not changes:
            return False
        self._watcher.watch_new_folders()
        self.apply(changes)
        return True

    def _load_model(self, run: Reporter) -> None:
        """The site model of what was just built: the server answers pages from it."""
        if self._search is not None:
            self._search.stop()
        self._live = LiveSite(self.config, run)
        self._search = LiveSearch(self._live, self.set_search_pending, self.reporter)
        self._pages.set(self._search, self._live)

    def stop(self) -> None:
        """Stop watching and serving; end the open event streams."""
        if self._search is not None:
            self._search.stop()
        self._watcher.stop()
        self.live.close()
        if self._serving is not None:
            self.server.shutdown()
            self._serving.join(timeout=5)
        self.server.server_close()

    def __enter__(self) -> "Preview":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- one burst of changes ---------------------------------------------------

    def apply(self, changes: Changes) -> None:
        """Ingest the changed seeds, then build if any input of the build changed."""
        seeds = changed_since(changes.seeds, self._seen_seeds)
        sources = changed_since(changes.sources, self._seen_sources)
        problems: list[str] = []
        if seeds:
            problems = self._run_ingest(seeds)
        # after an ingest, build only if it wrote a record (a hand-edited one is kept)
        now = fingerprint(watched_places(self.config)) if seeds else None
        if seeds and now != self._seen_sources:
            sources = sources | {p for p in now.keys() | self._seen_sources.keys()
                                 if now.get(p) != self._seen_sources.get(p)}
        if sources and self._live is not None and all(self._is_record(p) for p in sources):
            self._run_update(sources, earlier_problems=problems)
        elif sources:
            self._run_build(changes, earlier_problems=problems)
        elif problems:
            self.live.update(errors=self.live.status.errors + tuple(problems))

    def _is_record(self, path: Path) -> bool:
        """A record file (content/**/*.md, not hidden): a change the site model takes in."""
        content = self.config.content_dir.resolve()
        try:
            parts = path.resolve().relative_to(content).parts
        except ValueError:
            return False
        return path.suffix == ".md" and not any(part.startswith(".") for part in parts) and not path.is_dir()

    def _run_update(self, records: frozenset[Path], earlier_problems: list[str] | None = None) -> None:
        """Records changed: the live site takes them in; the tabs showing a changed page reload."""
        started = time.monotonic()
        self._seen_sources = refreshed(self._seen_sources, records)  # not a walk of all content/
        run = self.reporter.new_run()
        errors = list(earlier_problems or [])
        try:
            changed, articles = self._live.update(records, run)
        except Exception as exc:
            errors += _failure(exc, run)
            self.live.update(errors=tuple(errors))
            self.reporter.info("a record has problems (shown in the browser) — still showing the last good pages")
            return
        self.live.publish(frozenset(changed), building=False, errors=tuple(errors))
        self._search.changed(articles)
        self.reporter.info(f"updated {len(changed)} page(s) in {time.monotonic() - started:.2f} s{_what_records(records)}")

    def _run_ingest(self, seeds: frozenset[Path]) -> list[str]:
        self._seen_seeds = fingerprint([self.config.seeds_dir])
        # a new folder of seeds comes with events for its files: ingest each once
        existing = sorted(p for p in seeds if p.exists() and not any(parent in seeds for parent in p.parents))
        if not existing:
            return []  # a seed was deleted: its record stays (nothing is lost)
        self.reporter.info(f"ingesting {len(existing)} changed seed(s)")
        run = self.reporter.new_run()
        try:
            self._ingest(self.config, existing, date=None, force=False, reporter=run)
        except Exception as exc:
            return _failure(exc, run)
        return [str(p) for p in run.errors]

    def _run_build(self, changes: Changes, earlier_problems: list[str] | None = None) -> None:
        started = time.monotonic()
        self.live.update(building=True, builds=self.live.status.builds + 1)
        self._seen_sources = fingerprint(watched_places(self.config))
        errors = list(earlier_problems or [])
        run = self.reporter.new_run()
        ok = False
        try:
            # site.toml may have changed: read it on every build (it is small)
            self.config = load_config(self.config.root)
            self._build(self.config, reporter=run)
            if self._from_model:
                self._load_model(run)
            ok = True
        except KeyboardInterrupt:
            self.live.update(building=False)
            raise
        except Exception as exc:
            errors += _failure(exc, run)
        seconds = time.monotonic() - started
        if ok:  # a whole build: every page may have changed
            self.live.publish(None, building=False, errors=tuple(errors))
        else:
            self.live.update(building=False, errors=tuple(errors))
        if ok and not errors:
            reload = " — reloading open pages" if changes else ""
            self.reporter.info(f"built in {seconds:.2f} s{_what(changes)}{reload}")
        elif ok:
            self.reporter.info(f"built in {seconds:.2f} s{_what(changes)} with problems (shown in the browser)")
        else:
            self.reporter.info(f"build failed after {seconds:.2f} s — still serving the last good build")


class _Layers:
    """What the server reads: the model's pages and search files over the
    built folder, once there is a model; the built folder before."""

    def __init__(self, built):
        self._built = built
        self._source = built

    def set(self, search, live) -> None:
        self._source = LayeredSource(search, LayeredSource(live, self._built))

    def read(self, site_path: str) -> bytes | None:
        return self._source.read(site_path)


def _what_records(records: frozenset[Path]) -> str:
    names = sorted(p.name for p in records)
    return f" ({', '.join(names[:3])}{' …' if len(names) > 3 else ''})"


def _failure(exc: Exception, run: Reporter) -> list[str]:
    """The `file:line: message` lines of a failed ingest or build, shown in the terminal too."""
    if isinstance(exc, ProblemsFound):
        problems = [p for p in exc.problems if p.level == "error"] or list(exc.problems)
    elif isinstance(exc, GazetteError):
        problems = [exc.problem]
    else:  # a bug, not bad input: say so, with the traceback for the report
        run.internal_error(traceback.format_exc())
        problems = [Problem(None, f"internal error: {type(exc).__name__}: {exc}")]
    already = set(run.problems)
    for problem in problems:
        if problem not in already:
            run.error(problem)
    return [str(p) for p in problems]


def _what(changes: Changes) -> str:
    count = len(changes.seeds) + len(changes.sources)
    return f" ({count} changed file(s))" if count else ""


def serve(
    config: SiteConfig,
    *,
    host: str,
    port: int,
    open_browser: bool,
    reporter: Reporter,
    build: BuildFunction | None = None,
    ingest: IngestFunction | None = None,
) -> None:
    """Preview the site until Ctrl-C."""
    if not is_loopback(host):
        reporter.warn(Problem(
            None,
            f"serving on {host}: anyone who can reach this machine can read the site — "
            "leave out --host to keep the preview on this computer",
        ))
    preview = Preview(config, host=host, port=port, reporter=reporter, build=build, ingest=ingest)
    try:
        preview.start()
        reporter.result(f"Serving {preview.url} (Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(preview.url)
        preview.run_forever()
    except KeyboardInterrupt:
        reporter.info("stopped")
    finally:
        preview.stop()
