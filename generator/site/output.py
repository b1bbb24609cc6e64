"""The output folder of a build, and the safety around it: `Output` owns it.

    with Output.open(config, output) as out:   # checked, locked, recovered
        out.previous                            # the marker fields of the output there now
        writer = out.writer()                   # a Writer into a fresh staging folder
        ...
        out.commit({"inputs": ..., ...})        # marker written, staging swapped in

    or, for a build that changes few files, in place (output_update.py):

        upd = out.updater()                     # None when there is no output of ours
        upd.write(...); upd.delete(...)         # only files whose bytes differ are staged
        out.commit_update({"inputs": ..., ...}) # journal, then moves and deletes, then the marker

- The output folder is checked before anything is written: never the site,
  its sources or an ancestor of them, never a symlink, never a non-empty
  folder Gazette did not create (those carry a MARKER file).
- A build holds a lock in the cache folder; a second build stops with a
  clear message instead of racing the first. The lock file is removed when
  the build ends, however it ends.
- Pages go to a staging folder beside the output (same filesystem); only
  when everything succeeded is it swapped in (rename old away, rename
  staging in, delete old — in the background when it is large). Leaving
  the block without commit() removes the staging folder and leaves the
  previous output exactly as it was.
- The Writer refuses to write one path twice (naming both sources), and
  hard-links files whose bytes did not change from the previous output, so
  they keep their mtime and nothing is rewritten.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import posixpath
import shutil
import subprocess
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Iterator

from generator.config import SiteConfig
from generator.errors import BuildError, one_line

if TYPE_CHECKING:
    from generator.site.output_update import Updater

MARKER = ".gazette-build"
LOCK_NAME = "build.lock"
# a previous output of this many files is deleted in the background after the swap
BACKGROUND_DELETE_FROM = 5000
# in the cache folder: the local copies of sites built for an fsspec URL (site/upload.py)
MIRRORS = "mirrors"


class Output:
    """The output folder of one build, held under the site's build lock."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.previous = read_marker(folder)  # empty when there is no output yet
        self.stage = folder.parent / f".{folder.name}.staging-{os.getpid()}"
        self._writer: Writer | None = None
        self._updater: Updater | None = None

    @classmethod
    @contextlib.contextmanager
    def open(cls, config: SiteConfig, output: Path | None = None) -> Iterator["Output"]:
        """The checked output folder (config's, or `output`), locked for this build
        and tidied after a build that was killed; BuildError when refused or locked."""
        # imported here: output_update builds on this module's checks
        from generator.site.output_update import journal_path, roll_forward, update_stage
        folder = _check_folder(config, output)
        stage = folder.parent / f".{folder.name}.staging-{os.getpid()}"
        try:
            with build_lock(config.cache_dir):
                roll_forward(folder)  # an update killed after its commit point is finished first
                _recover(folder)
                out = cls(folder)
                try:
                    yield out
                finally:
                    if out.stage.exists():  # not committed: the build failed or stopped
                        shutil.rmtree(out.stage, ignore_errors=True)
                    if out._updater is not None and not journal_path(folder).exists():
                        discard(out._updater.stage)  # not committed; with a journal, the next build needs it
        except OSError as exc:  # a full disk, a read-only folder, a permission refused
            updating = update_stage(folder)
            raise cannot_write(exc, updating if _names_inside(exc, updating) else stage, folder) from None

    def writer(self) -> Writer:
        """A Writer into a fresh staging folder beside the output."""
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        if self.stage.exists():
            shutil.rmtree(self.stage)
        self.stage.mkdir()
        _write_marker(self.stage, {})
        self._writer = Writer(self.stage, self.folder if self.folder.exists() else None)
        return self._writer

    def updater(self) -> Updater | None:
        """An in-place update of the output there now, staged beside it; None when
        there is no output of ours to update (then build afresh with writer())."""
        from generator.site.output_update import Updater, update_stage
        if not _ours(self.folder):
            return None
        stage = update_stage(self.folder)
        if stage.exists():
            discard(stage)
        stage.mkdir()
        _write_marker(stage, {})  # ours, so that a killed build's leftover is discarded
        self._updater = Updater(self.folder, stage)
        return self._updater

    def commit_update(self, fields: dict[str, str]) -> None:
        """Apply the update: the output keeps every file it did not touch, and its
        marker becomes `fields` with the new count of files."""
        if self._updater is None:
            raise RuntimeError("commit_update() before updater(): there is nothing to apply")
        if "files" in self.previous:
            fields = {**fields, "files": str(self._updater.files_after(int(self.previous["files"])))}
        self._updater.commit(fields)

    def commit(self, fields: dict[str, str]) -> None:
        """Mark the staging folder as the output, with `fields` and its count of
        files, and swap it in; a large previous output is deleted in the background."""
        if self._writer is None:
            raise RuntimeError("commit() before writer(): there is nothing to swap in")
        files = self._writer.written + self._writer.unchanged
        _write_marker(self.stage, {**fields, "files": str(files)})
        _swap_in(self.stage, self.folder,
                 background=int(self.previous.get("files", 0)) >= BACKGROUND_DELETE_FROM)


def cannot_write(exc: OSError, stage: Path, folder: Path) -> BuildError:
    """The one error for a fault of the disk: the path it met (a staging path
    said as the output path it stood for), the system's reason, and that
    the previous output is untouched."""
    path = Path(exc.filename) if exc.filename else folder
    if path == stage or path.is_relative_to(stage):
        path = folder / path.relative_to(stage)
    reason = exc.strerror or one_line(exc)
    kept = "the previous site is still in place" if _ours(folder) else "no site was written"
    return BuildError(f"{reason} — {kept}", path)


@contextlib.contextmanager
def _naming(path: Path) -> Iterator[None]:
    """An OSError from writing to an open file names no file: give it `path`."""
    try:
        yield
    except OSError as exc:
        if exc.filename:
            raise
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None


def _names_inside(exc: OSError, folder: Path) -> bool:
    return isinstance(exc.filename, str) and Path(exc.filename).is_relative_to(folder)


def _check_folder(config: SiteConfig, output: Path | None) -> Path:
    """The absolute output folder, or BuildError saying why it is refused."""
    given = Path(output) if output is not None else config.root / config.output
    if given.is_symlink():
        raise BuildError("the output folder is a symbolic link; give the real folder instead", given)
    # links resolved on both sides (in the output's parents too): `link/site`
    # with `link` → content/ is inside content/
    out = given.resolve()
    root = config.root.resolve()
    sources = {"the site folder": root, "content/": config.content_dir, "seeds/": config.seeds_dir,
               "themes/": config.themes_dir, "the cache folder": config.cache_dir}
    for name, folder in sources.items():
        folder = folder.resolve()
        if out == folder or folder.is_relative_to(out):
            raise BuildError(f"refusing to build into {out}: it is {name} or holds it; choose another --output", out)
        if name != "the site folder" and out.is_relative_to(folder) and not is_mirror(config, out):
            raise BuildError(f"refusing to build inside {name}; choose another --output", out)
    if out.exists():
        if not out.is_dir():
            raise BuildError("the output path exists and is not a folder", out)
        if not (out / MARKER).is_file() and any(out.iterdir()):
            raise BuildError(f"refusing to replace a non-empty folder Gazette did not create (no {MARKER} in it); "
                             "empty it or choose another --output", out)
    return out


def is_mirror(config: SiteConfig, folder: Path) -> bool:
    """Whether `folder` is the local copy of a site built for an fsspec URL,
    the one place in the cache folder a build may write into."""
    return folder.resolve().is_relative_to((config.cache_dir / MIRRORS).resolve())


@contextlib.contextmanager
def build_lock(cache_dir: Path) -> Iterator[None]:
    """Hold the site's build lock, or stop with a clear message if another build holds it.
    The lock file is removed on the way out, so no build leaves one behind."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / LOCK_NAME
    handle = _take_lock(path)
    try:
        yield
    finally:
        # removed while still locked: a build that opened the file meanwhile gets
        # the lock only after this, finds the path gone or renewed, and retries
        if _names(path, handle):
            path.unlink()
        handle.close()


def _take_lock(path: Path) -> IO[str]:
    """The lock file at `path`, open and locked by us."""
    while True:
        handle = path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise BuildError("another build of this site is running; wait for it to finish and try again",
                                 path) from None
            raise
        if _names(path, handle):
            return handle
        handle.close()  # we locked a file the previous build had just removed


def _names(path: Path, handle: IO[str]) -> bool:
    """`path` still names the file open as `handle`."""
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(handle.fileno())
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)


def _ours(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink() and (path / MARKER).is_file()


def _recover(out: Path) -> None:
    """Tidy after a build that was killed: put back an output caught mid-swap,
    delete leftover staging folders. Only folders carrying the marker are touched."""
    parent = out.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{out.name}.old-*"))
    if not out.exists() and olds and _ours(olds[-1]):
        os.rename(olds[-1], out)
    for leftover in list(parent.glob(f".{out.name}.staging-*")) + list(parent.glob(f".{out.name}.old-*")):
        if _ours(leftover):
            discard(leftover)  # a background discard() may be at it too


def read_marker(out: Path) -> dict[str, str]:
    """The `key: value` lines of the output's marker (empty when there is none)."""
    try:
        text = (out / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line and not line.startswith("#"))


def _write_marker(stage: Path, fields: dict[str, str]) -> None:
    lines = ["# This folder was written by `gazette build`; it is replaced on every build."]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    with _naming(stage / MARKER):
        (stage / MARKER).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _swap_in(stage: Path, out: Path, *, background: bool) -> None:
    """Replace `out` with `stage` by renames (atomic per rename, same filesystem).

    `background`: the previous output is deleted by a detached process, so
    that a large site is served (and the command returns) without waiting
    for tens of thousands of files to be unlinked; a deletion cut short is
    finished by the next build (_recover)."""
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.rename(out, old)
    try:
        os.rename(stage, out)
    except OSError:
        if old.exists() and not out.exists():
            os.rename(old, out)  # put the previous output back
        raise
    if not old.exists():
        return
    if background:
        package_parent = str(Path(__file__).resolve().parents[2])
        subprocess.Popen([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                          "from generator.site.output import discard; discard(sys.argv[2])", package_parent, str(old)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    else:
        discard(old)


def discard(folder: Path | str) -> None:
    """Delete an output folder of ours, its marker last: a folder without the
    marker is never touched again, so it must not be left half-deleted."""
    folder = Path(folder)
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return
    for entry in entries:
        if entry.name == MARKER:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(folder / MARKER)
    with contextlib.suppress(OSError):  # gone, or another discard() is still emptying it
        os.rmdir(folder)


def inside_output(site_path: str, source: str) -> str:
    """`site_path` normalised ('a/./b' → 'a/b'), or BuildError when it would land
    outside the output folder or on its marker."""
    clean = posixpath.normpath(site_path)
    if site_path.startswith("/") or clean.startswith("..") or clean in (".", MARKER) or "\\" in site_path:
        raise BuildError(f"refusing to write outside the output folder: '{site_path}' (from {source})")
    return clean


class Writer:
    """Writes every file of one build into `stage`, once each."""

    def __init__(self, stage: Path, previous: Path | None):
        self.stage = stage
        self.previous = previous if previous is not None and _ours(previous) else None
        self.sources: dict[str, str] = {}
        self.written = 0
        self.unchanged = 0
        self.kept: set[str] = set()  # paths whose previous file was kept as it was
        self._folders: set[Path] = set()

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_folders"] = set()  # the folders this process made: another must check for itself
        return state

    def _claim(self, site_path: str, source: str) -> tuple[str, Path]:
        """Check the path is inside the output and not written yet; make its folder."""
        clean = inside_output(site_path, source)
        refuse_written_twice(self.sources, clean, source)
        target = self.stage / clean
        folder = target.parent
        if folder not in self._folders:
            folder.mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)
        return clean, target

    def keep(self, site_path: str, source: str) -> bool:
        """Take the previous output's file as it is (the caller knows it would be the same).
        False when there is no such regular file: then write() it."""
        if self.previous is None:
            return False
        clean, target = self._claim(site_path, source)
        before = self.previous / clean
        if before.is_symlink() or not before.is_file():
            return False
        _link(before, target)
        self.sources[clean] = source
        self.unchanged += 1
        self.kept.add(clean)
        return True

    def reserve(self, site_path: str, source: str) -> str:
        """Claim a path whose file another process puts into the stage (a
        cluster worker: site/cluster_render.py): its clean path, its folder
        made. Then staged() counts the file, or fill() writes bytes sent back."""
        clean, _ = self._claim(site_path, source)
        self.sources[clean] = source
        return clean

    def staged(self, clean: str, unchanged: bool) -> None:
        """Count a reserved file another process has put into the stage with
        put_file (`unchanged`: it hard-linked the previous file)."""
        if unchanged:
            self.unchanged += 1
            self.kept.add(clean)
        else:
            self.written += 1

    def fill(self, clean: str, data: bytes) -> None:
        """Write the bytes of a reserved file here (a worker that cannot see the stage sent them)."""
        if clean not in self.sources:
            raise RuntimeError(f"fill() of '{clean}', which was not reserved")
        self.staged(clean, put_file(self.stage / clean, self._before(clean), data))

    def keep_tree(self, folder: str, source: str) -> bool:
        """Take a whole folder of the previous output (e.g. the search index) as it is."""
        if self.previous is None or not (self.previous / folder).is_dir() or (self.previous / folder).is_symlink():
            return False
        root = self.previous / folder
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                site_path = path.relative_to(self.previous).as_posix()
                clean, target = self._claim(site_path, source)
                _link(path, target)
                self.sources[clean] = source
                self.unchanged += 1
        return True

    def write(self, site_path: str, data: bytes, source: str) -> None:
        """Write `data` at `site_path` (e.g. 'articles/x/index.html'); `source` says what made it."""
        clean, target = self._claim(site_path, source)
        self.sources[clean] = source
        self.staged(clean, put_file(target, self._before(clean), data))

    def _before(self, clean: str) -> Path | None:
        return self.previous / clean if self.previous is not None else None


def refuse_written_twice(sources: dict[str, str], clean: str, source: str) -> None:
    """BuildError when `clean` was written already (`sources`: path → what wrote it)."""
    if clean in sources:
        raise BuildError(f"two files want the same path '{clean}': {sources[clean]} and {source}")


def put_file(target: Path, before: Path | None, data: bytes) -> bool:
    """Write `data` at `target` — or hard-link `before` (the previous output's
    file) there when its bytes are the same, so that it keeps its mtime —
    and say whether it was unchanged. Its folder must exist."""
    if before is not None and _same_as_before(before, data, target):
        return True
    _write_new(target, data)
    return False


def _write_new(target: Path, data: bytes) -> None:
    """`data` into `target`, with three system calls: Python's file objects
    add a stat, a terminal check and a seek to each of the tens of thousands
    of files a build writes."""
    with _naming(target):
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)


def _same_as_before(before: Path, data: bytes, target: Path) -> bool:
    """Hard-link the previous file when its bytes are the same (keeps its mtime)."""
    try:
        info = before.lstat()
        if not before.is_file() or before.is_symlink() or info.st_size != len(data):
            return False
        if before.read_bytes() != data:
            return False
        _link(before, target)
        return True
    except OSError:
        return False


def _link(before: Path, target: Path) -> None:
    try:
        os.link(before, target)
    except OSError:  # a filesystem without hard links
        with _naming(target):
            shutil.copy2(before, target)
