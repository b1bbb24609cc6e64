"""The entity index at the size of a real archive (pure): pages that stay
short on a phone, and a small JSON index for the filter box.

- entities/                 each kind's most mentioned names, its letters, a link to its index
- entities/<kind dir>/       the kind's TOP_ON_KIND most mentioned names, with counts, and its A–Z
- entities/<kind dir>/<l>/   every name of that kind starting with letter l, alphabetically, with
                             counts; PER_LETTER_PAGE a page (entities/people/m/page/2/ …)
- entities/index.json        [name, kind, slug, count] of every entity, most mentioned first

So every entity is one link from its kind's letter, each page holds at most
sixty names (fifty on a kind's page), and the filter box (static/entity-filter.js) looks
through all of them without a server. Without JavaScript the box stays
hidden and the pages are plain lists.

A name's letter is the first letter of its slug (accents and ligatures
folded: "Édouard Philippe" is under E, "Œuvre" under O); a name whose slug
starts with a digit, or that has no Latin letter, is under OTHER ("#").
A count is the number of articles that mention the entity.
"""
from __future__ import annotations

import functools
import json
import string
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from generator import urls
from generator.model import ENTITY_KINDS
from generator.site.library import Entity, Library

TOP_ON_OVERVIEW = 10  # names of each kind on entities/
TOP_ON_KIND = 50  # names on a kind's index page
PER_LETTER_PAGE = 60  # names on a page of a letter (about 2,400 px on a 390 px phone)
OTHER = "other"  # the letter of names that start with no Latin letter
LETTERS = tuple(string.ascii_lowercase) + (OTHER,)
JSON_FIELDS = ("name", "kind", "slug", "count")

Paginate = Callable[[str, int, int], dict]  # (first page's URL, page number, pages) → the pager's context


@dataclass(frozen=True)
class IndexPage:
    url: str
    template: str
    context: Mapping[str, Any]
    source: str
    kind: str  # "listing" | "file"


@functools.lru_cache(maxsize=1 << 16)  # the preview sorts the same names after every save
def letter_of(name: str) -> str:
    first = urls.slugify(name, fallback="")[:1]
    return first if first and first in string.ascii_lowercase else OTHER


def _count(entity: Entity) -> int:
    return len(entity.articles)


def ranked(entities: Sequence[Entity]) -> list[Entity]:
    """Most mentioned first; then by name, kind and slug, so the order never depends on input order."""
    return sorted(entities, key=lambda e: (-_count(e), e.name.casefold(), e.name, e.kind, e.slug))


def alphabetical(entities: Sequence[Entity]) -> list[Entity]:
    """By name, accents and case folded ("Édouard" between "Ebola" and "Egypte")."""
    return sorted(entities, key=lambda e: (_folded(e.name), e.name.casefold(), e.name, e.kind, e.slug))


@functools.lru_cache(maxsize=1 << 16)
def _folded(name: str) -> str:
    return urls.slugify(name, fallback="", max_length=200).replace("-", " ")


def _row(entity: Entity) -> dict[str, Any]:
    return {"name": entity.name, "kind": entity.kind, "url": urls.entity_url(entity.kind, entity.slug),
            "count": _count(entity)}


def index_json(library: Library) -> str:
    """The filter box's index: small (one array per entity) and deterministic (same library, same bytes)."""
    rows = [[e.name, e.kind, e.slug, _count(e)] for e in ranked(list(library.entities.values()))]
    data = {"fields": list(JSON_FIELDS), "dirs": dict(urls.KIND_DIRS), "entities": rows}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def _letters_nav(kind: str, by_letter: Mapping[str, list], current: str | None = None) -> list[dict[str, Any]]:
    """Every letter, with a link when names start with it (a stable row of 27 on every page)."""
    return [{"key": letter, "label": "#" if letter == OTHER else letter.upper(), "count": len(by_letter.get(letter, ())),
             "url": urls.entity_letter_url(kind, letter) if by_letter.get(letter) else None,
             "current": letter == current} for letter in LETTERS]


def _filter(scope: str | None, total: int) -> dict[str, Any]:
    return {"index": urls.ENTITY_INDEX_JSON, "scope": scope or "", "total": total}


def entity_index_pages(library: Library, paginate: Paginate) -> list[IndexPage]:
    """entities/, each kind's index and letters, and entities/index.json."""
    by_kind: dict[str, list[Entity]] = {kind: [] for kind in ENTITY_KINDS}
    for entity in library.entities.values():
        by_kind[entity.kind].append(entity)
    kinds = []
    pages: list[IndexPage] = []
    for kind in ENTITY_KINDS:
        entities = ranked(by_kind[kind])
        by_letter: dict[str, list[Entity]] = {}
        for entity in alphabetical(entities):
            by_letter.setdefault(letter_of(entity.name), []).append(entity)
        summary = {"kind": kind, "url": urls.entity_kind_index_url(kind), "count": len(entities),
                   "top": [_row(e) for e in entities[:TOP_ON_OVERVIEW]], "letters": _letters_nav(kind, by_letter)}
        kinds.append(summary)
        nav = [{"kind": k, "url": urls.entity_kind_index_url(k), "current": k == kind} for k in ENTITY_KINDS]
        pages.append(IndexPage(summary["url"], "entity_kind.html",
                               {"kind": {**summary, "top": [_row(e) for e in entities[:TOP_ON_KIND]]},
                                "kinds": nav, "filter": _filter(kind, len(entities))},
                               f"{kind} index", "listing"))
        for letter, names in by_letter.items():
            first = urls.entity_letter_url(kind, letter)
            chunks = [names[i:i + PER_LETTER_PAGE] for i in range(0, len(names), PER_LETTER_PAGE)]
            letters = _letters_nav(kind, by_letter, letter)
            label = next(entry["label"] for entry in letters if entry["key"] == letter)
            for n, chunk in enumerate(chunks, 1):
                pages.append(IndexPage(urls.page_url(first, n), "entity_letter.html",
                                       {"kind": {"kind": kind, "url": summary["url"], "count": len(entities),
                                                 "letters": letters},
                                        "kinds": nav, "letter": {"key": letter, "label": label, "count": len(names)},
                                        "entities": [_row(e) for e in chunk], "pagination": paginate(first, n, len(chunks)),
                                        "filter": _filter(kind, len(entities))},
                                       f"{kind} index, letter {label}", "listing"))
    overview = IndexPage(urls.ENTITIES, "entities.html",
                         {"kinds": kinds, "filter": _filter(None, len(library.entities))}, "entity index", "listing")
    data = IndexPage(urls.ENTITY_INDEX_JSON, "entities.json", {"data": index_json(library)}, "entity index (JSON)",
                     "file")
    return [overview, *pages, data]
