"""Alias tables: the ones shipped with Gazette (generator/data/aliases/*.toml
for every site, generator/data/aliases/<language>/*.toml for a site in that language)
and a site's own entities.toml, parsed into one frozen lookup.

Format (the same for both; entities.toml may add a `blocklist`):

    blocklist = ["Publicité", "Votre adresse"]   # never tagged (entities.toml only)

    [person]                                     # the table fixes the kind
    "Donald Trump" = ["Trump", "D. Trump"]       # canonical name = [variants]

    [organization]
    "Maison Blanche" = []                        # no variants: a type override

A shipped file may also hold a `blocklist`, and `demonyms = [...]`: names of peoples and
inhabitants in the masculine singular ("Américain"); they and their derived
feminine and plural forms are never tagged (an alias of the same spelling,
such as the country "Suisse", wins).

Names match ignoring case, accents, apostrophe style, hyphens, dots and
invisible characters (soft hyphens, zero-width spaces), so one
entry covers "Etats-Unis", "etats unis" and "ÉTATS-UNIS". A site entry wins
over a shipped one with the same key.
"""
from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from generator.enrich.normalise import comparable
from generator.errors import ConfigError
from generator.model import ENTITY_KINDS

APOSTROPHES = "'’ʼ`´‘"


def match_key(name: str) -> str:
    """The form two spellings of one name share: no accents, case, dots or
    hyphens, nor the invisible characters and odd spaces `comparable` removes."""
    decomposed = unicodedata.normalize("NFKD", comparable(name))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.casefold()
    bare = re.sub(f"[{APOSTROPHES}]", "'", bare)
    bare = re.sub(r"(?<=\w)\.(?=\w|$)|\.$", "", bare)  # U.S.A. → usa
    bare = re.sub(r"[-‐‑–—_\s]+", " ", bare)
    return re.sub(r"\s*'\s*", "'", bare).strip()


def typographic(name: str) -> str:
    """One apostrophe style in canonical names, so two sources agree byte for byte."""
    return re.sub(f"[{APOSTROPHES}]", "’", name)


@dataclass(frozen=True)
class Alias:
    name: str  # canonical name
    kind: str  # person | place | organization


@dataclass(frozen=True)
class AliasTable:
    by_key: Mapping[str, Alias]
    blocked: frozenset[str]  # match keys never tagged (the site's blocklist)
    demonyms: frozenset[str]  # match keys of peoples' names, every form
    fingerprint: str  # hash of the sources, part of the enrichment cache key

    def lookup(self, name: str) -> Alias | None:
        return self.by_key.get(match_key(name))

    def is_blocked(self, name: str) -> bool:
        return match_key(name) in self.blocked

    def is_demonym(self, word: str) -> bool:
        return match_key(word) in self.demonyms


def demonym_forms(word: str) -> set[str]:
    """A French demonym and its regular feminine and plural forms."""
    if word.endswith(("x", "s")) and not word.endswith(("ais", "ois")):
        return {word}  # already plural (Occidentaux)
    if word.endswith("e"):
        feminine = word
    elif word.endswith(("ien", "éen")):
        feminine = word + "ne"
    elif word.endswith("on"):
        feminine = word + "ne"
    else:
        feminine = word + "e"
    forms = {word, feminine, feminine + "s"}
    forms.add(word if word.endswith(("s", "x", "z")) else word + "s")
    return forms


def _line_of(text: str, needle: str) -> int | None:
    """Line of the first occurrence of a quoted key or value (tomllib gives no positions)."""
    for quote in ('"', "'"):
        pos = text.find(f"{quote}{needle}{quote}")
        if pos >= 0:
            return text.count("\n", 0, pos) + 1
    pos = re.search(rf"^[ \t]*\[?[ \t]*{re.escape(needle)}[ \t]*[=\]]", text, re.M)
    return text.count("\n", 0, pos.start()) + 1 if pos else None


def parse_alias_file(text: str, path: Path | str, allow_blocklist: bool,
                     allow_demonyms: bool = False) -> tuple[dict[str, Alias], set[str], set[str]]:
    """One alias file → (match key → Alias, blocked keys, demonym keys). Errors name path:line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ConfigError(f"not valid TOML: {exc}", path, int(m.group(1)) if m else None) from None
    entries: dict[str, Alias] = {}
    blocked: set[str] = set()
    demonyms: set[str] = set()
    for key, value in data.items():
        if key == "demonyms" and allow_demonyms:
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise ConfigError("'demonyms' must be a list of words", path, _line_of(text, key))
            demonyms.update(match_key(form) for v in value for form in demonym_forms(v.strip()))
            continue
        if key == "blocklist" and allow_blocklist:
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise ConfigError("'blocklist' must be a list of names", path, _line_of(text, key))
            blocked.update(match_key(v) for v in value)
            continue
        if key not in ENTITY_KINDS:
            known = ", ".join(ENTITY_KINDS + (("blocklist",) if allow_blocklist else ()))
            raise ConfigError(f"unknown key '{key}' — expected one of: {known}", path, _line_of(text, key))
        if not isinstance(value, dict):
            raise ConfigError(f"'{key}' must be a table of names: [{key}]", path, _line_of(text, key))
        for canonical, variants in value.items():
            line = _line_of(text, canonical)
            if not canonical.strip():
                raise ConfigError("empty canonical name", path, line)
            if not isinstance(variants, list) or not all(isinstance(v, str) and v.strip() for v in variants):
                raise ConfigError(f"'{canonical}' must map to a list of variant names, e.g. [\"…\"]", path, line)
            alias = Alias(typographic(canonical.strip()), key)
            for name in (canonical, *variants):
                k = match_key(name)
                if k in entries and entries[k] != alias:
                    other = entries[k]
                    raise ConfigError(
                        f"'{name}' is already a variant of '{other.name}' ({other.kind})"
                        f" — list it under one name only", path, _line_of(text, name) or line)
                entries[k] = alias
    return entries, blocked, demonyms


def _shipped_files(language: str = "fr") -> list[tuple[str, str]]:
    """The shipped tables: those for every language (generator/data/aliases/),
    then those of the site's language (generator/data/aliases/<language>/),
    whose canonical names are in that language."""
    root = resources.files("generator") / "data" / "aliases"
    found = []
    for folder, shown in ((root, "generator/data/aliases"), (root / language, f"generator/data/aliases/{language}")):
        if language.isalpha() and folder.is_dir():
            files = sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
            found += [(f"{shown}/{f.name}", f.read_text(encoding="utf-8")) for f in files]
    return found


def load_aliases(site_file: Path | None, language: str = "fr") -> AliasTable:
    """The shipped tables of the site's language plus the site's entities.toml
    (when it exists)."""
    digest = hashlib.sha256()
    merged: dict[str, Alias] = {}
    demonyms: set[str] = set()
    blocked: set[str] = set()
    for name, text in _shipped_files(language):
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
        entries, never, peoples = parse_alias_file(text, name, allow_blocklist=True, allow_demonyms=True)
        demonyms.update(peoples)
        blocked.update(never)
        for key, alias in entries.items():
            if key in merged and merged[key] != alias:
                raise ConfigError(f"'{key}' is listed under '{merged[key].name}' and '{alias.name}'", name)
            merged[key] = alias
    if site_file is not None and site_file.is_file():
        try:
            text = site_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read: {exc}", site_file) from None
        digest.update(b"site\0" + text.encode())
        entries, never, _ = parse_alias_file(text, site_file, allow_blocklist=True)
        blocked.update(never)
        merged.update(entries)  # the site's own entries win
    return AliasTable(MappingProxyType(merged), frozenset(blocked), frozenset(demonyms), digest.hexdigest())
