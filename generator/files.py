"""Reading an input file without being fooled by what it is: a FIFO, a
device or a socket is never opened for reading (it would block or never
end), a dangling link is named as such. The one check ingest and build
make before reading a seed, a record or a theme file."""
from __future__ import annotations

import os
import stat
from pathlib import Path

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def not_regular(path: Path | str) -> str | None:
    """Why `path` is no file to read ("a FIFO", "a symbolic link to nothing"…), or None."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a symbolic link to nothing" if os.path.islink(path) else "gone"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    return _kind(mode)


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_regular(path: Path | str) -> bytes:
    """The bytes of a regular file. Opened non-blocking, then checked on the
    open handle (no race with a swap): anything else is an OSError saying what it is."""
    fd = os.open(path, os.O_RDONLY | _NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        kind = _kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise OSError(f"not a regular file: {kind}")
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return handle.read()
