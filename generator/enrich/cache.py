"""The on-disk cache of entity tags: one entry per analysed text, keyed by
everything the tags depend on, so an unchanged archive is re-ingested
without loading spaCy.

It is a Shelf of generator.cache: entries are versioned by the source of
the enrichment code, written atomically (worker processes store their
entries at the same time, each through its own temporary file), and an
entry that cannot be read or was written by other code is treated as
missing and rewritten.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from generator.cache import Shelf
from generator.enrich.canonical import Tag


@dataclass(frozen=True)
class CacheKeyParts:
    """What a text's tags depend on, besides the text itself."""

    model: str  # model package name
    model_version: str
    rules_version: str  # canonical.RULES_VERSION
    aliases: str  # fingerprint of the shipped alias tables and entities.toml


def cache_key(title: str, body: str, lang: str, published: str | None, parts: CacheKeyParts) -> str:
    fields = [title, body, lang, published or "", parts.model, parts.model_version,
              parts.rules_version, parts.aliases]
    return hashlib.sha256("\0".join(fields).encode("utf-8")).hexdigest()


class EnrichCache:
    """Tags by cache key, in `folder` (e.g. <site>/.gazette/enrich)."""

    def __init__(self, folder: Path):
        # the tags are what the enrichment package makes of a text: its code versions them
        self._shelf = Shelf(folder.parent, folder.name, code="generator.enrich")

    def is_empty(self) -> bool:
        """No entry at all (a new site, or `rm -rf .gazette`)."""
        return self._shelf.is_empty()

    def load(self, key: str) -> tuple[Tag, ...] | None:
        """The cached tags, or None when missing or unreadable."""
        return self._shelf.get(key)

    def store(self, key: str, tags: Sequence[Tag]) -> None:
        self._shelf.put(key, tuple(tags))
