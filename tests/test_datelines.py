"""Datelines: the press forms read, and the lines that only look like one.

The cases are in dateline_cases.py (a third of them held back while the
grammar was written; bench/eval_datelines.py measures both parts)."""
from __future__ import annotations

import pytest

from dateline_cases import NEGATIVE, POSITIVE
from generator.enrich.dates import find_dateline, read_dateline


def _read(text: str, lang: str) -> tuple[str | None, str | None]:
    found = read_dateline(text, lang)
    return (found.published, found.updated) if found else (None, None)


@pytest.mark.parametrize("lang, text, published, updated", POSITIVE, ids=[c[1][:40] for c in POSITIVE])
def test_dateline_form_is_read(lang, text, published, updated):
    assert _read(text, lang) == (published, updated)


@pytest.mark.parametrize("lang, text", NEGATIVE, ids=[c[1][:40] for c in NEGATIVE])
def test_line_that_is_not_a_dateline_gives_no_date(lang, text):
    assert read_dateline(text, lang) is None


def test_update_date_is_kept_apart_from_the_publication():
    found = read_dateline("Publié le 14 juillet 2019 - Mis à jour le 16 juillet 2019\nLe texte.", "fr")
    assert (found.published, found.updated) == ("2019-07-14", "2019-07-16")
    assert find_dateline("Publié le 14 juillet 2019 - Mis à jour le 16 juillet 2019", "fr")[0] == "2019-07-14"


def test_an_update_that_is_not_later_is_dropped():
    found = read_dateline("Mis à jour le 14/07/2019 à 09h00 | Publié le 14/07/2019 à 10h30", "fr")
    assert (found.published, found.updated) == ("2019-07-14T10:30", None)


def test_dateline_words_run_from_the_day_to_the_place():
    found = read_dateline("PARIS, le 14 juillet 2019, Champ-de-Mars, 10 h 30 – Le défilé", "fr")
    assert (found.published, found.words) == ("2019-07-14T10:30", "14 juillet 2019, Champ-de-Mars, 10 h 30")
    assert read_dateline("PARIS, 14 juillet 2019 (AFP) - Le défilé", "fr").words == "14 juillet 2019"


def test_ambiguous_numeric_day_in_english_is_not_guessed():
    assert read_dateline("03/07/2019 — The parade began.", "en") is None
    assert _read("03/07/2019 — Le défilé a commencé.", "fr") == ("2019-07-03", None)


def test_place_described_after_its_proper_name():
    found = read_dateline("12 mars 2020, Chili, désert d'Atacama . –\nDes astronomes ont observé…", "fr")
    assert found.published == "2020-03-12"
    assert read_dateline("12 mars 2020, des astronomes ont observé le ciel . –", "fr") is None


@pytest.mark.parametrize("lang, text, published", [
    ("en", "- Published 18 November 2019\nThe council voted.", "2019-11-18"),
    ("en", "5:45 AM PST 11/19/2019 by Jane Doe\nThe council voted.", "2019-11-19T05:45"),
    ("fr", "• Publié le 18 novembre 2019\nLe conseil a voté.", "2019-11-18"),
    ("fr", "18/11/2019 à 17h45 par Marie Dupont\nLe conseil a voté.", "2019-11-18T17:45"),
    ("fr", "Article publié le 18 novembre 2019\nLe conseil a voté.", "2019-11-18"),
    ("fr", "Publié par Marie Dupont le 18 novembre 2019 à 17h45\nLe conseil a voté.", "2019-11-18T17:45"),
    ("en", "Posted by Jane Doe on November 18, 2019\nThe council voted.", "2019-11-18"),
])
def test_list_mark_and_byline_around_a_dateline(lang, text, published):
    assert read_dateline(text, lang).published == published
