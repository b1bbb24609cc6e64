"""A clean build shares the pages other than the articles with a helper
process (generator/site/family_helper.py): the output is the same, its
errors are the build's, and a helper lost mid-build never leaves a site
with pages missing."""
from __future__ import annotations

import os
import signal
import time

import pytest

from generator.errors import BuildError
from generator.site import family_helper
from generator.site.family_helper import FamilyHelper
from test_build import build, copy_sample, snapshot


@pytest.fixture
def helped(monkeypatch):
    """Builds of the small sample site get a helper, which takes the first
    families: the build waits for it to take some before taking any itself
    (the helper must load the model first; the sample's articles render in
    less time than that). Yields the shares it adopted (pages per build)."""
    monkeypatch.setattr(family_helper, "HELPER_FROM", 1)
    adopted: list[int] = []
    share, join = FamilyHelper.share, FamilyHelper.join

    def share_after_helper(self, families, renderer):
        mine = share(self, families, renderer)
        deadline = time.monotonic() + 60
        while self._counter.value == 0 and self._share is not None and not self._share.done():
            assert time.monotonic() < deadline, "the helper took no family in 60 s"
            time.sleep(0.01)
        return mine

    def join_counting(self, renderer):
        before = renderer.pages
        join(self, renderer)
        adopted.append(renderer.pages - before)

    monkeypatch.setattr(FamilyHelper, "share", share_after_helper)
    monkeypatch.setattr(FamilyHelper, "join", join_counting)
    return adopted


def test_pages_rendered_by_the_helper_are_the_pages_one_process_renders(tmp_path, helped):
    alone = copy_sample(tmp_path / "alone")
    report_alone, _ = build(alone)
    with_helper = copy_sample(tmp_path / "with-helper")
    report, _ = build(with_helper)
    assert helped and helped[0] > 0, "the helper rendered no page"
    assert report.pages == report_alone.pages and report.pages_written == report_alone.pages_written
    assert snapshot(with_helper / "public", rebuilt=True).keys() == snapshot(alone / "public", rebuilt=True).keys()
    ours = {path: digest for path, (digest, _) in snapshot(with_helper / "public", rebuilt=True).items()}
    theirs = {path: digest for path, (digest, _) in snapshot(alone / "public", rebuilt=True).items()}
    assert ours == theirs


def test_a_template_error_in_the_helper_fails_the_build_naming_template_and_line(tmp_path, helped):
    site = copy_sample(tmp_path / "site")
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    shipped = (family_helper.Path(family_helper.__file__).resolve().parents[2] / "themes" / "default" / "templates")
    # the home listing is the first family the helper takes
    text = (shipped / "index.html").read_text(encoding="utf-8").splitlines()
    line = text.index("{% block main %}") + 2
    text.insert(line - 1, "{{ page.no_such_field }}")
    (templates / "index.html").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(BuildError) as failed:
        build(site)
    assert failed.value.path.endswith("index.html") and failed.value.line == line
    assert "no_such_field" in failed.value.message
    assert not (site / "public").exists(), "a failed first build must leave no output"


def test_a_helper_lost_before_it_took_anything_costs_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(family_helper, "HELPER_FROM", 1)
    start = FamilyHelper.__init__

    def start_then_lose(self):
        start(self)
        self._pool.submit(family_helper._ready).result()  # started
        for process in self._pool._processes.values():
            os.kill(process.pid, signal.SIGKILL)
            process.join()

    monkeypatch.setattr(FamilyHelper, "__init__", start_then_lose)
    alone = copy_sample(tmp_path / "alone")
    build(alone)
    site = copy_sample(tmp_path / "site")
    build(site)
    assert {p: d for p, (d, _) in snapshot(site / "public", rebuilt=True).items()} == \
           {p: d for p, (d, _) in snapshot(alone / "public", rebuilt=True).items()}


def test_a_helper_lost_while_rendering_fails_the_build_and_keeps_the_previous_output(tmp_path, monkeypatch):
    site = copy_sample(tmp_path / "site")
    build(site)
    before = snapshot(site / "public")
    toml = site / "site.toml"  # another title: every page changes, a clean build again
    toml.write_text(toml.read_text(encoding="utf-8").replace("Archives de test", "Archives d'essai"), encoding="utf-8")
    monkeypatch.setattr(family_helper, "HELPER_FROM", 1)
    share = FamilyHelper.share

    def share_then_lose(self, families, renderer):
        mine = share(self, families, renderer)
        for process in self._pool._processes.values():
            os.kill(process.pid, signal.SIGKILL)
        return mine

    monkeypatch.setattr(FamilyHelper, "share", share_then_lose)
    with pytest.raises(BuildError, match="beside the build stopped"):
        build(site)
    assert snapshot(site / "public") == before
