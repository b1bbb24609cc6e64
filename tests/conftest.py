"""Fixtures shared by the test modules.

The committed sample site (tests/fixtures/sample-site) built once per test
session: `built_sample` is that built site, shared and read-only; a test that
changes a built site takes `built_sample_copy`, a private copy with its
.gazette cache, so that its first rebuild finds everything up to date (a few
milliseconds) instead of building from nothing.

The browser tests run last, on one chromium for the session (see
browser_support.py): a live Playwright keeps an event loop in the main
thread, which no other test should run beside.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from browser_support import browser, page  # noqa: F401  (fixtures of the browser tests, one chromium a session)

SAMPLE = Path(__file__).parent / "fixtures" / "sample-site"


def copy_sample_source(dest: Path) -> Path:
    """The sample site's sources (records, site.toml), never a build left in the fixture folder."""
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns(".gazette", "public"))
    return dest


def _state(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file's bytes (hash) and mtime, by path."""
    return {
        str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture(scope="session", autouse=True)
def machine_cache(tmp_path_factory) -> Path:
    """The machine-wide cache (generator/cache.py machine_cache_dir) of this
    test session: its own folder, so that tests write nothing in the home
    folder and never read what an earlier run left there. Subprocesses inherit it."""
    folder = tmp_path_factory.mktemp("machine-cache")
    previous = os.environ.get("GAZETTE_CACHE_HOME")
    os.environ["GAZETTE_CACHE_HOME"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("GAZETTE_CACHE_HOME", None)
    else:
        os.environ["GAZETTE_CACHE_HOME"] = previous


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory) -> Path:
    """The sample site built as `gazette build` builds it: the site folder, with
    public/ and .gazette/. Shared by every test that reads it: never change it
    (take built_sample_copy); the session ends with an error if a test did."""
    from generator.config import load_config
    from generator.report import SilentReporter
    from generator.site.build import build_site

    site = copy_sample_source(tmp_path_factory.mktemp("built-sample") / "site")
    build_site(load_config(site), reporter=SilentReporter())
    before = _state(site)
    yield site
    after = _state(site)
    changed = sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))
    assert not changed, f"a test changed the shared built sample site (use built_sample_copy): {changed[:5]}"


@pytest.fixture
def built_sample_copy(built_sample, tmp_path) -> Path:
    """A private copy of the built sample site (sources, public/, .gazette/, mtimes kept)."""
    return shutil.copytree(built_sample, tmp_path / "site", symlinks=True)


def pytest_collection_modifyitems(config, items):
    """Browser tests last (a stable sort: the rest keep their order)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """An empty French site with a seeds/ folder (a module may define its own `site`)."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "site.toml").write_text('title = "Test"\nlanguage = "fr"\n', encoding="utf-8")
    return tmp_path
