"""What every page plan is made of (pure): the OutputPage and Site values,
an article's card, entity links, pagination, feeds and safe inline JSON.

Each page names its URL (from generator.urls), its template and its
context: plain values only — links are site paths that templates turn into
relative links with `link()`. Absolute URLs (feeds, sitemap, canonical,
JSON-LD, OpenGraph) come from `base_url`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Sequence

from generator import urls
from generator.config import SiteConfig
from generator.model import Record
from generator.site import undated
from generator.site.i18n import format_date
from generator.site.library import Entity, Library

PAGER_WINDOW = 2  # page numbers shown on each side of the current one


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
    search_max_shards: int


def site_of(config: SiteConfig, base_url: str) -> Site:
    return Site(config.title, config.description, config.language, base_url, config.per_page, config.feed_items,
                config.search_shard_size, config.search_max_shards)


# ---------------------------------------------------------------- cards and links

def card(record: Record, lang: str) -> dict[str, Any]:
    """An article in a listing; an undated one shows the latest date it states (undated.py)."""
    made = {
        "title": record.title,
        "url": urls.article_url(record.slug),
        "date": record.date,
        "date_text": format_date(record.date, lang),
        "summary": record.summary,
        "lang": record.lang,
    }
    undated.mark_cards({record.slug: made}, (record,), lang)  # no "date inconnue" on cards
    return made


class Cards(Mapping[str, dict]):
    """article slug → its card, made when first asked for and kept: a page
    of one article reads the cards of a few, not of the archive."""

    def __init__(self, library: Library, lang: str):
        self.library, self.lang = library, lang
        self._made: dict[str, dict[str, Any]] = {}

    def __getitem__(self, slug: str) -> dict[str, Any]:
        found = self._made.get(slug)
        if found is None:
            found = self._made[slug] = card(self.library.article(slug), self.lang)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.library.position)

    def __len__(self) -> int:
        return len(self.library.articles)


def entity_link(entity: Entity) -> dict[str, Any]:
    """A link to an entity page. No article count: no template shows it on an
    article or beside "seen with", and it would tie the page to every
    article of the entity."""
    return {"name": entity.name, "kind": entity.kind, "url": urls.entity_url(entity.kind, entity.slug)}


# ---------------------------------------------------------------- listings

def page_count(items: int, per_page: int) -> int:
    """How many pages a listing of `items` has: one, even when empty."""
    return max(1, -(-items // per_page))


def chunks(items: Sequence, per_page: int) -> list[Sequence]:
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [items[:0]]


def pagination(first: str, number: int, total: int) -> dict[str, Any]:
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


# ---------------------------------------------------------------- inline JSON

# written as \u escapes inside a <script>: "</script>" would close it, "<!--" make
# the parser look for another end, "&" read as an entity in XHTML, U+2028/2029
# end a line in older JavaScript
_SCRIPT_ESCAPES = tuple((c, f"\\u{ord(c):04x}") for c in "<>&\u2028\u2029")


def json_script(data: Any) -> str:
    """JSON that no string in it can close or comment out its <script>: those
    characters only occur inside JSON strings, where an escape reads the same.
    (Replaced one by one when present: they are rare, and str.translate
    looks every character of an article's JSON up in a table.)"""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in _SCRIPT_ESCAPES:
        if character in text:
            text = text.replace(character, escaped)
    return text


# ---------------------------------------------------------------- feeds

def _atom_time(date: str) -> str:
    return date if "T" in date else f"{date}T00:00:00Z"


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
