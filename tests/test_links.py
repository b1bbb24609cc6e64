"""The relative links of a page: followed from the page, each lands on its target."""
from __future__ import annotations

import itertools
from urllib.parse import urljoin

from generator import urls

# site paths of every shape the site has: the home page, folders at each
# depth (sharing some or all of their folders), files in them, fragments
PAGES = ["", "index.html", "feed.xml", "404.html", "articles/a/", "articles/b/", "articles/a/index.html",
         "people/x/", "people/x/feed.xml", "people/", "people/page/2/", "dates/2024/", "dates/2024/11/",
         "dates/2024/11/02/", "static/style.css", "static/search/search.js", "page/2/", "sitemap-1.xml",
         "articles/a/#p1", "people/x/#articles", "#top"]


def test_every_link_followed_from_its_page_lands_on_its_target():
    site = "https://example.org/archives/"  # under a sub-path: links must not go above it
    for here, target in itertools.product(PAGES, repeat=2):
        link = urls.linker(here)(target)
        assert not link.startswith("/"), (here, target, link)
        assert urljoin(site + here, link) == site + target or (target == "" and urljoin(site + here, link) == site), \
            (here, target, link)


def test_links_never_climb_above_the_site_root():
    for here, target in itertools.product(PAGES, repeat=2):
        link = urls.linker(here)(target)
        depth = here.split("#")[0].count("/")
        assert link.count("../") <= depth, (here, target, link)


def test_links_are_as_short_as_their_shared_folders_allow():
    assert urls.relative("articles/a/", "articles/b/") == "../b/"
    assert urls.relative("articles/a/", "articles/a/") == "./"
    assert urls.relative("articles/a/", "articles/a/#p1") == "./#p1"
    assert urls.relative("dates/2024/11/", "dates/2024/") == "../"
    assert urls.relative("dates/2024/11/02/", "people/x/") == "../../../../people/x/"
    assert urls.relative("people/x/feed.xml", "people/x/") == "./"
    assert urls.relative("", "static/style.css") == "static/style.css"
    assert urls.relative("index.html", "") == "./"
