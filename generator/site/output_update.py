"""An in-place update of an output folder Gazette made, for a build that
changes few files: `Output.updater()` hands one out, `Output.commit_update()`
applies it.

    upd = out.updater()                       # None when there is no output of ours
    upd.write("articles/x/index.html", data, "content/x.md")   # staged only if its bytes differ
    upd.delete("articles/y/index.html")       # a page the new site no longer has
    out.commit_update({"inputs": ...})        # everything else is kept as it is

Why not the Writer: it stages a complete new folder, hard-linking every
unchanged file, which is tens of thousands of links for a one-record change.

The steps, and what a process killed at any point leaves:
1. changed files are written into a staging folder beside the output (same
   filesystem), with the new marker. Killed here: the next `Output.open`
   discards the staging folder; the output is the old one, intact.
2. a journal (the moves and the deletes) is written to a temporary file,
   fsynced and renamed into place: the commit point.
3. deletes (pruning folders left empty), then moves (os.replace, file by
   file), then the marker (os.replace), then the staging folder and the
   journal are removed. Killed here: the next `Output.open` rolls the
   journal forward before anything else; every step can be done twice.
   The marker goes after every file, but before the journal is removed, so
   that a roll-forward also writes it.

Nothing is done through a symbolic link inside the output: folders are
opened with O_NOFOLLOW, one at a time, and files are replaced or unlinked
relative to the folder opened (a link at a file's own path is itself
replaced or unlinked; its target is never touched).
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import stat
from pathlib import Path
from typing import Callable, Iterable, Iterator

from generator.errors import BuildError, one_line
from generator.site.output import MARKER, _naming, _ours, _write_marker, discard, inside_output, refuse_written_twice

_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


def update_stage(out: Path) -> Path:
    """This process's staging folder for an update of `out`."""
    return out.parent / f".{out.name}.update-{os.getpid()}"


def journal_path(out: Path) -> Path:
    return out.parent / f".{out.name}.journal"


class Updater:
    """The changes of one build to an existing output: files staged beside it,
    deletions listed; nothing in the output changes until it is applied."""

    def __init__(self, out: Path, stage: Path):
        self.out = out
        self.stage = stage
        self.sources: dict[str, str] = {}  # every path written or deleted, and what asked for it
        self.moves: list[str] = []  # staged files, in the order written
        self.deletes: list[str] = []  # files of the output to remove
        self.written = 0
        self.unchanged = 0
        self.deleted = 0
        self.created = 0  # written where the output had no file (for the marker's count of files)
        self._folders: set[Path] = set()

    def _claim(self, site_path: str, source: str) -> str:
        clean = inside_output(site_path, source)
        refuse_written_twice(self.sources, clean, source)
        self.sources[clean] = source
        return clean

    def write(self, site_path: str, data: bytes, source: str) -> None:
        """Stage `data` for `site_path` when the output's file there differs;
        an identical file is left alone (and counted as unchanged)."""
        clean = self._claim(site_path, source)
        current = _current_file(self.out, clean, source)
        if current == data:
            self.unchanged += 1
            return
        target = self.stage / clean
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        with _naming(target), open(target, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # on disk before the journal says to move it
        self.moves.append(clean)
        self.written += 1
        self.created += current is None

    def keep(self, site_path: str, source: str) -> bool:
        """The output's file stays as it is (the caller knows it would be the same),
        as Writer.keep: False when there is no such regular file, then write() it.
        Files neither kept nor written nor deleted stay too; keep() claims the path."""
        clean = inside_output(site_path, source)
        parts = clean.split("/")
        with _folder(self.out, parts[:-1], source, create=False) as fd:
            try:
                regular = fd is not None and stat.S_ISREG(os.lstat(parts[-1], dir_fd=fd).st_mode)
            except FileNotFoundError:
                regular = False
        if not regular:
            return False
        self._claim(clean, source)
        self.unchanged += 1
        return True

    def delete(self, site_path: str, source: str = "a page the site no longer has") -> None:
        """Remove the output's file at `site_path` (and folders left empty) when
        the update is applied; nothing when there is no such file."""
        clean = self._claim(site_path, source)
        parts = clean.split("/")
        with _folder(self.out, parts[:-1], source, create=False) as fd:
            if fd is None:
                return
            try:
                info = os.lstat(parts[-1], dir_fd=fd)
            except FileNotFoundError:
                return
        if stat.S_ISDIR(info.st_mode):
            raise BuildError(f"refusing to delete a folder as a file: '{clean}' (from {source})")
        self.deletes.append(clean)
        self.deleted += 1

    def files_after(self, files_before: int) -> int:
        return files_before + self.created - self.deleted

    def commit(self, marker_fields: dict[str, str]) -> None:
        """Write the journal (the commit point), then apply it."""
        _check_moves_fit(self.out, self.moves, set(self.deletes))
        _write_marker(self.stage, marker_fields)
        _fsync_file(self.stage / MARKER)
        for folder in _with_parents(self._folders, self.stage):  # the staged names too
            _fsync_folder(folder)
        _write_journal(self.out, {"stage": self.stage.name, "moves": self.moves, "deletes": self.deletes})
        try:
            _apply(self.out, self.stage, self.moves, self.deletes)
        except OSError as exc:
            raise _unfinished(exc, self.out) from None


def _with_parents(folders: Iterable[Path], stage: Path) -> set[Path]:
    every = {stage}
    for folder in folders:
        every.update(parent for parent in [folder, *folder.parents] if parent.is_relative_to(stage))
    return every


def roll_forward(out: Path) -> None:
    """Finish an update that was killed after its commit point, then discard
    the staging folders of updates killed before it."""
    journal = journal_path(out)
    if journal.is_file() and not _ours(out):
        journal.unlink()  # its output is gone or not ours: nothing to finish
    if journal.is_file():
        stage, moves, deletes = _read_journal(out, journal)
        try:
            _apply(out, stage, moves, deletes)
        except OSError as exc:
            raise _unfinished(exc, out) from None
    for leftover in out.parent.glob(f".{out.name}.update-*"):
        if (leftover / MARKER).is_file() and not leftover.is_symlink():
            discard(leftover)
    for unfinished in out.parent.glob(f"{journal.name}.tmp-*"):  # a journal killed while written
        if unfinished.is_file() and not unfinished.is_symlink():
            unfinished.unlink()


def _current_file(out: Path, clean: str, source: str) -> bytes | None:
    """The bytes of the output's regular file at `clean`, or None when there is
    none (missing, a folder, a link); BuildError when a folder on the way is a link."""
    parts = clean.split("/")
    with _folder(out, parts[:-1], source, create=False) as fd:
        if fd is None:
            return None
        try:
            handle = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
        except OSError:  # missing, or a link (ELOOP): either way the new file must be written
            return None
    if not stat.S_ISREG(os.fstat(handle).st_mode):  # a folder, a FIFO…: never read
        os.close(handle)
        return None
    with os.fdopen(handle, "rb") as file:
        return file.read()


@contextlib.contextmanager
def _folder(out: Path, parts: list[str], source: str, *, create: bool) -> Iterator[int | None]:
    """A descriptor of the folder out/parts…, opened one name at a time without
    following links (made when `create`); None when a name is missing or a file.
    BuildError when a name on the way is a symbolic link."""
    fd: int | None = os.open(out, _FOLDER_FLAGS)
    try:
        for index, part in enumerate(parts):
            inner = _open_inner(fd, part, create, lambda: _through_link(out, parts[:index + 1], source))
            os.close(fd)
            fd = inner
            if fd is None:
                break
        yield fd
    finally:
        if fd is not None:
            os.close(fd)


def _open_inner(fd: int, name: str, create: bool, through_link: Callable[[], BuildError]) -> int | None:
    if create:
        with contextlib.suppress(FileExistsError):
            os.mkdir(name, dir_fd=fd)
    try:
        return os.open(name, _FOLDER_FLAGS, dir_fd=fd)
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
            raise
        try:
            is_link = stat.S_ISLNK(os.lstat(name, dir_fd=fd).st_mode)
        except FileNotFoundError:
            is_link = False
        if is_link:
            raise through_link() from None
        if create:
            raise
        return None


def _through_link(out: Path, parts: list[str], source: str) -> BuildError:
    link = "/".join(parts)
    return BuildError(f"refusing to write through a symbolic link in the output: '{link}' "
                      f"(for {source}); remove it", out / link)


def _check_moves_fit(out: Path, moves: list[str], deletes: set[str]) -> None:
    """Every staged file can be moved in once the deletes are done: nothing but
    deleted files and folders stands in its way. Checked before the commit point,
    so that an update which cannot finish leaves the output as it was."""
    for clean in moves:
        parts = clean.split("/")
        for depth in range(1, len(parts) + 1):
            here = "/".join(parts[:depth])
            try:
                info = (out / here).lstat()
            except FileNotFoundError:
                break
            if depth < len(parts) and stat.S_ISDIR(info.st_mode):
                continue  # a folder on the way (a link among them was refused when staged)
            if not stat.S_ISDIR(info.st_mode) and (depth == len(parts) or here in deletes):
                break  # the file itself is replaced, or a deleted file makes way for a folder
            if stat.S_ISDIR(info.st_mode) and _all_deleted(list(_files_under(out, here)), deletes):
                break  # a folder whose files all go: pruned before the move
            raise BuildError(f"cannot update '{clean}' in place: '{here}' stands in its way; build afresh",
                             out / here)


def _all_deleted(files: list[str], deletes: set[str]) -> bool:
    return bool(files) and all(file in deletes for file in files)


def _files_under(out: Path, folder: str) -> Iterable[str]:
    for root, dirs, files in os.walk(out / folder):  # links are not followed
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            yield Path(root, name).relative_to(out).as_posix()


def _write_journal(out: Path, entries: dict) -> None:
    """The commit point: the journal appears whole (written, fsynced, renamed) or not at all."""
    journal = journal_path(out)
    temporary = journal.with_name(f"{journal.name}.tmp-{os.getpid()}")
    with _naming(temporary), open(temporary, "w", encoding="utf-8") as handle:
        json.dump(entries, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, journal)
    _fsync_folder(journal.parent)


def _read_journal(out: Path, journal: Path) -> tuple[Path, list[str], list[str]]:
    """The journal's staging folder, moves and deletes, each checked as if new:
    a journal that names anything outside the output is refused, not applied."""
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))
        stage, moves, deletes = entries["stage"], entries["moves"], entries["deletes"]
        if not re.fullmatch(rf"\.{re.escape(out.name)}\.update-\d+", stage):
            raise ValueError(f"a staging folder of another name: {stage!r}")
        for path in moves + deletes:
            if inside_output(path, str(journal)) != path:
                raise ValueError(f"a path not in its normal form: {path!r}")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise BuildError(f"the journal of an interrupted update cannot be read ({one_line(exc)}); "
                         "remove it and the output folder, then build again", journal) from None
    return out.parent / stage, moves, deletes


def _apply(out: Path, stage: Path, moves: list[str], deletes: list[str]) -> None:
    """Deletes, moves, the marker, then the staging folder and the journal; each
    step is skipped when a previous, interrupted run already did it."""
    touched: set[str] = set()
    for clean in deletes:
        _delete(out, clean)
        touched.update(_folders_of(clean))
    for clean in moves:
        source = stage / clean
        if not os.path.lexists(source):
            continue  # moved before the interruption
        parts = clean.split("/")
        with _folder(out, parts[:-1], f"the journal of {out.name}", create=True) as fd:
            os.replace(source, parts[-1], dst_dir_fd=fd)
        touched.update(_folders_of(clean))
    for folder in touched:  # the moves are on disk before the journal goes
        with _folder(out, folder.split("/") if folder else [], "", create=False) as fd:
            if fd is not None:
                os.fsync(fd)
    if (stage / MARKER).is_file():
        os.replace(stage / MARKER, out / MARKER)
        _fsync_folder(out)
    shutil.rmtree(stage, ignore_errors=True)  # only empty folders are left in it
    with contextlib.suppress(FileNotFoundError):
        os.unlink(journal_path(out))
    _fsync_folder(out.parent)


def _delete(out: Path, clean: str) -> None:
    """Unlink the output's file at `clean` (a link itself, never its target), then
    the folders it leaves empty, deepest first."""
    parts = clean.split("/")
    with _folder(out, parts[:-1], f"the journal of {out.name}", create=False) as fd:
        if fd is None:
            return
        with contextlib.suppress(FileNotFoundError, IsADirectoryError):
            os.unlink(parts[-1], dir_fd=fd)  # a folder here: a move already made one in its place
    for depth in range(len(parts) - 1, 0, -1):
        with _folder(out, parts[:depth - 1], "", create=False) as fd:
            try:
                if fd is None:
                    return
                os.rmdir(parts[depth - 1], dir_fd=fd)  # a link is not a folder: ENOTDIR
            except OSError:
                return  # not empty (or gone): the folders above are not empty either


def _folders_of(clean: str) -> list[str]:
    """'a/b/c' → ['a/b', 'a', ''] : the folders whose entries a change to it may touch."""
    parts = clean.split("/")
    return ["/".join(parts[:depth]) for depth in range(len(parts) - 1, -1, -1)]


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unfinished(exc: OSError, out: Path) -> BuildError:
    """A fault of the disk after the commit point: the output is part old, part new."""
    reason = exc.strerror or one_line(exc)
    return BuildError(f"{reason} — the update was cut short; the next build finishes it",
                      Path(exc.filename) if isinstance(exc.filename, str) else out)
