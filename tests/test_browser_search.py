"""The search page in a real browser (Debian's chromium through Playwright),
on the sample site served under a sub-path, as a GitHub Pages project site is.

Skipped without chromium, except under CI=true where that is a failure.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

import pytest

import browser_support
from browser_support import require_chromium, serve_folder  # the fixtures browser and page: conftest.py
from generator.site.build import build_site
from generator.config import load_config
from generator.report import SilentReporter

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).parent / "fixtures" / "sample-site"
SUB_PATH = "/sub/path/"
UNIQUE_WORD = "Parasite"  # in one article of the sample site only (checked below)
COMMON_WORD = "Brexit"  # in several articles, French and English
RESULT = ".search-result"
RESULT_LINK = ".search-result-link"
INPUT = "#search-input"
STATUS = "#search-status"
TIMEOUT = 15_000  # ms


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The sample site built for its sub-path and served there; yields (site URL, output folder)."""
    site = tmp_path_factory.mktemp("browser") / "site"
    shutil.copytree(SAMPLE, site, ignore=shutil.ignore_patterns(".gazette", "public"))
    output = site / "public"
    build_site(load_config(site), output=output, base_url=f"https://example.org{SUB_PATH}", reporter=SilentReporter())
    with serve_folder(output, SUB_PATH) as url:
        yield url, output


def article_pages_with(output: Path, word: str) -> list[str]:
    """Slugs of the articles whose indexed part (the <article> element) has `word`."""
    pattern = re.compile(rf"\b{re.escape(word)}\b", re.I)
    found = []
    for path in (output / "articles").glob("*/index.html"):
        body = path.read_text(encoding="utf-8").split("data-pagefind-body", 1)[1].split("</article>", 1)[0]
        if pattern.search(body):
            found.append(path.parent.name)
    return sorted(found)


def result_paths(page) -> list[str]:
    """Result links as paths on the server ('/sub/path/articles/x/')."""
    return [urlsplit(href).path for href in page.eval_on_selector_all(RESULT_LINK, "els => els.map(e => e.href)")]


def wait_for_count(page, count: int) -> None:
    """Wait until `count` results are shown with their links (placeholders come first)."""
    page.wait_for_function(
        f"document.querySelectorAll('{RESULT}').length === {count}"
        f" && document.querySelectorAll('{RESULT_LINK}').length === {count}", timeout=TIMEOUT)


def filter_counts(page, group: str) -> dict[str, int]:
    """The values offered in a filter group, with their counts, in the order shown."""
    return dict(page.eval_on_selector_all(
        f"input[name={group}]",
        "els => els.map(e => [e.value, Number(e.closest('li').querySelector('.count').textContent)])"))


def search(page, term: str) -> None:
    page.fill(INPUT, term)
    page.wait_for_function(
        "term => (document.querySelector('#search-status') || {}).textContent?.includes(term)",
        arg=term, timeout=TIMEOUT)


def test_search_find_narrow_and_follow_under_a_sub_path(served, page):
    url, output = served
    assert article_pages_with(output, UNIQUE_WORD) == ["festival-de-cannes-la-palme-dor-pour-parasite"]
    origin = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
    requests: list[str] = []
    failures: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failures.append(f"{response.status} {response.url}"))

    page.goto(url + "search/")
    page.wait_for_selector(INPUT, timeout=TIMEOUT)
    assert page.get_attribute("html", "lang") == "fr"
    # the interface speaks the site's language, and the box has a label
    assert page.inner_text("label[for=search-input]").lower().startswith("rech")

    # a word that is in one article only: exactly that article
    search(page, UNIQUE_WORD)
    wait_for_count(page, 1)
    assert result_paths(page) == [f"{SUB_PATH}articles/festival-de-cannes-la-palme-dor-pour-parasite/"]
    assert "Palme d’or" in page.inner_text(RESULT)
    # the search is in the address, so it can be linked to
    assert urlsplit(page.url).query == f"q={UNIQUE_WORD}"

    # a word in several articles, in French and English (both language indexes are searched)
    search(page, COMMON_WORD)
    expected = article_pages_with(output, COMMON_WORD)
    wait_for_count(page, len(expected))
    before = result_paths(page)
    assert sorted(p.rstrip("/").rsplit("/", 1)[1] for p in before) == expected
    assert any("announces-her-resignation" in p for p in before)  # an English article

    # narrow by a person: the filter lists the people of these results with their counts
    counts = filter_counts(page, "person")
    narrower = sorted((n, name) for name, n in counts.items() if 0 < n < len(before))
    assert narrower, f"no person narrows the {len(before)} results: {counts}"
    count, person = narrower[0]
    page.check(f"input[name=person][value='{person}']")
    assert f"person={quote_plus(person)}" in page.url
    wait_for_count(page, count)
    after = result_paths(page)
    assert set(after) < set(before)
    for path in after:
        html = (output / path[len(SUB_PATH):] / "index.html").read_text(encoding="utf-8")
        assert f'data-pagefind-filter="person">{person}<' in html

    # follow a result: land on the article page, under the sub-path
    first = page.query_selector(RESULT_LINK)
    title = first.inner_text().strip()
    first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == after[0]
    assert page.inner_text("h1").strip() == title
    assert person in page.inner_text("article")

    # everything came from the site itself, and nothing under it was missing
    assert all(r.startswith(origin + SUB_PATH) or r.startswith("data:") for r in requests), \
        [r for r in requests if not r.startswith(origin + SUB_PATH)]
    assert [f for f in failures if not f.endswith("/favicon.ico")] == []


def test_a_linked_search_opens_with_its_results(served, page):
    url, _ = served
    page.goto(url + f"search/?q={UNIQUE_WORD}")
    wait_for_count(page, 1)
    assert page.input_value(INPUT) == UNIQUE_WORD
    assert result_paths(page) == [f"{SUB_PATH}articles/festival-de-cannes-la-palme-dor-pour-parasite/"]


@pytest.fixture(scope="module", params=[None, 4], ids=["one-index", "shards-of-4"])
def served_french_only(tmp_path_factory, request):
    """The sample site without its English articles: one language, so results
    can be sorted; in one index, or dealt to shards of 4 articles."""
    site = tmp_path_factory.mktemp("browser-fr") / "site"
    shutil.copytree(SAMPLE, site, ignore=shutil.ignore_patterns(".gazette", "public"))
    for record in (site / "content").glob("*.md"):
        if "\nlang: en\n" in record.read_text(encoding="utf-8"):
            record.unlink()
    if request.param:  # the sample's site.toml ends with its [build] table
        with (site / "site.toml").open("a") as toml:
            toml.write(f"search_shard_size = {request.param}\n")
    output = site / "public"
    build_site(load_config(site), output=output, reporter=SilentReporter())
    with serve_folder(output, SUB_PATH) as url:
        yield url, output


def result_dates(page, output: Path) -> list[str]:
    dates = []
    for path in result_paths(page):
        html = (output / path[len(SUB_PATH):] / "index.html").read_text(encoding="utf-8")
        dates.append(re.search(r'data-pagefind-sort="date\[content\]" content="([^"]+)"', html).group(1))
    return dates


def test_results_can_be_sorted_by_date(served_french_only, page):
    url, output = served_french_only
    word = "ministre"
    expected = article_pages_with(output, word)
    assert len(expected) >= 3
    page.goto(url + f"search/?q={word}&sort=date-asc")
    page.wait_for_selector(RESULT, timeout=TIMEOUT)
    assert page.is_visible("#search-sort")
    assert page.input_value("#search-sort") == "date-asc"
    page.wait_for_function(f"document.querySelectorAll('{RESULT_LINK}').length >= 3", timeout=TIMEOUT)
    ascending = result_dates(page, output)
    assert ascending == sorted(ascending)
    with page.expect_navigation(timeout=TIMEOUT):  # the shards are merged again in the new order
        page.select_option("#search-sort", "date-desc")
    assert "sort=date-desc" in page.url
    page.wait_for_function(f"document.querySelectorAll('{RESULT_LINK}').length >= 3", timeout=TIMEOUT)
    descending = result_dates(page, output)
    assert descending == sorted(descending, reverse=True)
    assert descending[0] >= ascending[-1]
    # every shard is searched (all_results asks the first shard's instance: relevance order)
    page.goto(url + f"search/?q={word}")
    page.wait_for_selector(RESULT_LINK, timeout=TIMEOUT)
    found = {p.rstrip("/").rsplit("/", 1)[1] for p in all_results(page, word)}
    assert set(expected) <= found


def test_the_date_order_is_not_offered_when_languages_are_merged(served, page):
    url, _ = served
    page.goto(url + f"search/?q={COMMON_WORD}&sort=date-asc")
    page.wait_for_selector(RESULT, timeout=TIMEOUT)
    assert not page.is_visible("#search-sort")


def all_results(page, term: str) -> list[str]:
    """Every result for `term` (not only the first page the UI shows), through
    the Pagefind instance the search page set up (its merged indexes included)."""
    return page.evaluate("""async (term) => {
        const bundle = new URL(document.getElementById("search").dataset.bundle, document.baseURI).href;
        const pagefind = await import(bundle + "pagefind.js");
        const search = await pagefind.search(term);
        const data = await Promise.all(search.results.map(r => r.data()));
        return data.map(d => new URL(d.url, location.href).pathname);
    }""", term)


def test_french_elided_words_are_found_and_shown_as_written(served, page):
    url, output = served
    expected = article_pages_with(output, "accord")  # "l’accord" counts: ’ ends a word
    assert len(expected) >= 3
    assert any("l’accord" in (output / "articles" / slug / "index.html").read_text(encoding="utf-8")
               for slug in expected)
    page.goto(url + "search/?q=accord")
    page.wait_for_selector(RESULT_LINK, timeout=TIMEOUT)
    found = {p.rstrip("/").rsplit("/", 1)[1] for p in all_results(page, "accord")}
    assert set(expected) <= found
    excerpts = page.eval_on_selector_all(".search-result-excerpt", "els => els.map(e => e.innerHTML)")
    assert any("l’<mark>accord</mark>" in excerpt for excerpt in excerpts)
    assert not [excerpt for excerpt in excerpts if "l’ " in excerpt]
    # typed with its article, the word finds the same articles
    search(page, "l’accord")
    page.wait_for_function(
        "document.querySelector('#search-status').textContent.includes('l’accord')", timeout=TIMEOUT)
    assert {p.rstrip("/").rsplit("/", 1)[1] for p in result_paths(page)} <= found


def test_missing_chromium_is_a_skip_locally_and_a_failure_in_ci(monkeypatch):
    monkeypatch.setattr(browser_support, "find_chromium", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="chromium"):
        require_chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="chromium"):
        require_chromium()


def test_the_server_answers_nothing_outside_the_sub_path(served):
    from urllib.error import HTTPError
    from urllib.request import urlopen

    url, _ = served
    origin = url[: -len(SUB_PATH) + 1]
    with urlopen(url + "search/") as response:
        assert response.status == 200
    with pytest.raises(HTTPError) as caught:
        urlopen(origin + "search/")
    assert caught.value.code == 404
