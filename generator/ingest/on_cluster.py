"""Reading and cleaning seeds on a Dask cluster's workers.

The client reads each seed's bytes and sends them with the seed's path (so
the workers need no access to the seeds), a few seeds a task; a worker runs
the same `prepared` as a local ingest and sends back the candidates. The
site's settings and boilerplate rules reach every worker once, through a
worker plugin, not with every task. Outcomes come back in the seeds' order,
with a bounded number of tasks in flight, so memory does not grow with the
number of seeds.

A task whose worker dies is tried again on another; one whose worker died
as many times as the scheduler allows (twice with `local:N`) is sent again
seed by seed, and a seed whose own task meets the same fate is reported as
one error naming it; the others go on.
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
from generator.errors import ClusterError, GazetteError, Problem, one_line
from generator.ingest.boilerplate import RuleSet
from generator.ingest.prepare import Candidate, Prepared, prepared
from generator.ingest.seeds import seed_bytes

if TYPE_CHECKING:
    from distributed import Client, Future

SEEDS_PER_TASK = 8  # seeds read and cleaned by one task: the scheduler's cost is per task
BYTES_PER_TASK = 4_000_000  # … unless they are large
TASKS_PER_THREAD = 4  # tasks in flight per worker thread: enough to keep every worker busy

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


def _prepare_on_worker(token: str, seeds: list[tuple[Path, bytes]]) -> list[Prepared]:
    site = _SITES[token]
    return [prepared(path, site.config, site.rules, site.option_date, data) for path, data in seeds]


# a seed as the client holds it: its path, and its bytes or why they cannot be read
Held = tuple[Path, "bytes | Problem"]


class _Task:
    """Some consecutive seeds sent as one task (fewer tasks: the scheduler's
    cost is per task); a task whose worker the cluster gave up on is sent
    again seed by seed, so that only the seed at fault is lost."""

    def __init__(self, client: "Client", token: str, held: list[Held]):
        self.client, self.token, self.held = client, token, held
        self.future = self._submit(held)

    def _submit(self, held: list[Held]) -> "Future | None":
        # absolute paths: a worker's current folder is not this one
        sent = [(Path(os.path.abspath(path)), data) for path, data in held if not isinstance(data, Problem)]
        if not sent:
            return None
        return self.client.submit(_prepare_on_worker, self.token, sent, retries=1,
                                  key=f"gazette-prepare-{self.token}-{uuid.uuid4().hex[:12]}")

    def outcomes(self, lost: str) -> Iterator[tuple[Path, Prepared]]:
        """(seed, outcome) of each of its seeds, in order."""
        try:
            done = iter(self.future.result() if self.future is not None else ())
        except KilledWorker:
            yield from self._one_by_one(lost)
            return
        except Exception as exc:  # the scheduler itself is gone: no seed can be read any more
            raise ClusterError(f"the Dask cluster failed while reading {self.held[0][0]}: {one_line(exc)}") from None
        for path, data in self.held:
            yield path, data if isinstance(data, Problem) else _as_given(next(done), path)

    def _one_by_one(self, lost: str) -> Iterator[tuple[Path, Prepared]]:
        if len([1 for _, data in self.held if not isinstance(data, Problem)]) == 1:
            for path, data in self.held:
                yield path, data if isinstance(data, Problem) else Problem(path, f"{lost}; not read")
            return
        for one in self.held:  # one at a time: a worker's death counts against every task it held
            yield from _Task(self.client, self.token, [one]).outcomes(lost)

    def cancel(self) -> None:
        if self.future is not None:
            self.future.cancel()


def prepared_on_cluster(client: "Client", seeds: list[Path], config: SiteConfig, rules: RuleSet,
                        option_date: str | None) -> Iterator[tuple[Path, Prepared]]:
    """(seed, what reading and cleaning it gave) for every seed, in order."""
    token = uuid.uuid4().hex
    with plugin_on_workers(client, SiteOnWorkers(token, config, rules, option_date), f"gazette-ingest-{token}"):
        lost = lost_worker_message(client)
        window = max(4, TASKS_PER_THREAD * sum(client.nthreads().values()))
        pending: deque[_Task] = deque()
        try:
            for held in _held_in_groups(seeds, config.max_bytes):
                pending.append(_Task(client, token, held))
                if len(pending) >= window:
                    yield from pending.popleft().outcomes(lost)
            while pending:
                yield from pending.popleft().outcomes(lost)
        finally:
            for task in pending:
                task.cancel()


def _held_in_groups(seeds: list[Path], max_bytes: int) -> Iterator[list[Held]]:
    """The seeds read here, in groups of SEEDS_PER_TASK at most, and of about
    BYTES_PER_TASK; a seed that cannot be read is held with its problem."""
    group: list[Held] = []
    size = 0
    for path in seeds:
        try:
            data = seed_bytes(path, max_bytes)
        except GazetteError as exc:
            group.append((path, exc.problem))
        else:
            group.append((path, data))
            size += len(data)
        if len(group) >= SEEDS_PER_TASK or size >= BYTES_PER_TASK:
            yield group
            group, size = [], 0
    if group:
        yield group


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
