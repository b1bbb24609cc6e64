"""`gazette build` after a few records changed: the previous build's site
model (model.py, kept in the cache) takes the changed records in, and only
the page families they touch (touched.py) are planned, rendered and, where
their bytes differ, written into the output in place (output_update.py);
the search shards whose articles changed are indexed again; the data
export is made again. The output is the one a clean build would make
(tests/test_build_update.py compares them).

`update_site` answers None when it cannot do that — no kept model, or one
made from other code, settings, theme or alias tables, or for another
output — and the caller builds from scratch.
"""
from __future__ import annotations

import dataclasses
import gc
import secrets
import threading
from pathlib import Path
from typing import Callable, Mapping

from generator import cache, urls
from generator.errors import ProblemsFound
from generator.report import Reporter
from generator.site.export import export_files
from generator.site.library import ContentFile, EntityKey, ParsedRecord, read_records
from generator.site.maps import Coordinates
from generator.site.model import SiteModel
from generator.site.output import Output
from generator.site.places import locate_places
from generator.site.render import (BodiesOnDemand, BodyKeys, BodyStore, Theme, make_environment, page_bytes,
                                   store_bodies)
from generator.site.search import deal, index_shard, indexed_page, oldest_first_slugs, shards_to_index
from generator.site.touched import touched_families
from generator.site.views import Planner, Site, has_family, plan_family

# more changed records than this share of the archive (and than REBUILD_FROM): a clean build is as quick
REBUILD_SHARE = 0.05
REBUILD_FROM = 50


class KeptModel:
    """The site model a build keeps for the next one to update from (two
    memos: which output and inputs it is of, checked before the large one is read)."""

    def __init__(self, cache_dir: Path, code_version: str):
        self._label = cache.Entry(cache_dir, "model-of", code="generator.site.build_update", extra=code_version)
        self._value = cache.Entry(cache_dir, "model", code="generator.site.build_update", extra=code_version)

    def read(self, output: str | None, key: str) -> tuple[SiteModel, Mapping[EntityKey, Coordinates]] | None:
        """The model kept with the output `output`, made with `key`; else None."""
        label = self._label.read()
        if output is None or label != (output, key):
            return None
        collecting = gc.isenabled()
        gc.disable()  # millions of small objects: the cyclic collector would walk them again and again
        try:
            value = self._value.read()
        finally:
            if collecting:
                gc.enable()
        return value[1] if value is not None and value[0] == (output, key) else None

    def write(self, output: str, key: str, model: SiteModel, located: Mapping[EntityKey, Coordinates]) -> None:
        if self.store(output, key, model, located):
            self.label(output, key)

    def store(self, output: str, key: str, model: SiteModel, located: Mapping[EntityKey, Coordinates]) -> bool:
        """Write the model for the output `output`, unlabelled (read() ignores it)
        until label(): a build stores it before its pages take memory, and
        labels it once that output is committed. Whether it was written."""
        self._label.write(None)  # never a label for a model that is not written yet
        return self._value.write(((output, key), (model, dict(located))))

    def label(self, output: str, key: str) -> None:
        self._label.write((output, key))

    def write_meanwhile(self, output: str, key: str, model: SiteModel,
                        located: Mapping[EntityKey, Coordinates]) -> Callable[[], None]:
        """Start writing in a thread (pickling overlaps the search indexing's
        waits); the function that waits for it. The model must not change meanwhile."""
        thread = threading.Thread(target=self.write, args=(output, key, model, located), name="gazette-keep-model")
        thread.start()
        return thread.join


def update_site(out: Output, kept: KeptModel, key: str, files: tuple[ContentFile, ...], fixed_kind,
                theme: Theme, site: Site, language: str, root: Path, cache_dir: Path, reporter: Reporter,
                lap: Callable[[str], None], marker: dict[str, str], check: Callable[[SiteModel], None]
                ) -> tuple[SiteModel, int, int, int] | None:
    """Update the output in place for the changed records, and give it
    `marker` (its "output" and "pages" set here); `root`: the site folder
    (record files are named relative to it); `check(model)` once the
    changes are taken in, before anything is written (warnings, --strict).
    The updated model is kept for the next build. (model, files written,
    files unchanged, pages) — or None when a clean build is needed."""
    output_id = secrets.token_hex(8)
    found = kept.read(out.previous.get("output"), key)
    if found is None:
        return None
    model, old_located = found
    gc.freeze()  # the model lives to the end of the build: no collection need walk it (build_site unfreezes)
    lap("kept model read")
    model.attach(fixed_kind)
    known = model.file_hashes()
    now = {file.shown: file for file in files}
    changed = [file for shown, file in now.items() if known.get(shown) != file.sha256]
    removed = [shown for shown in known if shown not in now]
    if len(changed) + len(removed) > max(REBUILD_FROM, REBUILD_SHARE * len(known)):
        return None
    parsed = read_records(changed, reporter, with_bodies=True)
    if len(parsed) < len(changed):
        raise ProblemsFound(reporter.errors)
    bodies = BodyStore(cache_dir)
    store_bodies(bodies, (p[0] for p in parsed))  # as read now: their files may be saved again before the pages
    changes: dict[str, ParsedRecord | None] = {p[1]: p for p in parsed}
    changes.update((shown, None) for shown in removed)
    # the pages before the change are only compared with the new ones: their
    # bodies by their SHA-256 (an edited record file no longer holds the old body)
    old_planner = Planner(model.library, model.related, BodyKeys(model.library), site, old_located)
    change = model.apply(changes)
    check(model)
    touched = touched_families(change)
    located = locate_places(model.library, language, cache_dir) if ("places",) in touched else old_located
    lap(f"{len(changes)} changed record(s) taken in: {len(touched)} page families touched")

    planner = Planner(model.library, model.related, BodiesOnDemand(model.library, root, bodies), site,
                      located)
    env = make_environment(theme, auto_reload=False)
    updater = out.updater()
    rendered: dict[str, bytes] = {}
    pages = int(out.previous.get("pages", 0))  # the site's pages: the touched families' counts change
    for family in sorted(touched):
        old_pages = {p.url: p for p in plan_family(family, old_planner)} if has_family(family, old_planner) else {}
        new_pages = plan_family(family, planner) if has_family(family, planner) else []
        pages += len(new_pages) - len(old_pages)
        for page in new_pages:
            if old_pages.pop(page.url, None) == page:  # same template and context: the file is as it was
                continue
            data = page_bytes(page, env, theme, language, site)
            path = urls.file_path(page.url)
            updater.write(path, data, page.source)
            rendered[path] = data
        for url in old_pages:  # pages the family no longer has
            path = urls.file_path(url)
            if not (out.folder / path).is_symlink() and (out.folder / path).exists():
                updater.delete(path)
    if _export_may_change(change):
        for path, data in export_files(model.library, site.base_url):
            updater.write(path, data, "the data export")
    lap(f"{len(rendered)} page(s) rendered")

    kept_written = kept.write_meanwhile(output_id, key, model, located)  # while Pagefind works
    _reindex(out, updater, old_planner.library, model.library, touched, rendered, site, cache_dir)
    lap("search index updated")
    kept_written()
    out.commit_update({**marker, "output": output_id, "pages": str(pages),
                       "articles_count": str(len(model.library.articles))})
    return model, updater.written, updater.unchanged, pages


def _export_may_change(change) -> bool:
    """The data export (export.py) holds every field of a record but its body,
    its record file's name, and the entities."""
    if change.entities:
        return True
    for slug in change.slugs:
        if slug not in change.old.position or slug not in change.new.position \
                or change.old.files[slug] != change.new.files[slug]:
            return True
        old, new = change.old.article(slug), change.new.article(slug)
        if dataclasses.replace(old, text=None) != dataclasses.replace(new, text=None):  # the Library keeps no body
            return True
    return False


def _reindex(out: Output, updater, old_library, library, touched, rendered: Mapping[str, bytes], site: Site,
             cache_dir: Path) -> None:
    """Index again the shards whose articles changed, came or went (search.deal)."""
    old_shards = deal(oldest_first_slugs(old_library), site.search_shard_size, site.search_max_shards)
    shards = deal(oldest_first_slugs(library), site.search_shard_size, site.search_max_shards)
    changed_articles = _reindexed_articles(out, library, touched, rendered)
    for number in sorted(shards_to_index(old_shards, shards, changed_articles)):
        slugs = shards[number - 1]
        folder = urls.search_shard_folder(number)
        pages = []
        for slug in slugs:
            path = urls.file_path(urls.article_url(slug))
            data = rendered.get(path)
            pages.append((path, data.decode("utf-8") if data is not None else (out.folder / path)))
        files = index_shard(pages, folder, number)
        for path, data in files.items():
            updater.write(path, data, "the search index")
        for path in _shard_files(out.folder, number):
            if path not in files:
                updater.delete(path, "the search index")
    for number in range(len(shards) + 1, len(old_shards) + 1):
        for path in _shard_files(out.folder, number):
            updater.delete(path, "the search index")


def _reindexed_articles(out: Output, library, touched, rendered: Mapping[str, bytes]) -> set[str]:
    """The touched articles whose page changed where the search index reads it (search.indexed_page)."""
    found = set()
    for family in touched:
        if family[0] != "article" or family[1] not in library.position:
            continue
        path = urls.file_path(urls.article_url(family[1]))
        if path not in rendered:
            continue  # not rendered again: its page is as it was
        built = out.folder / path
        before = built.read_text(encoding="utf-8") if built.is_file() and not built.is_symlink() else None
        if before is None or indexed_page(before) != indexed_page(rendered[path].decode("utf-8")):
            found.add(family[1])
    return found


def _shard_files(output: Path, number: int) -> list[str]:
    """The files of search shard `number` in the output (the first shard's folder holds the others')."""
    folder = output / urls.search_shard_folder(number)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.rglob("*"):
        site_path = path.relative_to(output).as_posix()
        if path.is_file() and not path.is_symlink() and urls.in_search_shard(site_path, number):
            found.append(site_path)
    return found
