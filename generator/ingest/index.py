"""What ingest knows of the records already in content/: each one's source,
the hash of its words, its person tags, its date, whether a person edited
it, and for wire copies its MinHash signature and its versions.

Kept in the cache folder as one row per file, so that a large archive is not
re-parsed on every ingest: a row holds while its file keeps the size and
modification time it had when it was read. The index is stored through
generator/cache.py, so a change to the code that describes a record makes
every row be read again.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.cache import Entry
from generator.config import SiteConfig
from generator.errors import RecordError
from generator.files import not_regular
from generator.ingest.markdown_text import text_hash
from generator.ingest.near_duplicates import body_signature
from generator.model import Version
from generator.front_matter import read_front_matter_leniently
from generator.records import is_hand_edited, read_record_text

INDEX_NAME = "ingest-index"


@dataclass(frozen=True)
class KnownRecord:
    """What ingest needs to know of a record already in content/."""

    source_path: str | None
    text_hash: str  # "" when the record cannot be read
    people: tuple[str, ...] = ()  # the person tags' names, for surname joining
    hand_edited: bool = False
    # the record's date and where it came from: a re-ingest keeps a date given
    # by --date or by a person (ingest/kept_dates.py); read from the record
    # itself, so that it survives the loss of this index
    date: str | None = None
    date_source: str = "unknown"
    signature: bytes = b""  # MinHash of the body's shingles (near_duplicates.py); b"" when unreadable
    versions: tuple[Version, ...] = ()  # the copies the record lists


@dataclass(frozen=True)
class IndexRow:
    """A record file's facts, true while it has this modification time and size."""

    mtime_ns: int
    size: int
    record: KnownRecord


def scan_content(config: SiteConfig, written: dict[str, KnownRecord] | None = None) -> dict[Path, KnownRecord]:
    """The records in content/, by path, read through the index.
    `written`: file name → facts of the records this run has just written,
    known without reading them back."""
    index = content_index(config)
    stored: dict[str, IndexRow] = index.read(default={})
    written = written or {}
    rows: dict[str, IndexRow] = {}
    if config.content_dir.is_dir():
        for path in sorted(config.content_dir.glob("*.md")):
            if not_regular(path) is not None:  # a FIFO, a dangling link: never opened (the build names it)
                continue
            stat = path.stat()
            row = stored.get(path.name)
            if path.name in written:
                row = IndexRow(stat.st_mtime_ns, stat.st_size, written[path.name])
            elif row is None or (row.mtime_ns, row.size) != (stat.st_mtime_ns, stat.st_size):
                row = IndexRow(stat.st_mtime_ns, stat.st_size, describe(path))
            rows[path.name] = row
    if rows != stored:
        index.write(rows)
    return {config.content_dir / name: row.record for name, row in rows.items()}


def content_index(config: SiteConfig) -> Entry:
    """Where the index is kept: file name → IndexRow."""
    return Entry(config.cache_dir, INDEX_NAME, code=__name__)


def describe(path: Path) -> KnownRecord:
    """The facts of one record file; an unreadable record has no source,
    words or people, and counts as edited by hand."""
    try:
        text = read_record_text(path)
    except (OSError, RecordError):
        return KnownRecord(None, "", (), hand_edited=True)
    try:
        front, body = read_front_matter_leniently(text, path)
    except RecordError:
        return KnownRecord(None, "", (), is_hand_edited(text))
    source = front.get("source")
    source_path = source.get("path") if isinstance(source, dict) else None
    return KnownRecord(source_path if isinstance(source_path, str) else None, text_hash(body), _people(front),
                       is_hand_edited(text), *_date(front), body_signature(body), _versions(front))


def _date(front_matter: dict) -> tuple[str | None, str]:
    """(date, date_source) of a record's front matter, as written or as a person left them."""
    date = front_matter.get("date")
    if isinstance(date, (dt.date, dt.datetime)):
        date = date.isoformat()
    source = front_matter.get("date_source")
    return (date if isinstance(date, str) else None), (source if isinstance(source, str) else "unknown")


def _people(front_matter: dict) -> tuple[str, ...]:
    """The person names of a record's front matter: a mapping name → mentions
    as ingest writes it, or a plain list as a person may write it."""
    entities = front_matter.get("entities")
    people = entities.get("person") if isinstance(entities, dict) else None
    names = people.keys() if isinstance(people, dict) else people if isinstance(people, list) else ()
    return tuple(name.strip() for name in names if isinstance(name, str) and name.strip())


def _versions(front_matter: dict) -> tuple[Version, ...]:
    """The versions a record lists, as far as they can be read (records.py
    reports the mistakes when the site is built)."""
    listed = front_matter.get("versions")
    items = listed if isinstance(listed, list) else []
    return tuple(Version(item["source"], _text(item.get("date")), _text(item.get("url")))
                 for item in items if isinstance(item, dict) and isinstance(item.get("source"), str))


def _text(value) -> str | None:
    return None if value is None else str(value)
