"""Dates of publication at ingest: datelines with an update, HTML update
dates, and dates that stick (--date, a date corrected by hand)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fakes import ingest_fixtures as ingest
from generator.records import parse_record


def only_record_file(site: Path) -> Path:
    files = sorted((site / "content").glob("*.md"))
    assert len(files) == 1, files
    return files[0]


def only_record(site: Path):
    path = only_record_file(site)
    return parse_record(path.read_text(encoding="utf-8"), path)


# ---------------------------------------------------------------- what the seed says

def test_dateline_gives_publication_and_update(site):
    assert ingest(site, "dateline_published_and_updated.txt").exit_code == 0
    record = only_record(site)
    assert (record.date, record.date_source) == ("2019-07-14T10:30", "dateline")
    assert record.updated == "2019-07-15T08:00"


def test_update_date_alone_is_no_publication_date(site):
    assert ingest(site, "dateline_update_only.txt").exit_code == 0
    record = only_record(site)
    assert (record.date, record.date_source) == (None, "unknown")
    assert record.updated == "2019-07-15T08:00"


def test_html_update_date_is_kept_apart(site):
    assert ingest(site, "html_update_date.html").exit_code == 0
    record = only_record(site)
    assert record.date.startswith("2020-06-12") and record.date_source == "html-meta"
    assert record.updated == "2020-06-14"


def test_html_without_update_date_has_none(site):
    assert ingest(site, "article.html").exit_code == 0
    assert only_record(site).updated is None


# ---------------------------------------------------------------- --date sticks

def test_option_date_is_kept_on_a_later_ingest(site):
    ingest(site, "no_date_of_its_own.txt", args=("--date", "2022-02-02"))
    path = only_record_file(site)
    written = path.read_bytes()
    result = ingest(site)
    assert result.exit_code == 0
    assert path.read_bytes() == written  # not rewritten back to date: null
    record = only_record(site)
    assert (record.date, record.date_source) == ("2022-02-02", "option")


def test_option_date_is_kept_without_the_cache(site):
    ingest(site, "no_date_of_its_own.txt", args=("--date", "2022-02-02"))
    shutil.rmtree(site / ".gazette")
    assert ingest(site).exit_code == 0
    assert (only_record(site).date, only_record(site).date_source) == ("2022-02-02", "option")


def test_a_new_option_date_replaces_the_kept_one(site):
    ingest(site, "no_date_of_its_own.txt", args=("--date", "2022-02-02"))
    ingest(site, args=("--date", "2023-03-03"))
    assert (only_record(site).date, only_record(site).date_source) == ("2023-03-03", "option")


def test_the_seeds_own_date_comes_before_a_kept_option_date(site):
    ingest(site, "no_date_of_its_own.txt", args=("--date", "2022-02-02"))
    seed = site / "seeds" / "no_date_of_its_own.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace(
        "\n\nLe conseil", "\n\n3 mars 2022 – Le conseil"), encoding="utf-8")
    ingest(site)
    assert (only_record(site).date, only_record(site).date_source) == ("2022-03-03", "dateline")


# ---------------------------------------------------------------- a date corrected by hand

def _correct_date_by_hand(site: Path, old: str, new: str) -> Path:
    path = only_record_file(site)
    text = path.read_text(encoding="utf-8")
    assert f"date: '{old}'" in text
    path.write_text(text.replace(f"date: '{old}'", f"date: '{new}'"), encoding="utf-8")
    return path


def test_date_corrected_by_hand_is_kept_with_a_message(site):
    ingest(site, "date_corrected_by_hand.txt")
    path = _correct_date_by_hand(site, "2019-07-14", "2019-07-13")
    edited = path.read_bytes()
    result = ingest(site)
    assert result.exit_code == 0
    assert path.read_bytes() == edited
    assert "edited by hand, kept" in result.stderr
    assert "2019-07-13, set by hand, is kept" in result.stderr


def test_date_corrected_by_hand_survives_force_marked_hand(site):
    ingest(site, "date_corrected_by_hand.txt")
    _correct_date_by_hand(site, "2019-07-14", "2019-07-13")
    assert ingest(site, args=("--force",)).exit_code == 0
    record = only_record(site)
    assert (record.date, record.date_source) == ("2019-07-13", "hand")
    # and on every later ingest, even without the cache
    shutil.rmtree(site / ".gazette")
    ingest(site, args=("--force",))
    assert (only_record(site).date, only_record(site).date_source) == ("2019-07-13", "hand")


def test_record_edited_elsewhere_keeps_the_seeds_date_under_force(site):
    ingest(site, "date_corrected_by_hand.txt")
    path = only_record_file(site)
    path.write_text(path.read_text(encoding="utf-8").replace("bal populaire", "bal"), encoding="utf-8")
    ingest(site, args=("--force",))
    assert (only_record(site).date, only_record(site).date_source) == ("2019-07-14", "dateline")


def test_html_comment_date_is_no_update(site):
    # a reader's comment, dated later in the page's body, is not an update of the article
    assert ingest(site, "html_comment_date_is_no_update.html").exit_code == 0
    record = only_record(site)
    assert record.date.startswith("2020-06-12") and record.updated is None
