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
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Union

from generator.config import SiteConfig, record_source_path
from generator.errors import GazetteError, InputError, Problem, one_line
from generator.ingest.boilerplate import RuleSet
from generator.ingest.clean import clean
from generator.ingest.language import detect_language
from generator.ingest.seeds import read_seed, seed_from_bytes
from generator.ingest.markdown_text import blocks_to_markdown, escape, plain_text, summary_of, text_hash
from generator.ingest.title import fit_title, same_text
from generator.model import RawArticle, Record
from generator.records import checked_url, record_from_front_matter
from generator.urls import cap_slug, slugify

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


@dataclass(frozen=True)
class PrepareFailure:
    """Reading or cleaning a seed raised what no bad input raises: a bug.
    Plain strings, so that it crosses from a cluster worker."""

    error: str  # "ValueError: …", one line
    details: str  # the traceback


# one seed read and cleaned: its candidate, what is wrong with it, or a bug met
Prepared = Union[Candidate, Problem, PrepareFailure]


def prepared(path: Path, config: SiteConfig, rules: RuleSet, option_date: str | None,
             data: bytes | None = None) -> Prepared:
    """One seed read and cleaned, whatever goes wrong with it: read from
    `path`, or from `data`, its bytes, when the client of a cluster read
    them. The same code runs here and on a cluster's workers."""
    try:
        raw = read_seed(path, config.max_bytes) if data is None else seed_from_bytes(path, data)
        return prepare(raw, config, rules, option_date)
    except GazetteError as exc:
        return exc.problem
    except Exception as exc:  # a bug, in Gazette or a library it calls: this seed only
        return PrepareFailure(one_line(exc), traceback.format_exc())


def prepare(raw: RawArticle, config: SiteConfig, rules: RuleSet, option_date: str | None) -> Candidate:
    """A cleaned record without tags, from one decoded seed."""
    source_path = record_source_path(raw.path, config.root)
    fm = raw.front_matter
    if fm is not None:
        return _prepare_markdown(raw, fm, source_path, config)
    article = clean(raw, rules)
    body = blocks_to_markdown(article.blocks)
    lang = detect_language(f"{article.title}\n{article.body_text}", hint=raw.meta.lang, default=config.language)
    date, date_source, updated = _publication_date(raw, f"{article.title}\n{article.body_text}", lang, option_date)
    source_url, warnings = checked_url(raw.meta.url, "source.url", raw.path)
    record = Record(
        title=article.title,
        slug=slugify(article.title, fallback=f"article-{raw.sha256[:8]}"),
        lang=lang,
        date=date,
        date_source=date_source,
        summary=summary_of(article.blocks, (article.title, raw.meta.title or "")),
        body=body,
        source_path=source_path,
        source_sha256=raw.sha256,
        source_url=source_url,
        removed=article.removed,
        title_source=article.title_source,
        updated=updated,
        warnings=warnings,
    )
    return Candidate(raw, record, text_hash(body), enrich=True)


def _publication_date(raw: RawArticle, text: str, lang: str,
                      option_date: str | None) -> tuple[str | None, str, str | None]:
    """(date, where it was found, a later update date) of a plain text or
    HTML seed; the dateline is read at the top of `text`."""
    line = _dateline(text, lang)
    updated = _iso(raw.meta.updated) or (line.updated if line else None)
    found = (
        (_iso(raw.meta.date), "html-meta"),
        (_filename_date(raw.path), "filename"),
        (line.published if line else None, "dateline"),
        (option_date, "option"),
    )
    for value, origin in found:
        if value:
            return value, origin, updated if updated and updated > value else None
    return None, "unknown", updated


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


def _dateline(text: str, lang: str):
    from generator.enrich.dates import read_dateline

    return read_dateline(text, lang)


def _fit_markdown_title(title: str, body: str) -> tuple[str, str]:
    """A title over the limit is cut; its full text starts the body, unless
    the body already starts with it."""
    short = fit_title(title)
    if short == title:
        return title, body
    lead = next((p for p in plain_text(body).split("\n\n") if p.strip()), "")
    return short, body if same_text(lead, title) else f"{escape(title)}\n\n{body}"


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
    full_title = title.strip()
    title, body = _fit_markdown_title(full_title, body)
    lang = fm.get("lang") if isinstance(fm.get("lang"), str) else detect_language(f"{title}\n{body}", default=config.language)
    date = fm.get("date")
    fields = {
        "title": title.strip(),
        # a seed's own slug capped like a made one (records refuse one too long for a file name)
        "slug": (cap_slug(fm["slug"]) if isinstance(fm.get("slug"), str) else fm.get("slug")) or slugify(title),
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
        first = next((p.strip() for p in plain_text(body).split("\n\n")
                      if p.strip() and not p.startswith("#") and not same_text(p, full_title)), "")
        record = replace(record, summary=first[:300])
    has_tags = bool(fm.get("entities")) or bool(fm.get("mentioned_dates"))
    return Candidate(raw, record, text_hash(body), enrich=not has_tags)
