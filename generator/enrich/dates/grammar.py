"""The date patterns of a language, compiled once from its word tables.

Each pattern finds one kind of date phrase; the named groups carry the
parts (day numbers, month word, year, weekday, modifier) that
generator.enrich.dates resolves to a calendar date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Iterable, Mapping

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
    dateline_head: re.Pattern
    dateline_tail: re.Pattern
    dateline_joint: re.Pattern
    dateline_time: re.Pattern
    dateline_place: re.Pattern


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
        **_dateline_patterns(words, pieces),
    )


def _calendar_patterns(words: DateWords, p: _Pieces) -> dict[str, str]:
    """Phrases that name a day or a month of the calendar: "26/01/2020", "le 26 janvier"."""
    start_day = r"(?<![\w.,:/'])"  # not "3.5", "12,4", "n'3"
    patterns = {
        "numeric": r"(?<![\w/.,-])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)"
                   r"(?P<year>\d{4})(?![\w/-]|[.,]\d)",
        "iso": r"(?<![\w/.-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\w/-]|[.,]\d)",
        # "le dimanche 26 janvier 2020 (dernier)", "les 9 et 10 juin"
        "day_month": (
            rf"{_B}{p.lead}{p.this}(?:(?P<weekday>{p.weekday})\s+)?{start_day}(?P<days>{p.days})\s+"
            rf"(?:of\s+)?(?P<month>{p.month})(?:,?\s+(?P<year>{p.year}))?(?:\s+{p.last_next})?"
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


def _dateline_patterns(words: DateWords, p: _Pieces) -> dict[str, re.Pattern]:
    """The Grammar's dateline_* fields: "PARIS, 26 janvier 2020, 10 h 30 —"."""
    time = (
        r"(?P<hour>[01]?\d|2[0-3])\s*(?:h|:)\s*(?P<minute>[0-5]\d)?"
        r"(?:\s*(?:am|pm))?(?:\s*\(?UTC\)?)?"
    )
    if words.month_first:
        head_date = rf"(?:(?P<weekday>{p.weekday}),?\s+)?(?P<month>{p.month})\s+(?P<day>{p.day}),?\s+(?P<year>{p.year})"
    else:
        head_date = rf"(?:(?P<weekday>{p.weekday})\s+)?(?P<day>{p.day})\s+(?P<month>{p.month})\s+(?P<year>{p.year})"
    flags = re.IGNORECASE
    return {
        "dateline_head": re.compile(rf"\s*(?:{words.dateline_labels}\s*)?(?P<date>{head_date})", flags),
        # after the date, up to the dash that opens the text: short segments
        # (a time, a place) that dates._dateline checks one by one
        "dateline_tail": re.compile(r"(?P<segments>[^–—\n]{0,80}?)\s*(?:\.\s*)?(?:[–—]|-(?=\s)|$)"),
        "dateline_joint": re.compile(rf"\s*(?:,|(?<!\w){words.time_joint}(?!\w)|-)\s*", flags),
        "dateline_time": re.compile(time, flags),
        "dateline_place": re.compile(r"[^\W\d][^\n.:;!?«»()]{0,40}"),
    }


GRAMMARS: Mapping[str, Grammar] = MappingProxyType({lang: build(w) for lang, w in WORDS.items()})
