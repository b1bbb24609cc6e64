"""Each search shard indexed by the Pagefind binary over a temporary folder
(generator/site/search.py): the same index as Pagefind's Python API gives for
the same pages, clear errors, and nothing left behind."""
from __future__ import annotations

import asyncio
import gzip
import json
import re
import stat
import tempfile
import time
from pathlib import Path

import pytest

import generator.site.search as search
from generator.errors import BuildError
from generator.report import SilentReporter
from generator.site.search import index_articles, page_url, split_elisions
from test_search import PAGES, article_html

SIGNATURE = b"pagefind_dcd"
_SORT_KEY = re.compile(r'data-pagefind-sort="date\[content\]" content="([^"]*)"')


def unzipped(content: bytes) -> bytes:
    data = gzip.decompress(content)
    assert data.startswith(SIGNATURE)
    return data[len(SIGNATURE):]


def cbor(data: bytes, at: int = 0):
    """(value, next offset) of the CBOR item at `at`: the subset Pagefind's metadata uses."""
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        value = info
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        value, at = int.from_bytes(data[at:at + size], "big"), at + size
    if major == 0:
        return value, at
    if major in (2, 3):
        raw = data[at:at + value]
        return (raw.decode() if major == 3 else raw), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = cbor(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR major type {major} not expected in Pagefind's metadata")


def summary(files: list[tuple[str, bytes]]) -> dict:
    """What a search over a bundle sees: pages per language, every page's
    fragment (URL, text, filters, title), the filter and sort names of each
    language, and each language's pages in date-sort order (as their sort keys)."""
    bundle = dict(files)
    entry = json.loads(bundle["pagefind-entry.json"])
    fragments = {name: json.loads(unzipped(content)) for name, content in bundle.items() if name.startswith("fragment/")}
    by_language = {}
    for name, content in bundle.items():
        if name.endswith(".pf_meta"):
            version, pages, _chunks, filters, sorts = cbor(unzipped(content))[0][:5]
            language = name.split(".")[1].split("_")[0]
            urls = [fragments[f"fragment/{page[0]}.pf_fragment"]["url"] for page in pages]
            by_language[language] = {
                "filters": sorted(f[0] for f in filters),
                "sorts": {sort[0]: [urls[i] for i in sort[1]] for sort in sorts},
            }
    return {
        "pages": {lang: info["page_count"] for lang, info in entry["languages"].items()},
        "fragments": sorted(json.dumps(f, sort_keys=True, ensure_ascii=False) for f in fragments.values()),
        "languages": by_language,
        "files": sorted(name for name in bundle if "/" not in name and not name.endswith(".pf_meta")),
    }


def through_the_api(pages) -> list[tuple[str, bytes]]:
    """The bundle Pagefind's Python API builds for the same pages, one page at a time (as Gazette did)."""
    from pagefind.index import IndexConfig, PagefindIndex

    async def index():
        async with PagefindIndex(IndexConfig(write_playground=False)) as pagefind:
            for path, source in pages:
                html = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
                await pagefind.add_html_file(content=split_elisions(html), url=page_url(path))
            return [(f["path"], f["content"]) for f in await pagefind.get_files()]

    return asyncio.run(index())


@pytest.fixture(scope="module")
def sample_pages(built_sample):
    """A few real article pages of the built sample site, both languages, dated and not."""
    public = built_sample / "public"
    pages = sorted((p.relative_to(public).as_posix(), p) for p in (public / "articles").glob("*/index.html"))
    english = [p for p in pages if '<html lang="en"' in p[1].read_text(encoding="utf-8")][:2]
    french = [p for p in pages if '<html lang="fr"' in p[1].read_text(encoding="utf-8")][:6]
    undated = [p for p in pages if not _SORT_KEY.search(p[1].read_text(encoding="utf-8"))][:1]
    chosen = list(dict.fromkeys(english + french + undated))
    assert len(english) == 2 and len(french) == 6
    return chosen


def test_the_binary_indexes_real_pages_as_the_api_did(sample_pages):
    binary = summary(search._index_shard(sample_pages, "pagefind"))
    api = summary(through_the_api(sample_pages))
    assert binary["pages"] == api["pages"] and set(binary["pages"]) >= {"fr", "en"}
    assert sum(binary["pages"].values()) == len(sample_pages)
    # same URLs, text, filters and result fields, page for page
    assert binary["fragments"] == api["fragments"]
    for lang in api["languages"]:
        assert binary["languages"][lang]["filters"] == api["languages"][lang]["filters"]
        assert {"person", "place", "year", "language"} <= set(binary["languages"][lang]["filters"])
        assert set(binary["languages"][lang]["sorts"]) == set(api["languages"][lang]["sorts"]) == {"date"}
    assert binary["files"] == api["files"]


def test_the_date_sort_keeps_date_order(sample_pages):
    """Pages with the same day may come in another order; the days may not."""
    keys = {page_url(path): (_SORT_KEY.search(source.read_text(encoding="utf-8")) or [None, None])[1]
            for path, source in sample_pages}
    for lang, found in summary(search._index_shard(sample_pages, "pagefind"))["languages"].items():
        days = [keys[url] for url in found["sorts"]["date"]]
        assert days == sorted(days) and None not in days, lang


def test_urls_are_the_ones_page_url_gives():
    pages = [("index.html", PAGES[0][1]), ("notes/brexit.html", PAGES[2][1]), ("articles/lettre/index.html", PAGES[3][1])]
    urls = {json.loads(unzipped(content))["url"] for name, content in search._index_shard(pages, "pagefind")
            if name.startswith("fragment/")}
    assert urls == {page_url(path) for path, _ in pages} == {"/", "/notes/brexit.html", "/articles/lettre/"}


def test_an_empty_shard_is_the_interface_and_an_entry_without_languages():
    files = dict(search._index_shard([], "pagefind"))
    assert json.loads(files["pagefind-entry.json"])["languages"] == {}
    assert {"pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "wasm.unknown.pagefind"} <= set(files)
    assert not [name for name in files if "/" in name or name.endswith(".pf_meta")]


def test_user_settings_for_pagefind_do_not_change_the_index(tmp_path, monkeypatch):
    (tmp_path / "pagefind.yml").write_text("force_language: de\nroot_selector: nav\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "de")
    report = index_articles(PAGES, SilentReporter()).report
    assert dict(report.languages) == {"fr": 3, "en": 1}


# ---------------------------------------------------------------- errors, and nothing left behind

@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The system temp folder, made a fresh one so that what is left in it can be seen."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def fake_pagefind(tmp_path: Path, monkeypatch, script: str) -> None:
    binary = tmp_path / "pagefind"
    binary.write_text("#!/bin/sh\n" + script)
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))


def test_a_missing_binary_says_to_install_pagefind(tmp_path, monkeypatch, private_tmp):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(BuildError) as caught:
        search._index_shard(PAGES, "pagefind/shard-2")
    assert caught.value.path == "pagefind/shard-2"
    assert caught.value.message.startswith("search index failed: the Pagefind binary was not found (")
    assert caught.value.message.endswith("install 'pagefind[bin]'")
    assert not list(private_tmp.iterdir())


def test_a_failing_binary_is_quoted(tmp_path, monkeypatch, private_tmp):
    lines = "".join(f"echo 'line {n}' >&2\n" for n in range(20))
    fake_pagefind(tmp_path, monkeypatch, lines + "echo 'Error: out of disk space' >&2\nexit 3\n")
    with pytest.raises(BuildError) as caught:
        search._index_shard(PAGES, "pagefind")
    message = caught.value.message
    assert caught.value.path == "pagefind" and "exit status 3" in message
    assert message.endswith("line 18 | line 19 | Error: out of disk space") and "line 10 |" not in message
    assert not list(private_tmp.iterdir())


def test_a_binary_that_hangs_is_stopped(tmp_path, monkeypatch, private_tmp):
    fake_pagefind(tmp_path, monkeypatch, "sleep 60\n")  # a child that keeps the output open
    monkeypatch.setattr(search, "_TIMEOUT_BASE", 1.0)
    monkeypatch.setattr(search, "_TIMEOUT_PER_PAGE", 0.25)
    started = time.monotonic()
    with pytest.raises(BuildError) as caught:
        search._index_shard(PAGES, "pagefind")
    assert time.monotonic() - started < 15
    assert "within 2 s" in caught.value.message and caught.value.path == "pagefind"
    assert not list(private_tmp.iterdir())
    assert search.pagefind_timeout(2500) > search.pagefind_timeout(500) >= 60


def test_a_page_pagefind_leaves_out_is_named(private_tmp):
    # it mentions the attribute in its text but has no such element: Pagefind skips it
    mention = ("articles/texte/index.html", '<html lang="fr"><body><p>le mot data-pagefind-body</p></body></html>')
    with pytest.raises(BuildError) as caught:
        search._index_shard([PAGES[0], mention], "pagefind")
    assert caught.value.path == "articles/texte/index.html"
    assert "left this article page out" in caught.value.message
    assert not list(private_tmp.iterdir())


@pytest.mark.parametrize("path", ["../outside/index.html", "/etc/index.html", "articles//index.html"])
def test_a_page_path_that_would_leave_the_folder_is_refused(path, private_tmp):
    with pytest.raises(BuildError) as caught:
        search._index_shard([PAGES[0], (path, PAGES[1][1])], "pagefind")
    assert caught.value.path == path
    assert not list(private_tmp.iterdir()) and not (private_tmp.parent / "outside").exists()


def test_a_page_without_language_tag_is_named(private_tmp):
    bad = ("articles/x/index.html", article_html("../x", "Titre", "Texte"))
    with pytest.raises(BuildError) as caught:
        search._index_shard([PAGES[0], bad], "pagefind")
    assert caught.value.path == "articles/x/index.html" and "language tag" in caught.value.message
    assert not list(private_tmp.iterdir())
