"""Worker processes die with the process that started them, however it ends:
even SIGKILL, which runs no cleanup code at all.

A process that starts workers keeps the write end of one pipe (its
lifeline) and never writes to it; each worker gets the read end and a
thread that waits on it. The wait ends (end of file) only once no process
holds the write end any more — once the parent is gone, whatever killed
it — and the worker then exits at once. Its own children (Pagefind) see
their input close and exit too.

A pipe rather than Linux's prctl(PR_SET_PDEATHSIG): that signal is sent
when the *thread* that started the worker ends (the preview and the build
start pools from several threads), it is Linux only, and it must be set
again in every process a worker forks. The pipe works with the fork and
spawn start methods alike (multiprocessing passes its read end to a spawned
worker like any Connection), and a forked worker's own forks inherit it.

    ProcessPoolExecutor(n, context, initializer=lifetime.die_with_parent,
                        initargs=(lifetime.lifeline(),))
    multiprocessing.Process(target=lifetime.tied_to_parent(work), …)
"""
from __future__ import annotations

import functools
import multiprocessing
import os
import threading
from multiprocessing.connection import Connection
from typing import Any, Callable

_EXIT_STATUS = 70  # EX_SOFTWARE: the parent vanished, the work is lost

_lock = threading.Lock()
_ends: tuple[Connection, Connection] | None = None  # this process's lifeline: (read end, write end)
_watched: Connection | None = None  # the lifeline this worker waits on


def lifeline() -> Connection:
    """The read end of this process's lifeline, to hand to the workers it starts."""
    global _ends
    with _lock:
        if _ends is None:
            _ends = multiprocessing.Pipe(duplex=False)  # not inherited by exec'd programs
        return _ends[0]


def die_with_parent(lifeline: Connection) -> None:
    """In a worker (a pool's initializer): exit as soon as the process that
    handed out `lifeline` is gone."""
    global _watched
    _watched = lifeline
    threading.Thread(target=_exit_at_end_of, args=(lifeline,), name="gazette-lifeline", daemon=True).start()


def tied_to_parent(target: Callable[..., Any]) -> Callable[..., Any]:
    """`target`, to run in a worker process that dies with this one."""
    return functools.partial(_run_tied, lifeline(), target)


def _run_tied(lifeline: Connection, target: Callable[..., Any], *args, **kwargs) -> Any:
    die_with_parent(lifeline)
    return target(*args, **kwargs)


def _exit_at_end_of(lifeline: Connection) -> None:
    try:
        lifeline.poll(None)  # nothing is ever sent: this returns at end of file
    except OSError:
        pass
    os._exit(_EXIT_STATUS)


def _after_fork_in_child() -> None:
    """A forked child must not keep its parent's write end (the pipe would never
    reach its end while the child lives), and gets its own lifeline for the
    workers it starts; threads do not survive a fork: a worker's watch is
    started again in what it forks."""
    global _ends, _lock
    _lock = threading.Lock()  # another thread may have held it during the fork
    if _ends is not None:
        _ends[1].close()
        _ends = None
    if _watched is not None:
        die_with_parent(_watched)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
