"""The writer: one write per path, nothing outside the output, unchanged files kept."""
from __future__ import annotations

import os

import pytest

from generator.errors import BuildError
from generator.site.output import MARKER, Writer, recover, staging, swap_in


def test_second_write_to_one_path_names_both_sources(tmp_path):
    writer = Writer(tmp_path, None)
    writer.write("people/x/index.html", b"a", "person 'X'")
    with pytest.raises(BuildError) as caught:
        writer.write("people/x/./index.html", b"b", "content/x.md")
    assert "person 'X'" in caught.value.message and "content/x.md" in caught.value.message
    assert (tmp_path / "people" / "x" / "index.html").read_bytes() == b"a"


@pytest.mark.parametrize("path", ["../evil.html", "/etc/passwd", "a/../../b", MARKER, "a\\..\\b"])
def test_paths_outside_the_output_are_refused(tmp_path, path):
    stage = tmp_path / "stage"
    stage.mkdir()
    with pytest.raises(BuildError, match="outside the output"):
        Writer(stage, None).write(path, b"x", "test")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["stage"]


def test_unchanged_files_are_linked_from_the_previous_output(tmp_path):
    with staging(tmp_path / "public") as stage:
        first = Writer(stage, None)
        first.write("a/index.html", b"same", "a")
        first.write("b/index.html", b"old", "b")
        swap_in(stage, tmp_path / "public")
    before = (tmp_path / "public" / "a" / "index.html").stat()
    with staging(tmp_path / "public") as stage:
        second = Writer(stage, tmp_path / "public")
        second.write("a/index.html", b"same", "a")
        second.write("b/index.html", b"new", "b")
        assert (second.written, second.unchanged) == (1, 1)
        swap_in(stage, tmp_path / "public")
    after = (tmp_path / "public" / "a" / "index.html").stat()
    assert after.st_mtime_ns == before.st_mtime_ns and after.st_ino == before.st_ino
    assert (tmp_path / "public" / "b" / "index.html").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_a_symlink_in_the_previous_output_is_not_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"same")
    previous = tmp_path / "public"
    previous.mkdir()
    (previous / MARKER).write_text("")
    (previous / "a.txt").symlink_to(secret)
    stage = tmp_path / "stage"
    stage.mkdir()
    writer = Writer(stage, previous)
    writer.write("a.txt", b"same", "a")
    assert writer.written == 1 and not (stage / "a.txt").is_symlink()
    assert os.stat(stage / "a.txt").st_ino != os.stat(secret).st_ino


def test_a_failed_build_removes_its_staging_folder(tmp_path):
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "keep.html").write_text("old")
    with pytest.raises(RuntimeError):
        with staging(tmp_path / "public") as stage:
            Writer(stage, None).write("keep.html", b"new", "x")
            raise RuntimeError("template failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]
    assert (tmp_path / "public" / "keep.html").read_text() == "old"


def _output(folder, files):
    """An output folder of Gazette's with `files` pages."""
    for i in range(files):
        (folder / "articles" / f"a{i}").mkdir(parents=True)
        (folder / "articles" / f"a{i}" / "index.html").write_text(f"page {i}")
    (folder / MARKER).write_text("")
    return folder


def test_a_large_previous_output_is_deleted_in_the_background(tmp_path):
    import time

    out = _output(tmp_path / "public", 300)
    with staging(out) as stage:
        (stage / "index.html").write_text("new site")
        swap_in(stage, out, background=True)
    assert (out / "index.html").read_text() == "new site" and not (out / "articles").exists()
    deadline = time.monotonic() + 30
    while any(p.name.startswith(".public") for p in tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_a_deletion_cut_short_is_finished_by_the_next_build(tmp_path):
    out = _output(tmp_path / "public", 2)
    old = _output(tmp_path / ".public.old-12345", 3)
    (old / "articles" / "a0" / "index.html").unlink()  # the background deletion was killed midway
    recover(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]
    assert (out / "articles" / "a1" / "index.html").read_text() == "page 1"
