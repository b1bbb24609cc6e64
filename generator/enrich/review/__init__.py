"""`gazette entities`: what a person should look at in the archive's entity
tags, and the entities.toml line that would fix each finding.

archive.py reads the records (tags as the alias tables make them), near.py
finds names one typo apart, findings.py holds one function a section,
show.py prints the report for a person or as JSON for tools.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.config import SiteConfig, site_relative
from generator.enrich.aliases import AliasTable, load_aliases, parse_alias_file
from generator.enrich.review.archive import Archive, read_archive, record_files
from generator.enrich.review.findings import SECTIONS, Finding, Fix, Section, unapplied
from generator.errors import ConfigError, GazetteError, Problem

__all__ = ["Review", "Section", "Finding", "Fix", "review_site", "review_archive", "DEFAULT_LIMIT"]

DEFAULT_LIMIT = 20  # findings shown a section


@dataclass(frozen=True)
class Review:
    records: int
    entities: int  # distinct (kind, name) after the alias tables
    sections: tuple[Section, ...]
    limit: int


def review_site(config: SiteConfig, limit: int = DEFAULT_LIMIT) -> tuple[Review, list[Problem]]:
    """The review of a site's content/, and the records that could not be read."""
    if not config.content_dir.is_dir():
        raise GazetteError("no content folder: run `gazette ingest` first", config.content_dir)
    table = load_aliases(config.entities_file, config.language)
    paths = ((path, site_relative(path, config.root)) for path in record_files(config.content_dir))
    archive, problems = read_archive(paths, table)
    return review_archive(archive, table, _site_keys(config.entities_file), limit), problems


def review_archive(archive: Archive, table: AliasTable, site_keys: frozenset[str],
                   limit: int = DEFAULT_LIMIT) -> Review:
    """Every section of the report, each cut to `limit` findings."""
    sections = []
    known_keys = frozenset(table.by_key)
    for kind, title, find in SECTIONS:
        found: list[Finding] = find(archive, site_keys, known_keys)
        sections.append(Section(kind, title, tuple(found[:limit]), len(found)))
    stale = unapplied(archive, site_keys)
    sections.append(Section("unapplied", "Tags the alias tables would change on the next ingest",
                            tuple(stale[:limit]), len(stale)))
    return Review(len(archive.files), len(archive.entities), tuple(sections), limit)


def _site_keys(path: Path) -> frozenset[str]:
    """The match keys the site's entities.toml lists (load_aliases has checked it)."""
    if not path.is_file():
        return frozenset()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path) from None
    entries, blocked, _ = parse_alias_file(text, path, allow_blocklist=True)
    return frozenset(entries) | frozenset(blocked)
