"""The search page keeps its state in the address (Debian's chromium through
Playwright, on the sample site served under a sub-path): filters come back
from a URL, a chip removes its filter, Back restores the previous state; the
filters are sorted by count with a "more" button and a box to find one; each
result shows its date and the entities that matched; on a phone the filters
fold away.

Skipped without chromium, except under CI=true where that is a failure.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, quote_plus, urlsplit

import pytest

from test_browser_search import (RESULT, RESULT_LINK, STATUS, SUB_PATH, TIMEOUT, article_pages_with,
                                 filter_counts, result_paths, served)  # noqa: F401 (served: a fixture)

pytestmark = pytest.mark.browser

WORD = "Brexit"


def articles(output: Path, word: str | None = None, **filters: str) -> list[str]:
    """Slugs of the articles with `word` in their indexed part and every filter value given."""
    slugs = article_pages_with(output, word) if word else sorted(
        p.parent.name for p in (output / "articles").glob("*/index.html"))
    found = []
    for slug in slugs:
        html = (output / "articles" / slug / "index.html").read_text(encoding="utf-8")
        if all(f'data-pagefind-filter="{group}">{value}<' in html for group, value in filters.items()):
            found.append(slug)
    return found


def slugs(page) -> list[str]:
    return sorted(p.rstrip("/").rsplit("/", 1)[1] for p in result_paths(page))


def settled(page, count: int) -> None:
    """Wait until the page shows `count` results (all on one page) and is not busy."""
    page.wait_for_function(
        f"!document.getElementById('search').hasAttribute('aria-busy')"
        f" && document.querySelectorAll('{RESULT_LINK}').length === {count}", timeout=TIMEOUT)


def query(page) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(page.url).query)


def checked(page, group: str) -> list[str]:
    return page.eval_on_selector_all(f"input[name={group}]:checked", "els => els.map(e => e.value)")


def two_people(output: Path) -> tuple[str, str]:
    """Two people of the Brexit articles such that each narrows the results, and both together narrow further."""
    people = {}
    for slug in articles(output, WORD):
        html = (output / "articles" / slug / "index.html").read_text(encoding="utf-8")
        for name in re.findall(r'data-pagefind-filter="person">([^<]+)<', html):
            people[name] = people.get(name, 0) + 1
    ranked = sorted(people, key=lambda n: (-people[n], n))
    for first in ranked:
        for second in ranked:
            both = articles(output, WORD, person=first) and [
                s for s in articles(output, WORD, person=first) if s in articles(output, WORD, person=second)]
            if first != second and both and len(both) < len(articles(output, WORD, person=first)) < len(articles(output, WORD)):
                return first, second
    raise AssertionError(f"no two people narrow the {WORD} results: {people}")


def test_filters_are_restored_from_the_address(served, page):
    url, output = served
    first, _ = two_people(output)
    expected = articles(output, WORD, person=first)
    # (a parameter that names no filter, as a newsletter's tracking tag, is no filter)
    page.goto(url + f"search/?q={WORD}&person={quote_plus(first)}&utm_source=newsletter")
    settled(page, len(expected))
    assert slugs(page) == expected
    assert page.input_value("#search-input") == WORD
    assert checked(page, "person") == [first]
    chip = page.locator(".search-chip[data-group=person]")
    assert chip.count() == 1 and first in chip.inner_text()
    # a chosen value is listed first in its group
    assert list(filter_counts(page, "person"))[0] == first
    assert page.inner_text(STATUS).startswith(f"{len(expected)} résultat")


def test_a_chip_removes_its_filter(served, page):
    url, output = served
    first, _ = two_people(output)
    page.goto(url + f"search/?q={WORD}&person={quote_plus(first)}")
    settled(page, len(articles(output, WORD, person=first)))
    page.click(f".search-chip[data-value='{first}']")
    settled(page, len(articles(output, WORD)))
    assert query(page) == [("q", WORD)]
    assert checked(page, "person") == []
    assert page.locator(".search-chip").count() == 0
    assert page.is_hidden("#search-chips")


def test_back_restores_the_previous_state(served, page):
    url, output = served
    first, second = two_people(output)
    everything = articles(output, WORD)
    one = articles(output, WORD, person=first)
    both = [s for s in one if s in articles(output, WORD, person=second)]
    page.goto(url + f"search/?q={WORD}")
    settled(page, len(everything))
    page.check(f"input[name=person][value='{first}']")
    settled(page, len(one))
    page.check(f"input[name=person][value='{second}']")
    settled(page, len(both))
    assert query(page) == [("q", WORD), ("person", first), ("person", second)]
    assert slugs(page) == both

    page.go_back()
    settled(page, len(one))
    assert query(page) == [("q", WORD), ("person", first)]
    assert checked(page, "person") == [first] and slugs(page) == one
    page.go_back()
    settled(page, len(everything))
    assert query(page) == [("q", WORD)] and checked(page, "person") == []
    page.go_forward()
    settled(page, len(one))
    assert checked(page, "person") == [first]
    # a reload keeps it all
    page.reload()
    settled(page, len(one))
    assert checked(page, "person") == [first] and slugs(page) == one


def test_filters_alone_and_the_page_number_are_kept(served, page):
    url, output = served
    counts = {}
    for slug in articles(output):
        html = (output / "articles" / slug / "index.html").read_text(encoding="utf-8")
        for name in re.findall(r'data-pagefind-filter="person">([^<]+)<', html):
            counts[name] = counts.get(name, 0) + 1
    person = max(counts, key=lambda n: (counts[n], n))
    expected = articles(output, person=person)
    assert len(expected) > 10, "the sample's most frequent person should fill more than one page"
    page.goto(url + f"search/?person={quote_plus(person)}&page=2")
    settled(page, len(expected) - 10)
    assert "2" in page.inner_text(".search-page-current")
    assert page.get_attribute("#search-results", "start") == "11"
    page.click(".search-page-link[rel=prev]")
    settled(page, 10)
    assert query(page) == [("person", person)]
    page.go_back()
    settled(page, len(expected) - 10)
    assert ("page", "2") in query(page)


def test_filters_by_count_with_more_and_a_box_to_find_one(served, page):
    url, output = served
    page.goto(url + "search/")
    page.wait_for_selector("input[name=person]", timeout=TIMEOUT)
    shown = filter_counts(page, "person")
    assert len(shown) == 6
    assert list(shown.values()) == sorted(shown.values(), reverse=True)
    assert 0 not in shown.values()
    more = page.locator("#search-more-person")
    assert more.get_attribute("aria-expanded") == "false"
    more.click()
    everyone = filter_counts(page, "person")
    assert len(everyone) > 6 and list(everyone.values()) == sorted(everyone.values(), reverse=True)
    assert page.locator("#search-more-person").get_attribute("aria-expanded") == "true"
    # the box finds a name, accents and case aside
    name = next(n for n in everyone if len(n.split()) > 1)
    page.fill("#search-find-person", name.split()[-1][:4].upper())
    page.wait_for_function(f"document.querySelectorAll('input[name=person]').length < {len(everyone)}")
    found = filter_counts(page, "person")
    assert name in found and all(name.split()[-1][:4].lower() in n.lower() for n in found)
    assert page.get_attribute("#search-find-person", "id") == page.evaluate("document.activeElement.id")
    assert page.locator("label[for=search-find-person]").count() == 1


def test_each_result_shows_its_date_and_the_entities_that_matched(served, page):
    url, output = served
    first, _ = two_people(output)
    surname = first.split()[-1]
    page.goto(url + f"search/?q={quote_plus(surname)}")
    page.wait_for_function(f"document.querySelectorAll('{RESULT_LINK}').length > 0"
                           " && !document.getElementById('search').hasAttribute('aria-busy')", timeout=TIMEOUT)
    matched = 0
    for result in page.query_selector_all(RESULT):
        path = urlsplit(result.query_selector(RESULT_LINK).get_attribute("href")).path
        html = (output / path[len(SUB_PATH):] / "index.html").read_text(encoding="utf-8")
        date = re.search(r'data-pagefind-meta="date\[content\]" content="([^"]+)"', html).group(1)
        assert result.query_selector(".search-result-date").inner_text() == date
        if f'data-pagefind-filter="person">{first}<' in html:
            assert first in result.query_selector(".search-result-matched").inner_text()
            matched += 1
    assert matched


def test_on_a_phone_the_filters_fold_away(served, browser):
    url, output = served
    context = browser.new_context(viewport={"width": 375, "height": 700}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(url + f"search/?q={WORD}")
        settled(page, len(articles(output, WORD)))
        assert page.evaluate("document.getElementById('search-filters').open") is False
        first_result = page.locator(RESULT).first.bounding_box()
        assert first_result["y"] < 700, "the first result is below the fold"
        page.click("#search-filters summary")
        assert page.is_visible("input[name=person]")
        # choose a person, then the button under the filters folds them and shows the results
        person = next(iter(filter_counts(page, "person")))
        expected = articles(output, WORD, person=person)
        page.check(f"input[name=person][value='{person}']")
        settled(page, len(expected))
        show = page.locator(".search-filters-show")
        assert str(len(expected)) in show.inner_text() or len(expected) == 1
        show.click()
        assert page.evaluate("document.getElementById('search-filters').open") is False
        status = page.locator(STATUS).bounding_box()
        assert 0 <= status["y"] < 700
    finally:
        context.close()
