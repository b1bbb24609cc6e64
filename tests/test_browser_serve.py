"""`gazette serve` in a real browser (Debian's chromium through Playwright):
an open page reloads by itself after its record is edited and rebuilt, and
a failed rebuild shows the error overlay on the open page until it is fixed.

Skipped without chromium, except under CI=true where that is a failure.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.site.build import build_site
from test_serve import ROOT, running

pytestmark = pytest.mark.browser

SLUG = "le-royaume-uni-a-quitte-lunion-europeenne"
TIMEOUT = 20_000  # ms


@pytest.fixture
def site(built_sample_copy) -> Path:
    """The sample site, built already with its cache (conftest.py): the preview's first build finds it up to date."""
    return built_sample_copy


def test_open_page_reloads_with_the_edited_record(site, page):
    record = site / "content" / f"{SLUG}.md"
    with running(site, build=build_site) as preview:
        page.goto(f"{preview.url}articles/{SLUG}/")
        page.wait_for_function("window.__gazetteLiveReload === true", timeout=TIMEOUT)
        # a mark that only survives if the page is NOT reloaded
        page.evaluate("window.__notReloaded = true")
        assert "Une correction faite à la main." not in page.content()

        text = record.read_text(encoding="utf-8")
        record.write_text(text.replace("\n---\n", "\n---\nUne correction faite à la main.\n\n", 1), encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('Une correction faite à la main.')",
                               timeout=TIMEOUT)
        assert page.evaluate("window.__notReloaded === undefined")  # a real reload, not a patch
        assert page.url.endswith(f"/articles/{SLUG}/")


def test_a_failed_rebuild_shows_the_overlay_on_the_open_page_and_the_fix_reloads_it(site, page):
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    shipped = (ROOT / "themes" / "default" / "templates" / "article.html").read_text(encoding="utf-8")
    with running(site, build=build_site) as preview:
        page.goto(f"{preview.url}articles/{SLUG}/")
        page.wait_for_function("window.__gazetteLiveReload === true", timeout=TIMEOUT)
        page.evaluate("window.__notReloaded = true")

        (templates / "article.html").write_text(shipped.replace("{%", "{% if %}{%", 1), encoding="utf-8")
        overlay = page.locator("#gazette-error-overlay")
        overlay.wait_for(state="visible", timeout=TIMEOUT)
        assert "article.html:" in overlay.inner_text()
        assert page.evaluate("window.__notReloaded === true")  # the last good page stays

        (templates / "article.html").write_text(shipped.replace("</article>", "<p>thème réparé</p></article>", 1),
                                                encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('thème réparé')", timeout=TIMEOUT)
        assert page.locator("#gazette-error-overlay").count() == 0
