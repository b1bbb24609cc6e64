"""How a command talks to a person: messages on stderr, results on stdout,
a progress bar only on a terminal, colours off with NO_COLOR."""
from __future__ import annotations

import os
import sys
from typing import Iterable, Iterator, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from generator.errors import Problem

T = TypeVar("T")


class Reporter:
    def __init__(self, quiet: bool = False, verbose: bool = False):
        self.quiet = quiet
        self.verbose = verbose
        no_color = bool(os.environ.get("NO_COLOR"))
        self.err = Console(stderr=True, no_color=no_color, highlight=False, soft_wrap=True)
        self.out = Console(no_color=no_color, highlight=False, soft_wrap=True)
        self.problems: list[Problem] = []

    # results (stdout)
    def result(self, message: str) -> None:
        if not self.quiet:
            self.out.print(message, markup=False)

    # messages (stderr)
    def info(self, message: str) -> None:
        if not self.quiet:
            self.err.print(message, markup=False)

    def debug(self, message: str) -> None:
        if self.verbose:
            self.err.print(message, markup=False, style="dim")

    def warn(self, problem: Problem) -> None:
        problem = Problem(problem.path, problem.message, problem.line, "warning")
        self.problems.append(problem)
        if not self.quiet:
            self.err.print(f"warning: {problem}", markup=False, style="yellow")

    def error(self, problem: Problem) -> None:
        self.problems.append(problem)
        # errors are shown even with -q
        self.err.print(f"error: {problem}", markup=False, style="bold red")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    def progress(self, items: Iterable[T], total: int, label: str, threshold: int = 20) -> Iterator[T]:
        """Iterate with a progress bar when there are many items and stderr is a terminal."""
        if self.quiet or total < threshold or not sys.stderr.isatty():
            yield from items
            return
        columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=self.err, transient=True) as bar:
            task = bar.add_task(label, total=total)
            for item in items:
                yield item
                bar.advance(task)


class SilentReporter(Reporter):
    """For tests and the library API: collects problems, prints nothing."""

    def __init__(self):
        super().__init__(quiet=True)
        self.messages: list[str] = []

    def info(self, message: str) -> None:
        self.messages.append(message)

    def result(self, message: str) -> None:
        self.messages.append(message)

    def error(self, problem: Problem) -> None:
        self.problems.append(problem)
