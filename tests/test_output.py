"""The output folder: one write per path, nothing outside the output,
unchanged files kept, a failed build leaves the previous output, no lock
file left behind, and two builds exclude each other."""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from pathlib import Path

import pytest

from generator.site.build import build_site
from generator.config import SiteConfig, load_config
from generator.errors import BuildError, ProblemsFound
from generator.report import SilentReporter
from generator.site import output
from generator.site.output import LOCK_NAME, MARKER, Output, Writer, build_lock

SAMPLE = Path(__file__).parent / "fixtures" / "sample-site"


def open_output(tmp_path: Path):
    """The output folder web/public of a site in site/ (whose cache folder holds the lock)."""
    return Output.open(SiteConfig(root=tmp_path / "site"), tmp_path / "web" / "public")


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
    web = tmp_path / "web"
    with open_output(tmp_path) as out:
        first = out.writer()
        first.write("a/index.html", b"same", "a")
        first.write("b/index.html", b"old", "b")
        out.commit({})
    before = (web / "public" / "a" / "index.html").stat()
    with open_output(tmp_path) as out:
        second = out.writer()
        second.write("a/index.html", b"same", "a")
        second.write("b/index.html", b"new", "b")
        assert (second.written, second.unchanged) == (1, 1)
        out.commit({})
    after = (web / "public" / "a" / "index.html").stat()
    assert after.st_mtime_ns == before.st_mtime_ns and after.st_ino == before.st_ino
    assert (web / "public" / "b" / "index.html").read_bytes() == b"new"
    assert sorted(p.name for p in web.iterdir()) == ["public"]


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
    web = tmp_path / "web"
    (web / "public").mkdir(parents=True)
    (web / "public" / MARKER).write_text("")
    (web / "public" / "keep.html").write_text("old")
    with pytest.raises(RuntimeError):
        with open_output(tmp_path) as out:
            out.writer().write("keep.html", b"new", "x")
            raise RuntimeError("template failed")
    assert sorted(p.name for p in web.iterdir()) == ["public"]
    assert (web / "public" / "keep.html").read_text() == "old"


def _output(folder, files):
    """An output folder of Gazette's with `files` pages."""
    for i in range(files):
        (folder / "articles" / f"a{i}").mkdir(parents=True)
        (folder / "articles" / f"a{i}" / "index.html").write_text(f"page {i}")
    (folder / MARKER).write_text(f"files: {files}\n")
    return folder


def test_a_large_previous_output_is_deleted_in_the_background(tmp_path, monkeypatch):
    monkeypatch.setattr(output, "BACKGROUND_DELETE_FROM", 300)  # rather than writing 5,000 files
    web = tmp_path / "web"
    public = _output(web / "public", 300)
    with open_output(tmp_path) as out:
        out.writer().write("index.html", b"new site", "home")
        out.commit({})
    assert (public / "index.html").read_text() == "new site" and not (public / "articles").exists()
    deadline = time.monotonic() + 30
    while any(p.name.startswith(".public") for p in web.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.name for p in web.iterdir()) == ["public"]


def test_a_deletion_cut_short_is_finished_by_the_next_build(tmp_path):
    web = tmp_path / "web"
    public = _output(web / "public", 2)
    old = _output(web / ".public.old-12345", 3)
    (old / "articles" / "a0" / "index.html").unlink()  # the background deletion was killed midway
    with open_output(tmp_path):
        pass
    assert sorted(p.name for p in web.iterdir()) == ["public"]
    assert (public / "articles" / "a1" / "index.html").read_text() == "page 1"


# ---------------------------------------------------------------- the build lock

def test_no_build_leaves_its_lock_file_behind(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SAMPLE, site, ignore=shutil.ignore_patterns(".gazette", "public"))
    config = load_config(site)
    lock = config.cache_dir / LOCK_NAME
    assert not build_site(config, reporter=SilentReporter()).up_to_date
    assert not lock.exists()
    assert build_site(config, reporter=SilentReporter()).up_to_date
    assert not lock.exists()
    with pytest.raises(ProblemsFound):  # the sample's undated letter is a warning, an error with --strict
        build_site(config, strict=True, reporter=SilentReporter())
    assert not lock.exists()
    with pytest.raises(BuildError, match="refusing"):
        build_site(config, output=site / "content", reporter=SilentReporter())
    assert not lock.exists()
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "day.html").write_text('{% extends "base.html" %}{% block main %}{{ day.nope }}{% endblock %}')
    with pytest.raises(BuildError, match="nope"):  # fails while the pages render
        build_site(config, reporter=SilentReporter())
    assert not lock.exists()


def test_a_build_that_locked_a_removed_lock_file_takes_the_new_one(tmp_path, monkeypatch):
    first = contextlib.ExitStack()
    first.enter_context(build_lock(tmp_path))
    real_flock = fcntl.flock
    flocked = []

    def flock_once_the_first_build_ended(handle, operation):
        if not flocked:  # the second build opened the lock file, then the first ended (and removed it)
            flocked.append(operation)
            first.close()
        return real_flock(handle, operation)

    monkeypatch.setattr(output.fcntl, "flock", flock_once_the_first_build_ended)
    with build_lock(tmp_path):
        # the second build holds the lock file now at the path, so a third is refused
        with pytest.raises(BuildError, match="another build of this site is running"):
            with build_lock(tmp_path):
                pass
    assert not (tmp_path / LOCK_NAME).exists()
