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


def build(words: DateWords) -> Grammar:
    month = _alternatives(words.months)
    weekday = _alternatives(words.weekdays)
    relative = _alternatives(words.relative_days)
    number = r"(?:\d{1,2}|" + _alternatives(words.numbers)[3:-1] + ")"
    day = rf"(?:0?[1-9]|[12]\d|3[01]){words.ordinal_suffix}?(?![\w,.]\d|\d)"
    days = rf"{day}(?:{words.range_joints}{day})*"
    year = r"(?:1[6-9]\d\d|2[01]\d\d)(?![\d\w])"
    last_next = rf"(?:(?P<last>{words.last})|(?P<next>{words.next})){_E}"
    lead = rf"(?:{words.lead}\s+)?"
    this = rf"(?:{words.this}\s+)?"
    start_day = r"(?<![\w.,:/'])"  # not "3.5", "12,4", "n'3"

    # "le dimanche 26 janvier 2020 (dernier)", "les 9 et 10 juin"
    day_month = (
        rf"{_B}{lead}{this}(?:(?P<weekday>{weekday})\s+)?{start_day}(?P<days>{days})\s+"
        rf"(?:of\s+)?(?P<month>{month})(?:,?\s+(?P<year>{year}))?(?:\s+{last_next})?"
    )
    # "Sunday, January 26, 2020", "January 9 and 10"
    month_day = (
        rf"{_B}{lead}(?:(?P<weekday>{weekday}),?\s+)?(?P<month>{month})\s+"
        rf"(?P<days>{days})(?:,?\s+(?P<year>{year}))?"
    )
    patterns: dict[str, str] = {
        "numeric": r"(?<![\w/.,-])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)"
                   r"(?P<year>\d{4})(?![\w/-]|[.,]\d)",
        "iso": r"(?<![\w/.-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\w/-]|[.,]\d)",
        "day_month": day_month,
        # "jeudi 26" (no month: the month of publication or a neighbour)
        "weekday_day": (
            rf"{_B}{lead}{this}(?P<weekday>{weekday})\s+(?P<days>{day})"
            r"(?!\s*(?:h\b|h\d|heures?|:|\d|%|°|€|\$|[.,]\d))"
            r"(?!\s+(?:ans|mois|jours|semaines|heures|minutes|personnes|morts|blessés|"
            r"years|months|days|weeks|hours|people|dead|%))"
        ),
        "relative": (
            rf"{_B}(?P<rel>{relative})(?:\s+(?P<part>{words.day_parts}))?{_E}"
        ),
        "month_year": (
            # not after a number: "le 32 mars 2020" is no date at all
            rf"(?<!\d)(?<!\d\s){_B}(?P<lead>{words.month_lead})?(?P<month>{month})\s+(?P<year>{year})"
        ),
    }
    if words.month_first:
        patterns["month_day"] = month_day
    if words.modifier_after:
        patterns["weekday_modified"] = (
            rf"{_B}(?P<weekday>{weekday})(?:\s+(?P<part>{words.day_parts}))?\s+{last_next}"
        )
        patterns["month_modified"] = rf"{_B}(?P<month>{month})\s+{last_next}"
    else:
        patterns["weekday_modified"] = (
            rf"{_B}{last_next}\s+(?P<weekday>{weekday})(?:\s+(?P<part>{words.day_parts}))?{_E}"
        )
        patterns["month_modified"] = rf"{_B}{last_next}\s+(?P<month>{month})"
    patterns["weekday"] = (
        rf"{_B}(?P<this>{words.this}\s+)?(?P<weekday>{weekday})"
        rf"(?:\s+(?P<part>{words.day_parts}))?{_E}"
    )
    if words.ago_before:
        patterns["ago"] = rf"{_B}{words.ago_before}\s+(?P<count>{number})\s+{words.day_word}{_E}"
    else:
        patterns["ago"] = rf"{_B}(?P<count>{number})\s+{words.day_word}\s+{words.ago_after}{_E}"
    patterns["within"] = rf"{_B}{words.in_before}\s+(?P<count>{number})\s+{words.day_word}{_E}"

    time = (
        r"(?P<hour>[01]?\d|2[0-3])\s*(?:h|:)\s*(?P<minute>[0-5]\d)?"
        r"(?:\s*(?:am|pm))?(?:\s*\(?UTC\)?)?"
    )
    if words.month_first:
        head_date = rf"(?:(?P<weekday>{weekday}),?\s+)?(?P<month>{month})\s+(?P<day>{day}),?\s+(?P<year>{year})"
    else:
        head_date = rf"(?:(?P<weekday>{weekday})\s+)?(?P<day>{day})\s+(?P<month>{month})\s+(?P<year>{year})"
    flags = re.IGNORECASE
    return Grammar(
        words=words,
        patterns=MappingProxyType({k: re.compile(v, flags) for k, v in patterns.items()}),
        year_context=re.compile(
            rf"{_B}{words.year_lead}\s+(?P<year>{year})", flags
        ),
        dateline_head=re.compile(
            rf"\s*(?:{words.dateline_labels}\s*)?(?P<date>{head_date})", flags
        ),
        # after the date, up to the dash that opens the text: short segments
        # (a time, a place) that dates._dateline checks one by one
        dateline_tail=re.compile(r"(?P<segments>[^–—\n]{0,80}?)\s*(?:\.\s*)?(?:[–—]|-(?=\s)|$)"),
        dateline_joint=re.compile(rf"\s*(?:,|(?<!\w){words.time_joint}(?!\w)|-)\s*", flags),
        dateline_time=re.compile(time, flags),
        dateline_place=re.compile(r"[^\W\d][^\n.:;!?«»()]{0,40}"),
    )


GRAMMARS: Mapping[str, Grammar] = MappingProxyType({lang: build(w) for lang, w in WORDS.items()})
