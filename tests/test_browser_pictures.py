"""The pictures in a real browser (Debian's chromium through Playwright):
the entity chart, the maps and the chronology's histogram render with a
size, the world outline loads from the site itself, and a histogram bar is
a link that leads to its archive page.

Skipped without chromium, except under CI=true where that is a failure.
"""
from __future__ import annotations

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


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = tmp_path_factory.mktemp("browser-pictures") / "site"
    shutil.copytree(SAMPLE, site, ignore=shutil.ignore_patterns(".gazette", "public"))
    output = site / "public"
    build_site(load_config(site), output=output, base_url=f"https://example.org{SUB_PATH}", reporter=SilentReporter())
    with serve_folder(output, SUB_PATH) as url:
        yield url


def box(page, selector: str) -> dict:
    element = page.query_selector(selector)
    assert element is not None, selector
    found = element.bounding_box()
    assert found and found["width"] > 0 and found["height"] > 0, f"{selector} has no size: {found}"
    return found


def requests_of(page) -> list[str]:
    """Every request the page makes; none may leave the site."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


def test_place_page_chart_and_map_render(page, served):
    requests = requests_of(page)
    responses = []
    page.on("response", lambda response: responses.append((response.url, response.status)))
    page.goto(served + "places/paris/", wait_until="networkidle")
    box(page, "svg.bars")
    assert box(page, "svg.bars rect.bar")["height"] > 0
    world = box(page, "svg.world-map")
    assert world["width"] > 200
    box(page, "svg.world-map circle")
    outline = [status for address, status in responses if address.endswith("/static/world.svg")]
    assert outline == [200]
    assert all(address.startswith(served) for address in requests), requests


def test_places_map_page_renders_its_points(page, served):
    page.goto(served + "places/", wait_until="networkidle")
    box(page, "svg.world-map")
    assert page.eval_on_selector_all("svg.world-map circle", "cs => cs.filter(c => c.getBBox().width > 0).length") > 10


def test_timeline_bars_render_and_lead_to_archive_pages(page, served):
    page.goto(served + "dates/", wait_until="networkidle")
    box(page, "#years-chart svg")
    bar = page.query_selector("#years-chart a")
    assert bar is not None
    bar_box = bar.bounding_box()
    assert bar_box and bar_box["width"] > 0 and bar_box["height"] > 0
    label = bar.get_attribute("aria-label")
    year = label.split(" ")[0]
    bar.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == f"{SUB_PATH}archive/{year}/"
    assert page.locator("h1").inner_text() == year
