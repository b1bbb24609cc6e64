"""Updating an output folder in place: only changed files are written, the
result is the output a full build would give, nothing lands outside it or
through a link, and a build killed at any point leaves either the old output
or one the next build finishes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.config import SiteConfig
from generator.errors import BuildError
from generator.site.output import MARKER, Output

REPO = Path(__file__).resolve().parent.parent

OLD = {"index.html": b"home", "articles/a/index.html": b"article a", "articles/b/index.html": b"article b",
       "articles/gone/index.html": b"a deleted article", "search/shard-1.pf": b"shard one",
       "static/style.css": b"body {}"}
CHANGES = {"index.html": b"home, with c", "articles/c/index.html": b"article c", "search/shard-1.pf": b"shard two",
           "articles/a/index.html": b"article a"}  # the last one's bytes did not change
GONE = ["articles/gone/index.html"]
NEW = {**{path: data for path, data in OLD.items() if path not in GONE}, **CHANGES}


def open_output(tmp_path: Path, public: str = "public"):
    return Output.open(SiteConfig(root=tmp_path / "site"), tmp_path / "web" / public)


def full_build(tmp_path: Path, files: dict[str, bytes], fields: dict[str, str], public: str = "public") -> Path:
    with open_output(tmp_path, public) as out:
        writer = out.writer()
        for path, data in files.items():
            writer.write(path, data, f"source of {path}")
        out.commit(fields)
    return out.folder


def update(tmp_path: Path, changes: dict[str, bytes], gone: list[str], fields: dict[str, str]):
    with open_output(tmp_path) as out:
        upd = out.updater()
        for path, data in changes.items():
            upd.write(path, data, f"source of {path}")
        for path in gone:
            upd.delete(path)
        out.commit_update(fields)
    return upd


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every file under `folder` with its bytes, and every folder (empty ones show)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else "folder"
            for p in folder.rglob("*")}


def test_an_update_writes_only_the_changed_files_and_equals_a_full_build(tmp_path):
    public = full_build(tmp_path, OLD, {"inputs": "old"})
    untouched = {path: (public / path).stat() for path in ("articles/a/index.html", "articles/b/index.html",
                                                           "static/style.css")}
    upd = update(tmp_path, CHANGES, GONE, {"inputs": "new"})
    assert (upd.written, upd.unchanged, upd.deleted) == (3, 1, 1)
    for path, before in untouched.items():
        after = (public / path).stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), path
    assert not (public / "articles" / "gone").exists()  # the folder left empty went with its page
    fresh = full_build(tmp_path, NEW, {"inputs": "new"}, public="fresh")
    assert tree(public) == tree(fresh)  # the marker too: same fields, same count of files
    assert sorted(p.name for p in public.parent.iterdir()) == ["fresh", "public"]  # no staging, no journal


def test_the_marker_records_the_update(tmp_path):
    full_build(tmp_path, OLD, {"inputs": "old", "output": "1"})
    update(tmp_path, CHANGES, GONE, {"inputs": "new", "output": "2"})
    with open_output(tmp_path) as out:
        assert out.previous == {"inputs": "new", "output": "2", "files": str(len(NEW))}


def test_there_is_nothing_to_update_without_an_output_of_ours(tmp_path):
    with open_output(tmp_path) as out:
        assert out.updater() is None
    foreign = tmp_path / "web" / "public"
    foreign.mkdir(parents=True)
    with open_output(tmp_path) as out:  # an empty folder is accepted, but holds no output to update
        assert out.updater() is None


def test_an_update_that_fails_before_its_commit_leaves_the_output_as_it_was(tmp_path):
    public = full_build(tmp_path, OLD, {"inputs": "old"})
    before = tree(public)
    with pytest.raises(RuntimeError):
        with open_output(tmp_path) as out:
            upd = out.updater()
            upd.write("index.html", b"half a build", "home")
            upd.delete("static/style.css")
            raise RuntimeError("a template failed")
    assert tree(public) == before
    assert sorted(p.name for p in public.parent.iterdir()) == ["public"]


@pytest.mark.parametrize("path", ["../evil.html", "/etc/passwd", "a/../../b", MARKER, "a\\..\\b"])
def test_paths_outside_the_output_are_refused(tmp_path, path):
    public = full_build(tmp_path, OLD, {})
    before = tree(public)
    with open_output(tmp_path) as out:
        upd = out.updater()
        with pytest.raises(BuildError, match="outside the output"):
            upd.write(path, b"x", "test")
        with pytest.raises(BuildError, match="outside the output"):
            upd.delete(path)
    assert tree(public) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "web"]
    assert sorted(p.name for p in public.parent.iterdir()) == ["public"]


def test_one_path_twice_is_refused_naming_both_sources(tmp_path):
    full_build(tmp_path, OLD, {})
    with open_output(tmp_path) as out:
        upd = out.updater()
        upd.write("articles/a/index.html", b"a", "content/a.md")
        with pytest.raises(BuildError) as caught:
            upd.write("articles/a/./index.html", b"b", "person 'A'")
        assert "content/a.md" in caught.value.message and "person 'A'" in caught.value.message
        with pytest.raises(BuildError, match="content/a.md"):
            upd.delete("articles/a/index.html", "the removed record")


def test_a_symlink_in_the_output_is_never_written_or_deleted_through(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"secret")
    (outside / "x.html").write_bytes(b"outside page")
    public = full_build(tmp_path, OLD, {"inputs": "old"})
    (public / "page.html").symlink_to(outside / "secret.txt")
    (public / "gone.html").symlink_to(outside / "x.html")
    (public / "linked").symlink_to(outside, target_is_directory=True)
    with open_output(tmp_path) as out:
        upd = out.updater()
        with pytest.raises(BuildError, match="symbolic link.*'linked'"):
            upd.write("linked/x.html", b"written through", "x")
        with pytest.raises(BuildError, match="symbolic link.*'linked'"):
            upd.delete("linked/secret.txt")
        upd.write("page.html", b"secret", "a page with the same bytes as the link's target")
        upd.delete("gone.html")
        out.commit_update({"inputs": "new"})
    assert upd.written == 1 and upd.unchanged == 0  # a link is never taken as the page it points to
    assert not (public / "page.html").is_symlink() and (public / "page.html").read_bytes() == b"secret"
    assert not os.path.lexists(public / "gone.html")
    assert tree(outside) == {"secret.txt": b"secret", "x.html": b"outside page"}


def test_a_deleted_page_makes_way_for_a_folder_and_a_folder_for_a_page(tmp_path):
    public = full_build(tmp_path, {"a": b"a file", "b/index.html": b"b", "c": b"kept"}, {})
    update(tmp_path, {"a/index.html": b"a folder now", "b": b"a file now"}, ["a", "b/index.html"], {})
    fresh = full_build(tmp_path, {"a/index.html": b"a folder now", "b": b"a file now", "c": b"kept"},
                       {}, public="fresh")
    assert tree(public) == tree(fresh)


def test_an_update_that_cannot_be_applied_is_refused_before_its_commit(tmp_path):
    public = full_build(tmp_path, OLD, {})
    before = tree(public)
    with open_output(tmp_path) as out:
        upd = out.updater()
        upd.write("index.html", b"new home", "home")
        upd.write("static", b"a file where a folder still is", "x")
        with pytest.raises(BuildError, match="'static' stands in its way"):
            out.commit_update({})
    assert tree(public) == before
    assert sorted(p.name for p in public.parent.iterdir()) == ["public"]


# ---------------------------------------------------------------- a build killed midway

KILLED_UPDATE = """
import os, sys
from pathlib import Path
from generator.config import SiteConfig
from generator.site.output import Output

tmp, die_at = Path(sys.argv[1]), int(sys.argv[2])
replaced = 0
real_replace = os.replace

def replace_then_die(*args, **kwargs):  # os.replace: the journal, each move, then the marker
    global replaced
    replaced += 1
    if replaced == die_at:
        os._exit(9)
    return real_replace(*args, **kwargs)

os.replace = replace_then_die
with Output.open(SiteConfig(root=tmp / "site"), tmp / "web" / "public") as out:
    upd = out.updater()
    for path in {changes!r}:
        upd.write(path, {changes!r}[path], "test")
    for path in {gone!r}:
        upd.delete(path)
    if die_at == 0:
        os._exit(9)  # before the commit point
    out.commit_update({{"inputs": "new"}})
raise SystemExit("the update was not killed")
"""


def killed_update(tmp_path: Path, die_at: int) -> None:
    """Run an update of the output in a process killed at its `die_at`th os.replace
    (0: before commit_update): no `finally` of ours runs, as with a kill -9."""
    script = KILLED_UPDATE.format(changes=CHANGES, gone=GONE)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script), str(tmp_path), str(die_at)],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 9, done.stderr


def test_a_build_killed_before_the_journal_leaves_the_old_output(tmp_path):
    public = full_build(tmp_path, OLD, {"inputs": "old"})
    before = tree(public)
    killed_update(tmp_path, die_at=0)
    assert any(p.name.startswith(".public.update-") for p in public.parent.iterdir())  # its staging is left over
    with open_output(tmp_path) as out:
        assert out.previous["inputs"] == "old"
    assert tree(public) == before
    assert sorted(p.name for p in public.parent.iterdir()) == ["public"]


# os.replace calls: 1 the journal, 2-4 the three moves, 5 the marker
@pytest.mark.parametrize("die_at", [1, 2, 3, 5], ids=["renaming the journal", "before the first move",
                                                      "after one move", "before the marker"])
def test_a_build_killed_during_the_update_is_finished_by_the_next(tmp_path, die_at):
    public = full_build(tmp_path, OLD, {"inputs": "old"})
    before = tree(public)
    killed_update(tmp_path, die_at)
    journal = public.parent / ".public.journal"
    if die_at == 1:  # the commit point not reached: the old output
        assert not journal.exists()
        expected, inputs = before, "old"
    else:
        assert journal.exists()
        if die_at == 3:  # the deletes and one move done: neither the old output nor the new
            assert (public / "index.html").read_bytes() == CHANGES["index.html"]
            assert (public / "search" / "shard-1.pf").read_bytes() == OLD["search/shard-1.pf"]
            assert not (public / "articles" / "c" / "index.html").exists()
            assert not (public / "articles" / "gone").exists()
        expected, inputs = tree(full_build(tmp_path, NEW, {"inputs": "new"}, public="fresh")), "new"
    with open_output(tmp_path) as out:
        assert out.previous["inputs"] == inputs
    assert tree(public) == expected
    assert sorted(p.name for p in public.parent.iterdir() if p.name != "fresh") == ["public"]


def test_a_kept_page_stays_and_counts_as_unchanged(tmp_path):
    public = full_build(tmp_path, OLD, {})
    before = (public / "index.html").stat()
    with open_output(tmp_path) as out:
        upd = out.updater()
        assert upd.keep("index.html", "home, its inputs unchanged")
        assert not upd.keep("articles/new/index.html", "a new article")  # nothing to keep: write it
        with pytest.raises(BuildError, match="home, its inputs unchanged"):
            upd.write("index.html", b"x", "another page")
        out.commit_update({})
    assert (upd.written, upd.unchanged, upd.deleted) == (0, 1, 0)
    assert (public / "index.html").stat().st_mtime_ns == before.st_mtime_ns


def test_a_journal_naming_a_path_outside_the_output_is_refused_not_applied(tmp_path):
    public = full_build(tmp_path, OLD, {})
    before = tree(public)
    (tmp_path / "web" / "victim.txt").write_bytes(b"keep me")
    stage = public.parent / ".public.update-1"
    (stage / "x").mkdir(parents=True)
    (stage / "x" / "evil").write_bytes(b"evil")
    (public.parent / ".public.journal").write_text(
        json.dumps({"stage": stage.name, "moves": ["x/../../evil"], "deletes": ["../victim.txt"]}))
    with pytest.raises(BuildError, match="outside the output.*journal"):
        with open_output(tmp_path):
            pass
    assert tree(public) == before and (tmp_path / "web" / "victim.txt").read_bytes() == b"keep me"
    assert not (tmp_path / "web" / "evil").exists()
