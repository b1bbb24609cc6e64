"""Worker processes that analyse large batches. The first one loads the
language's model, then forks the others, which share the loaded model; all
take chunks of texts from a shared queue and do all of an article's own
work — the model's entity spans, the canonical tags (stored in the cache),
the mentioned dates — sending back only the results.

They start at a batch's first cache miss, while the main process is still
reading and cleaning the other seeds, so loading the model overlaps that
work, and nothing but small results crosses between processes (spaCy's own
`n_process` sends every Doc back to be deserialised by the main process).
The model's output does not depend on how texts are grouped into batches,
so the tags are the ones a single process finds.

POSIX only (fork): elsewhere the Enricher analyses in its own process.
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import traceback
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from generator import lifetime

CHUNK = 64  # texts per task, the batch size nlp.pipe is given
_POLL = 1.0  # seconds between checks that the parent process is still there


@dataclass(frozen=True)
class Task:
    number: int
    lang: str
    items: tuple[tuple[int, str, str, Any], ...]  # (index, cache key, analysed text, published)


class Unavailable(Exception):
    """The language's model cannot be loaded in the worker."""


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class Pool:
    """`processes` workers; `analyse(lang, items)` runs in them and returns a
    picklable result, or raises `Unavailable` when the language's model
    cannot be loaded; `analyse(lang, ())` loads the model."""

    def __init__(self, processes: int, first_lang: str, analyse: Callable[[str, tuple], Any]):
        ctx = multiprocessing.get_context("fork")
        self._tasks = ctx.Queue()
        self._results = ctx.Queue()
        self._sent = 0
        self._closing = False
        self._processes = processes
        self._first = ctx.Process(target=lifetime.tied_to_parent(_first_worker),
                                  args=(analyse, first_lang, processes - 1, self._tasks, self._results),
                                  daemon=True, name="gazette-enrich")
        self._first.start()

    def submit(self, lang: str, items: list[tuple[int, str, str, Any]]) -> None:
        self._tasks.put(Task(self._sent, lang, tuple(items)))
        self._sent += 1

    def results(self) -> Iterator[tuple[str, Any]]:
        """(status, payload) of every task submitted, in the order they finish:
        ("ok", result), ("unavailable", (lang, reason)); a worker's failure
        raises RuntimeError with its traceback."""
        if self._sent == 0:  # started ahead, nothing came: no need to wait for the model
            self.close()
            return
        for _ in range(self._processes):
            self._tasks.put(None)
        self._closing = True
        for _ in range(self._sent):
            while True:
                try:
                    status, payload = self._results.get(timeout=_POLL)
                    break
                except queue.Empty:
                    if not self._first.is_alive():
                        raise RuntimeError("the enrichment worker processes stopped unexpectedly") from None
            if status == "error":
                raise RuntimeError(f"an enrichment worker failed:\n{payload}")
            yield status, payload
        self.close()

    def close(self) -> None:
        """Wait for the workers once they have their work; stop them at once otherwise."""
        if self._closing:
            self._first.join(timeout=10)
        if self._first.is_alive():
            self._first.terminate()  # the workers it forked notice and stop
            self._first.join()


def _first_worker(analyse, lang: str, others: int, tasks, results) -> None:
    main = os.getppid()
    try:
        analyse(lang, ())  # load the model while the main process still reads seeds
    except Unavailable:
        pass  # the tasks of that language report it
    except BaseException:
        results.put(("error", traceback.format_exc()))
        return
    me = os.getpid()
    children = []
    for _ in range(others):
        pid = os.fork()  # shares the loaded model, copy on write
        if pid == 0:
            code = 0
            try:
                _serve(analyse, tasks, results, me)
                results.close()
                results.join_thread()  # what was put is sent before the process ends
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        children.append(pid)
    try:
        _serve(analyse, tasks, results, main)
    finally:
        for pid in children:
            os.waitpid(pid, 0)


def _serve(analyse, tasks, results, parent: int) -> None:
    while True:
        try:
            task = tasks.get(timeout=_POLL)
        except queue.Empty:
            if os.getppid() != parent:
                return  # the process that started this one is gone
            continue
        except (KeyboardInterrupt, EOFError, OSError):
            return
        if task is None:
            return
        try:
            results.put(("ok", analyse(task.lang, task.items)))
        except Unavailable as exc:
            results.put(("unavailable", (task.lang, str(exc))))
        except KeyboardInterrupt:
            return
        except BaseException:
            results.put(("error", traceback.format_exc()))
