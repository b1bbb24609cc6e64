"""Tagging on a Dask cluster's workers, behind workers.Pool's interface
(submit, results, close), so that an EnrichBatch uses either.

Each worker process builds one Enricher per run, from the site's settings
and alias table sent once through a worker plugin (a worker cannot read
the site's entities.toml), and loads a language's model once for the run;
its analyses are serialised (one spaCy pipeline is not shared between
threads), so a worker is best started with one thread (`dask worker
--nthreads 1`). The worker stores nothing: the results come back and are
stored in the client's cache. A worker whose installed model is not the
one the client's cache keys name refuses the work, as a model that cannot
be loaded (one warning), rather than give other tags under those keys.

A chunk whose worker died is tried again on another; one whose worker died
as many times as the scheduler allows is sent again article by article, and
an article whose own task meets the same fate gets an EnrichFailure that
says so (no bug); the others go on. Those articles are sent one at a time:
the scheduler counts a worker's death against every task it held, so an
article waiting beside the one at fault would be lost with it.
"""
from __future__ import annotations

import contextlib
import threading
import uuid
from collections import deque
from typing import TYPE_CHECKING, Any, Callable, Iterator

from distributed import WorkerPlugin, as_completed, get_worker
from distributed.scheduler import KilledWorker

from generator.cache import code_version
from generator.cluster import OTHER_CODE, lost_worker_message, plugin_on_workers
from generator.config import SiteConfig
from generator.enrich import EnrichFailure, Enricher, Miss, workers
from generator.enrich.aliases import AliasTable
from generator.enrich.cache import EnrichCache
from generator.enrich.entities import ModelInfo, installed_model
from generator.errors import one_line
from generator.report import SilentReporter

if TYPE_CHECKING:
    from distributed import Client, Future

# what each worker process holds of the runs it serves, by run token (set by the plugin)
_RUNS: dict[str, "EnricherOnWorkers"] = {}
_ONE_AT_A_TIME = threading.Lock()


class EnricherOnWorkers(WorkerPlugin):
    """What a worker needs to tag this run's articles; its Enricher, built on first use."""

    def __init__(self, token: str, config: SiteConfig, aliases: AliasTable):
        self.token = token
        self.config = config
        self.aliases = aliases
        self.code = code_version(__name__)  # a worker with other code would give other tags
        self._enricher: Enricher | None = None

    def setup(self, worker) -> None:
        if code_version(__name__) != self.code:
            raise RuntimeError(OTHER_CODE)
        _RUNS[self.token] = self

    def teardown(self, worker) -> None:
        _RUNS.pop(self.token, None)  # the loaded model with it

    def enricher(self) -> Enricher:
        if self._enricher is None:
            self._enricher = Enricher(self.config, SilentReporter(), processes=1, aliases=self.aliases,
                                      keeps_cache=False)
        return self._enricher


def _analyse_on_worker(token: str, lang: str, model: ModelInfo, items: tuple[Miss, ...]) -> tuple[str, Any]:
    """("ok", [(index, tags or EnrichFailure)]) or ("unavailable", (lang, why))."""
    here = installed_model(model.name)
    if here != model:
        found = "not installed" if here is None else f"version {here.version}, not {model.version},"
        return "unavailable", (lang, f"{found} on the cluster's worker {get_worker().address}")
    with _ONE_AT_A_TIME:
        try:
            return "ok", _RUNS[token].enricher().analyse_in_worker(lang, items)
        except workers.Unavailable as exc:
            return "unavailable", (lang, f"{exc} on the cluster's worker {get_worker().address}")


class ClusterPool:
    """Chunks of cache misses analysed by the cluster's workers; their tags
    stored in `cache` as they come back."""

    def __init__(self, client: "Client", config: SiteConfig, aliases: AliasTable, cache: EnrichCache,
                 model_of: Callable[[str], ModelInfo | None]):
        self._client = client
        self._cache = cache
        self._model_of = model_of
        self._token = uuid.uuid4().hex
        self._plugin = contextlib.ExitStack()  # the plugin's registration, undone by close()
        self._plugin.enter_context(plugin_on_workers(client, EnricherOnWorkers(self._token, config, aliases),
                                                     f"gazette-enrich-{self._token}"))
        self._lost = lost_worker_message(client)
        self._sent: dict["Future", tuple[str, tuple[Miss, ...]]] = {}  # (lang, items), no result yet
        self._submitted = 0
        self._open = True

    def submit(self, lang: str, items: list[Miss]) -> "Future":
        items = tuple(items)
        future = self._client.submit(_analyse_on_worker, self._token, lang, self._model_of(lang), items,
                                     retries=1, key=f"gazette-tag-{self._token}-{self._submitted}")
        self._sent[future] = (lang, items)
        self._submitted += 1
        return future

    def results(self) -> Iterator[tuple[str, Any]]:
        """(status, payload) of every chunk submitted, in the order they finish:
        ("ok", [(index, analysis)]), ("unavailable", (lang, reason)); a
        cluster that fails otherwise raises RuntimeError."""
        alone: deque[tuple[str, Miss]] = deque()  # articles to send one at a time, after a lost chunk
        in_flight: "Future | None" = None  # the one of them sent
        try:
            finished = as_completed(list(self._sent))
            for future in finished:
                lang, items = self._sent.pop(future)
                if future is in_flight:
                    in_flight = None
                try:
                    outcome = future.result()
                except KilledWorker:
                    outcome = None
                except Exception as exc:
                    raise RuntimeError(f"the Dask cluster failed while tagging: {one_line(exc)}") from None
                if outcome is None and len(items) > 1:  # sent again one by one: only the article at fault is lost
                    alone.extend((lang, item) for item in items)
                if alone and in_flight is None:
                    lang_alone, item = alone.popleft()
                    in_flight = self.submit(lang_alone, [item])
                    finished.add(in_flight)
                if outcome is None:
                    if len(items) == 1:
                        yield "ok", [(items[0][0], EnrichFailure(self._lost, "", bug=False))]
                    continue
                status, payload = outcome
                if status == "ok":
                    self._store(items, payload)
                yield status, payload
        finally:
            self.close()

    def close(self) -> None:
        if not self._open:
            return
        self._open = False
        self._client.cancel(list(self._sent))
        self._sent.clear()
        self._plugin.close()

    def _store(self, items: tuple[Miss, ...], analyses: list) -> None:
        keys = {i: key for i, key, *_ in items}
        for i, analysis in analyses:
            if not isinstance(analysis, EnrichFailure):
                self._cache.store(keys[i], analysis)
