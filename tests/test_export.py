"""The data export (public/data/): the files are there, parse, count what the
site shows, point to pages that exist, and are the same bytes on every build."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from generator.model import ENTITY_KINDS
from generator.site.export import ARTICLE_FIELDS, ENTITY_COLUMNS, FORMAT_VERSION, _cell

BASE = "https://example.org/archives/"
DATA_FILES = ("articles.jsonl", "entities.json", "entities.csv", "index.json")


@pytest.fixture
def public(built_sample) -> Path:
    return built_sample / "public"


def articles(public: Path) -> list[dict]:
    return [json.loads(line) for line in (public / "data" / "articles.jsonl").read_text(encoding="utf-8").splitlines()]


def page_of(public: Path, path: str, url: str) -> Path:
    """The built file a site path names; its absolute URL is the base URL and the path."""
    assert url == BASE + path and not path.startswith("/")
    return public / path / "index.html"


def test_every_file_is_there_and_names_its_format_version(public):
    for name in DATA_FILES:
        assert (public / "data" / name).is_file(), name
    index = json.loads((public / "data" / "index.json").read_text(encoding="utf-8"))
    assert index["version"] == FORMAT_VERSION
    assert index["files"]["articles.jsonl"]["count"] == 32 and index["files"]["articles.jsonl"]["fields"] == list(ARTICLE_FIELDS)
    assert index["files"]["entities.csv"]["columns"] == list(ENTITY_COLUMNS)
    entities = json.loads((public / "data" / "entities.json").read_text(encoding="utf-8"))
    assert entities["version"] == FORMAT_VERSION and entities["count"] == len(entities["entities"])
    assert index["files"]["entities.json"]["count"] == entities["count"] == index["files"]["entities.csv"]["count"]
    # the data is not a page: not in the sitemap
    assert "data/" not in (public / "sitemap.xml").read_text(encoding="utf-8")


def test_articles_jsonl_has_one_line_per_article_with_every_field(public):
    lines = articles(public)
    assert len(lines) == 32 == len(list((public / "articles").glob("*/index.html")))
    assert len({a["slug"] for a in lines}) == 32
    for article in lines:
        assert tuple(article) == ARTICLE_FIELDS and article["format_version"] == FORMAT_VERSION
        assert page_of(public, article["path"], article["url"]).is_file()
        assert set(article["dates"]) == {"published", "published_source", "updated"}
        assert set(article["entities"]) == set(ENTITY_KINDS)
        for kind, tags in article["entities"].items():
            for tag in tags:
                assert page_of(public, tag["path"], tag["url"]).is_file() and tag["mentions"] >= 1
        assert article["record"] == f"content/{article['slug']}.md"
    # newest first, undated last, as on the home page
    dated = [a["dates"]["published"] for a in lines if a["dates"]["published"]]
    assert dated == sorted(dated, reverse=True) and lines[-1]["dates"]["published"] is None
    strike = next(a for a in lines if a["slug"].startswith("le-general-qassem-soleimani"))
    assert strike["dates"] == {"published": "2020-01-03", "published_source": "source", "updated": None}
    assert {"name": "Bagdad", "slug": "bagdad", "mentions": 3, "url": BASE + "places/bagdad/",
            "path": "places/bagdad/"} in strike["entities"]["place"]
    assert strike["mentioned_dates"] == [{"date": "2020-01-03", "text": "ce vendredi 3 janvier"}]
    assert strike["source"]["url"] == "https://journal.example/" + strike["slug"]
    assert strike["source"]["path"].startswith("seeds/")


def test_entities_json_and_csv_agree_with_the_site(public):
    data = json.loads((public / "data" / "entities.json").read_text(encoding="utf-8"))["entities"]
    rows = list(csv.DictReader(io.StringIO((public / "data" / "entities.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(data) == sum(1 for _ in public.glob("*/*/feed.xml"))  # one feed per entity page
    assert tuple(rows[0]) == ENTITY_COLUMNS
    for row, entity in zip(rows, data):
        assert tuple(entity) == ENTITY_COLUMNS
        assert row == {k: "" if v is None else str(v) for k, v in entity.items()}
        assert page_of(public, entity["path"], entity["url"]).is_file()
    macron = next(e for e in data if e["slug"] == "emmanuel-macron")
    assert macron == {"kind": "person", "name": "Emmanuel Macron", "slug": "emmanuel-macron", "articles": 11,
                      "mentions": macron["mentions"], "first_date": "2017-05-07", "last_date": "2024-12-08",
                      "url": BASE + "people/emmanuel-macron/", "path": "people/emmanuel-macron/"}
    # the counts are those of the articles
    lines = articles(public)
    counted, mentioned = Counter(), Counter()
    for article in lines:
        for tags in article["entities"].values():
            for tag in tags:
                counted[tag["path"]] += 1
                mentioned[tag["path"]] += tag["mentions"]
    assert all(counted[e["path"]] == e["articles"] and mentioned[e["path"]] == e["mentions"] for e in data)
    # by kind, then most articles first
    kinds = [ENTITY_KINDS.index(e["kind"]) for e in data]
    assert kinds == sorted(kinds) and data[0]["name"] == "Emmanuel Macron"
    hidalgo = next(e for e in data if e["slug"] == "anne-hidalgo")  # only in the undated letter and others
    assert hidalgo["first_date"] is None or hidalgo["first_date"] <= hidalgo["last_date"]


def test_a_cell_a_spreadsheet_would_run_is_quoted():
    assert _cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and _cell("@SUM") == "'@SUM"
    assert _cell("Paris") == "Paris" and _cell(None) == "" and _cell(3) == 3


def test_a_rebuild_from_scratch_writes_the_same_bytes(built_sample_copy):
    """Another process (another hash seed), no cache: the same files, kept as they were."""
    data = built_sample_copy / "public" / "data"
    before = {name: ((data / name).read_bytes(), (data / name).stat().st_mtime_ns) for name in DATA_FILES}
    shutil.rmtree(built_sample_copy / ".gazette")
    (built_sample_copy / "content" / "une-lettre-de-lecteur-sans-date.md").touch()
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-m", "generator", "build", "-q", "--site", str(built_sample_copy)],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    after = {name: ((data / name).read_bytes(), (data / name).stat().st_mtime_ns) for name in DATA_FILES}
    assert after == before


def test_export_files_lists_every_file_the_export_makes(built_sample):
    from generator.site.export import FILES
    assert sorted(p.relative_to(built_sample / "public").as_posix()
                  for p in (built_sample / "public" / "data").iterdir()) == sorted(FILES)
