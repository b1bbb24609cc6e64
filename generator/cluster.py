"""A Dask cluster for the work that can leave this machine (ingest's
reading, cleaning and tagging; later the article pages).

    with connect("tcp://10.0.0.5:8786") as client:   # a running scheduler
        ...
    with connect("local:4") as client:                # 4 worker processes here, stopped at the end
        ...

`check_scheduler` says what is wrong with a scheduler setting (for
site.toml's checks and the --scheduler option) without importing Dask.
"""
from __future__ import annotations

import contextlib
import logging
import re
from typing import TYPE_CHECKING, Iterator

from generator.errors import ClusterError, one_line

if TYPE_CHECKING:
    from distributed import Client

CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler before giving up
_LOCAL = re.compile(r"local:(\S*)")
# a scheduler address as `dask scheduler` prints it (tcp://host:port), or host:port
_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+]*://)?[^\s/:]+(?::\d+)?|(?:[a-z][a-z0-9+]*://)?\[[0-9a-fA-F:.]+\](?::\d+)?")


def check_scheduler(scheduler: str) -> str | None:
    """Why `scheduler` is no cluster to connect to, or None when it may be one."""
    local = _LOCAL.fullmatch(scheduler)
    if local is not None:
        count = local.group(1)
        if not count.isdigit() or int(count) < 1:
            return f"'{scheduler}': local:N needs a number of workers N of at least 1"
        return None
    if not _ADDRESS.fullmatch(scheduler):
        return (f"'{scheduler}' is not a Dask scheduler address (tcp://HOST:PORT, as `dask scheduler` "
                f"prints it) nor local:N")
    return None


@contextlib.contextmanager
def connect(scheduler: str, *, timeout: float | None = None) -> Iterator["Client"]:
    """A distributed.Client of the cluster `scheduler` names: a running
    scheduler's address, or `local:N` for a LocalCluster of N worker
    processes (one thread each, on 127.0.0.1) that is stopped at the end.
    Raises ClusterError naming the address when it is wrong or not reached
    within `timeout` seconds (default CONNECT_TIMEOUT)."""
    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    problem = check_scheduler(scheduler)
    if problem is not None:
        raise ClusterError(problem)
    local = _LOCAL.fullmatch(scheduler)
    if local is not None:
        with _local_cluster(int(local.group(1))) as client:
            yield client
        return
    from distributed import Client

    try:
        client = Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler} within {timeout:g} s "
                           f"({one_line(exc)})") from None
    with client:
        try:  # without a worker, the tasks would wait for ever
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError:
            raise ClusterError(f"the Dask scheduler at {scheduler} has no worker (none joined within "
                               f"{timeout:g} s): start some with `dask worker {scheduler}`") from None
        yield client


@contextlib.contextmanager
def _local_cluster(workers: int) -> Iterator["Client"]:
    import dask
    from distributed import Client, LocalCluster

    # a seed whose worker died twice is reported rather than tried on every worker in turn
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               # any free port on loopback: never a clash with another cluster's 8787, never outside
                               dashboard_address="127.0.0.1:0",
                               # what befalls a task, Gazette reports itself; Dask's own log lines
                               # (a heartbeat that fails while the cluster stops) would be noise
                               silence_logs=logging.CRITICAL)
    with cluster, Client(cluster) as client:
        yield client


# what a worker's plugin raises when the worker's Gazette is not the client's
OTHER_CODE = "this worker runs other Gazette code than the client: install the same version on every machine"


@contextlib.contextmanager
def plugin_on_workers(client: "Client", plugin, name: str) -> Iterator[None]:
    """The WorkerPlugin `plugin` on every worker, those that join later too,
    until the end; ClusterError when a worker cannot take it (no Gazette
    installed there, or another version)."""
    try:
        client.register_plugin(plugin, name=name)
    except Exception as exc:
        raise ClusterError(f"the cluster's workers cannot run this ingest: {one_line(exc)}") from None
    try:
        yield
    finally:
        client.unregister_worker_plugin(name)


def lost_worker_message(client: "Client") -> str:
    """What a seed whose task the scheduler gave up on is reported with:
    "the cluster lost this seed's worker twice" (the scheduler's
    allowed-failures, plus one; twice with local:N)."""
    try:
        # a lambda travels by value: the scheduler's machine needs no Gazette for it
        times = client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.allowed_failures) + 1
    except Exception:  # the count is only for the message
        times = None
    shown = {None: "more than once", 1: "once", 2: "twice"}.get(times, f"{times} times")
    return f"the cluster lost this seed's worker {shown}"
