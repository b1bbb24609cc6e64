"""Dates an article mentions, and the dateline that opens it.

Recognition is our own: patterns built from per-language word tables
(dates_words, dates_grammar) find the date phrases; the standard library's
calendar resolves them. Relative phrases ("hier", "mardi dernier", a bare
weekday) need the publication date and are left out without it; a phrase
whose date cannot be settled (no year to be found, a weekday that
contradicts every candidate, a present-tense bare weekday) is left out
rather than guessed.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Iterator

from generator.enrich.dates.dateline import read_dateline
from generator.enrich.dates.grammar import GRAMMARS, Grammar
from generator.enrich.dates.spans import disjoint
from generator.enrich.dates.tense import Cue, Tense, find_cues, paragraph_tense, sentence_bounds, tense_near
from generator.model import MentionedDate

# how far around the publication date a day without its year is looked for
_YEARS_AROUND = (-1, 0, 1)
# a date said in the past may still fall a few days after publication
# (an article written ahead), and one said in the future a few days before
_TENSE_SLACK = dt.timedelta(days=7)
# how close a past or future verb must be for "aujourd'hui" to name a day
_TODAY_REACH = 50
# and for the tense to choose the year of a day named without one
_YEAR_REACH = 60
_EXPLICIT_YEAR_KINDS = ("numeric", "iso", "day_month", "month_day", "month_year")


@dataclass(frozen=True)
class _Phrase:
    """A date phrase found in the text, not yet resolved."""

    kind: str
    match: re.Match

    @property
    def start(self) -> int:
        return self.match.start()

    @property
    def end(self) -> int:
        return self.match.end()


@dataclass(frozen=True)
class _Context:
    """What a phrase is resolved against."""

    view: str  # the text as matched (’ read as ')
    grammar: Grammar
    published: dt.date | None
    years: tuple[int, ...]  # the years the text states, for days without one
    lang: str
    phrases: tuple["_Phrase", ...] = ()

    @functools.cached_property
    def cues(self) -> tuple[Cue, ...]:
        """The tense cues of the text, found only when a phrase needs its tense."""
        return find_cues(self.view, self.lang)

    def tense(self, phrase: "_Phrase", reach: int | None = None) -> Tense | None:
        return tense_near(self.view, self.cues, phrase.start, phrase.end, reach)


@dataclass(frozen=True)
class DateMention:
    """One mention of a date: where its words are in the text, and the date."""

    start: int
    end: int
    date: str  # "YYYY-MM-DD" or "YYYY-MM"


def find_dates(text: str, lang: str, published: dt.date | None) -> tuple[MentionedDate, ...]:
    """The dates the text mentions, in order of first appearance, one per date.

    Each tag keeps the words it came from (the first ones, when a date is
    mentioned twice). A language without word tables gives ().
    """
    tags: dict[str, MentionedDate] = {}
    for mention in find_date_mentions(text, lang, published):
        if mention.date not in tags:
            tags[mention.date] = MentionedDate(mention.date, text[mention.start:mention.end])
    return tuple(tags.values())


def find_date_mentions(text: str, lang: str, published: dt.date | None) -> tuple[DateMention, ...]:
    """Every mention of a date, in text order; a phrase naming several days
    ("les 9 et 10 juin") gives one mention per day, all with its words."""
    grammar = GRAMMARS.get(lang)
    if grammar is None or not text:
        return ()
    if isinstance(published, dt.datetime):
        published = published.date()  # a datetime is a date, but dates are compared and printed
    view = _matching_view(text)
    phrases = _phrases(view, grammar)
    if not phrases:
        return ()
    context = _Context(view, grammar, published, _stated_years(view, grammar, phrases), lang, phrases)
    return tuple(
        DateMention(phrase.start, phrase.end, date)
        for phrase in phrases
        for date in _resolve(phrase, context)
    )


def find_dateline(text: str, lang: str) -> tuple[str, str] | None:
    """The dateline at the start of a text, as (its ISO date or date-time,
    its words), or None; the date is the publication's, else the update's
    (read_dateline keeps them apart).

    "1er janvier 2016, 14h30 . – Un homme…" gives
    ("2016-01-01T14:30", "1er janvier 2016, 14h30").
    """
    found = read_dateline(text, lang)
    return (found.date, found.words) if found else None


# --- recognition -----------------------------------------------------------

def _matching_view(text: str) -> str:
    """The text with typographic apostrophes read as plain ones (same length,
    so offsets into it are offsets into the text)."""
    return text.replace("’", "'").replace("ʼ", "'")


def _phrases(view: str, grammar: Grammar) -> tuple[_Phrase, ...]:
    """Every date phrase, longest first where two overlap, in text order."""
    found = [
        _Phrase(kind, m)
        for kind, pattern in grammar.patterns.items()
        for m in pattern.finditer(view)
    ]
    found.sort(key=lambda p: (-(p.end - p.start), p.start))
    return disjoint(found)


def _stated_years(view: str, grammar: Grammar, phrases: tuple[_Phrase, ...]) -> tuple[int, ...]:
    """The years the text states: in full dates, months with a year, "en 2020"."""
    years = {
        int(p.match["year"])
        for p in phrases
        if p.kind in _EXPLICIT_YEAR_KINDS and p.match["year"]
    }
    years.update(int(m["year"]) for m in grammar.year_context.finditer(view))
    return tuple(sorted(years))


# --- resolution ------------------------------------------------------------

def _resolve(phrase: _Phrase, ctx: _Context) -> Iterator[str]:
    m = phrase.match
    kind = phrase.kind
    if kind == "numeric":
        yield from _numeric(m, ctx)
    elif kind == "numeric_short":
        yield from _numeric(m, ctx)
    elif kind == "iso":
        date = _calendar_date(int(m["year"]), int(m["month"]), int(m["day"]))
        if date:
            yield date.isoformat()
    elif kind in ("day_month", "month_day"):
        yield from _day_month(phrase, ctx)
    elif kind == "month_year":
        if _is_month_word(m, ctx):
            yield f"{int(m['year']):04d}-{_month(m['month'], ctx.grammar):02d}"
    elif ctx.published is None:
        return  # every other kind is relative to the publication date
    elif kind == "month_modified":
        yield from _month_modified(m, ctx)
    elif kind == "weekday_day":
        yield from _weekday_day(m, ctx)
    elif kind == "weekday_modified":
        yield from _weekday_modified(m, ctx)
    elif kind == "weekday":
        yield from _bare_weekday(phrase, ctx)
    elif kind == "relative":
        if not _figurative(phrase, ctx) and not _nowadays(phrase, ctx):
            offset = _lookup(m["rel"], ctx.grammar.words.relative_days)
            yield (ctx.published + dt.timedelta(days=offset)).isoformat()
    elif kind in ("ago", "within"):
        count = _count(m["count"], ctx)
        if count:
            sign = -1 if kind == "ago" else 1
            yield (ctx.published + dt.timedelta(days=sign * count)).isoformat()


def _numeric(m: re.Match, ctx: _Context) -> Iterator[str]:
    a, b = int(m["a"]), int(m["b"])
    if m.re.groupindex.get("year2"):  # "10/11/93"
        year = _century(int(m["year2"]), ctx.published)
        if year is None:
            return
    else:
        year = int(m["year"])
    if ctx.grammar.words.day_first:
        readings = {_calendar_date(year, b, a)}
    else:  # 03/01/2020 is March or January depending on the writer: keep it only if unique
        readings = {_calendar_date(year, a, b), _calendar_date(year, b, a)}
    readings.discard(None)
    if len(readings) == 1:
        yield readings.pop().isoformat()


def _day_month(phrase: _Phrase, ctx: _Context) -> Iterator[str]:
    m = phrase.match
    if ctx.grammar.words.capitalised_names and _is_name(m.start("month"), ctx):
        return
    month = _month(m["month"], ctx.grammar)
    days = [int(d) for d in re.findall(r"\d+", m["days"])]
    if any(b <= a for a, b in zip(days, days[1:])):
        return  # "3-2 mars" is a score or a typo, not a span of days
    first = days[0]
    if m["year"]:
        year = int(m["year"])
    elif m.groupdict().get("year2"):  # French only: English has no "10 novembre 93"
        year = _century(int(m["year2"]), ctx.published)
        if year is None:
            return
    elif _yearly(phrase, len(days), ctx):
        return  # "chaque 14 juillet", "tous les 1er mai": every year, no one day
    else:
        year = _infer_year(first, month, phrase, ctx)
        if year is None:
            return
    date = _calendar_date(year, month, first)
    if date is None or not _weekday_fits(date, m["weekday"], ctx.grammar):
        return
    for day in days:
        date = _calendar_date(year, month, day)
        if date:
            yield date.isoformat()


def _century(short: int, published: dt.date | None) -> int | None:
    """The full year of a two-digit one ("93"), or None without a publication
    date. The rule: the year in the hundred years that end ten years after
    publication, (published - 90, published + 10]; news writes two digits
    mostly for years past (births, events), and sometimes for the next few
    years. Published in 2016: "93" is 1993, "26" is 2026, "27" is 1927."""
    if published is None:
        return None
    year = published.year // 100 * 100 + short
    if year > published.year + 10:
        year -= 100
    elif year <= published.year - 90:
        year += 100
    return year


def _yearly(phrase: _Phrase, days: int, ctx: _Context) -> bool:
    """Whether a day and month without a year is said of every year: after
    "chaque" or "tous les", with a plural article on one day ("les 14
    juillet"), or in a present-tense sentence that speaks of every year
    ("chaque été, entre le 15 juillet et le 15 août", "deux fois par an")."""
    m = phrase.match
    words = ctx.grammar.words
    before = ctx.view[max(0, phrase.start - 20):m.start("days")]
    if re.search(rf"(?<!\w){words.yearly_before}\s+(?:{words.lead}\s+)?(?:{words.this}\s+)?$",
                 before, re.IGNORECASE):
        return True
    if days == 1 and words.plural_lead and re.match(rf"{words.plural_lead}\s", m[0], re.IGNORECASE):
        return True
    left, right = sentence_bounds(ctx.view, phrase.start, phrase.end)
    if not re.search(rf"(?<![\w-]){words.yearly}(?![\w-])", ctx.view[left:right], re.IGNORECASE):
        return False
    return ctx.tense(phrase) is None


def _sentence_year(phrase: _Phrase, ctx: _Context) -> int | None:
    """The one year the sentence of a day without one names: in a full date
    or a month with its year, or an "en 2015" before the day; None when it
    names none, or several."""
    left, right = sentence_bounds(ctx.view, phrase.start, phrase.end)
    found = [
        (abs(p.start - phrase.start), int(p.match["year"]))
        for p in ctx.phrases
        if p is not phrase and left <= p.start < right
        and p.kind in _EXPLICIT_YEAR_KINDS and p.match["year"]
    ]
    found += [
        (phrase.start - y.start(), int(y["year"]))
        for y in ctx.grammar.year_context.finditer(ctx.view, left, phrase.start)
    ]
    years = {year for _, year in found}
    return years.pop() if len(years) == 1 else None  # two years: neither is sure


def _infer_year(day: int, month: int, phrase: _Phrase, ctx: _Context) -> int | None:
    """The year of a day named without one: the year its sentence names;
    else the occurrence nearest the publication date (on the side its
    tense points to) when that is known, else the one year the text
    states; None when ambiguous."""
    m = phrase.match
    weekday = m["weekday"]
    named = _sentence_year(phrase, ctx)
    if named is not None:
        date = _calendar_date(named, month, day)
        if date and _weekday_fits(date, weekday, ctx.grammar):
            return named
        # a weekday that contradicts the sentence's year says the year is
        # another date's ("né en 1925, il est mort dimanche 27 mars")
    if ctx.published is None:
        candidates = [
            d for y in ctx.years
            if (d := _calendar_date(y, month, day)) and _weekday_fits(d, weekday, ctx.grammar)
        ]
        return candidates[0].year if len(candidates) == 1 else None
    pub = ctx.published
    candidates = [
        d for offset in _YEARS_AROUND
        if (d := _calendar_date(pub.year + offset, month, day))
        and _weekday_fits(d, weekday, ctx.grammar)
    ]
    groups = m.groupdict()  # "January 9" has no "dernier" / "prochain"
    if groups.get("last"):
        candidates = [d for d in candidates if d < pub]
    elif groups.get("next"):
        candidates = [d for d in candidates if d > pub]
    elif not weekday:
        tense = ctx.tense(phrase, reach=_YEAR_REACH)
        candidates = _fitting_tense(candidates, pub, tense)
    if not candidates:
        return None
    return min(candidates, key=lambda d: abs((d - pub).days)).year


def _fitting_tense(candidates: list[dt.date], pub: dt.date, tense: Tense | None) -> list[dt.date]:
    if tense == "past":
        return [d for d in candidates if d <= pub + _TENSE_SLACK]
    if tense == "future":
        return [d for d in candidates if d >= pub - _TENSE_SLACK]
    return candidates


def _month_modified(m: re.Match, ctx: _Context) -> Iterator[str]:
    """"novembre dernier": the latest November before the month of publication."""
    pub = ctx.published
    month = _month(m["month"], ctx.grammar)
    if month == pub.month:
        return  # "août dernier" written in August: this August or last year's
    if m["last"]:
        year = pub.year if month < pub.month else pub.year - 1
    else:
        year = pub.year if month > pub.month else pub.year + 1
    yield f"{year:04d}-{month:02d}"


def _weekday_day(m: re.Match, ctx: _Context) -> Iterator[str]:
    """"jeudi 26": the 26th nearest to publication that is a Thursday."""
    pub = ctx.published
    day = int(_digits(m["days"]))
    candidates = []
    for shift in (-1, 0, 1):
        year, month = divmod(pub.year * 12 + pub.month - 1 + shift, 12)
        date = _calendar_date(year, month + 1, day)
        if date and _weekday_fits(date, m["weekday"], ctx.grammar):
            candidates.append(date)
    if candidates:
        yield min(candidates, key=lambda d: abs((d - pub).days)).isoformat()


def _weekday_modified(m: re.Match, ctx: _Context) -> Iterator[str]:
    """"mardi dernier" / "lundi prochain": the nearest one strictly before / after."""
    weekday = _lookup(m["weekday"], ctx.grammar.words.weekdays)
    step = -1 if m["last"] else 1
    yield _nearest_weekday(ctx.published, weekday, step, first=1).isoformat()


def _bare_weekday(phrase: _Phrase, ctx: _Context) -> Iterator[str]:
    """"samedi": the nearest Saturday on the side of publication that the
    tense of its clause points to (tense.tense_near); in a present-tense
    clause, "ce samedi" is the Saturday of the week of publication and a
    bare "samedi" takes the tense its paragraph is told in
    (tense.paragraph_tense). Nothing when habitual."""
    m = phrase.match
    if _is_name(m.start("weekday"), ctx):
        return  # "Jeudi cinéma", a programme
    before = ctx.view[max(0, phrase.start - 25):phrase.start]
    if re.search(rf"(?<!\w){ctx.grammar.words.habitual_before}\s+$", before, re.IGNORECASE):
        return  # "le samedi", "chaque samedi": every Saturday
    words = ctx.grammar.words
    if re.search(rf"(?<!\w){words.future_before}\s+$", before, re.IGNORECASE):
        tense: Tense | None = "future"  # "pour jeudi", "dès mercredi"
    elif re.search(rf"(?<!\w){words.past_before}\s+$", before, re.IGNORECASE):
        tense = "past"  # "depuis jeudi"
    else:
        tense = ctx.tense(phrase)
    weekday = _lookup(m["weekday"], ctx.grammar.words.weekdays)
    if tense is None and m["this"]:
        # "ce jeudi" in the present: the Thursday of the week of publication
        # (weeks start on Monday), before or after it
        monday = ctx.published - dt.timedelta(days=ctx.published.weekday())
        yield (monday + dt.timedelta(days=weekday)).isoformat()
        return
    if tense is None:
        tense = paragraph_tense(ctx.view, ctx.cues, phrase.start)
    step = -1 if tense == "past" else 1
    yield _nearest_weekday(ctx.published, weekday, step, first=0).isoformat()


def _nearest_weekday(pub: dt.date, weekday: int, step: int, first: int) -> dt.date:
    for k in range(first, first + 7):
        date = pub + dt.timedelta(days=step * k)
        if date.weekday() == weekday:
            return date
    raise AssertionError("a week holds every weekday")


def _nowadays(phrase: _Phrase, ctx: _Context) -> bool:
    """"Aujourd'hui" in a present-tense clause usually means "nowadays"
    ("le pays compte aujourd'hui 7 000 têtes"): it names the day of
    publication only next to a past or future verb ("est décédé aujourd'hui")."""
    if _lookup(phrase.match["rel"], ctx.grammar.words.relative_days) != 0:
        return False
    return ctx.tense(phrase, reach=_TODAY_REACH) is None


def _figurative(phrase: _Phrase, ctx: _Context) -> bool:
    """"la France d'aujourd'hui", "l'Europe de demain", "aujourd'hui encore"."""
    words = ctx.grammar.words
    before = ctx.view[max(0, phrase.start - 12):phrase.start]
    if re.search(rf"(?<!\w){words.figurative_before}\s*$", before, re.IGNORECASE):
        return True
    after = ctx.view[phrase.end:phrase.end + 12]
    return bool(words.figurative_after) and bool(
        re.match(words.figurative_after, after, re.IGNORECASE)
    )


def _is_month_word(m: re.Match, ctx: _Context) -> bool:
    return bool(m["lead"]) or not _is_name(m.start("month"), ctx)


def _is_name(at: int, ctx: _Context) -> bool:
    """Whether the month or weekday word at this offset is written as
    something else. In a language that writes them in lower case (French),
    a capital inside a sentence makes a name ("Mars 2020" the mission,
    "Jeudi cinéma" the programme); in one that capitalises them (English),
    lower case makes another word ("they may 3 times")."""
    if ctx.grammar.words.capitalised_names:
        return ctx.view[at].islower()
    if not ctx.view[at].isupper():
        return False
    before = ctx.view[:at].rstrip()
    return bool(before) and before[-1] not in ".!?:\n\"—–-•"


# --- small helpers ---------------------------------------------------------

def _calendar_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None  # "31 février"


def _weekday_fits(date: dt.date, weekday_word: str | None, grammar: Grammar) -> bool:
    return weekday_word is None or date.weekday() == _lookup(weekday_word, grammar.words.weekdays)


def _month(word: str, grammar: Grammar) -> int:
    return _lookup(word, grammar.words.months)


def _lookup(word: str, table) -> int:
    return table[re.sub(r"\s+", " ", word.lower())]


def _digits(text: str) -> str:
    return re.match(r"\d+", text.strip())[0]


def _count(word: str, ctx: _Context) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else ctx.grammar.words.numbers.get(word)
