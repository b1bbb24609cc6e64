"""The 404 page works at any missing address: under `gazette serve` (the
site at /, whatever the path of base_url) and on a static host (the site at
the path of base_url), its stylesheet and links resolve to real files."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from browser_support import serve_folder
from generator.serve.http import at_root
from generator.site.build import build_site
from test_serve import request, running

MISSING = ["/nothing-here", "/no/such/page/", "/articles/deleted-story/", "/archives/a/b/c.html"]


def links(page: str, address: str) -> dict[str, str]:
    """The stylesheet and the home and search links of the 404 page, resolved as a browser would."""
    base = re.search(r'<base href="([^"]*)"', page).group(1)
    base_url = urljoin(address, base)
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]*)"', page).group(1)
    anchors = re.findall(r'<a [^>]*href="([^"#]*)"', page.split("<main", 1)[1])
    return {"stylesheet": urljoin(base_url, stylesheet), **{f"link {i}": urljoin(base_url, a) for i, a in enumerate(anchors)}}


@pytest.mark.parametrize("missing", MISSING)
def test_the_404_page_under_serve_loads_its_stylesheet_and_links(built_sample_copy, missing):
    with running(built_sample_copy, build=build_site) as preview:
        status, body = request(preview, missing)
        assert status == 404
        page = body.decode("utf-8")
        assert '<base href="/">' in page
        found = links(page, "http://localhost" + missing)
        assert len(found) >= 3
        for what, url in found.items():
            status, body = request(preview, urlsplit(url).path)
            assert status == 200, f"{what} {url} → {status}"
        css_status, css = request(preview, urlsplit(found["stylesheet"]).path)
        assert b":root" in css


def test_the_404_page_on_a_static_host_under_the_path_of_base_url(built_sample):
    """As a static host serves it (GitHub Pages: 404.html for any missing address under the site)."""
    from urllib.request import urlopen

    output = built_sample / "public"
    page = (output / "404.html").read_text(encoding="utf-8")
    assert '<base href="/archives/">' in page  # the sample's base_url is https://example.org/archives/
    with serve_folder(output, "/archives/") as url:
        for missing in MISSING:
            for what, target in links(page, url.rstrip("/") + missing).items():
                with urlopen(target) as response:
                    assert response.status == 200, f"{what} {target}"


def test_only_the_base_of_the_page_is_moved():
    page = b'<head><base href="/archives/"><link href="static/style.css"></head><body><base href="/x/"></body>'
    assert at_root(page) == page.replace(b'"/archives/"', b'"/"')


@pytest.mark.browser
def test_the_404_page_under_serve_is_styled_in_a_browser(built_sample_copy, page):
    """In chromium: the stylesheet of the 404 page at a deep missing address loads and applies."""
    failures: list[str] = []
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/no/such/page/") and failures.append(r.url))
    with running(built_sample_copy, build=build_site) as preview:
        response = page.goto(f"{preview.url}no/such/page/")
        assert response.status == 404
        assert page.evaluate("[...document.styleSheets].some(s => s.href && s.href.endsWith('/static/style.css')"
                             " && s.cssRules.length > 10)")
        # the theme's paper colour, not the browser's white
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgba(0, 0, 0, 0)"
        page.click("main a >> nth=0")
        page.wait_for_load_state()
        assert page.url == preview.url
    assert [f for f in failures if not f.endswith("/favicon.ico")] == []
