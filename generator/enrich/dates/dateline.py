"""The dateline that opens an article: its publication date and, apart,
the date of its last update.

The grammar (grammar._dateline_pattern) reads one line as
place? (agency)? , stamp (stamp)? (, place)? (agency)? end, where a stamp is
a label ("Publié le", "Mis à jour le", "Updated:") or none, a day in any
of the usual forms and perhaps a time. Only the first lines of a text are
read, and a date that does not exist, a weekday that does not fit its day
or a day written 03/01/2020 in English (March or January?) gives no
dateline: a date is never guessed.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from generator.enrich.dates.grammar import GRAMMARS, Grammar

# a dateline may follow a title and a picture's caption or two
DATELINE_LINES = 5


@dataclass(frozen=True)
class Dateline:
    """What the opening dateline says; each date ISO 8601 (a day, or a day and a time)."""

    published: str | None
    updated: str | None
    words: str  # the dateline's words, from its first day to its last time or place

    @property
    def date(self) -> str:
        """The date the dateline gives: the publication's, else the update's."""
        return self.published or self.updated


def read_dateline(text: str, lang: str) -> Dateline | None:
    """The dateline among the first non-blank lines of `text`, or None."""
    grammar = GRAMMARS.get(lang)
    if grammar is None:
        return None
    lines = [line for line in text.split("\n") if line.strip()][:DATELINE_LINES]
    for line in lines:
        found = _read_line(line, grammar)
        if found:
            return found
    return None


def _read_line(line: str, grammar: Grammar) -> Dateline | None:
    view = line.replace("’", "'").replace("ʼ", "'")  # same length: offsets hold
    m = grammar.dateline.match(view)
    if not m:
        return None
    names = [n for n in ("a_", "b_") if m[f"{n}body"]]
    # a time after the place ("12 mars 2016, Montpellier, 14 h 30") is the last stamp's
    stamps = [_stamp(m, n, grammar, late=n == names[-1]) for n in names]
    if None in stamps:
        return None  # a day that does not exist, or does not fit its weekday
    published = next((iso for kind, iso in stamps if kind == "published"), None)
    updated = next((iso for kind, iso in stamps if kind == "updated"), None)
    if published and updated and updated <= published:
        updated = None  # "updated" the day it was published: nothing later to keep
    end = m.end("trail") if m["trail"] else m.end(f"{names[-1]}body")
    return Dateline(published, updated, line[m.start("a_body"):end].strip())


def _stamp(m, n: str, grammar: Grammar, late: bool) -> tuple[str, str] | None:
    """("published" or "updated", ISO date or date-time) of one stamp; an
    unlabelled stamp is the publication's. None when the day is impossible."""
    day = _day(m, n, grammar)
    if day is None:
        return None
    time = _time(m, n) or _time(m, n + "early") or (_time(m, "late_") if late else None)
    iso = day.isoformat() + (f"T{time}" if time else "")
    return ("updated" if m[f"{n}updated"] else "published"), iso


def _day(m, n: str, grammar: Grammar) -> dt.date | None:
    words = grammar.words
    if m[f"{n}isoyear"]:
        day = _calendar(int(m[f"{n}isoyear"]), int(m[f"{n}isomonth"]), int(m[f"{n}isoday"]))
    elif m[f"{n}numyear"]:
        day = _numeric(int(m[f"{n}a"]), int(m[f"{n}b"]), int(m[f"{n}numyear"]), words.day_first)
    else:
        month = words.months[_key(m[f"{n}month"])]
        day = _calendar(int(m[f"{n}year"]), month, int(re.match(r"\d+", m[f"{n}day"])[0]))
    weekday = m[f"{n}weekday"]
    if day is None or weekday is None:
        return day
    key = _key(weekday)
    expected = words.weekdays.get(key, words.weekday_abbreviations.get(key))
    return day if day.weekday() == expected else None


def _numeric(a: int, b: int, year: int, day_first: bool) -> dt.date | None:
    """14/07/2019: day first where the language writes it so; elsewhere the
    reading must be the only possible one (03/01/2020 is March or January)."""
    if day_first:
        return _calendar(year, b, a)
    readings = {_calendar(year, a, b), _calendar(year, b, a)} - {None}
    return readings.pop() if len(readings) == 1 else None


def _time(m, n: str) -> str | None:
    hour = m[f"{n}hour"]
    if hour is None:
        return None
    hour, minute = int(hour), int(m[f"{n}minute"] or 0)
    ampm = (m[f"{n}ampm"] or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def _calendar(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _key(word: str) -> str:
    return re.sub(r"\s+", " ", word.lower())
