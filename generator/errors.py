"""The error hierarchy. Every problem carries its location and is shown as
`path:line: message` (no traceback unless --debug)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with where it is."""

    path: Path | str | None
    message: str
    line: int | None = None
    level: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where_path = _shown(self.path)
            where = f"{where_path}:{self.line}: " if self.line else f"{where_path}: "
        return f"{where}{escaped(self.message)}"


def _shown(path: Path | str) -> str:
    """A path as a person would type it: relative to the current folder when inside it."""
    try:
        # links not resolved: a message names the link a person sees, not where it leads
        return escaped(Path(os.path.abspath(path)).relative_to(Path.cwd()).as_posix())
    except (ValueError, OSError):
        return escaped(str(path))


def shown_path(path: Path | str) -> str:
    """A path for an info or result line: escaped, as in a Problem."""
    return escaped(str(path))


def escaped(text: str) -> str:
    """`text` with control characters (a newline in a file name…) shown as
    escapes: a name cannot forge another line of output or move the cursor."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def one_line(exc: BaseException) -> str:
    """"ValueError: its message's first line": an exception, for one error line."""
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}".rstrip(": ")


def internal_problem(path: Path | str | None, doing: str, error: str) -> Problem:
    """A bug in Gazette (an exception that is no GazetteError), met while
    `doing` something to `path`: said as such, with how to learn more."""
    return Problem(path, f"internal error while {doing}: {error} — run again with --debug to see the traceback")


class GazetteError(Exception):
    """Base of every error Gazette reports to a person."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    @property
    def problem(self) -> Problem:
        return Problem(self.path, self.message, self.line)

    def __reduce__(self):  # keep path and line when it crosses to another process
        return (type(self), (self.message, self.path, self.line))

    def __str__(self) -> str:
        return str(self.problem)


class ConfigError(GazetteError):
    """site.toml or entities.toml is wrong."""


class InputError(GazetteError):
    """A seed cannot be read or has nothing usable in it."""


class RecordError(GazetteError):
    """A record in content/ has broken front matter or a wrong field."""


class BuildError(GazetteError):
    """The site cannot be built (template error, collision, output folder refused)."""


class ClusterError(GazetteError):
    """The Dask cluster named by --scheduler cannot be reached, or is no cluster address."""


class ProblemsFound(GazetteError):
    """A run finished with problems; all of them were reported."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = sum(p.level == "error" for p in problems)
        super().__init__(f"{errors} problem(s) found")

    def __reduce__(self):
        return (type(self), (self.problems,))
