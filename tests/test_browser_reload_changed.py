"""`gazette serve` in a real browser (Debian's chromium through Playwright):
only the tabs whose page changed reload; a failed build still shows the error
overlay on every tab; the search page says when its index lags behind a save.

A generation that changed only some pages is announced with
`Preview.publish(changed=…)` after the test rewrote those pages in the output
folder, as the in-memory model will. Skipped without chromium, except under
CI=true where that is a failure.
"""
from __future__ import annotations

import pytest

from generator.site.build import build_site
from generator.site.i18n import strings
from test_serve import running, small_site  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

TIMEOUT = 20_000  # ms
NOT_RELOADED = "window.__notReloaded === true"


def _open(context, url: str):
    tab = context.new_page()
    tab.goto(url)
    tab.wait_for_function("window.__gazetteLiveReload === true", timeout=TIMEOUT)
    tab.evaluate("window.__notReloaded = true")  # a mark that only survives if the page is NOT reloaded
    return tab


def _rewrite(preview, name: str, text: str) -> None:
    page = preview.config.output_dir / "articles" / name / "index.html"
    page.write_text(f"<!doctype html><html><body><h1>{name}</h1>\n{text}\n</body></html>\n", encoding="utf-8")


def test_only_the_tab_whose_page_changed_reloads(small_site, browser):  # noqa: F811
    context = browser.new_context()
    try:
        with running(small_site) as preview:
            tab_a = _open(context, f"{preview.url}articles/alpha/")
            tab_b = _open(context, f"{preview.url}articles/beta/")
            assert tab_a.evaluate("document.visibilityState") == "visible" == tab_b.evaluate("document.visibilityState")

            _rewrite(preview, "alpha", "alpha, second version")
            preview.publish(frozenset({"articles/alpha/index.html"}))
            tab_a.wait_for_function("document.body.innerText.includes('alpha, second version')", timeout=TIMEOUT)
            assert tab_a.evaluate("window.__notReloaded === undefined")
            tab_b.wait_for_timeout(500)  # B heard the same event at the same time as A
            assert tab_b.evaluate(NOT_RELOADED)
            assert "beta" in tab_b.inner_text("body")

            # B took the new generation silently: a later change of its page reloads it, and only it
            tab_a.evaluate("window.__notReloaded = true")
            _rewrite(preview, "beta", "beta, second version")
            preview.publish(frozenset({"articles/beta/index.html"}))
            tab_b.wait_for_function("document.body.innerText.includes('beta, second version')", timeout=TIMEOUT)
            assert tab_b.evaluate("window.__notReloaded === undefined")
            tab_a.wait_for_timeout(500)
            assert tab_a.evaluate(NOT_RELOADED)

            # a failed build: the overlay on every tab, the last good pages stay
            tab_b.evaluate("window.__notReloaded = true")
            template = small_site / "themes" / "default" / "page.html"
            good = template.read_text(encoding="utf-8")
            template.write_text("{% broken\n" + good, encoding="utf-8")
            for tab in (tab_a, tab_b):
                overlay = tab.locator("#gazette-error-overlay")
                overlay.wait_for(state="visible", timeout=TIMEOUT)
                assert "unexpected end of template" in overlay.inner_text()
                assert tab.evaluate(NOT_RELOADED)

            # the fix is a whole build (everything changed): both reload, without the overlay
            template.write_text(good.replace("<h1>", "<h1 class=fixed>"), encoding="utf-8")
            for tab in (tab_a, tab_b):
                tab.wait_for_selector("h1.fixed", timeout=TIMEOUT)
                assert tab.locator("#gazette-error-overlay").count() == 0
    finally:
        context.close()


def test_a_missing_page_reloads_once_it_exists(small_site, page):  # noqa: F811
    with running(small_site) as preview:
        page.goto(f"{preview.url}articles/gamma/")
        page.wait_for_function("window.__gazetteLiveReload === true", timeout=TIMEOUT)
        assert "not here" in page.inner_text("body")
        page.evaluate("window.__notReloaded = true")
        (preview.config.output_dir / "articles" / "gamma").mkdir()
        _rewrite(preview, "gamma", "a new page")
        preview.publish(frozenset({"articles/gamma/index.html"}))
        page.wait_for_function("document.body.innerText.includes('a new page')", timeout=TIMEOUT)


def test_the_search_page_says_while_its_index_lags_behind(built_sample_copy, page):
    from generator.config import load_config

    notice_text = str(strings(load_config(built_sample_copy).language)["search_lag"])
    on_disk = (built_sample_copy / "public" / "search" / "index.html").read_bytes()
    with running(built_sample_copy, build=build_site) as preview:
        page.goto(f"{preview.url}search/")
        page.wait_for_function("window.__gazetteLiveReload === true", timeout=TIMEOUT)
        notice = page.locator("#gazette-search-lag")
        assert notice.count() == 1 and notice.get_attribute("role") == "status"
        assert not notice.is_visible()

        preview.set_search_pending(True)
        notice.wait_for(state="visible", timeout=TIMEOUT)
        assert notice.inner_text() == notice_text
        assert page.get_by_role("status").filter(has_text=notice_text).count() == 1

        preview.set_search_pending(False)
        notice.wait_for(state="hidden", timeout=TIMEOUT)
        assert page.evaluate("window.__gazetteLiveReload === true")
    # the built page is the same as `gazette build`'s: the notice lives in the reload script only
    assert (built_sample_copy / "public" / "search" / "index.html").read_bytes() == on_disk
    assert notice_text.encode() not in on_disk


HIDE = """() => {
  Object.defineProperty(document, "hidden", {value: true, configurable: true});
  document.dispatchEvent(new Event("visibilitychange"));
}"""
SHOW = """() => {
  Object.defineProperty(document, "hidden", {value: false, configurable: true});
  document.dispatchEvent(new Event("visibilitychange"));
}"""


def test_a_hidden_tab_shown_again_reloads_only_if_its_page_changed_meanwhile(small_site, page):  # noqa: F811
    with running(small_site) as preview:
        page.goto(f"{preview.url}articles/beta/")
        page.wait_for_function("window.__gazetteLiveReload === true", timeout=TIMEOUT)
        page.evaluate("window.__notReloaded = true")
        page.evaluate(HIDE)  # a hidden tab closes its stream (browsers allow few connections)
        _rewrite(preview, "alpha", "alpha, while beta was hidden")
        preview.publish(frozenset({"articles/alpha/index.html"}))
        page.evaluate(SHOW)
        page.wait_for_timeout(700)
        assert page.evaluate(NOT_RELOADED)  # alpha changed, not beta

        page.evaluate(HIDE)
        _rewrite(preview, "beta", "beta, while hidden")
        preview.publish(frozenset({"articles/beta/index.html"}))
        preview.publish(frozenset({"feed.xml"}))
        page.wait_for_timeout(500)
        assert page.evaluate(NOT_RELOADED)  # hidden: no stream, nothing heard yet
        page.evaluate(SHOW)
        page.wait_for_function("document.body.innerText.includes('beta, while hidden')", timeout=TIMEOUT)
