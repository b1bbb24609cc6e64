"""The words of a language that the entity rules (canonical.py) need: titles
before a name, name particles, head nouns that give a name its kind, and a
few facts about how the language writes names. One file per language in
generator/data/language/; a language without one gets no title, particle or
head-noun rule (its names are only cleaned of punctuation and noise)."""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

from generator.enrich.aliases import typographic


@dataclass(frozen=True)
class LanguageWords:
    titles: tuple[str, ...] = ()  # longest first, so "premier ministre" wins over "ministre"
    particles: frozenset[str] = frozenset()
    organization_heads: frozenset[str] = frozenset()
    place_heads: frozenset[str] = frozenset()
    head_position: str = "first"  # where a name's head noun stands: "first" (French) or "last" (English)
    determiners: frozenset[str] = frozenset()
    prepositions: frozenset[str] = frozenset()
    naming_heads: frozenset[str] = frozenset()  # lower-case heads that stay in the name
    capitalised_common_words_are_noise: bool = False
    possessive_endings: tuple[str, ...] = ()


@functools.lru_cache(maxsize=None)
def language_words(lang: str) -> LanguageWords:
    """The words of `lang` ("fr", "en"); empty lists for a language Gazette has no file for."""
    folder = resources.files("generator") / "data" / "language"
    path = folder / f"{lang}.toml"
    if not lang.isalpha() or not path.is_file():
        return LanguageWords()
    data = tomllib.loads(path.read_text(encoding="utf-8"))

    def words(key: str) -> frozenset[str]:
        return frozenset(typographic(w) for w in data.get(key, ()))

    return LanguageWords(
        titles=tuple(sorted(words("titles"), key=len, reverse=True)),
        particles=words("particles"),
        organization_heads=words("organization_heads"),
        place_heads=words("place_heads"),
        head_position=data.get("head_position", "first"),
        determiners=words("determiners"),
        prepositions=words("prepositions"),
        naming_heads=words("naming_heads"),
        capitalised_common_words_are_noise=bool(data.get("capitalised_common_words_are_noise", False)),
        possessive_endings=tuple(typographic(w) for w in data.get("possessive_endings", ())),
    )
