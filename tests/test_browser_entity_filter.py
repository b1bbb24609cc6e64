"""The entity index's filter box in a real browser (Debian's chromium through
Playwright), on the sample site served under a sub-path, at a phone's width.

Skipped without chromium, except under CI=true where that is a failure.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser_support import serve_folder  # the fixtures browser and page: conftest.py
from generator.config import load_config
from generator.report import SilentReporter
from generator.site.build import build_site

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).parent / "fixtures" / "sample-site"
SUB_PATH = "/sub/path/"
PHONE = {"width": 390, "height": 844}
TIMEOUT = 10_000  # ms
RESULTS = ".entity-results li"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = tmp_path_factory.mktemp("entity-filter") / "site"
    shutil.copytree(SAMPLE, site, ignore=shutil.ignore_patterns(".gazette", "public"))
    output = site / "public"
    build_site(load_config(site), output=output, base_url=f"https://example.org{SUB_PATH}", reporter=SilentReporter())
    with serve_folder(output, SUB_PATH) as url:
        yield url, output


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def visible_static_lists(page) -> int:
    return page.eval_on_selector_all("[data-entity-static]", "els => els.filter(e => e.offsetParent !== null).length")


def filter_for(page, text: str) -> None:
    page.fill("#entity-filter-input", text)
    page.wait_for_function("t => document.querySelector('#entity-filter-input').value === t"
                           " && document.querySelector('#entity-filter-status').textContent !== ''",
                           arg=text, timeout=TIMEOUT)


def test_the_filter_box_narrows_the_list_on_a_phone(served, phone):
    url, output = served
    people = [row for row in json.loads((output / "entities" / "index.json").read_text())["entities"]
              if row[1] == "person"]
    phone.goto(url + "entities/people/")
    assert phone.is_visible("#entity-filter-input")  # the script showed the box
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    shown_before = phone.eval_on_selector_all(".entity-list[data-entity-static] li, [data-entity-static] .entity-list li",
                                              "els => els.length")
    assert shown_before == min(len(people), 50) and visible_static_lists(phone) == 1

    filter_for(phone, "macr")
    names = phone.eval_on_selector_all(RESULTS + " a", "els => els.map(e => e.textContent)")
    assert names == ["Emmanuel Macron"]
    assert phone.inner_text("#entity-filter-status") == "1 nom trouvé"
    assert visible_static_lists(phone) == 0  # the results stand in for the lists

    filter_for(phone, "edouard")  # accents and case folded
    assert phone.eval_on_selector_all(RESULTS + " a", "els => els.map(e => e.textContent)") == ["Édouard Philippe"]

    filter_for(phone, "zzzz")
    assert phone.inner_text("#entity-filter-status") == "Aucun nom ne correspond."
    assert phone.eval_on_selector_all(RESULTS, "els => els.length") == 0

    phone.fill("#entity-filter-input", "")  # cleared: the lists come back
    phone.wait_for_function("document.querySelector('.entity-results').hidden", timeout=TIMEOUT)
    assert visible_static_lists(phone) == 1

    filter_for(phone, "macron")
    phone.click(RESULTS + " a")
    phone.wait_for_url("**/people/emmanuel-macron/", timeout=TIMEOUT)
    assert urlsplit(phone.url).path == f"{SUB_PATH}people/emmanuel-macron/"


def test_the_overview_filter_looks_through_every_kind(served, page):
    url, output = served
    total = len(json.loads((output / "entities" / "index.json").read_text())["entities"])
    page.goto(url + "entities/")
    filter_for(page, "a")
    every = page.eval_on_selector_all(RESULTS, "els => els.length")
    filter_for(page, "ira")
    rows = page.eval_on_selector_all(RESULTS, "els => els.map(e => e.textContent)")
    assert 0 < len(rows) < every <= total
    assert any(row.startswith("Iran") and "lieu" in row for row in rows)  # the kind is named: several kinds here
    assert page.eval_on_selector_all(RESULTS + " a", "els => els.map(e => e.getAttribute('href'))")[0].startswith("../")


def test_without_javascript_the_page_is_its_plain_lists(served, browser):
    url, _ = served
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url + "entities/people/e/")
        assert not page.is_visible("#entity-filter-input")  # a box that cannot work is not shown
        assert page.is_visible("text=Emmanuel Macron") and page.is_visible("text=Édouard Philippe")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
