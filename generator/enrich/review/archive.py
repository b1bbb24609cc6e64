"""What the review knows of the archive: every record's entity tags as the
alias tables (the shipped ones and the site's entities.toml) would make them
on the next ingest, which articles carry each entity, and the words the
archive writes in lower case.

Built in one pass over the records; only the tags and a word → first article
table are kept, never the texts, so a large archive fits in memory.
"""
from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from generator.enrich.aliases import AliasTable, match_key
from generator.errors import GazetteError, Problem
from generator.files import not_regular, read_regular
from generator.model import Record
from generator.records import parse_record

# a word written in lower case: letters only, its first one a lower-case letter
_WORD = re.compile(r"[^\W\d_]+")

Entity = tuple[str, str]  # (kind, name)


@dataclass
class Archive:
    files: list[str] = field(default_factory=list)  # article number → path shown (relative to the site)
    entities: list[Entity] = field(default_factory=list)  # entity number → (kind, name), as the tables make it
    articles_of: list[list[int]] = field(default_factory=list)  # entity number → its articles, in order
    tags_of: list[tuple[int, ...]] = field(default_factory=list)  # article number → its entity numbers
    lower_words: dict[str, int] = field(default_factory=dict)  # word in lower case → first article writing it
    # tags the tables would change on the next ingest: (kind, name as recorded) → (kind, name) or None (blocked)
    unapplied: dict[Entity, tuple[Entity | None, list[int]]] = field(default_factory=dict)
    _number: dict[Entity, int] = field(default_factory=dict)
    _keys: dict[str, str] = field(default_factory=dict)

    def key(self, name: str) -> str:
        """match_key, memoised: the same names come back in many records."""
        found = self._keys.get(name)
        if found is None:
            found = self._keys[name] = match_key(name)
        return found

    def add(self, shown: str, record: Record, table: AliasTable) -> None:
        article = len(self.files)
        self.files.append(shown)
        numbers: list[int] = []
        for kind, tag in record.entities:
            entity = self._applied(kind, tag.name, table, article)
            if entity is None:
                continue
            number = self._number.get(entity)
            if number is None:
                number = self._number[entity] = len(self.entities)
                self.entities.append(entity)
                self.articles_of.append([])
            if number not in numbers:
                numbers.append(number)
                self.articles_of[number].append(article)
        self.tags_of.append(tuple(numbers))
        words = {w for w in _WORD.findall(record.body) if w[0].islower()}
        for word in words.difference(self.lower_words):
            self.lower_words[word] = article

    def _applied(self, kind: str, name: str, table: AliasTable, article: int) -> Entity | None:
        """The tag as the next ingest would write it; a change is remembered."""
        key = self.key(name)
        if key in table.blocked:
            now: Entity | None = None
        else:
            alias = table.by_key.get(key)
            now = (alias.kind, alias.name) if alias is not None else (kind, name)
            if alias is not None and self.key(alias.name) in table.blocked:
                now = None  # as ingest does: a blocked canonical name blocks its variants
        if now != (kind, name):
            self.unapplied.setdefault((kind, name), (now, []))[1].append(article)
        return now

    def lower_word_keys(self) -> dict[str, int]:
        """match key of each word written in lower case → the first article writing it."""
        keys: dict[str, int] = {}
        for word, article in self.lower_words.items():
            keys.setdefault(self.key(word), article)
        return keys


def record_files(content_dir: Path) -> Iterator[Path]:
    """Every content/**/*.md as the build reads them (hidden files and folders left out), sorted."""
    for name in sorted(str(p) for p in content_dir.rglob("*.md")):
        if f"{os.sep}." in name[len(str(content_dir)):]:
            continue
        yield Path(name)


def read_archive(paths: Iterable[tuple[Path, str]], table: AliasTable) -> tuple[Archive, list[Problem]]:
    """The archive of the records at `paths` (path, path shown); a record that
    cannot be read is a problem naming it, and left out."""
    archive = Archive()
    problems: list[Problem] = []
    for path, shown in paths:
        kind = not_regular(path)
        if kind == "a folder":
            continue
        if kind is not None:
            problems.append(Problem(shown, f"{kind}, not a record file"))
            continue
        try:
            text = read_regular(path).decode("utf-8")
            record = parse_record(text, shown)
        except UnicodeDecodeError as exc:
            problems.append(Problem(shown, f"not UTF-8 text (byte {exc.start}) — save the file as UTF-8"))
            continue
        except OSError as exc:
            problems.append(Problem(shown, f"cannot read: {exc.strerror or exc}"))
            continue
        except GazetteError as exc:
            problems.append(exc.problem)
            continue
        archive.add(shown, record, table)
    return archive, problems


def entity_index(archive: Archive) -> dict[str, list[int]]:
    """match key of a name → the entity numbers with that name (any kind)."""
    index: dict[str, list[int]] = defaultdict(list)
    for number, (_, name) in enumerate(archive.entities):
        index[archive.key(name)].append(number)
    return index
