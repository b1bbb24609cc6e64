"""The one store for everything Gazette memoises in <site>/.gazette/.

    records = Entry(cache_dir, "records", code="generator.records")
    parsed = records.read(default={})          # the value, or the default
    records.write(parsed)                      # atomic

    shards = Shelf(cache_dir, "search", code="generator.site.search", extra=pagefind_version)
    bundle = shards.get(key)                   # None when missing
    shards.put(key, bundle)
    shards.keep_only(current_keys)

Every value is stored with a version: a hash of the source of the modules
it depends on — the module named by `code` and, transitively, every
Gazette module it imports (found by reading their imports, so no list is
kept by hand) — plus `extra` (library versions, rules, …). A value written
by other code, a truncated file or one that does not unpickle reads as
missing, and the caller recomputes it. Writes go to a temporary file in the
same folder, then are renamed over the old one, so a reader never sees
half a value.
"""
from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import importlib.metadata
import importlib.util
import os
import pickle
import re
import tempfile
from pathlib import Path
from typing import Any, Iterable

PACKAGE = "generator"


# ---------------------------------------------------------------- versions

def library_versions(*dists: str) -> str:
    """"jinja2 3.1.4, …": the installed versions of the libraries a memo's
    bytes also depend on (an absent one is left out), for `code_version`'s extra."""
    versions = []
    for dist in dists:
        try:
            versions.append(f"{dist} {importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            pass
    return ", ".join(versions)


def code_version(*modules: str, extra: str = "") -> str:
    """A hash of the source of `modules` and of every Gazette module they import, with `extra`."""
    digest = hashlib.sha256(extra.encode("utf-8"))
    for name in sorted(set().union(*(_closure(module) for module in modules))):
        digest.update(name.encode() + b"\0" + _source(name))
    return digest.hexdigest()[:32]


@functools.cache
def _closure(module: str) -> frozenset[str]:
    """`module` and every Gazette module reachable through its imports. A
    package's __init__ counts only where it is imported for a name of its
    own: what it merely re-exports changes nothing for its submodules."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen or _origin(name) is None:
            continue
        seen.add(name)
        todo.extend(_imports(name))
    return frozenset(seen)


@functools.cache
def _origin(name: str) -> Path | None:
    """The source file of a Gazette module, found on disk (importlib's
    find_spec would import its parents to look)."""
    if name != PACKAGE and not name.startswith(PACKAGE + "."):
        return None
    path = _package_root().joinpath(*name.split(".")[1:])
    for candidate in (path.with_name(path.name + ".py") if name != PACKAGE else None, path / "__init__.py"):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


@functools.cache
def _package_root() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    return Path(spec.origin).parent


@functools.cache
def _source(name: str) -> bytes:
    return _origin(name).read_bytes()


# import statements, at a line's start (also inside functions); a regular
# expression rather than ast.parse: parsing every module took 0.4 s a build.
# Text in a docstring that looks like an import only adds a dependency.
_FROM_IMPORT = re.compile(r"^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n]*)", re.MULTILINE)


def _imports(name: str) -> list[str]:
    """The Gazette modules `name` imports, at its top or inside a function."""
    source = _source(name).decode("utf-8")
    found: list[str] = []
    for statement in _IMPORT.finditer(source):
        found += [_bare(part).split(" ")[0] for part in statement.group(1).split(",")]
    for statement in _FROM_IMPORT.finditer(source):
        module = statement.group(1)
        for part in statement.group(2).strip("()").split(","):
            imported = _bare(part).split(" ")[0]
            if not imported:
                continue
            # `from pkg import submodule` needs the submodule, not pkg
            submodule = f"{module}.{imported}"
            found.append(submodule if _origin(submodule) is not None else module)
    return [module for module in found if module == PACKAGE or module.startswith(PACKAGE + ".")]


def _bare(part: str) -> str:
    """One imported name without comments, line breaks or parentheses."""
    return " ".join(line.split("#", 1)[0] for line in part.splitlines()).strip(" ()\\")


# ---------------------------------------------------------------- where

def machine_cache_dir() -> Path | None:
    """The folder for what depends only on the installed packages, not on a
    site (the gazetteer's tables): shared by every site and every cold build
    of this machine. $GAZETTE_CACHE_HOME, else $XDG_CACHE_HOME/gazette, else
    ~/.cache/gazette; GAZETTE_CACHE_HOME set empty turns it off (then each
    site's own .gazette/ holds those values too)."""
    chosen = os.environ.get("GAZETTE_CACHE_HOME")
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    try:
        return (Path(xdg) if xdg else Path.home() / ".cache") / "gazette"
    except RuntimeError:  # no home folder known
        return None


# ---------------------------------------------------------------- storage

def _read(path: Path, version: str) -> tuple[bool, Any]:
    """(True, value) when `path` holds a value of this version, else (False, None)."""
    try:
        with path.open("rb") as handle:
            stored_version, value = pickle.load(handle)
    except Exception:  # missing, truncated, or from other code: recompute
        return False, None
    return (True, value) if stored_version == version else (False, None)


def _write(path: Path, version: str, value: Any) -> bool:
    """Store a value, and say whether it was stored; a cache that cannot be
    written (a full disk, a read-only folder) only costs time on the next
    run, so that is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((version, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return True
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return False
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Entry:
    """One memoised value, `<cache_dir>/<name>.pickle`."""

    def __init__(self, cache_dir: Path, name: str, *, code: str | Iterable[str], extra: str = ""):
        self.path = Path(cache_dir) / f"{name}.pickle"
        self.version = code_version(*([code] if isinstance(code, str) else code), extra=extra)

    def read(self, default: Any = None) -> Any:
        found, value = _read(self.path, self.version)
        return value if found else default

    def write(self, value: Any) -> bool:
        return _write(self.path, self.version, value)


class Shelf:
    """Many memoised values of one kind, each under its own key (a hex
    digest), `<cache_dir>/<name>/<key[:2]>/<key>.pickle`."""

    def __init__(self, cache_dir: Path, name: str, *, code: str | Iterable[str], extra: str = ""):
        self.folder = Path(cache_dir) / name
        self.version = code_version(*([code] if isinstance(code, str) else code), extra=extra)

    def _path(self, key: str) -> Path:
        if not key or not all(c in "0123456789abcdef" for c in key):
            raise ValueError(f"a cache key is a hex digest, not {key!r}")
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> Any:
        """The value stored under `key`, or None."""
        return _read(self._path(key), self.version)[1]

    def put(self, key: str, value: Any) -> None:
        _write(self._path(key), self.version, value)

    def is_empty(self) -> bool:
        """No value at all (a new site, or `rm -rf .gazette`)."""
        return not any(self._files())

    def keep_only(self, keys: Iterable[str]) -> None:
        """Delete every value whose key is not in `keys`."""
        wanted = {f"{key}.pickle" for key in keys}
        for path in list(self._files()):
            if path.name not in wanted:
                with contextlib.suppress(OSError):
                    path.unlink()

    def _files(self) -> Iterable[Path]:
        try:
            yield from self.folder.glob("*/*.pickle")
        except OSError:
            return
