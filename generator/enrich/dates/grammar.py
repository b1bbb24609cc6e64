"""The date patterns of a language, compiled once from its word tables.

Each pattern finds one kind of date phrase; the named groups carry the
parts (day numbers, month word, year, weekday, modifier) that
generator.enrich.dates resolves to a calendar date.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Iterable, Mapping

import regex

from generator.enrich.dates.words import WORDS, DateWords

_B = r"(?<![\w-])"  # start of a word (a hyphen joins words: "mi-mars")
_E = r"(?![\w-])"  # end of a word


def _alternatives(forms: Iterable[str]) -> str:
    """A regex alternation of word forms, longest first; a form that ends in
    a dot needs its dot, any other form must end at a word boundary."""
    parts = []
    for form in sorted(forms, key=len, reverse=True):
        body = re.escape(form)
        parts.append(body if form.endswith(".") else body + _E)
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class Grammar:
    """Compiled patterns for one language; kind -> pattern."""

    words: DateWords
    patterns: Mapping[str, re.Pattern]
    year_context: re.Pattern
    dateline: regex.Pattern  # one opening line: see _dateline_pattern


@dataclass(frozen=True)
class _Pieces:
    """The sub-patterns that several patterns of a language share."""

    month: str
    weekday: str
    number: str  # a small count: digits or a number word
    day: str
    days: str  # one day or several: "9 et 10", "9-10"
    year: str
    last_next: str  # "dernier" / "prochain", in group `last` or `next`
    lead: str  # an optional word before a date ("le")
    this: str  # an optional "ce"


def _pieces(words: DateWords) -> _Pieces:
    day = rf"(?:0?[1-9]|[12]\d|3[01]){words.ordinal_suffix}?(?![\w,.]\d|\d)"
    return _Pieces(
        month=_alternatives(words.months),
        weekday=_alternatives(words.weekdays),
        number=r"(?:\d{1,2}|" + _alternatives(words.numbers)[3:-1] + ")",
        day=day,
        days=rf"{day}(?:{words.range_joints}{day})*",
        year=r"(?:1[6-9]\d\d|2[01]\d\d)(?![\d\w])",
        last_next=rf"(?:(?P<last>{words.last})|(?P<next>{words.next})){_E}",
        lead=rf"(?:{words.lead}\s+)?",
        this=rf"(?:{words.this}\s+)?",
    )


def build(words: DateWords) -> Grammar:
    pieces = _pieces(words)
    # in this order: where two patterns match the same text, the first one wins (find._phrases)
    patterns = {**_calendar_patterns(words, pieces), **_relative_patterns(words, pieces)}
    flags = re.IGNORECASE
    return Grammar(
        words=words,
        patterns=MappingProxyType({k: re.compile(v, flags) for k, v in patterns.items()}),
        year_context=re.compile(rf"{_B}{words.year_lead}\s+(?P<year>{pieces.year})", flags),
        dateline=_dateline_pattern(words, pieces),
    )


def _calendar_patterns(words: DateWords, p: _Pieces) -> dict[str, str]:
    """Phrases that name a day or a month of the calendar: "26/01/2020", "le 26 janvier"."""
    start_day = r"(?<![\w.,:/'])"  # not "3.5", "12,4", "n'3"
    patterns = {
        "numeric": r"(?<![\w/.,-])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)"
                   r"(?P<year>\d{4})(?![\w/-]|[.,]\d)",
        # "10/11/93": a two-digit year only with slashes ("3.5.12" is a version)
        "numeric_short": r"(?<![\w/.,-])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year2>\d{2})(?![\w/-]|[.,]\d)",
        "iso": r"(?<![\w/.-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\w/-]|[.,]\d)",
        # "le dimanche 26 janvier 2020 (dernier)", "les 9 et 10 juin"
        "day_month": (
            rf"{_B}{p.lead}{p.this}(?:(?P<weekday>{p.weekday})\s+)?{start_day}(?P<days>{p.days})\s+"
            rf"(?:of\s+)?(?P<month>{p.month})(?:,?\s+(?:(?P<year>{p.year})|{_short_year(words)}))?"
            rf"(?:\s+{p.last_next})?"
        ),
        # "jeudi 26" (no month: the month of publication or a neighbour)
        "weekday_day": (
            rf"{_B}{p.lead}{p.this}(?P<weekday>{p.weekday})\s+(?P<days>{p.day})"
            r"(?!\s*(?:h\b|h\d|heures?|:|\d|%|°|€|\$|[.,]\d))"
            r"(?!\s+(?:ans|mois|jours|semaines|heures|minutes|personnes|morts|blessés|"
            r"years|months|days|weeks|hours|people|dead|%))"
        ),
        "relative": (
            rf"{_B}(?P<rel>{_alternatives(words.relative_days)})(?:\s+(?P<part>{words.day_parts}))?{_E}"
        ),
        "month_year": (
            # not after a number: "le 32 mars 2020" is no date at all
            rf"(?<!\d)(?<!\d\s){_B}(?P<lead>{words.month_lead})?(?P<month>{p.month})\s+(?P<year>{p.year})"
        ),
    }
    if words.month_first:
        # "Sunday, January 26, 2020", "January 9 and 10"
        patterns["month_day"] = (
            rf"{_B}{p.lead}(?:(?P<weekday>{p.weekday}),?\s+)?(?P<month>{p.month})\s+"
            rf"(?P<days>{p.days})(?:,?\s+(?P<year>{p.year}))?"
        )
    return patterns


def _short_year(words: DateWords) -> str:
    """A two-digit year after a day and month ("le 10 novembre 93"), in group
    `year2`: only where a year can end (punctuation, the end of the text, or
    a small word that opens what follows: "93 à Paris"), so that "le 3 mai
    12 personnes" and "le 3 mai 20 h" stay a day and a count."""
    return (
        rf"'?(?P<year2>\d{{2}})(?=\s*(?:[.,;:!?)»\]]|$)|\s+(?:{words.after_short_year}){_E}(?!\s+\d))"
    )


def _relative_patterns(words: DateWords, p: _Pieces) -> dict[str, str]:
    """Phrases that place a day from the publication date: "mardi dernier", "il y a trois jours"."""
    patterns = {}
    if words.modifier_after:
        patterns["weekday_modified"] = (
            rf"{_B}(?P<weekday>{p.weekday})(?:\s+(?P<part>{words.day_parts}))?\s+{p.last_next}"
        )
        patterns["month_modified"] = rf"{_B}(?P<month>{p.month})\s+{p.last_next}"
    else:
        patterns["weekday_modified"] = (
            rf"{_B}{p.last_next}\s+(?P<weekday>{p.weekday})(?:\s+(?P<part>{words.day_parts}))?{_E}"
        )
        patterns["month_modified"] = rf"{_B}{p.last_next}\s+(?P<month>{p.month})"
    patterns["weekday"] = (
        rf"{_B}(?P<this>{words.this}\s+)?(?P<weekday>{p.weekday})"
        rf"(?:\s+(?P<part>{words.day_parts}))?{_E}"
    )
    if words.ago_before:
        patterns["ago"] = rf"{_B}{words.ago_before}\s+(?P<count>{p.number})\s+{words.day_word}{_E}"
    else:
        patterns["ago"] = rf"{_B}(?P<count>{p.number})\s+{words.day_word}\s+{words.ago_after}{_E}"
    patterns["within"] = rf"{_B}{words.in_before}\s+(?P<count>{p.number})\s+{words.day_word}{_E}"
    return patterns


# a dateline's parts that are the same in every language
_UPPER = r"\p{Lu}"
# a word of a place name: "PARIS", "Saint-Denis", "D.C.", "Mo."
_PLACE_WORD = rf"{_UPPER}[\p{{L}}'.-]*"
# small words inside a place name: "Saint-Denis de la Réunion"
_PLACE_JOINT = r"(?:de|du|des|la|le|les|sur|en|d'|l'|of|the|upon)"
_PLACE = rf"{_PLACE_WORD}(?:\s+(?:{_PLACE_JOINT}\s+)*{_PLACE_WORD}){{0,4}}"
# a news agency or wire: "(AFP)", "(Reuters)", "/CNW Telbec/", "/PRNewswire/"
_AGENCY = rf"(?:\(\s*{_UPPER}[\p{{L}}\d .&'-]{{0,30}}\)|/\s*{_UPPER}[\p{{L}}\d .&'-]{{0,30}}/)"
# time zones as wires write them (case matters: "ET" is not "et")
_ZONE = (
    r"(?:\s*\(?(?:UTC|GMT|CET|CEST|BST|EDT|EST|CDT|CST|MDT|MST|PDT|PST|ET|PT|HNE|HAE|HNP|HAP|HE)"
    r"(?:\s*[+-]\d{1,2}(?::?\d{2})?)?\)?(?!\p{L}))"
)
# what ends a dateline: a dash, a wire's "--", or the end of the line
_DASH = r"(?:--|[–—―]|-(?=\s|$))"


def _dateline_time(n: str) -> str:
    """A time of day, its parts in groups `<n>hour`, `<n>minute`, `<n>ampm`."""
    return (
        rf"(?P<{n}hour>[01]?\d|2[0-3])\s*(?:(?i:h(?:eures?)?)|:|\.)\s*(?P<{n}minute>[0-5]\d)?(?![\d\p{{L}}])"
        rf"(?:\s*(?P<{n}ampm>(?i:[ap]\.?m\.?)(?!\p{{L}})))?{_ZONE}?"
    )


def _dateline_day(n: str, words: DateWords, p: _Pieces) -> str:
    """One day in any of the forms datelines write it, with or without a
    weekday: "lundi 15 juillet 2019", "July 15, 2019", "15/07/2019", "2019-07-15"."""
    weekdays = _alternatives([*words.weekdays, *words.weekday_abbreviations])
    return (
        rf"(?:(?P<{n}weekday>(?i:{weekdays}))\.?,?\s+)?(?:"
        rf"(?P<{n}day>{p.day})\s+(?P<{n}month>(?i:{p.month})),?\s+(?P<{n}year>{p.year})"
        rf"|(?P<{n}month>(?i:{p.month}))\s+(?P<{n}day>{p.day}),?\s+(?P<{n}year>{p.year})"
        rf"|(?P<{n}a>\d{{1,2}})(?P<{n}sep>[/.-])(?P<{n}b>\d{{1,2}})(?P={n}sep)(?P<{n}numyear>\d{{4}})(?!\d)"
        rf"|(?P<{n}isoyear>\d{{4}})-(?P<{n}isomonth>\d{{2}})-(?P<{n}isoday>\d{{2}})(?!\d)"
        r")"
    )


def _dateline_stamp(n: str, words: DateWords, p: _Pieces, labelled: bool) -> str:
    """A label (which tells a publication from an update), a day and a time:
    "Publié le 14/07/2019 à 10h30", "Updated 10:30 AM EDT, Mon July 15, 2019"."""
    joint = rf"(?:\s*(?:,|\||·|-|(?i:{words.time_joint}))\s*|\s+)"
    label = (
        rf"(?:(?i:article|texte|page|story)\s+)?"  # "Article publié le"
        rf"(?P<{n}label>(?P<{n}published>(?i:{words.published_labels}))|(?P<{n}updated>(?i:{words.updated_labels})))"
        rf"(?:\s+(?i:{words.byline_lead})\s+{_PLACE})?"  # "Posted by Jane Doe on"
        rf"(?:\s+(?i:{words.dateline_lead}))?\s*:?\s*"
    )
    return (
        rf"(?:{label}){'' if labelled else '?'}"
        rf"(?:(?i:{words.dateline_lead})\s+)?"
        rf"(?P<{n}body>(?:{_dateline_time(n + 'early')}\s*,?\s*)?"  # "10:30 AM EDT, July 15, 2019"
        rf"{_dateline_day(n, words, p)}(?:{joint}{_dateline_time(n)}|{_ZONE})?)"
    )


def _dateline_trail(words: DateWords) -> str:
    """Where the text was filed, after the day, and perhaps then the time:
    ", Auschwitz, Pologne", " à Valence (Drôme), 14 h 30" (it starts with a
    proper name: "14 juillet 2019, la foule…" is a sentence); or who wrote it."""
    # ", ", " à ", ", à " (a dash would end the dateline)
    joint = rf"(?:\s*,\s*(?:(?![,-])(?i:{words.time_joint})\s+)?|\s+(?![,-])(?i:{words.time_joint})\s+)"
    region = rf"(?:\s*\(\s*{_PLACE}\s*\))?"  # "Valence (Drôme)"
    # after a proper name, a place may be described in small words: "Bolivie, cratère de Maragua"
    described = r"\p{Ll}[\p{L}'-]*(?:\s+[\p{L}'-]+){0,4}"
    places = rf"{joint}{_PLACE}{region}(?:{joint}(?:{_PLACE}|{described}){region}){{0,2}}"
    byline = rf"\s+(?i:{words.byline_lead})\s+{_PLACE}"  # "11/19/2019 by Patrick Shanley"
    return rf"(?P<trail>{places}(?:{joint}{_dateline_time('late_')})?|{byline})"


def _dateline_pattern(words: DateWords, p: _Pieces) -> regex.Pattern:
    """The Grammar's dateline: one line that opens an article,
    place? (agency)? , stamp (stamp)? (place (time)?)? (agency)? end —
    "PARIS, le 14 juillet 2019 (AFP) –", "Publié le … Mis à jour le …".
    The end is a dash or the end of the line; after a labelled stamp it may
    also be the capital of the text's first sentence, on the same line."""
    place = rf"(?P<place>{_PLACE}(?:\s*,\s*{_PLACE}){{0,2}}(?:\s*{_AGENCY})?)\s*(?:,|{_DASH})\s*"
    second = rf"(?:\s*(?:[,;|·•]|{_DASH})?\s*{_dateline_stamp('b_', words, p, labelled=True)})"
    return regex.compile(
        rf"\s*(?:[-•*·|]\s+)?"  # a list's mark: "- Published 18 November 2019"
        rf"(?:{place})?"
        rf"{_dateline_stamp('a_', words, p, labelled=False)}"
        rf"{second}?"
        rf"{_dateline_trail(words)}?"
        rf"(?:\s*{_AGENCY})?"
        rf"(?:(?P<dash>\s*(?:\.\s*)?(?:{_DASH}|$))"
        rf"|(?P<sentence>(?(a_label)|(?(b_label)|(?!)))(?=\s+{_UPPER})))",  # only after a label
        regex.MULTILINE,
    )


class _Grammars(Mapping[str, Grammar]):
    """Each language's grammar, compiled when first asked for: compiling them
    all costs a tenth of a second that commands which read no dates (build,
    serve) would pay at import."""

    def __getitem__(self, lang: str) -> Grammar:
        return _grammar(lang)

    def __iter__(self):
        return iter(WORDS)

    def __len__(self) -> int:
        return len(WORDS)


@functools.cache
def _grammar(lang: str) -> Grammar:
    return build(WORDS[lang])


GRAMMARS: Mapping[str, Grammar] = _Grammars()
