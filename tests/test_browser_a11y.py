"""No serious or critical accessibility problem that axe-core finds, on the
home, article, entity, chronology, archive, entities, search and 404 pages, in
the light and the dark theme (prefers-color-scheme emulated), in Debian's
chromium through Playwright.

axe-core comes from the npm registry at the version in
tests/a11y/package-lock.json: `make setup` installs it (npm ci --prefix
tests/a11y). Without it, or without chromium, the tests are skipped with
the reason, except under CI=true where that is a failure.
"""
from __future__ import annotations

import os
import sys
import shutil
from pathlib import Path

import pytest

from browser_support import serve_folder
from generator.config import load_config
from generator.report import SilentReporter
from generator.site.build import build_site

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
SAMPLE = Path(__file__).parent / "fixtures" / "sample-site"
SUB_PATH = "/sub/path/"
TIMEOUT = 15_000  # ms
SERIOUS = ("serious", "critical")
ARTICLE = "articles/le-royaume-uni-a-quitte-lunion-europeenne/"
PAGES = {
    "home": "",
    "article": ARTICLE,
    "entity": None,  # the first person page (found in the build)
    "chronology": "dates/",
    "archive": "archive/",
    "entities": "entities/",
    "search": "search/?q=Brexit&person=Theresa+May",
    "search-empty": "search/",
    "not-found": "no/such/page/",
}


def require_axe() -> str:
    if not AXE.is_file():
        reason = f"axe-core is not installed ({AXE}): run `make setup` (npm ci --prefix tests/a11y)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} — the accessibility tests must run in CI", pytrace=False)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")



@pytest.fixture(scope="module")
def axe() -> str:
    """axe-core's source (checked before the site is built)."""
    return require_axe()


@pytest.fixture(scope="module")
def site(axe, tmp_path_factory):
    """The sample site built for its sub-path; yields (site URL, output folder)."""
    folder = tmp_path_factory.mktemp("a11y") / "site"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".gazette", "public"))
    output = folder / "public"
    build_site(load_config(folder), output=output, base_url=f"https://example.org{SUB_PATH}", reporter=SilentReporter())
    with serve_folder(output, SUB_PATH) as url:
        yield url, output


def address(name: str, output: Path) -> str:
    if name == "entity":
        return "people/" + sorted(p.name for p in (output / "people").iterdir() if p.is_dir())[0] + "/"
    if name == "not-found":
        return "404.html"
    return PAGES[name]


def serious(violations: list[dict]) -> list[str]:
    return [f"{v['impact']} {v['id']}: {v['help']} — "
            + "; ".join(" ".join(node["target"]) if isinstance(node["target"][0], str) else str(node["target"])
                        for node in v["nodes"][:5])
            for v in violations if v["impact"] in SERIOUS]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violation(axe, site, browser, name, scheme):
    url, output = site
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(url + address(name, output))
        page.wait_for_load_state("load")
        if name.startswith("search"):
            page.wait_for_function("!document.getElementById('search-layout').hidden"
                                   " && !document.getElementById('search').hasAttribute('aria-busy')",
                                   timeout=TIMEOUT)
            if name == "search":
                page.wait_for_selector(".search-result-link", timeout=TIMEOUT)
            else:  # every person offered, and the box to find one in use
                page.click("#search-more-person")
                page.fill("#search-find-person", "ma")
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        page.add_script_tag(content=axe)
        result = page.evaluate("""async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
            resultTypes: ['violations'],
        })""")
        assert serious(result["violations"]) == [], f"{name} ({scheme})"
    finally:
        context.close()


def test_missing_axe_is_a_skip_locally_and_a_failure_in_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(sys.modules[__name__], "AXE", tmp_path / "axe.min.js")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="axe-core"):
        require_axe()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="axe-core"):
        require_axe()
