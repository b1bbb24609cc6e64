"""How a command talks to a person: messages on stderr, results on stdout,
a progress bar only on a terminal, colours off with NO_COLOR.

Two jobs, two classes: a ProblemLog collects the problems of a run (the exit
code depends on them), a Terminal prints. A Reporter decides, by -q and -v,
what of each message reaches the Terminal, and logs every problem.
"""
from __future__ import annotations

import copy
import os
import sys
from typing import Iterable, Iterator, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from generator.errors import Problem, escaped, internal_problem

T = TypeVar("T")


class ProblemLog:
    """The problems one run found, in the order they were reported."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]


class Terminal:
    """Prints: results on stdout, everything else on stderr."""

    def __init__(self) -> None:
        no_color = bool(os.environ.get("NO_COLOR"))
        self._err = Console(stderr=True, no_color=no_color, highlight=False, soft_wrap=True)
        self._out = Console(no_color=no_color, highlight=False, soft_wrap=True)

    def result(self, text: str) -> None:
        self._out.print(text, markup=False)

    def message(self, text: str, style: str | None = None) -> None:
        self._err.print(text, markup=False, style=style)

    def progress_bar(self, label: str) -> Progress:
        columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        return Progress(*columns, console=self._err, transient=True)


class Reporter:
    def __init__(self, quiet: bool = False, verbose: bool = False, debug: bool = False):
        self.quiet = quiet
        self.verbose = verbose
        self.show_tracebacks = debug  # --debug
        self.terminal = Terminal()
        self.log = ProblemLog()

    def new_run(self) -> "Reporter":
        """The same output with an empty problem log, for one run of several
        (`gazette serve` rebuilds: a fixed failure must not fail the command)."""
        run = copy.copy(self)
        run.log = ProblemLog()
        return run

    # results (stdout)
    def result(self, message: str) -> None:
        if not self.quiet:
            self.terminal.result(escaped(message))  # a file name in it cannot forge a line

    # messages (stderr)
    def info(self, message: str) -> None:
        if not self.quiet:
            self.terminal.message(escaped(message))

    def debug(self, message: str) -> None:
        if self.verbose:
            self.terminal.message(escaped(message), style="dim")

    def warn(self, problem: Problem) -> None:
        problem = Problem(problem.path, problem.message, problem.line, "warning")
        self.log.add(problem)
        if not self.quiet:
            self.terminal.message(f"warning: {problem}", style="yellow")

    def error(self, problem: Problem) -> None:
        self.log.add(problem)
        # errors are shown even with -q
        self.terminal.message(f"error: {problem}", style="bold red")

    def internal_error(self, details: str) -> None:
        """A bug, not bad input: its traceback, for the bug report; shown only
        with --debug (even with -q), the error line says how to see it."""
        if self.show_tracebacks:
            self.terminal.message(details)

    def bug(self, path, doing: str, error: str, details: str) -> None:
        """One error line for a bug met while `doing` something to the file
        `path` (`error`: "ValueError: …"), and its traceback with --debug."""
        self.error(internal_problem(path, doing, error))
        self.internal_error(details)

    def print_problem_count(self) -> None:
        """The closing line of a failed command: how many errors (and warnings)."""
        warnings = len(self.warnings)
        tail = f", {warnings} warning(s)" if warnings else ""
        self.terminal.message(f"{len(self.errors)} problem(s){tail}", style="bold red")

    @property
    def problems(self) -> list[Problem]:
        return self.log.problems

    @property
    def errors(self) -> list[Problem]:
        return self.log.errors

    @property
    def warnings(self) -> list[Problem]:
        return self.log.warnings

    def progress(self, items: Iterable[T], total: int, label: str, threshold: int = 20) -> Iterator[T]:
        """Iterate with a progress bar when there are many items and stderr is a terminal."""
        if self.quiet or total < threshold or not sys.stderr.isatty():
            yield from items
            return
        with self.terminal.progress_bar(label) as bar:
            task = bar.add_task(label, total=total)
            for item in items:
                yield item
                bar.advance(task)


class SilentReporter(Reporter):
    """For tests and the library API: collects problems and messages, prints nothing."""

    def __init__(self):
        super().__init__(quiet=True)
        self.messages: list[str] = []

    def info(self, message: str) -> None:
        self.messages.append(message)

    def result(self, message: str) -> None:
        self.messages.append(message)

    def error(self, problem: Problem) -> None:
        self.log.add(problem)

    def internal_error(self, details: str) -> None:
        self.messages.append(details)
