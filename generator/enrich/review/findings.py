"""The findings of the entity review, one function a section, most important
first. Each finding says how many articles it concerns, which files, and the
entities.toml line that would fix it (and, where a person may decide the
names are right, the line that says so and silences the finding).

A name the site's entities.toml already lists (as a canonical name or a
variant) has been looked at: it is not reported as a lone surname, a name
whose articles share nothing, or noise, and two names it lists apart are
not near-identical. Tags are read as the tables would make them on the
next ingest (archive.py), so a fix written in entities.toml makes its
finding go away at once; the records it would change are listed in the last
section until they are re-ingested.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable

from generator.enrich.normalise import comparable
from generator.enrich.review.archive import Archive, entity_index
from generator.enrich.review.near import typo_pairs

FILES_SHOWN = 3  # files named by a finding; the rest are a count


@dataclass(frozen=True)
class Fix:
    """Lines of entities.toml: under `[table]`, or at the top of the file (table None)."""

    table: str | None
    lines: tuple[str, ...]

    @property
    def toml(self) -> str:
        """As it is written in entities.toml (a table's header on its own line)."""
        body = "\n".join(self.lines)
        return f"[{self.table}]\n{body}" if self.table else body

    @property
    def short(self) -> str:
        """On one line, as the README writes entries: [person] "A" = ["B"]."""
        body = " ".join(self.lines)
        return f"[{self.table}] {body}" if self.table else body


@dataclass(frozen=True)
class Finding:
    entities: tuple[tuple[str, str, int], ...]  # (kind, name, articles) of each entity concerned
    articles: int  # articles concerned
    files: tuple[str, ...]  # the first FILES_SHOWN of them
    more_files: int  # how many more
    why: str  # one line: what was seen
    fix: Fix | None = None
    dismiss: Fix | None = None  # "it is right as it is"
    command: str | None = None  # what to run instead of a line (re-ingest)


@dataclass(frozen=True)
class Section:
    kind: str  # its id in the JSON
    title: str
    findings: tuple[Finding, ...]  # the first `limit`
    total: int


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL must be escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _files(archive: Archive, articles: Iterable[int]) -> tuple[tuple[str, ...], int, int]:
    """(first files by path, how many more, how many in all) of distinct articles."""
    paths = sorted({archive.files[a] for a in articles})
    return tuple(paths[:FILES_SHOWN]), max(0, len(paths) - FILES_SHOWN), len(paths)


def _finding(archive: Archive, numbers: Iterable[int], articles: Iterable[int], why: str,
             **fixes) -> Finding:
    files, more, count = _files(archive, articles)
    entities = tuple((archive.entities[n][0], archive.entities[n][1], len(archive.articles_of[n]))
                     for n in numbers)
    return Finding(entities, count, files, more, why, **fixes)


def _by_weight(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.articles, [(e[1], e[0]) for e in f.entities]))


def _most_articles(archive: Archive, numbers: Iterable[int]) -> int:
    """The entity of the most articles; ties: no invisible characters, not in
    capitals, accents kept, then by name."""
    def weight(n: int):
        name = archive.entities[n][1]
        return (-len(archive.articles_of[n]), comparable(name) != name, name.isupper(), name.isascii(), name,
                archive.entities[n][0])
    return min(numbers, key=weight)


# ---------------------------------------------------------------- sections

def two_kinds(archive: Archive, site_keys: frozenset[str],
              known_keys: frozenset[str] = frozenset()) -> list[Finding]:
    """A name tagged as a person in some articles and a place (or an
    organisation) in others. Fix: the table of the kind of most articles."""
    findings = []
    for numbers in entity_index(archive).values():
        by_kind: dict[str, list[int]] = defaultdict(list)
        for n in numbers:
            by_kind[archive.entities[n][0]].append(n)
        if len(by_kind) < 2:
            continue
        weight = {kind: len({a for n in ns for a in archive.articles_of[n]}) for kind, ns in by_kind.items()}
        kind = min(weight, key=lambda k: (-weight[k], k))
        name = archive.entities[_most_articles(archive, by_kind[kind])][1]
        ordered = sorted(numbers, key=lambda n: (-len(archive.articles_of[n]), archive.entities[n]))
        seen = ", ".join(f"{k} in {weight[k]} article(s)" for k in sorted(weight, key=lambda k: (-weight[k], k)))
        findings.append(_finding(archive, ordered, (a for n in numbers for a in archive.articles_of[n]),
                                 f"tagged as {seen}",
                                 fix=Fix(kind, (f"{toml_string(name)} = []",))))
    return _by_weight(findings)


def near_identical(archive: Archive, site_keys: frozenset[str],
                   known_keys: frozenset[str] = frozenset()) -> list[Finding]:
    """Spellings of one name: the same but for case, accents, hyphens, dots or
    invisible characters (one match key), or one typo apart (near.py).
    Fix: one canonical name (the spelling of most articles) with the others
    as variants. Two names entities.toml lists apart are not paired."""
    index = entity_index(archive)
    neighbours: dict[str, list[str]] = defaultdict(list)
    for first, second in typo_pairs(index):
        if first in site_keys and second in site_keys:
            continue  # entities.toml names both: a person decided they differ
        neighbours[first].append(second)
        neighbours[second].append(first)
    # a group is a name and the names one typo from it, never a chain
    # ("bertin" – "berlin" – "merlin"): the name of most articles first takes
    # its neighbours, then the next name left
    articles = {key: sum(len(archive.articles_of[n]) for n in numbers) for key, numbers in index.items()}
    groups: dict[str, list[str]] = {}
    grouped: set[str] = set()
    for key in sorted(index, key=lambda k: (-articles[k], k)):
        if key in grouped:
            continue
        members = [key, *(k for k in sorted(neighbours.get(key, ())) if k not in grouped)]
        grouped.update(members)
        groups[key] = members
    findings = []
    for center, keys in groups.items():
        numbers = [n for key in sorted(keys) for n in index[key]]
        names = {archive.entities[n][1] for n in numbers}
        if len(names) < 2:
            continue  # one spelling (perhaps under two kinds: another section's)
        kinds = Counter()
        for n in numbers:
            kinds[archive.entities[n][0]] += len(archive.articles_of[n])
        kind = min(kinds, key=lambda k: (-kinds[k], k))
        canonical = archive.entities[_most_articles(archive, index[center])][1]
        variants = {}
        for n in sorted(numbers, key=lambda n: (-len(archive.articles_of[n]), archive.entities[n][1])):
            key = archive.key(archive.entities[n][1])
            if key != archive.key(canonical):
                variants.setdefault(key, archive.entities[n][1])
        fix = Fix(kind, (f"{toml_string(canonical)} = [{', '.join(map(toml_string, variants.values()))}]",))
        dismiss = None
        if variants:  # a typo apart: perhaps two names; listing each apart says so
            dismiss = Fix(kind, tuple(f"{toml_string(name)} = []" for name in (canonical, *variants.values())))
        ordered = sorted(numbers, key=lambda n: (-len(archive.articles_of[n]), archive.entities[n]))
        why = "spelt differently" if not variants else f"within one typo of {canonical!r}"
        findings.append(_finding(archive, ordered, (a for n in numbers for a in archive.articles_of[n]),
                                 f"{len(names)} spellings, {why}", fix=fix, dismiss=dismiss))
    return _by_weight(findings)


def lone_surnames(archive: Archive, site_keys: frozenset[str],
                  known_keys: frozenset[str] = frozenset()) -> list[Finding]:
    """A one-word person name that is the last word of two or more full
    person names: which one is meant? Fix: join it to the full name of most
    articles (or, to keep it alone, list it as it is)."""
    by_last: dict[str, list[int]] = defaultdict(list)
    lone = []
    for n, (kind, name) in enumerate(archive.entities):
        if kind != "person":
            continue
        words = name.split()
        if len(words) == 1:
            lone.append(n)
        elif words:
            by_last[archive.key(words[-1])].append(n)
    findings = []
    for n in lone:
        name = archive.entities[n][1]
        key = archive.key(name)
        full = by_last.get(key, [])
        if key in site_keys or len({archive.key(archive.entities[f][1]) for f in full}) < 2:
            continue
        full = sorted(full, key=lambda f: (-len(archive.articles_of[f]), archive.entities[f][1]))
        top = archive.entities[full[0]][1]
        findings.append(_finding(
            archive, [n, *full], archive.articles_of[n],
            f"the last word of {len(full)} people's names",
            fix=Fix("person", (f"{toml_string(top)} = [{toml_string(name)}]",)),
            dismiss=Fix("person", (f"{toml_string(name)} = []",))))
    return _by_weight(findings)


def no_shared_entity(archive: Archive, site_keys: frozenset[str],
                     known_keys: frozenset[str] = frozenset()) -> list[Finding]:
    """An entity of two articles or more whose articles have no other entity
    in common: perhaps one name for different things. Fix: block it (or, if
    it is one thing, list it as it is)."""
    findings = []
    for n, articles in enumerate(archive.articles_of):
        if len(articles) < 2:
            continue
        kind, name = archive.entities[n]
        if archive.key(name) in site_keys:
            continue
        seen: set[int] = set()
        with_others = 0
        shared = False
        for article in articles:
            others = [t for t in archive.tags_of[article] if t != n]
            with_others += bool(others)
            if not seen.isdisjoint(others):
                shared = True
                break
            seen.update(others)
        if shared or with_others < 2:
            continue
        findings.append(_finding(archive, [n], articles,
                                 f"its {len(articles)} articles have no other entity in common",
                                 fix=Fix(None, (f"blocklist = [{toml_string(name)}]",)),
                                 dismiss=Fix(kind, (f"{toml_string(name)} = []",))))
    return _by_weight(findings)


def noise(archive: Archive, site_keys: frozenset[str],
          known_keys: frozenset[str] = frozenset()) -> list[Finding]:
    """A capitalised single word tagged in one article that the archive's own
    text writes in lower case elsewhere ("Publicité", "Selon"): a common word
    at the start of a sentence or a heading. Names the alias tables know are
    left out. Fix: the blocklist (or, if it is a name, list it as it is)."""
    candidates: dict[str, list[int]] = defaultdict(list)
    for n, (kind, name) in enumerate(archive.entities):
        if len(archive.articles_of[n]) != 1 or " " in name or not name[:1].isupper() or name.isupper():
            continue
        key = archive.key(name)
        if key not in site_keys and key not in known_keys:
            candidates[key].append(n)
    if not candidates:
        return []
    written: dict[str, tuple[str, int]] = {}
    for word, article in archive.lower_words.items():
        key = word if word.isascii() else archive.key(word)
        if key in candidates and key not in written:
            written[key] = (word, article)
    findings = []
    for key, (word, article) in written.items():
        for n in candidates[key]:
            kind, name = archive.entities[n]
            findings.append(_finding(archive, [n], archive.articles_of[n],
                                     f"seen once; written in lower case ({word!r}) in {archive.files[article]}",
                                     fix=Fix(None, (f"blocklist = [{toml_string(name)}]",)),
                                     dismiss=Fix(kind, (f"{toml_string(name)} = []",))))
    return _by_weight(findings)


def unapplied(archive: Archive, site_keys: frozenset[str]) -> list[Finding]:
    """Tags the alias tables would change: records written before the
    current entities.toml (or edited by hand). Fix: re-ingest them."""
    findings = []
    for (kind, name), (now, articles) in archive.unapplied.items():
        files, more, count = _files(archive, articles)
        source = "entities.toml" if archive.key(name) in site_keys else "Gazette's alias tables"
        why = f"blocked ({source})" if now is None else f"becomes {now[0]} {now[1]!r} ({source})"
        findings.append(Finding(((kind, name, count),), count, files, more, why,
                                command="gazette ingest (records edited by hand: edit them, or --force)"))
    return _by_weight(findings)


# (id, title, finder): a finder takes the archive, the match keys entities.toml
# lists and those of every alias table, and returns its findings, sorted
SECTIONS: tuple[tuple[str, str, Callable[[Archive, frozenset[str], frozenset[str]], list[Finding]]], ...] = (
    ("two-kinds", "Names seen under two kinds", two_kinds),
    ("near-identical", "Near-identical names", near_identical),
    ("lone-surname", "Lone surnames of several people", lone_surnames),
    ("no-shared-entity", "Entities whose articles share no other entity", no_shared_entity),
    ("noise", "Probable noise: capitalised common words seen once", noise),
)
