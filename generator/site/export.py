"""The data export: the archive as data for researchers, a static API (pure).

    data/index.json      what the folder holds: the format version, each file's count and fields
    data/articles.jsonl  one JSON object a line, one line per article, in listing order
    data/entities.json   {"version": …, "entities": [...]}: every entity, by kind then articles
    data/entities.csv    the same entities, one row each (header: ENTITY_COLUMNS)

FORMAT_VERSION is the format of all four: it changes (and the README says
how) whenever a field is removed or changes meaning; new fields may appear
without a change. entities.json and index.json carry it as "version"; every
line of articles.jsonl as "format_version" ("versions" is the field of the
story's other copies); the CSV has no room for it: index.json and the
README give it.

The bytes depend only on the Library and the base URL (no time, no
dictionary order left to chance), so a rebuild writes the same files and
the Writer keeps them untouched. The work is one pass over the articles and
one over the entities, each line encoded as it comes.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterator

from generator import urls
from generator.model import ENTITY_KINDS, Record
from generator.site.library import EntityKey, Library, entity_slug

FORMAT_VERSION = 1
ARTICLES = urls.DATA + "articles.jsonl"
ENTITIES_JSON = urls.DATA + "entities.json"
ENTITIES_CSV = urls.DATA + "entities.csv"
INDEX = urls.DATA + "index.json"
FILES = (ARTICLES, ENTITIES_JSON, ENTITIES_CSV, INDEX)  # every file export_files makes

ARTICLE_FIELDS = ("format_version", "url", "path", "slug", "title", "lang", "summary", "dates", "entities",
                  "mentioned_dates", "source", "record", "versions")
ENTITY_COLUMNS = ("kind", "name", "slug", "articles", "mentions", "first_date", "last_date", "url", "path")


def export_files(library: Library, base_url: str) -> list[tuple[str, bytes]]:
    """(site path, bytes) of every file of data/."""
    entities = _entity_rows(library, base_url)
    buffer = io.BytesIO()  # one buffer, not 100,000 lines and their join (300 MB at 100,000 articles)
    for line in _article_lines(library, base_url):
        buffer.write(line)
    articles = buffer.getvalue()
    files = [
        (ARTICLES, articles),
        (ENTITIES_JSON, _entities_json(entities)),
        (ENTITIES_CSV, _csv(entities)),
    ]
    index = {
        "version": FORMAT_VERSION,
        "generator": "Gazette",
        "site": base_url,
        "files": {
            "articles.jsonl": {"url": urls.absolute(base_url, ARTICLES), "count": len(library.articles),
                               "format": "JSON Lines: one object a line, one line per article, newest first, "
                                         "undated last", "fields": list(ARTICLE_FIELDS)},
            "entities.json": {"url": urls.absolute(base_url, ENTITIES_JSON), "count": len(entities),
                              "format": "JSON: {version, count, entities: [...]}, null for none", "fields": list(ENTITY_COLUMNS)},
            "entities.csv": {"url": urls.absolute(base_url, ENTITIES_CSV), "count": len(entities),
                             "format": "CSV, UTF-8, comma-separated, a header row, RFC 4180 quoting; empty for none; "
                                       "a text starting with = + - @ is prefixed with ' (never run as a formula)",
                             "columns": list(ENTITY_COLUMNS)},
        },
    }
    return files + [(INDEX, _json(index, indent=1))]


def _json(data: Any, indent: int | None = None) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=indent) + "\n").encode("utf-8")


# ---------------------------------------------------------------- articles

def _article_lines(library: Library, base_url: str) -> Iterator[bytes]:
    slugs: dict[str, str] = {}  # entity name → slug: names recur across articles, slugify each once
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for record in library.articles:
        yield (dumps(_article(record, library, base_url, slugs)) + "\n").encode("utf-8")


def _article(record: Record, library: Library, base_url: str, slugs: dict[str, str]) -> dict[str, Any]:
    path = urls.article_url(record.slug)
    return {
        "format_version": FORMAT_VERSION,
        "url": urls.absolute(base_url, path),
        "path": path,
        "slug": record.slug,
        "title": record.title,
        "lang": record.lang,
        "summary": record.summary,
        "dates": {"published": record.date, "published_source": record.date_source, "updated": record.updated},
        "entities": _article_entities(record, library, base_url, slugs),
        "mentioned_dates": [{"date": m.date, "text": m.text} for m in record.mentioned_dates],
        "source": {"path": record.source_path, "url": record.source_url, "sha256": record.source_sha256},
        "record": library.files[record.slug],
        "versions": [{"source": v.source, "url": v.url, "date": v.date} for v in record.versions],
    }


def _article_entities(record: Record, library: Library, base_url: str, slugs: dict[str, str]
                      ) -> dict[str, list[dict[str, Any]]]:
    """The article's entities by kind, as the site names them (one spelling,
    one kind across the archive), each with the article's mentions of it."""
    keys: dict[str, EntityKey] = {key[1]: key for key in library.tags[record.slug]}
    mentions: dict[EntityKey, int] = {}
    for _, tag in record.entities:
        slug = slugs.get(tag.name)
        if slug is None:
            slug = slugs[tag.name] = entity_slug(tag.name)
        key = keys[slug]
        mentions[key] = mentions.get(key, 0) + tag.mentions
    by_kind: dict[str, list[dict[str, Any]]] = {kind: [] for kind in ENTITY_KINDS}
    for key in library.tags[record.slug]:  # in record order: most mentioned first
        entity = library.entities[key]
        path = urls.entity_url(entity.kind, entity.slug)
        by_kind[entity.kind].append({"name": entity.name, "slug": entity.slug, "mentions": mentions[key],
                                     "url": urls.absolute(base_url, path), "path": path})
    return by_kind


# ---------------------------------------------------------------- entities

def _entity_rows(library: Library, base_url: str) -> list[dict[str, Any]]:
    """Every entity: by kind (ENTITY_KINDS), then most articles first, then name and slug."""
    dates = {r.slug: r.date[:10] for r in library.articles if r.date}
    rows = []
    for key, entity in library.entities.items():
        dated = [dates[s] for s in entity.articles if s in dates]
        path = urls.entity_url(entity.kind, entity.slug)
        rows.append({"kind": entity.kind, "name": entity.name, "slug": entity.slug,
                     "articles": len(entity.articles), "mentions": entity.mentions,
                     "first_date": min(dated) if dated else None, "last_date": max(dated) if dated else None,
                     "url": urls.absolute(base_url, path), "path": path})
    rows.sort(key=lambda row: (ENTITY_KINDS.index(row["kind"]), -row["articles"], row["name"].casefold(),
                               row["slug"]))
    return rows


def _entities_json(rows: list[dict[str, Any]]) -> bytes:
    """{"version", "count", "entities": [...]}, one entity a line (readable, and diffs well)."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    lines = ",\n".join(dumps(row) for row in rows)
    return (f'{{"version":{FORMAT_VERSION},"count":{len(rows)},"entities":[\n{lines}\n]}}\n').encode("utf-8")


# a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading '
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ENTITY_COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in ENTITY_COLUMNS])
    return out.getvalue().encode("utf-8")
