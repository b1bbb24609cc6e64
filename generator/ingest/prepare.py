"""One seed, read and cleaned, into a record still without entity tags.

A plain text or HTML seed is cleaned (boilerplate lines removed, blocks
shaped), its language told and its publication date found: from the page's
metadata, the file name, a dateline, or the --date option, in that order. A
Markdown seed is already a record: its fields are checked by records.py and
what is missing is filled in.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from generator.config import SiteConfig, site_relative
from generator.errors import GazetteError, InputError
from generator.ingest.boilerplate import RuleSet
from generator.ingest.clean import clean
from generator.ingest.language import detect_language
from generator.ingest.markdown_text import blocks_to_markdown, plain_text, summary_of, text_hash
from generator.model import RawArticle, Record
from generator.records import checked_url, record_from_front_matter
from generator.urls import slugify

# a date in a file name: 2020-01-26, 2020_01_26, 20200126 — not inside a longer run of letters/digits (hashes)
_FILENAME_DATE = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?![0-9A-Za-z])")


@dataclass(frozen=True)
class Candidate:
    """A seed read and cleaned, waiting for enrichment and a slug."""

    raw: RawArticle
    record: Record  # entities and mentioned dates still empty
    text_hash: str
    enrich: bool  # False when the seed was a record with its own tags
    number: int = -1  # its number in the enrichment batch, when it has one



def prepare(raw: RawArticle, config: SiteConfig, rules: RuleSet, option_date: str | None) -> Candidate:
    """A cleaned record without tags, from one decoded seed."""
    source_path = site_relative(raw.path, config.root)
    fm = raw.front_matter
    if fm is not None:
        return _prepare_markdown(raw, fm, source_path, config)
    article = clean(raw, rules)
    body = blocks_to_markdown(article.blocks)
    lang = detect_language(f"{article.title}\n{article.body_text}", hint=raw.meta.lang, default=config.language)
    date, date_source = _publication_date(raw, article.body_text, lang, option_date)
    source_url, warnings = checked_url(raw.meta.url, "source.url", raw.path)
    record = Record(
        title=article.title,
        slug=slugify(article.title, fallback=f"article-{raw.sha256[:8]}"),
        lang=lang,
        date=date,
        date_source=date_source,
        summary=summary_of(article.blocks),
        body=body,
        source_path=source_path,
        source_sha256=raw.sha256,
        source_url=source_url,
        removed=article.removed,
        title_source="html" if raw.meta.title else "first-line",
        warnings=warnings,
    )
    return Candidate(raw, record, text_hash(body), enrich=True)


def _publication_date(raw: RawArticle, body_text: str, lang: str, option_date: str | None) -> tuple[str | None, str]:
    """(date, where it was found) of a plain text or HTML seed."""
    for value, origin in ((_iso(raw.meta.date), "html-meta"), (_filename_date(raw.path), "filename")):
        if value:
            return value, origin
    line = _dateline(body_text, lang)
    if line:
        return line, "dateline"
    if option_date:
        return option_date, "option"
    return None, "unknown"


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value).strip()
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return text


def _filename_date(path: Path) -> str | None:
    m = _FILENAME_DATE.search(path.stem)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def _dateline(body_text: str, lang: str) -> str | None:
    from generator.enrich.dates import find_dateline

    found = find_dateline(body_text, lang)
    return found[0] if found else None


def _prepare_markdown(raw: RawArticle, fm: dict, source_path: str, config: SiteConfig) -> Candidate:
    """A .md seed is already a record: check its fields and fill in the rest."""
    body = raw.text.strip("\n")
    if not body.strip():
        raise InputError("nothing left after cleaning: the record has no body", raw.path)
    title = fm.get("title")
    if title is None:
        m = re.search(r"^#\s+(.+)$", body, re.M)
        title = m.group(1).strip() if m else None
    if not isinstance(title, str) or not title.strip():
        raise InputError("field 'title': missing — a record needs a title", raw.path, 2)
    lang = fm.get("lang") if isinstance(fm.get("lang"), str) else detect_language(f"{title}\n{body}", default=config.language)
    date = fm.get("date")
    fields = {
        "title": title.strip(),
        "slug": fm.get("slug") or slugify(title),
        "lang": lang,
        "date": date,
        "date_source": fm.get("date_source") or ("source" if date else "unknown"),
        "summary": fm.get("summary") or "",
        "entities": fm.get("entities") or {},
        "mentioned_dates": fm.get("mentioned_dates") or [],
        "tags": fm.get("tags") or [],
        "source": {"path": source_path, "sha256": raw.sha256, "url": (fm.get("source") or {}).get("url") if isinstance(fm.get("source"), dict) else None},
        "title_source": fm.get("title_source") or "front-matter",
        "updated": fm.get("updated"),
        "versions": fm.get("versions") or [],
        "cleaning": fm.get("cleaning") or {"removed": []},
    }
    try:
        record = record_from_front_matter(fields, body, raw.path)
    except GazetteError as exc:
        raise InputError(exc.message, raw.path) from None
    if not record.summary:
        first = next((p.strip() for p in plain_text(body).split("\n\n") if p.strip() and not p.startswith("#")), "")
        record = replace(record, summary=first[:300])
    has_tags = bool(fm.get("entities")) or bool(fm.get("mentioned_dates"))
    return Candidate(raw, record, text_hash(body), enrich=not has_tags)
