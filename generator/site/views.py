"""Library → every page of the site, as OutputPage values (pure).

Each page names its URL (from generator.urls), its template and its
context: plain values only — links are site paths that templates turn into
relative links with `link()`. Absolute URLs (feeds, sitemap, canonical,
JSON-LD, OpenGraph) come from `base_url`.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from generator import urls
from generator.config import SiteConfig
from generator.site.citation import citation, reading_minutes
from generator.site.day_listing import day_articles
from generator.site.entity_index import entity_index_pages
from generator.site.i18n import format_date, month_name, shared_reason
from generator.site.library import Entity, EntityKey, Library, day_of
from generator.model import ENTITY_KINDS, Record
from generator.site.related import Relation, seen_together
from generator.site import charts, maps, undated

SEEN_WITH = 10  # co-occurring entities shown on an entity page
PAGER_WINDOW = 2  # page numbers shown on each side of the current one
REASON_NAMES = 5  # entity names spelled out in a related article's reason
SCHEMA_TYPES = {"person": "Person", "place": "Place", "organization": "Organization"}


@dataclass(frozen=True)
class OutputPage:
    url: str  # site path, e.g. "articles/<slug>/" or "feed.xml"
    template: str
    context: Mapping[str, Any]
    source: str  # what this page comes from, named in collision errors
    lang: str  # the page's content language
    kind: str  # "article" | "listing" | "feed" | "file"


@dataclass(frozen=True)
class Site:
    """What every page knows about the site."""

    title: str
    description: str
    language: str
    base_url: str
    per_page: int
    feed_items: int
    search_shard_size: int


def site_of(config: SiteConfig, base_url: str) -> Site:
    return Site(config.title, config.description, config.language, base_url, config.per_page, config.feed_items,
                config.search_shard_size)


# ---------------------------------------------------------------- small values

def _card(record: Record, lang: str) -> dict[str, Any]:
    """An article in a listing."""
    return {
        "title": record.title,
        "url": urls.article_url(record.slug),
        "date": record.date,
        "date_text": format_date(record.date, lang),
        "summary": record.summary,
        "lang": record.lang,
    }


def _entity_link(entity: Entity) -> dict[str, Any]:
    return {"name": entity.name, "kind": entity.kind, "url": urls.entity_url(entity.kind, entity.slug),
            "count": len(entity.articles)}


def _pages(items: Sequence, per_page: int) -> list[Sequence]:
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [items[:0]]


def _pagination(first: str, number: int, total: int) -> dict[str, Any]:
    """Previous, next, and the page numbers a reader jumps to: the first, the
    last and PAGER_WINDOW on each side of this one; a gap is a None number."""
    return {
        "number": number,
        "total": total,
        "previous": urls.page_url(first, number - 1) if number > 1 else None,
        "next": urls.page_url(first, number + 1) if number < total else None,
        "pages": [{"number": n, "url": urls.page_url(first, n) if n else None} for n in _pager_numbers(number, total)],
    }


def _pager_numbers(number: int, total: int) -> list[int | None]:
    """1 … 6 7 [8] 9 10 … 40: listing every page would make each of N listing
    pages carry N links (a home page of 10,000 articles, 500 pages: 250,000 links)."""
    shown = sorted({1, total} | {n for n in range(number - PAGER_WINDOW, number + PAGER_WINDOW + 1) if 1 <= n <= total})
    numbers: list[int | None] = []
    for n in shown:
        if numbers and n - numbers[-1] == 2:  # a gap of one page: show the page, not "…"
            numbers.append(n - 1)
        elif numbers and n - numbers[-1] > 2:
            numbers.append(None)
        numbers.append(n)
    return numbers


# written as \u escapes inside a <script>: "</script>" would close it, "<!--" make
# the parser look for another end, "&" read as an entity in XHTML, U+2028/2029
# end a line in older JavaScript
_SCRIPT_ESCAPES = str.maketrans({c: f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"})


def _json_script(data: Any) -> str:
    """JSON that no string in it can close or comment out its <script>: those
    characters only occur inside JSON strings, where an escape reads the same."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)


def _repeats_body(summary: str, body: str) -> bool:
    """True when the summary is just the start of the body (then it is not shown twice)."""
    words = " ".join(summary.replace("…", " ").split())
    return not words or " ".join(body[: len(summary) * 2 + 200].split()).startswith(words)


def _atom_time(date: str) -> str:
    return date if "T" in date else f"{date}T00:00:00Z"


# ---------------------------------------------------------------- pages

def plan_site(library: Library, related: Mapping[str, tuple[Relation, ...]], bodies: Mapping[str, str],
              site: Site, located: Mapping[EntityKey, maps.Coordinates] | None = None) -> list[OutputPage]:
    """Every page of the site, in a stable order. `located`: the places' coordinates, for the maps."""
    located = located or {}
    cards = {r.slug: _card(r, site.language) for r in library.articles}
    undated.mark_cards(cards, library.articles, site.language)  # no "date inconnue" on cards
    pages: list[OutputPage] = []
    pages += home_pages(library, cards, site)
    pages += [article_page(r, library, related[r.slug], bodies[r.slug], cards, site) for r in library.articles]
    pages += entity_pages(library, cards, site, located)
    pages.append(places_map_page(library, located, site))
    pages += [OutputPage(p.url, p.template, p.context, p.source, site.language, p.kind)
              for p in entity_index_pages(library, _pagination)]  # entities/, by kind and letter, and its JSON
    pages += archive_pages(library, cards, site)
    pages += undated_archive_pages(library, cards, site)
    pages += day_pages(library, cards, site)
    pages.append(timeline_page(library, site))
    pages.append(search_page(library, site))
    pages.append(feed_page(urls.FEED, site.title, urls.HOME, library.articles, site, "site feed"))
    pages.append(not_found_page(site))
    pages.append(sitemap_page(pages, library, site))
    pages.append(OutputPage(urls.ROBOTS, "robots.txt",
                            {"sitemap": urls.absolute(site.base_url, urls.SITEMAP)}, "robots.txt", site.language, "file"))
    return pages


def search_page(library: Library, site: Site) -> OutputPage:
    """The search page names every shard of the index, in shard order."""
    count = urls.search_shard_count(len(library.articles), site.search_shard_size)
    bundles = [urls.search_shard_folder(n) + "/" for n in range(1, count + 1)]
    return OutputPage(urls.SEARCH, "search.html", {"bundles": bundles}, "search page", site.language, "listing")


def home_pages(library: Library, cards: Mapping[str, dict], site: Site) -> list[OutputPage]:
    chunks = _pages([cards[r.slug] for r in library.articles], site.per_page)
    return [
        OutputPage(urls.page_url(urls.HOME, n), "index.html",
                   {"articles": chunk, "pagination": _pagination(urls.HOME, n, len(chunks))},
                   f"home page {n}", site.language, "listing")
        for n, chunk in enumerate(chunks, 1)
    ]


def _reason(relation: Relation, library: Library, lang: str) -> str:
    return shared_reason([library.entities[k].name for k in relation.shared], lang, REASON_NAMES)


def article_page(record: Record, library: Library, relations: tuple[Relation, ...], body_html: str,
                 cards: Mapping[str, dict], site: Site) -> OutputPage:
    url = urls.article_url(record.slug)
    absolute = urls.absolute(site.base_url, url)
    tags: dict[str, list[dict]] = {kind: [] for kind in ENTITY_KINDS}
    for key in library.tags[record.slug]:
        tags[key[0]].append(_entity_link(library.entities[key]))
    mentioned = []
    for mention in record.mentioned_dates:
        day = day_of(mention.date)
        mentioned.append({"date": mention.date, "text": mention.text,
                          "date_text": format_date(mention.date, site.language),
                          # a day links to its page, a month to its month page
                          "url": urls.day_url(day) if day else urls.month_url(mention.date[:4], mention.date[5:7])})
    related = [dict(cards[r.slug], reason=_reason(r, library, site.language), later=r.later,
                    timed=bool(record.date and library.article(r.slug).date)) for r in relations]
    jsonld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": record.title,
        "description": record.summary,
        "inLanguage": record.lang,
        "url": absolute,
        "mainEntityOfPage": absolute,
        "isPartOf": {"@type": "WebSite", "name": site.title, "url": site.base_url},
        "mentions": [
            {"@type": SCHEMA_TYPES[kind], "name": link["name"], "url": urls.absolute(site.base_url, link["url"])}
            for kind in ENTITY_KINDS for link in tags[kind]
        ],
    }
    if record.date:
        jsonld["datePublished"] = record.date
    source_url = _web_address(record.source_url)
    if source_url:
        jsonld["isBasedOn"] = source_url
    context = {
        "article": {
            "title": record.title,
            "slug": record.slug,
            "lang": record.lang,
            "date": record.date,
            "day": day_of(record.date),
            "year": record.date[:4] if record.date else None,
            "date_text": format_date(record.date, site.language),
            "summary": record.summary,
            "show_summary": not _repeats_body(record.summary, record.body),
            "body_html": body_html,
            "tags": tags,
            "mentioned_dates": mentioned,
            # the original's address; the seed's path is the archive's own business
            "source_url": source_url,
            "versions": _versions(record, site.language),
            "day_url": urls.day_url(day_of(record.date)) if day_of(record.date) else None,
            "month_url": urls.month_url(record.date[:4], record.date[5:7]) if record.date else None,
            "reading_minutes": reading_minutes(record.body),
            "cite": citation(record.title, source_url, record.date, site.title, absolute, site.language),
        },
        # before/after only when both articles are dated; else related, with no time said
        "earlier": [r for r in related if r["timed"] and not r["later"]],
        "later": [r for r in related if r["timed"] and r["later"]],
        "untimed": [r for r in related if not r["timed"]],
        "canonical": absolute,
        "jsonld": _json_script(jsonld),
    }
    return OutputPage(url, "article.html", context, library.files[record.slug], record.lang, "article")


def _web_address(url: str | None) -> str | None:
    """A source URL a reader can follow: http(s) only (a scraped page's
    canonical link may be relative, a path, or javascript:)."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _versions(record: Record, lang: str) -> list[dict[str, Any]]:
    """The other copies of the story, for "also published": each by its URL
    when it has one (its seed file is no address for a reader)."""
    return [{"url": _web_address(v.url), "name": _web_address(v.url) or v.source.rsplit("/", 1)[-1], "date": v.date,
             "date_text": format_date(v.date, lang) if v.date else None} for v in record.versions]


def entity_pages(library: Library, cards: Mapping[str, dict], site: Site,
                 located: Mapping[EntityKey, maps.Coordinates] | None = None) -> list[OutputPage]:
    pages = []
    together = seen_together(library, SEEN_WITH)
    for key, entity in library.entities.items():
        first = urls.entity_url(entity.kind, entity.slug)
        dated = [library.article(s).date for s in entity.articles if library.article(s).date]
        info = {
            "name": entity.name,
            "kind": entity.kind,
            "url": first,
            "count": len(entity.articles),
            "mentions": entity.mentions,
            "first_mention": {"date": min(dated), "date_text": format_date(min(dated), site.language)} if dated else None,
            "last_mention": {"date": max(dated), "date_text": format_date(max(dated), site.language)} if dated else None,
            "feed": urls.entity_feed_url(entity.kind, entity.slug),
            "seen_with": [dict(_entity_link(library.entities[k]), together=n) for k, n in together[key]],
        }
        # pictures, on the first page: articles over time, and a place's point on the world map
        chart = charts.mentions_chart(entity.name, (library.article(s).date for s in entity.articles), site.language)
        info["undated"] = chart["undated_text"]
        pictures = {"chart": chart if chart["bars"] else None,
                    "map": maps.place_map(library, key, located or {}, site.language) if entity.kind == "place" else None}
        chunks = _pages([cards[s] for s in entity.articles], site.per_page)
        source = f"{entity.kind} '{entity.name}'"
        for n, chunk in enumerate(chunks, 1):
            pages.append(OutputPage(urls.page_url(first, n), "entity.html",
                                    {"entity": info, "articles": chunk, "pagination": _pagination(first, n, len(chunks)),
                                     "pictures": pictures if n == 1 else None},
                                    source, site.language, "listing"))
        records = [library.article(s) for s in entity.articles]
        pages.append(feed_page(info["feed"], f"{entity.name} — {site.title}", first, records, site, source))
    return pages


def places_map_page(library: Library, located: Mapping[EntityKey, maps.Coordinates], site: Site) -> OutputPage:
    """places/: every located place on the world map, and every place in a list."""
    return OutputPage(urls.PLACES_MAP, "places.html", {"map": maps.places_map(library, located, site.language)},
                      "places map", site.language, "listing")


def archive_pages(library: Library, cards: Mapping[str, dict], site: Site) -> list[OutputPage]:
    """archive/ (years and months), archive/yyyy/ (its months), archive/yyyy/mm/ (its articles).

    A month page is the month of the chronology: the articles published in
    it, then the articles published at another time that mention the month
    ("en mai 2019") or one of its days, each with the dates of that month it
    mentions, and the month's mentioned days (links to their day pages).
    An article published in the month is listed once, among the published,
    even when it mentions the month too; an undated one is left out, as
    from every archive page. A month that only articles of other
    months mention has a page as well, so that every date of the timeline
    has one; the year and archive pages count its mentions apart."""
    published: dict[str, list[str]] = defaultdict(list)  # YYYY-MM → slugs, newest first
    for record in library.articles:
        if record.date:
            published[record.date[:7]].append(record.slug)
    mentions = _month_mentions(library)
    months_by_year: dict[str, list[str]] = defaultdict(list)
    for month in sorted(set(published) | set(mentions), reverse=True):
        months_by_year[month[:4]].append(month)
    mentioning = {
        month: sorted((slug for slug in by_slug if not _published_in(library, slug, month)),
                      key=library.position.__getitem__)  # newest first
        for month, by_slug in mentions.items()
    }
    years = []
    for year in sorted(months_by_year, reverse=True):
        year_months = [
            {"month": m[5:7], "name": month_name(int(m[5:7]), site.language), "url": urls.month_url(year, m[5:7]),
             "count": len(published.get(m, ())), "mentions": len(mentioning.get(m, ()))}
            for m in months_by_year[year]
        ]
        years.append({"year": year, "url": urls.year_url(year), "months": year_months,
                      "count": sum(m["count"] for m in year_months),
                      "mentions": sum(m["mentions"] for m in year_months)})
    count = sum(1 for r in library.articles if not r.date)
    undated_link = {"url": urls.ARCHIVE_UNDATED, "count": count} if count else None  # listed apart, paginated
    pages = [OutputPage(urls.ARCHIVE, "archive.html", {"years": years, "undated": undated_link},
                        "archive index", site.language, "listing")]
    for entry in years:
        year = entry["year"]
        pages.append(OutputPage(entry["url"], "year.html", {"year": entry}, f"archive {year}", site.language, "listing"))
        for month in entry["months"]:
            key = f"{year}-{month['month']}"
            by_slug = mentions.get(key, {})
            context = {
                "year": entry, "month": month,
                "articles": [cards[s] for s in published.get(key, ())],
                "mentioning": [
                    {**cards[s], "mentioned": [_mentioned_date(d, library, site) for d in sorted(by_slug[s])]}
                    for s in mentioning.get(key, ())
                ],
                "days": [_mentioned_date(day, library, site) for day in sorted(library.mentioned)
                         if day.startswith(key + "-")],
            }
            pages.append(OutputPage(month["url"], "month.html", context, f"archive {key}", site.language, "listing"))
    return pages


def undated_archive_pages(library: Library, cards: Mapping[str, dict], site: Site) -> list[OutputPage]:
    """archive/undated/ (page/N/): the articles without a publication date, in
    listing order (undated.py), paginated like every listing; none when there is none."""
    records = [r for r in library.articles if not r.date]
    if not records:
        return []
    chunks = _pages([cards[r.slug] for r in records], site.per_page)
    return [OutputPage(urls.page_url(urls.ARCHIVE_UNDATED, n), "undated.html",
                       {"articles": chunk, "count": len(records),
                        "pagination": _pagination(urls.ARCHIVE_UNDATED, n, len(chunks))},
                       f"undated archive page {n}", site.language, "listing")
            for n, chunk in enumerate(chunks, 1)]


def _month_mentions(library: Library) -> dict[str, dict[str, set[str]]]:
    """YYYY-MM → article slug → the dates of that month it mentions (the
    month itself as YYYY-MM, its days as YYYY-MM-DD)."""
    mentions: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for month, slugs in library.mentioned_months.items():
        for slug in slugs:
            mentions[month][slug].add(month)
    for day, slugs in library.mentioned.items():
        for slug in slugs:
            mentions[day[:7]][slug].add(day)
    return mentions


def _published_in(library: Library, slug: str, month: str) -> bool:
    """Whether the article is no "other month's": published in this month,
    or undated (an undated article stays out of the archive pages; the day
    pages of the days it mentions list it)."""
    date = library.article(slug).date
    return not date or date[:7] == month


def _mentioned_date(date: str, library: Library, site: Site) -> dict[str, Any]:
    """A mentioned day or month as a listing shows it: its words and its page
    (a day's page; a month is the page it is shown on)."""
    day = len(date) == 10
    return {"date": date, "date_text": format_date(date, site.language),
            "url": urls.day_url(date) if day else None,
            "count": len(library.mentioned.get(date, ())) if day else len(library.mentioned_months.get(date, ()))}


def day_pages(library: Library, cards: Mapping[str, dict], site: Site) -> list[OutputPage]:
    days = sorted(set(library.published) | set(library.mentioned))
    pages = []
    for i, day in enumerate(days):
        context = {
            "day": {"date": day, "date_text": format_date(day, site.language),
                    # every mentioned or published day's month has its page
                    "month_url": urls.month_url(day[:4], day[5:7])},
            # each article once, with its role and the words it names the day with
            "articles": day_articles(library, day, cards),
            "published_count": len(library.published.get(day, ())),
            "mentioning_count": len(library.mentioned.get(day, ())),
            "previous": urls.day_url(days[i - 1]) if i > 0 else None,
            "next": urls.day_url(days[i + 1]) if i + 1 < len(days) else None,
        }
        pages.append(OutputPage(urls.day_url(day), "day.html", context, f"day {day}", site.language, "listing"))
    return pages


def timeline_page(library: Library, site: Site) -> OutputPage:
    """The mentioned days and months, by year and month, oldest first; each
    month links to its page and counts the articles that mention it as a whole."""
    years: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for day, slugs in library.mentioned.items():
        years[day[:4]][day[5:7]].append({"date": day, "date_text": format_date(day, site.language),
                                         "url": urls.day_url(day), "count": len(slugs)})
    for month in library.mentioned_months:
        years[month[:4]][month[5:7]]  # a month mentioned only as a whole has its place too
    timeline = [
        {"year": y, "months": [
            {"name": month_name(int(m), site.language), "url": urls.month_url(y, m),
             "count": len(library.mentioned_months.get(f"{y}-{m}", ())), "days": years[y][m]}
            for m in sorted(years[y])]}
        for y in sorted(years)
    ]
    chart = charts.timeline_charts(library.mentioned, library.mentioned_months, site.language)
    return OutputPage(urls.TIMELINE, "timeline.html", {"years": timeline, "chart": chart}, "timeline", site.language,
                      "listing")


def feed_page(url: str, title: str, html_url: str, records: Sequence[Record], site: Site, source: str) -> OutputPage:
    """An Atom feed of the newest dated articles; with none, of the undated
    ones, each marked and timed as undated.py says (never 1970)."""
    def entry(record: Record, updated: str) -> dict[str, Any]:
        link = urls.absolute(site.base_url, urls.article_url(record.slug))
        return {"title": record.title, "url": link, "id": link, "updated": updated,
                "summary": record.summary, "lang": record.lang, "undated": False}

    entries = []
    for record in records:
        if not record.date:
            continue
        entries.append(entry(record, _atom_time(record.date)))
        if len(entries) >= site.feed_items:
            break
    if not entries:
        entries = undated.feed_entries(records, site.feed_items, entry)
    context = {
        "feed": {
            "title": title,
            "id": urls.absolute(site.base_url, url),
            "self": urls.absolute(site.base_url, url),
            "alternate": urls.absolute(site.base_url, html_url),
            # the newest entry's; undated entries are not in time order
            "updated": (entries[0]["updated"] if entries and not entries[0].get("undated")
                        else max((e["updated"] for e in entries), default=None) or undated.feed_time(records)),
            "entries": entries,
        }
    }
    return OutputPage(url, "feed.xml", context, source, site.language, "feed")


def not_found_page(site: Site) -> OutputPage:
    """Served at any depth, so its links resolve from <base href> (the path of base_url)."""
    path = "/" + site.base_url.split("://", 1)[-1].partition("/")[2]
    return OutputPage(urls.NOT_FOUND, "404.html", {"base_path": path}, "404 page", site.language, "listing")


def sitemap_page(pages: Sequence[OutputPage], library: Library, site: Site) -> OutputPage:
    lastmod = {urls.article_url(r.slug): day_of(r.date) for r in library.articles if r.date}
    entries = [{"loc": urls.absolute(site.base_url, p.url), "lastmod": lastmod.get(p.url)}
               for p in pages if p.kind in ("article", "listing") and p.url != urls.NOT_FOUND]
    return OutputPage(urls.SITEMAP, "sitemap.xml", {"entries": entries}, "sitemap", site.language, "file")
