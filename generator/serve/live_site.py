"""The site as the preview answers it: every page rendered on request from
the site model (site/model.py) kept in memory, byte for byte what `gazette
build` writes at that path.

    live = LiveSite(config, reporter)          # reads content/ once
    live.read("articles/x/index.html")         # bytes, or None (not a page: the built folder answers)
    changed = live.update(paths)               # record files changed: the site paths whose bytes may differ

After a change only the page families it touches (site/touched.py) are
planned again, and only when asked for; rendered pages are kept in a small
cache that a change empties of what it touched. The data export (data/)
is made again on the first request after a change. Nothing is written to disk.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Iterable, Mapping

from generator import urls
from generator.config import SiteConfig, site_relative
from generator.enrich.aliases import load_aliases
from generator.errors import Problem, ProblemsFound
from generator.report import Reporter
from generator.site.build import kept_model_of, normalise_base_url
from generator.site.export import FILES as DATA_FILES, export_files
from generator.site.library import (ContentFile, ParsedRecord, kinds_fixed_by, read_record_file,
                                    read_records, records_cache, scan_content)
from generator.site.model import SiteModel
from generator.site.places import locate_places
from generator.site.render import BodiesOnDemand, BodyStore, store_bodies, load_theme, make_environment, page_bytes
from generator.site.touched import touched_families
from generator.site.views import (Family, OutputPage, Planner, family_of, family_urls, has_family, plan_family,
                                  site_of)

CACHED_PAGES = 2000  # rendered pages kept; a page is re-rendered in milliseconds


class LiveSite:
    """See the module's doc. Thread-safe: requests read while a change applies."""

    def __init__(self, config: SiteConfig, reporter: Reporter):
        self.config = config
        kept = kept_model_of(config, reporter)  # what the build that just ran kept: no need to index again
        if kept is not None:
            self.model, located = kept
        else:
            self.model, located = self._index(config, reporter), None
        self.site = site_of(config, normalise_base_url(config.base_url))
        self.theme = load_theme(config.themes_dir, config.theme)
        self.env = make_environment(self.theme)
        self._bodies = BodyStore(config.cache_dir)  # the build's memo of rendered bodies, to start warm
        self._lock = threading.RLock()
        self._located = located if located is not None else \
            locate_places(self.model.library, config.language, config.cache_dir)
        self._planner = self._new_planner()
        self._families: dict[Family, list[OutputPage]] = {}
        self._pages: OrderedDict[str, bytes] = OrderedDict()
        self._data: dict[str, bytes] | None = None

    @staticmethod
    def _index(config: SiteConfig, reporter: Reporter) -> SiteModel:
        files = scan_content(config.content_dir, config.root, reporter, config.cache_dir)
        records = records_cache(config.cache_dir).read(default={})
        parsed = read_records(files, reporter, records)
        if reporter.errors:
            raise ProblemsFound(reporter.errors)
        aliases = load_aliases(config.entities_file, config.language)
        return SiteModel(parsed, kinds_fixed_by(aliases), config.related)

    def _new_planner(self) -> Planner:
        return Planner(self.model.library, self.model.related,
                       BodiesOnDemand(self.model.library, self.config.root, self._bodies), self.site, self._located)

    # ------------------------------------------------------------ answering

    def read(self, site_path: str) -> bytes | None:
        """The bytes `gazette build` writes at `site_path` when it is a page or
        a data file; None for anything else (static files, the search index)."""
        with self._lock:
            if site_path in self._pages:
                self._pages.move_to_end(site_path)
                return self._pages[site_path]
            if site_path in DATA_FILES:
                return self._data_files().get(site_path)
            url = _page_url(site_path)
            family = family_of(url)
            if family is None or not has_family(family, self._planner):
                return None
            pages = self._families.get(family)
            if pages is None:
                pages = self._families[family] = plan_family(family, self._planner)
            page = next((p for p in pages if p.url == url), None)
            if page is None:
                return None
            data = page_bytes(page, self.env, self.theme, self.config.language, self.site)
            self._pages[site_path] = data
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
            return data

    def _data_files(self) -> Mapping[str, bytes]:
        if self._data is None:
            self._data = dict(export_files(self.model.library, self.site.base_url))
        return self._data

    # ------------------------------------------------------------ changing

    def update(self, paths: Iterable[Path], reporter: Reporter) -> tuple[frozenset[str], set[str]]:
        """Take the record files at `paths` as they are now (added, edited,
        removed): the site paths whose bytes may have changed, and the
        articles whose pages may have. A record that does not parse raises
        ProblemsFound (reported) and changes nothing."""
        changes = {site_relative(str(path), self.config.root): _parse(path, self.config, reporter) for path in paths}
        if reporter.errors:
            raise ProblemsFound(reporter.errors)
        store_bodies(self._bodies, (parsed[0] for parsed in changes.values() if parsed is not None))
        with self._lock:
            old_planner = self._planner
            change = self.model.apply(changes)
            touched = touched_families(change)
            if ("places",) in touched:  # a place came, went or was renamed
                self._located = locate_places(self.model.library, self.config.language, self.config.cache_dir)
            self._planner = self._new_planner()
            changed: set[str] = set()
            for family in touched:
                for planner in (old_planner, self._planner):
                    if has_family(family, planner):
                        changed.update(urls.file_path(url) for url, _ in family_urls(family, planner))
                self._families.pop(family, None)
            if change.slugs:
                self._data = None
                changed.update(DATA_FILES)
            for path in changed:
                self._pages.pop(path, None)
            return frozenset(changed), {f[1] for f in touched if f[0] == "article"}


def _parse(path: Path, config: SiteConfig, reporter: Reporter) -> ParsedRecord | None:
    """The record at `path` as the build reads it; None when it is gone (or
    is no regular file: reported, and left out as the build leaves it out)."""
    shown = site_relative(str(path), config.root)
    try:
        data = read_record_file(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        reporter.warn(Problem(shown, f"{exc.strerror or exc}; skipped"))
        return None
    if data is None:
        return None
    parsed = read_records([ContentFile(path, shown, hashlib.sha256(data).hexdigest(), data)], reporter,
                          with_bodies=True)
    return parsed[0] if parsed else None


def _page_url(site_path: str) -> str:
    """The page URL written at a site path ("x/index.html" → "x/"; "feed.xml" as it is)."""
    if site_path == "index.html" or site_path.endswith("/index.html"):
        return site_path[: -len("index.html")]
    return site_path
