"""Watching the site's sources for the preview, and turning bursts of file
events into one batch of changes.

Watched: seeds/, content/, themes/ (recursively) and site.toml,
entities.toml in the site folder (the folder itself non-recursively, so that
the output and cache folders are never watched, wherever they are).
Ignored: editors' swap, backup and atomic-save files, hidden files, and
anything inside the output or cache folder.
"""
from __future__ import annotations

import fnmatch
import os
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from watchdog.events import (
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from generator.config import SiteConfig
from generator.ingest.seeds import SUPPORTED

SEED = "seed"
SOURCE = "source"  # a record, template, static file or setting: a full build

# vim (.swp, .swx, .swo…, 4913), emacs (~, .#x, #x#), JetBrains/others (.tmp,
# ___jb_tmp___), downloads in progress, and hidden files in general
_DROPPINGS = ("*~", "*.sw?", "*.sw??", "4913", "*.tmp", "*.temp", "*.bak", "*.orig",
              "*___jb_tmp___", "*___jb_old___", "*.part", "*.crdownload", "*.kate-swp")
_ROOT_FILES = ("site.toml", "entities.toml")
_CONTENT_EVENTS = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED,
                             EVENT_TYPE_CLOSED})


def is_editor_dropping(name: str) -> bool:
    """True for the temporary and backup files editors and tools leave around."""
    if name.startswith((".", "#")):  # hidden, .#lock, #autosave#
        return True
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in _DROPPINGS)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


def classify(path: Path, config: SiteConfig) -> str | None:
    """SEED, SOURCE, or None for a path the preview does not care about."""
    path, root = _absolute(path), _absolute(config.root)
    if any(_inside(path, _absolute(ignored)) for ignored in (config.output_dir, config.cache_dir)):
        return None
    if path.parent == root:  # the site folder is watched for these names only
        if path.name in _ROOT_FILES or path.name in (config.content_dir.name, config.themes_dir.name):
            return SOURCE
        return SEED if path.name == config.seeds_dir.name else None
    if not _inside(path, root) or any(is_editor_dropping(part) for part in path.relative_to(root).parts):
        return None
    if _inside(path, _absolute(config.seeds_dir)):
        # a seed, or a folder of seeds (no suffix)
        return SEED if path.suffix.lower() in SUPPORTED or not path.suffix else None
    if _inside(path, _absolute(config.content_dir)) or _inside(path, _absolute(config.themes_dir)):
        return SOURCE
    return None


@dataclass(frozen=True)
class Changes:
    """The paths that changed during one burst, by kind."""

    seeds: frozenset[Path] = frozenset()
    sources: frozenset[Path] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.seeds or self.sources)


class Debouncer:
    """Collects changed paths; hands them out once the burst is over.

    A burst is over after `quiet` seconds without events, or `longest`
    seconds after its first event (a process that never stops writing
    still gets a build now and then).
    """

    def __init__(self, quiet: float = 0.2, longest: float = 5.0):
        self.quiet = quiet
        self.longest = longest
        self._cond = threading.Condition()
        self._pending: dict[Path, str] = {}
        self._first = 0.0
        self._last = 0.0

    def add(self, path: Path, kind: str) -> None:
        with self._cond:
            now = time.monotonic()
            if not self._pending:
                self._first = now
            self._last = now
            self._pending[path] = kind
            self._cond.notify_all()

    def next_batch(self, timeout: float) -> Changes:
        """The next finished burst, or empty Changes after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                now = time.monotonic()
                if self._pending:
                    due = min(self._last + self.quiet, self._first + self.longest)
                    if now >= due:
                        return self._take()
                    wait = min(due, deadline) - now
                else:
                    wait = deadline - now
                if wait <= 0:
                    return Changes()
                self._cond.wait(wait)

    def _take(self) -> Changes:
        pending, self._pending = self._pending, {}
        return Changes(
            seeds=frozenset(p for p, kind in pending.items() if kind == SEED),
            sources=frozenset(p for p, kind in pending.items() if kind == SOURCE),
        )


# (mtime_ns, size) of every file in the watched folders: a burst's events are
# compared with what the last build saw, so the events of a build's own
# inputs (an ingest writing records, a save seen just before a build started)
# do not cause a second build
Fingerprint = Mapping[Path, tuple[int, int]]


def fingerprint(places: Iterable[Path]) -> Fingerprint:
    """The state of every file under `places` (folders or files)."""
    state: dict[Path, tuple[int, int]] = {}

    def visit(path: Path) -> None:
        try:
            with os.scandir(path) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        visit(Path(entry.path))
                    elif entry.is_file():
                        info = entry.stat()
                        state[Path(entry.path)] = (info.st_mtime_ns, info.st_size)
        except NotADirectoryError:
            try:
                info = path.stat()
            except OSError:
                return
            state[path] = (info.st_mtime_ns, info.st_size)
        except OSError:
            return

    for place in places:
        visit(Path(os.path.abspath(place)))
    return state


def refreshed(seen: Fingerprint, paths: Iterable[Path]) -> Fingerprint:
    """`seen` with the state of `paths` (files) as it is now: the preview
    takes a few saved records in without walking every file of content/."""
    state = dict(seen)
    for path in paths:
        path = Path(os.path.abspath(path))
        try:
            info = path.stat()
        except OSError:
            state.pop(path, None)
            continue
        state[path] = (info.st_mtime_ns, info.st_size)
    return state


def changed_since(paths: Iterable[Path], seen: Fingerprint) -> frozenset[Path]:
    """The paths whose file differs from `seen` (new, changed, gone, or a folder)."""
    changed = set()
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            # gone: it matters if the last build saw it (or files inside it)
            if path in seen or any(path in p.parents for p in seen):
                changed.add(path)
            continue
        if stat.S_ISDIR(info.st_mode) or (stat.S_ISREG(info.st_mode)
                                          and seen.get(path) != (info.st_mtime_ns, info.st_size)):
            changed.add(path)
        # a FIFO, device or socket is no source: never a change, never handed to ingest
    return frozenset(changed)


def watched_places(config: SiteConfig) -> tuple[Path, ...]:
    """The inputs of a build: what `fingerprint` looks at before each one."""
    return (config.content_dir, config.themes_dir, config.config_file, config.entities_file)


class _Forward(FileSystemEventHandler):
    def __init__(self, config: SiteConfig, debouncer: Debouncer):
        self.config = config
        self.debouncer = debouncer

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CONTENT_EVENTS:
            return  # opened, read, attributes: the build's own reads would loop forever
        if event.is_directory and event.event_type == "modified":
            return  # a folder's own mtime: its files' events follow anyway
        paths = [event.src_path]
        if getattr(event, "dest_path", ""):
            paths.append(event.dest_path)
        for raw in paths:
            path = Path(os.fsdecode(raw))
            kind = classify(path, self.config)
            if kind is not None:
                self.debouncer.add(path, kind)


class Watcher:
    """Feeds a Debouncer from watchdog events on the site's sources."""

    def __init__(self, config: SiteConfig, debouncer: Debouncer):
        self.config = config
        self.debouncer = debouncer
        self._observer = Observer()
        self._handler = _Forward(config, debouncer)
        self._watched: set[Path] = set()

    def start(self) -> None:
        self._observer.schedule(self._handler, str(self.config.root), recursive=False)
        self.watch_new_folders()
        self._observer.start()

    def watch_new_folders(self) -> None:
        """Watch seeds/, content/ and themes/ once they exist (they may appear later)."""
        for folder in (self.config.seeds_dir, self.config.content_dir, self.config.themes_dir):
            if folder not in self._watched and folder.is_dir():
                self._observer.schedule(self._handler, str(folder), recursive=True)
                self._watched.add(folder)

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join(timeout=5)
