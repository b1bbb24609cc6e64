"""Library → every page of the site, as OutputPage values (pure), one family
of pages at a time.

A family is the set of pages that one part of the archive makes: the home
listing, one article's page, one entity's listing and feed, one month of
the archive… `families` lists them in site order, `plan_family` plans one
from a Planner (planner.py: the Library and what pages share, worked out on
demand), `family_of` says from a URL alone which family made a page, and
`family_urls` lists a family's URLs without planning its pages. The preview
server re-plans only the families a change touches; `plan_site` plans them
all, and is a build's plan.

The pages themselves: page_values.py (what they are made of),
article_pages.py, entity_pages.py, date_pages.py, entity_index.py.
"""
from __future__ import annotations

from typing import Callable, Mapping

from generator import urls
from generator.model import ENTITY_KINDS
from generator.site import maps
from generator.site.archive_index import archive_months
from generator.site.article_pages import article_page
from generator.site.date_pages import (archive_index_page, archive_pages, day_page, month_page, timeline_page,
                                       undated_archive_pages, year_page)
from generator.site.entity_index import PER_LETTER_PAGE, alphabetical, entity_index_pages, letter_of
from generator.site.entity_pages import entity_pages, places_map_page
from generator.site.library import EntityKey, Library, day_of
from generator.site.page_values import (OutputPage, Site, chunks, feed_page, page_count, pagination, site_of)
from generator.site.planner import Planner
from generator.site.related import Relation

__all__ = ["Family", "OutputPage", "Planner", "Site", "archive_pages", "article_page", "families", "family_of",
           "family_urls", "has_family", "plan_family", "plan_site", "site_of", "timeline_page"]

Family = tuple[str, ...]  # ("home",), ("article", slug), ("entity", kind, slug), ("month", "YYYY-MM") …
_pagination = pagination  # the name entity_index's callers knew

# the families of one page and no key: name → (its URL, its page kind)
_SINGLE = {"places": (urls.PLACES_MAP, "listing"), "archive": (urls.ARCHIVE, "listing"),
           "timeline": (urls.TIMELINE, "listing"), "search": (urls.SEARCH, "listing"), "feed": (urls.FEED, "feed"),
           "404": (urls.NOT_FOUND, "listing"), "robots": (urls.ROBOTS, "file")}


def plan_site(library: Library, related: Mapping[str, tuple[Relation, ...]], bodies: Mapping[str, str],
              site: Site, located: Mapping[EntityKey, maps.Coordinates] | None = None) -> list[OutputPage]:
    """Every page of the site, in a stable order. `located`: the places' coordinates, for the maps."""
    planner = Planner(library, related, bodies, site, located)
    return [page for family in families(library, site) for page in plan_family(family, planner)]


# ---------------------------------------------------------------- families

def families(library: Library, site: Site) -> list[Family]:
    """Every family of pages, in the order of the site's pages (`site`: the
    families do not depend on it today; the signature leaves room)."""
    found: list[Family] = [("home",)]
    found += [("article", record.slug) for record in library.articles]
    found += [("entity", kind, slug) for kind, slug in library.entities]
    found += [("places",), ("entity-index",), ("archive",)]
    for year, months in archive_months(library).items():
        found.append(("year", year))
        found += [("month", month) for month in months]
    if library.articles and not library.articles[-1].date:  # the undated come last
        found.append(("undated",))
    found += [("day", day) for day in sorted(set(library.published) | set(library.mentioned))]
    found += [("timeline",), ("search",), ("feed",), ("404",), ("sitemap",), ("robots",)]
    return found


def family_of(url: str) -> Family | None:
    """The family of the page at site path `url` (an OutputPage.url), from the
    URL alone; None for a path no family makes."""
    for name, (single_url, _) in _SINGLE.items():
        if url == single_url:
            return (name,)
    if url == urls.SITEMAP or urls.is_sitemap_part(url):
        return ("sitemap",)
    if urls.first_page(url) == urls.HOME:
        return ("home",)
    if urls.first_page(url) == urls.ARCHIVE_UNDATED:
        return ("undated",)
    if url == urls.ENTITY_INDEX_JSON or (url.startswith(urls.ENTITIES) and url.endswith("/")):
        return ("entity-index",)
    if slug := urls.article_of(url):
        return ("article", slug)
    if entity := urls.entity_of(url):
        return ("entity", *entity)
    if period := urls.archive_period_of(url):
        return ("year", period) if len(period) == 4 else ("month", period)
    if day := urls.day_of_url(url):
        return ("day", day)
    return None


def has_family(family: Family, planner: Planner) -> bool:
    """Whether the planner's Library has pages of this family (one of families())."""
    name, library, archive = family[0], planner.library, planner.archive
    if name == "article":
        return family[1] in library.position
    if name == "entity":
        return (family[1], family[2]) in library.entities
    if name == "year":
        return family[1] in archive.months_by_year
    if name == "month":
        return family[1] in archive.months_by_year.get(family[1][:4], ())
    if name == "day":
        return family[1] in library.published or family[1] in library.mentioned
    if name == "undated":
        return bool(archive.undated)
    return name in _SINGLE or name in ("home", "entity-index", "sitemap")


def plan_family(family: Family, planner: Planner) -> list[OutputPage]:
    """The pages of one family, in site order."""
    return _PLANS[family[0]](planner, *family[1:])


def family_urls(family: Family, planner: Planner) -> list[tuple[str, str]]:
    """(URL, page kind) of each page of the family, in site order, without planning them."""
    name, keys = family[0], family[1:]
    if name in _SINGLE:
        return [_SINGLE[name]]
    if name == "sitemap":
        parts = page_count(len(_sitemap_urls(planner)), urls.SITEMAP_URLS)
        return [(urls.SITEMAP, "file")] + ([(urls.sitemap_part_url(n), "file") for n in range(1, parts + 1)]
                                           if parts > 1 else [])
    library, site = planner.library, planner.site
    if name == "home":
        return _listing_urls(urls.HOME, len(library.articles), site.per_page)
    if name == "article":
        return [(urls.article_url(keys[0]), "article")]
    if name == "entity":
        kind, slug = keys
        first = urls.entity_url(kind, slug)
        count = len(library.entities[(kind, slug)].articles)
        return [*_listing_urls(first, count, site.per_page), (urls.entity_feed_url(kind, slug), "feed")]
    if name == "entity-index":
        return _entity_index_urls(library)
    if name == "year":
        return [(urls.year_url(keys[0]), "listing")]
    if name == "month":
        return [(urls.month_url(keys[0][:4], keys[0][5:7]), "listing")]
    if name == "undated":
        return _listing_urls(urls.ARCHIVE_UNDATED, len(planner.archive.undated), site.per_page)
    if name == "day":
        return [(urls.day_url(keys[0]), "listing")]
    raise KeyError(family)


def _listing_urls(first: str, items: int, per_page: int) -> list[tuple[str, str]]:
    return [(urls.page_url(first, n), "listing") for n in range(1, page_count(items, per_page) + 1)]


def _entity_index_urls(library: Library) -> list[tuple[str, str]]:
    """entity_index_pages' URLs: entities/, then each kind's index and its letters' pages, then the JSON."""
    found = [(urls.ENTITIES, "listing")]
    for kind in ENTITY_KINDS:
        found.append((urls.entity_kind_index_url(kind), "listing"))
        by_letter: dict[str, int] = {}  # in the order the letters' pages come: their names' order
        for entity in alphabetical([e for e in library.entities.values() if e.kind == kind]):
            letter = letter_of(entity.name)
            by_letter[letter] = by_letter.get(letter, 0) + 1
        for letter, count in by_letter.items():
            found += _listing_urls(urls.entity_letter_url(kind, letter), count, PER_LETTER_PAGE)
    found.append((urls.ENTITY_INDEX_JSON, "file"))
    return found


# ---------------------------------------------------------------- each family's pages

def _home(planner: Planner) -> list[OutputPage]:
    library, site = planner.library, planner.site
    pieces = chunks([planner.cards[r.slug] for r in library.articles], site.per_page)
    return [
        OutputPage(urls.page_url(urls.HOME, n), "index.html",
                   {"articles": chunk, "pagination": pagination(urls.HOME, n, len(pieces))},
                   f"home page {n}", site.language, "listing")
        for n, chunk in enumerate(pieces, 1)
    ]


def _article(planner: Planner, slug: str) -> list[OutputPage]:
    record = planner.library.article(slug)
    return [article_page(record, planner.library, planner.related[slug], planner.bodies[slug], planner.cards,
                         planner.site)]


def _entity(planner: Planner, kind: str, slug: str) -> list[OutputPage]:
    key = (kind, slug)
    return entity_pages(key, planner.library, planner.cards, planner.site, planner.located, planner.seen_with(key))


def _entity_index(planner: Planner) -> list[OutputPage]:
    """entities/, by kind and letter, and its JSON."""
    return [OutputPage(p.url, p.template, p.context, p.source, planner.site.language, p.kind)
            for p in entity_index_pages(planner.library, pagination)]


def _search(planner: Planner) -> list[OutputPage]:
    """The search page names every shard of the index, in shard order."""
    count = urls.search_shard_count(len(planner.library.articles), planner.site.search_shard_size,
                                    planner.site.search_max_shards)
    bundles = [urls.search_shard_folder(n) + "/" for n in range(1, count + 1)]
    return [OutputPage(urls.SEARCH, "search.html", {"bundles": bundles}, "search page", planner.site.language,
                       "listing")]


def _site_feed(planner: Planner) -> list[OutputPage]:
    site = planner.site
    return [feed_page(urls.FEED, site.title, urls.HOME, planner.library.articles, site, "site feed")]


def _not_found(planner: Planner) -> list[OutputPage]:
    """Served at any depth, so its links resolve from <base href> (the path of base_url)."""
    site = planner.site
    path = "/" + site.base_url.split("://", 1)[-1].partition("/")[2]
    return [OutputPage(urls.NOT_FOUND, "404.html", {"base_path": path}, "404 page", site.language, "listing")]


def _sitemap_urls(planner: Planner) -> list[str]:
    """Every article and listing page but the 404 page, from the families' URLs."""
    library, site = planner.library, planner.site
    return [url for family in families(library, site) if family[0] not in ("sitemap", "robots")
            for url, kind in family_urls(family, planner) if kind in ("article", "listing") and url != urls.NOT_FOUND]


def _sitemap(planner: Planner) -> list[OutputPage]:
    """The sitemap of every page _sitemap_urls lists — or, past SITEMAP_URLS
    (some 30,000 articles), sitemap.xml is the index of its parts, each of
    at most that many (sitemap-1.xml, …), as the protocol requires."""
    library, site = planner.library, planner.site
    lastmod = {urls.article_url(r.slug): day_of(r.date) for r in library.articles if r.date}
    entries = [{"loc": urls.absolute(site.base_url, url), "lastmod": lastmod.get(url)} for url in _sitemap_urls(planner)]
    if len(entries) <= urls.SITEMAP_URLS:
        return [OutputPage(urls.SITEMAP, "sitemap.xml", {"entries": entries}, "sitemap", site.language, "file")]
    parts = chunks(entries, urls.SITEMAP_URLS)
    index = {"sitemaps": [urls.absolute(site.base_url, urls.sitemap_part_url(n)) for n in range(1, len(parts) + 1)]}
    return [OutputPage(urls.SITEMAP, "sitemap_index.xml", index, "sitemap index", site.language, "file"),
            *(OutputPage(urls.sitemap_part_url(n), "sitemap.xml", {"entries": part}, f"sitemap part {n}", site.language,
                         "file") for n, part in enumerate(parts, 1))]


def _robots(planner: Planner) -> list[OutputPage]:
    site = planner.site
    return [OutputPage(urls.ROBOTS, "robots.txt", {"sitemap": urls.absolute(site.base_url, urls.SITEMAP)},
                       "robots.txt", site.language, "file")]


_PLANS: dict[str, Callable[..., list[OutputPage]]] = {
    "home": _home,
    "article": _article,
    "entity": _entity,
    "places": lambda p: [places_map_page(p.library, p.located, p.site)],
    "entity-index": _entity_index,
    "archive": lambda p: [archive_index_page(p.archive, p.site)],
    "year": lambda p, year: [year_page(p.archive, year, p.site)],
    "month": lambda p, month: [month_page(p.archive, month, p.cards, p.site)],
    "undated": lambda p: undated_archive_pages(p.archive, p.cards, p.site),
    "day": lambda p, day: [day_page(p.archive, day, p.cards, p.site)],
    "timeline": lambda p: [timeline_page(p.library, p.site)],
    "search": _search,
    "feed": _site_feed,
    "404": _not_found,
    "sitemap": _sitemap,
    "robots": _robots,
}
