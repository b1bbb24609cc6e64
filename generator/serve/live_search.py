"""The preview's search index, kept up to date in the background.

After a save the pages change at once (live_site.py) but the search index
lags: the shards whose articles changed are indexed again by Pagefind in a
background thread, from the pages as the live site renders them, and their
files served from memory over the built folder's. While that runs the
preview's status says `search_pending` and the search page says that its
results may lag (livereload.py). Shards are dealt as the build deals them
(search.deal over the articles oldest first), so an edit re-indexes one
shard; an article added or removed re-deals the shards after it.
"""
from __future__ import annotations

import threading
from typing import Callable

from generator import urls
from generator.report import Reporter
from generator.serve.live_site import LiveSite
from generator.site.search import deal, index_shard, oldest_first_slugs, shards_to_index


class LiveSearch:
    """Search files (site path → bytes) made since the build, by shard."""

    def __init__(self, live: LiveSite, pending: Callable[[bool], object], reporter: Reporter):
        self.live = live
        self._pending = pending
        self._reporter = reporter
        self._files: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self._wake = threading.Condition()
        self._dirty: set[int] = set()
        self._shards = self._deal()
        self._since_build: set[str] = set()  # articles whose page may differ from the built one
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="gazette-search", daemon=True)
        self._thread.start()

    def _deal(self) -> list[list[str]]:
        config = self.live.config
        return deal(oldest_first_slugs(self.live.model.library), config.search_shard_size, config.search_max_shards)

    def read(self, site_path: str) -> bytes | None:
        with self._lock:
            return self._files.get(site_path)

    def changed(self, articles: set[str]) -> None:
        """These articles' pages changed (or came, or went): index their shards again."""
        self._since_build |= articles
        shards = self._deal()
        dirty = shards_to_index(self._shards, shards, articles)
        self._shards = shards
        if dirty:
            with self._wake:
                self._dirty |= dirty
                self._pending(True)
                self._wake.notify_all()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify_all()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._dirty or self._stopped)
                if self._stopped:
                    return
                number = min(self._dirty)
                self._dirty.discard(number)
                shard = self._shards[number - 1] if number <= len(self._shards) else None
            if shard is not None:
                self._index(number, shard)
            with self._wake:
                if not self._dirty:
                    self._pending(False)

    def _index(self, number: int, slugs: list[str]) -> None:
        folder = urls.search_shard_folder(number)
        pages = []
        for slug in slugs:
            path = urls.file_path(urls.article_url(slug))
            built = self.live.config.output_dir / path
            if slug not in self._since_build and built.is_file() and not built.is_symlink():
                pages.append((path, built))  # as built: read by the indexer, not rendered again here
                continue
            data = self.live.read(path)
            if data is not None:
                pages.append((path, data.decode("utf-8")))
        try:
            files = index_shard(pages, folder, number)
        except Exception as exc:  # noqa: BLE001 — the preview goes on; the terminal says why
            self._reporter.info(f"search index of {folder}/ not updated: {exc}")
            return
        with self._lock:
            for path in [p for p in self._files if urls.in_search_shard(p, number)]:
                del self._files[path]
            self._files.update(files)

