"""The site planned one family of pages at a time (views.py): the union of
the families is the whole plan, every page's URL names its family, a
family's URLs are known without planning it, and planning one page reads
that page's records, not the archive's.

On the committed sample site and on a generated archive of 300 articles
(bench/make_corpus.py), with real related articles; bodies and place
coordinates are stand-ins, as the planner takes them as they come.
"""
from __future__ import annotations

import hashlib
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from typing import Iterator, Mapping

import pytest

from generator import urls
from generator.config import load_config
from generator.report import SilentReporter
from generator.site.library import index_records, read_records, scan_content
from generator.site.related import related_articles, seen_together, seen_with
from generator.site.views import Planner, family_of, family_urls, families, plan_family, plan_site, site_of

SAMPLE = Path(__file__).parent / "fixtures" / "sample-site"  # read, never written
BENCH = Path(__file__).resolve().parent.parent / "bench"


def _make_corpus():
    spec = importlib.util.spec_from_file_location("bench_make_corpus", BENCH / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


class Bodies(Mapping[str, str]):
    """Article bodies that remember which ones were read."""

    def __init__(self, slugs):
        self.slugs = tuple(slugs)
        self.read: list[str] = []

    def __getitem__(self, slug: str) -> str:
        if slug not in self.slugs:
            raise KeyError(slug)
        self.read.append(slug)
        return f"<p>The body of {slug}.</p>"

    def __iter__(self) -> Iterator[str]:
        return iter(self.slugs)

    def __len__(self) -> int:
        return len(self.slugs)


class Archive:
    """What plan_site takes, for one site folder."""

    def __init__(self, folder: Path):
        config = load_config(folder)
        self.library, _ = index_records(read_records(scan_content(config.content_dir), SilentReporter()))
        self.related = related_articles(self.library, config.related)
        self.site = site_of(config, "https://example.org/archive/")
        # two places in three on the map, the others listed without a point
        self.located = {}
        for key, entity in self.library.entities.items():
            number = int(hashlib.sha256(entity.slug.encode()).hexdigest()[:8], 16)
            if entity.kind == "place" and number % 3:
                self.located[key] = (number % 140 - 60.0, number % 360 - 180.0)

    def bodies(self) -> Bodies:
        return Bodies(r.slug for r in self.library.articles)

    def planner(self, bodies: Mapping[str, str] | None = None) -> Planner:
        return Planner(self.library, self.related, bodies or self.bodies(), self.site, self.located)

    def plan(self):
        return plan_site(self.library, self.related, self.bodies(), self.site, self.located)


@pytest.fixture(scope="module", params=["sample", "corpus"])
def archive(request, tmp_path_factory) -> Archive:
    if request.param == "sample":
        return Archive(SAMPLE)
    folder = tmp_path_factory.mktemp(request.param)
    _make_corpus().write_corpus(300, folder, seed=11, formats=("gazette",))
    return Archive(folder / "gazette")


@pytest.fixture(scope="module")
def planned(archive):
    return archive.plan()


def test_the_site_is_the_union_of_its_families_in_order(archive, planned):
    planner = archive.planner()
    assert planned == [page for family in families(archive.library, archive.site)
                       for page in plan_family(family, planner)]
    kinds = Counter(page.template for page in planned)
    assert kinds["article.html"] == len(archive.library.articles)
    assert kinds["entity.html"] >= len(archive.library.entities) and kinds["month.html"] and kinds["day.html"]


def test_every_page_has_its_own_url(planned):
    repeated = [url for url, n in Counter(page.url for page in planned).items() if n > 1]
    assert not repeated


def test_a_pages_url_names_the_family_that_plans_it(archive):
    planner = archive.planner()
    for family in families(archive.library, archive.site):
        pages = plan_family(family, planner)
        assert pages, family
        for page in pages:
            assert family_of(page.url) == family, page.url


def test_a_familys_urls_are_known_without_planning_it(archive):
    planner = archive.planner()
    for family in families(archive.library, archive.site):
        assert family_urls(family, planner) == [(p.url, p.kind) for p in plan_family(family, planner)], family


def test_the_sitemap_lists_every_article_and_listing_but_the_404_page(archive, planned):
    sitemap = next(page for page in planned if page.url == urls.SITEMAP)
    listed = [entry["loc"] for entry in sitemap.context["entries"]]
    assert listed == [urls.absolute(archive.site.base_url, page.url) for page in planned
                      if page.kind in ("article", "listing") and page.url != urls.NOT_FOUND]


def test_paths_no_family_makes_have_none():
    for path in ("static/style.css", "pagefind/pagefind.js", "data/articles.jsonl", "articles/", "archive/2019/5/",
                 "archive/19/", "dates/2019-05/", "people/", "people/x/y/", "nowhere/"):
        assert family_of(path) is None, path
    assert family_of("people/page/") == ("entity", "person", "page")  # an entity may be called "Page"
    assert family_of("people/page/page/2/") == ("entity", "person", "page")
    assert family_of("organizations/onu/feed.xml") == ("entity", "organization", "onu")
    assert family_of("page/3/") == ("home",)
    assert family_of("archive/undated/page/2/") == ("undated",)
    assert family_of("entities/people/m/page/2/") == ("entity-index",)


def test_an_article_page_reads_its_own_body_and_no_other(archive, planned):
    record = archive.library.articles[len(archive.library.articles) // 2]
    bodies = archive.bodies()
    pages = plan_family(("article", record.slug), archive.planner(bodies))
    assert bodies.read == [record.slug]
    assert pages == [page for page in planned if page.url == urls.article_url(record.slug)]


def test_one_entity_day_or_month_planned_alone_is_as_in_the_whole_plan(archive, planned):
    by_url = {page.url: page for page in planned}
    chosen = [f for f in families(archive.library, archive.site) if f[0] in ("entity", "day", "month", "year")]
    for family in chosen[:: max(1, len(chosen) // 40)]:
        bodies = archive.bodies()
        pages = plan_family(family, archive.planner(bodies))
        assert pages == [by_url[page.url] for page in pages]
        assert bodies.read == []


def test_the_entities_seen_with_one_are_those_of_the_whole_archive(archive):
    library = archive.library
    everyone = seen_together(library, 10)
    for key in library.entities:
        assert seen_with(library, key, 10) == everyone[key]


def test_an_entity_page_names_who_is_seen_with_it_and_how_often(archive, planned):
    library = archive.library
    key, entity = max(library.entities.items(), key=lambda item: len(item[1].articles))
    page = next(p for p in planned if p.url == urls.entity_url(*key))
    together = seen_together(library, 10)[key]
    assert [(o["url"], o["together"]) for o in page.context["entity"]["seen_with"]] == \
        [(urls.entity_url(*other), n) for other, n in together]
    assert page.context["entity"]["count"] == len(entity.articles)


def test_a_month_page_lists_the_articles_published_in_it_newest_first(archive, planned):
    library = archive.library
    months = {page.url: page for page in planned if page.template == "month.html"}
    assert months
    for url, page in months.items():
        month = "-".join(url.split("/")[1:3])
        published = [urls.article_url(r.slug) for r in library.articles if r.date and r.date[:7] == month]
        assert [card["url"] for card in page.context["articles"]] == published
        others = [card["url"] for card in page.context["mentioning"]]
        assert all(url not in published for url in others)  # each article once, among the published
        assert all(card["date"] for card in page.context["mentioning"])  # the undated stay out of the archive
        assert others == sorted(others, key=lambda u: library.position[u.split("/")[1]])


def test_the_day_pages_lead_from_one_day_to_the_next(planned):
    days = [page for page in planned if page.template == "day.html"]
    assert [page.url for page in days] == sorted(page.url for page in days)
    for before, after in zip(days, days[1:]):
        assert before.context["next"] == after.url and after.context["previous"] == before.url
    assert days[0].context["previous"] is None and days[-1].context["next"] is None


def test_a_sitemap_past_the_protocols_limit_is_an_index_of_parts_listing_every_page(archive, monkeypatch):
    """sitemaps.org allows 50,000 URLs per file (passed near 30,000 articles):
    past it, sitemap.xml is the index of sitemap-1.xml, … each within the
    limit, together listing every page the single sitemap lists, in order."""
    single = next(p for p in plan_family(("sitemap",), archive.planner()) if p.url == urls.SITEMAP)
    everything = [entry["loc"] for entry in single.context["entries"]]
    limit = len(everything) // 3 + 1  # three parts
    monkeypatch.setattr(urls, "SITEMAP_URLS", limit)
    planner = archive.planner()
    index, *parts = plan_family(("sitemap",), planner)
    assert (index.url, index.template) == (urls.SITEMAP, "sitemap_index.xml") and len(parts) == 3
    assert index.context["sitemaps"] == [urls.absolute(archive.site.base_url, p.url) for p in parts]
    assert [p.url for p in parts] == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    assert all(0 < len(p.context["entries"]) <= limit for p in parts)
    assert [e["loc"] for p in parts for e in p.context["entries"]] == everything
    assert family_urls(("sitemap",), planner) == [(p.url, p.kind) for p in (index, *parts)]
    assert {family_of(p.url) for p in (index, *parts)} == {("sitemap",)}
    assert family_of("sitemap-0.xml") is None and family_of("sitemap-x.xml") is None
