"""The on-disk cache of entity tags: one small JSON file per analysed text,
keyed by everything the tags depend on, so an unchanged archive is
re-ingested without loading spaCy.

Writes are atomic (temporary file + rename); an entry that cannot be read
or does not have the expected shape is treated as missing and rewritten.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from generator.enrich.canonical import Tag
from generator.model import ENTITY_KINDS

_FORMAT = 2  # the layout of an entry


@dataclass(frozen=True)
class CacheKeyParts:
    """What a text's tags depend on, besides the text itself."""

    model: str  # model package name
    model_version: str
    rules_version: str  # canonical.RULES_VERSION
    aliases: str  # fingerprint of the shipped alias tables and entities.toml


def cache_key(title: str, body: str, lang: str, published: str | None, parts: CacheKeyParts) -> str:
    fields = [title, body, lang, published or "", parts.model, parts.model_version,
              parts.rules_version, parts.aliases, str(_FORMAT)]
    return hashlib.sha256("\0".join(fields).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class EnrichCache:
    folder: Path  # e.g. <site>/.gazette/enrich

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def is_empty(self) -> bool:
        """No entry at all (a new site, or `rm -rf .gazette`)."""
        try:
            return not any(self.folder.iterdir())
        except OSError:
            return True

    def load(self, key: str) -> tuple[Tag, ...] | None:
        """The cached tags, or None when missing or unreadable."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            if data["format"] != _FORMAT or data["key"] != key:
                return None
            return tuple(_tag(item) for item in data["tags"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, key: str, tags: Sequence[Tag]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"format": _FORMAT, "key": key,
                "tags": [[t.kind, t.name, t.mentions, t.first, t.fixed, t.titled] for t in tags]}
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _tag(item: list) -> Tag:
    kind, name, mentions, first, fixed, titled = item
    if kind not in ENTITY_KINDS or not isinstance(name, str) or not name:
        raise ValueError("bad cached tag")
    if not isinstance(mentions, int) or not isinstance(first, int) or not isinstance(fixed, bool) or not isinstance(titled, bool):
        raise ValueError("bad cached tag")
    return Tag(kind, name, mentions, first, fixed, titled)
