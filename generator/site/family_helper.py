"""The pages besides the articles, shared with a helper process on the other core.

A build renders the article pages itself, shard after shard, so that
Pagefind indexes each shard as soon as its pages are written. The other
families (entity pages and feeds, date archives, listings) make most of the
files of a small or medium archive: they are shared between the build and
one helper process. Each takes the next few from a counter they share, so
that whichever is free renders them; the build joins in once its articles
are done.

The helper is spawned as soon as a clean build knows it will render (its
interpreter and imports start while the records are read), then reads the
model the build stores for the next one (build_update.KeptModel): no second
reading of the records, and no fork of a process that runs threads. It
plans and renders with the same code into the same staging folder, through
its own Writer (the same checks on every path), and sends back what it
wrote for the build's Writer to adopt: the output is the one a single
process makes, byte for byte.

Only for archives of HELPER_FROM to HELPER_UP_TO articles, on more than
one core: below, starting a process costs more than it saves; above, its
copy of the model (about 8 KB per article) would take the memory a large
build keeps for its pages and Pagefind. A helper that fails fails the build
with its error (a template's, with file and line); one that is lost fails
it too: the families it had taken would be missing.
"""
from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from generator import lifetime
from generator.errors import BuildError
from generator.site.build_update import KeptModel
from generator.site.output import Writer
from generator.site.page_values import Site
from generator.site.page_writer import PageRenderer
from generator.site.planner import Planner
from generator.site.render import Theme, make_environment
from generator.site.views import Family, plan_family

# articles from which a helper pays for its start (about 0.3 s of the other core)
HELPER_FROM = 500
# articles up to which its copy of the model (about 8 KB each) is worth the memory
HELPER_UP_TO = 50_000
# families taken at a time: few enough that both end together, enough that
# the shared counter's lock is not taken for every small page
CLAIM = 4
_NONE_LEFT = 1 << 62  # the counter once the build stops: nothing left to take

_shared_counter = None  # in the helper: the counter shared with the build


def _start(lifeline, counter) -> None:
    lifetime.die_with_parent(lifeline)
    global _shared_counter
    _shared_counter = counter


def _ready() -> None:
    """Nothing: submitted at once so that the helper starts (and imports) now."""


def taken(counter, total: int) -> Iterator[int]:
    """The indexes of the families this process takes, a few at a time, until none is left."""
    while True:
        with counter.get_lock():
            start = counter.value
            if start >= total:
                return
            counter.value = start + CLAIM
        yield from range(start, min(start + CLAIM, total))


@dataclass(frozen=True)
class _Job:
    kept: KeptModel
    output_id: str
    model_key: str
    families: tuple[Family, ...]
    theme: Theme
    language: str
    site: Site
    stage: str
    previous: str | None
    previous_keys: Mapping[str, str]


@dataclass(frozen=True)
class _Share:
    """What the helper wrote: its Writer's record, the pages' keys."""
    writer: Writer
    keys: dict[str, str]
    pages: int


def _render_share(job: _Job) -> _Share | None:
    """In the helper: render the families it takes, until none is left.
    None when the stored model is not there (the build renders them all)."""
    found = job.kept.read_stored(job.output_id, job.model_key)
    if found is None:
        return None
    model, located = found
    gc.freeze()  # the model lives to the end: no collection need walk it
    planner = Planner(model.library, model.related, {}, job.site, located)  # no article pages: no bodies
    writer = Writer(Path(job.stage), Path(job.previous) if job.previous else None)
    env = make_environment(job.theme, auto_reload=False)
    renderer = PageRenderer(writer, env, job.theme, job.language, job.site, dict(job.previous_keys))
    for index in taken(_shared_counter, len(job.families)):
        for page in plan_family(job.families[index], planner):
            renderer.write(page)
    return _Share(writer, renderer.keys, renderer.pages)


class FamilyHelper:
    """The build's side: start the helper, share the families, adopt its pages."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")  # a fork would copy the build's memory and threads
        self._counter = context.Value("q", 0)
        self._pool = ProcessPoolExecutor(1, context, initializer=_start,
                                         initargs=(lifetime.lifeline(), self._counter))
        self._pool.submit(_ready)
        self._model: tuple[KeptModel, str, str] | None = None
        self._share: Future | None = None

    @classmethod
    @contextlib.contextmanager
    def for_archive(cls, articles: int) -> Iterator[FamilyHelper | None]:
        """A helper for a clean build of `articles` articles, or None where it would not pay."""
        if not HELPER_FROM <= articles <= HELPER_UP_TO or _cores() < 2:
            yield None
            return
        helper = cls()
        try:
            yield helper
        finally:
            helper.close()

    def model_stored(self, kept: KeptModel, output_id: str, model_key: str) -> None:
        """The build stored its model (KeptModel.store): the helper can read it."""
        self._model = (kept, output_id, model_key)

    def share(self, families: Sequence[Family], renderer: PageRenderer) -> Iterator[int]:
        """Offer `families` to the helper; the indexes of those the build takes
        itself, as it asks for them (all of them when the model was not stored)."""
        if self._model is None:
            return iter(range(len(families)))
        kept, output_id, model_key = self._model
        writer = renderer.writer
        job = _Job(kept, output_id, model_key, tuple(families), renderer.theme, renderer.language, renderer.site,
                   str(writer.stage), str(writer.previous) if writer.previous else None, renderer.previous_keys)
        try:
            self._share = self._pool.submit(_render_share, job)
        except BrokenProcessPool:  # lost before it took anything: the build renders them all
            return iter(range(len(families)))
        return taken(self._counter, len(families))

    def join(self, renderer: PageRenderer) -> None:
        """Wait for the helper's last families; count its pages as the build's."""
        if self._share is None:
            return
        try:
            share = self._share.result()
        except BrokenProcessPool as exc:
            raise BuildError(f"the process rendering pages beside the build stopped ({exc}): "
                             "the build is incomplete, the previous output stays") from None
        if share is not None:
            renderer.writer.adopt(share.writer)
            renderer.keys.update(share.keys)
            renderer.pages += share.pages

    def close(self) -> None:
        """Nothing left to take (a helper still rendering stops after its
        current families), and the helper gone: nothing writes into the stage
        once the build is over, however it ended."""
        with self._counter.get_lock():
            self._counter.value = _NONE_LEFT
        self._pool.shutdown(wait=True, cancel_futures=True)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
