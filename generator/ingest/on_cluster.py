"""Reading and cleaning seeds on a Dask cluster's workers.

The client reads each seed's bytes and sends them with the seed's path (so
the workers need no access to the seeds); a worker runs the same
`prepared` as a local ingest and sends back the candidate. The site's
settings and boilerplate rules reach every worker once, through a worker
plugin, not with every task. Outcomes come back in the seeds' order, with
a bounded number of seeds in flight, so memory does not grow with the
number of seeds.

A seed whose worker dies is tried again on another; one whose worker died
as many times as the scheduler allows (twice with `local:N`) is reported
as one error naming it, and the others go on.
"""
from __future__ import annotations

import os
import uuid
from collections import deque
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from distributed import WorkerPlugin
from distributed.scheduler import KilledWorker

from generator.cache import code_version
from generator.cluster import OTHER_CODE, lost_worker_message, plugin_on_workers
from generator.config import SiteConfig
from generator.errors import ClusterError, Problem, one_line
from generator.ingest.boilerplate import RuleSet
from generator.ingest.prepare import Candidate, Prepared, prepared

if TYPE_CHECKING:
    from distributed import Client, Future

SEEDS_PER_THREAD = 8  # seeds in flight per worker thread: enough to keep every worker busy

# what each worker process holds of the runs it serves, by run token (set by the plugin)
_SITES: dict[str, "SiteOnWorkers"] = {}


class SiteOnWorkers(WorkerPlugin):
    """What a worker needs to read and clean this run's seeds."""

    def __init__(self, token: str, config: SiteConfig, rules: RuleSet, option_date: str | None):
        self.token = token
        self.config = config
        self.rules = rules
        self.option_date = option_date
        self.code = code_version(__name__)  # a worker with other code would write other records

    def setup(self, worker) -> None:
        if code_version(__name__) != self.code:
            raise RuntimeError(OTHER_CODE)
        _SITES[self.token] = self

    def teardown(self, worker) -> None:
        _SITES.pop(self.token, None)


def _prepare_on_worker(token: str, path: Path, data: bytes) -> Prepared:
    site = _SITES[token]
    return prepared(path, site.config, site.rules, site.option_date, data)


def prepared_on_cluster(client: "Client", seeds: list[Path], config: SiteConfig, rules: RuleSet,
                        option_date: str | None) -> Iterator[tuple[Path, Prepared]]:
    """(seed, what reading and cleaning it gave) for every seed, in order."""
    token = uuid.uuid4().hex
    with plugin_on_workers(client, SiteOnWorkers(token, config, rules, option_date), f"gazette-ingest-{token}"):
        lost = lost_worker_message(client)
        window = max(16, SEEDS_PER_THREAD * sum(client.nthreads().values()))
        pending: deque[tuple[Path, "Future | Problem"]] = deque()
        try:
            for number, path in enumerate(seeds):
                pending.append((path, _submit(client, token, number, path, config)))
                if len(pending) >= window:
                    yield _finished(*pending.popleft(), lost)
            while pending:
                yield _finished(*pending.popleft(), lost)
        finally:
            client.cancel([sent for _, sent in pending if not isinstance(sent, Problem)])


def _submit(client: "Client", token: str, number: int, path: Path, config: SiteConfig) -> "Future | Problem":
    """The seed's bytes sent to be read and cleaned; what is wrong when they cannot be read here."""
    from generator.ingest.seeds import seed_bytes
    from generator.errors import GazetteError

    try:
        data = seed_bytes(path, config.max_bytes)
    except GazetteError as exc:
        return exc.problem
    # an absolute path: a worker's current folder is not this one
    return client.submit(_prepare_on_worker, token, Path(os.path.abspath(path)), data, retries=1,
                         key=f"gazette-prepare-{token}-{number}")


def _finished(path: Path, sent: "Future | Problem", lost: str) -> tuple[Path, Prepared]:
    if isinstance(sent, Problem):
        return path, sent
    try:
        outcome = sent.result()
    except KilledWorker:
        return path, Problem(path, f"{lost}; not read")
    except Exception as exc:  # the scheduler itself is gone: no seed can be read any more
        raise ClusterError(f"the Dask cluster failed while reading {path}: {one_line(exc)}") from None
    return path, _as_given(outcome, path)


def _as_given(outcome: Prepared, path: Path) -> Prepared:
    """The outcome naming the seed as the client named it (the worker had its absolute path)."""
    sent = Path(os.path.abspath(path))

    def named(problem: Problem) -> Problem:
        return replace(problem, path=path) if problem.path is not None and Path(problem.path) == sent else problem

    if isinstance(outcome, Problem):
        return named(outcome)
    if isinstance(outcome, Candidate):
        record = replace(outcome.record, warnings=tuple(named(p) for p in outcome.record.warnings))
        return replace(outcome, raw=replace(outcome.raw, path=path), record=record)
    return outcome
