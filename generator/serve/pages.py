"""Where the preview's pages come from.

A PageSource answers a site path ("articles/x/index.html", "feed.xml",
"static/style.css", "pagefind/…") with the bytes `gazette build` writes
there, or None. The HTTP server (http.py) only turns URLs into site paths and
asks its source; what is behind it may be the built folder (BuiltFolder),
pages rendered from a model of the site in memory, or one over the other
(LayeredSource).

A site path is relative, separated by `/`, with no empty, `.` or `..`
segment, no backslash and no NUL: `is_site_path` says so, and every source
here answers None to anything else.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol
from urllib.parse import unquote


# the page a request for a missing address gets (views.not_found_page)
NOT_FOUND_PAGE = "404.html"


class PageSource(Protocol):
    def read(self, site_path: str) -> bytes | None:
        """The bytes `gazette build` writes at `site_path`, or None."""
        ...


def is_site_path(site_path: str) -> bool:
    """True for a path a source may be asked for (nothing that could climb out)."""
    if not site_path or "\\" in site_path or "\x00" in site_path:
        return False
    return all(part not in ("", ".", "..") for part in site_path.split("/"))


class UnsafePath(ValueError):
    """A URL path that is not one of the site's (it could reach outside it)."""


def site_path_of(target: str) -> str:
    """The site path a request target names, percent-decoded, without its
    query, fragment and empty segments: "/articles/x/?q=1" → "articles/x",
    "/" → "". Raises UnsafePath for anything that could reach outside the site."""
    if not target.startswith("/") or target.startswith("//"):
        raise UnsafePath("only paths starting with a single / are served")
    raw = target.split("#", 1)[0].split("?", 1)[0]
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        raise UnsafePath("the path is not UTF-8") from None
    # a second decoding must not reveal anything a first one would refuse:
    # some tool along the way may decode again
    for candidate in (path, unquote(path, errors="replace")):
        if "\\" in candidate or "\x00" in candidate:
            raise UnsafePath("backslashes and NUL are not allowed in paths")
        if any(part in (".", "..") for part in candidate.split("/")):
            raise UnsafePath("dot segments are not allowed in paths")
    return "/".join(part for part in path.split("/") if part)


def page_of(target: str) -> str:
    """The site path of the page a browser shows at `target`: a folder's URL
    ("/articles/x/", "/") shows its index.html. Raises UnsafePath."""
    path = site_path_of(target)
    if not path:
        return "index.html"
    folder = target.split("#", 1)[0].split("?", 1)[0].endswith("/")
    return f"{path}/index.html" if folder else path


def file_inside(root: Path, site_path: str) -> Path | None:
    """The real path `site_path` names inside `root` (it may not exist), or None
    when it leads outside, e.g. through a symlink; "" names the root itself."""
    real_root = os.path.realpath(root)
    parts = [part for part in site_path.split("/") if part]
    real = os.path.realpath(os.path.join(real_root, *parts))
    if real != real_root and not real.startswith(real_root + os.sep):
        return None
    return Path(real)


def read_regular_file(path: Path) -> bytes | None:
    """The bytes of a regular file, or None. The file is opened before it is
    read, so its bytes stay readable if a build swaps the folder out meanwhile;
    O_NONBLOCK so that a FIFO cannot hang the request."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a folder, a FIFO, a device
            os.close(fd)
            return None
    except OSError:
        os.close(fd)
        return None
    with open(fd, "rb") as file:
        return file.read()


@dataclass(frozen=True)
class BuiltFolder:
    """The files of the output folder, `root()` asked on every read (the
    config, hence the folder, may change between two builds)."""

    root: Callable[[], Path]

    def read(self, site_path: str) -> bytes | None:
        if not is_site_path(site_path):
            return None
        path = file_inside(self.root(), site_path)
        return None if path is None else read_regular_file(path)


@dataclass(frozen=True)
class LayeredSource:
    """`first`'s bytes, or `then`'s where `first` has none (e.g. pages rendered
    from the model over the built folder's static files and search index)."""

    first: PageSource
    then: PageSource

    def read(self, site_path: str) -> bytes | None:
        if not is_site_path(site_path):
            return None
        body = self.first.read(site_path)
        return body if body is not None else self.then.read(site_path)
