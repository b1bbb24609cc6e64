"""Titles: whether a first line is one, a title for text that has none, and
the one length limit every title keeps.

Scraped text often has no title line: the whole article is one line, or its
first line is already a paragraph. Such a line is kept in the body and the
title is cut from the lead sentence instead (`title_source: derived`).

The thresholds were chosen on two thirds of WiNER-fr 2016 (titled texts and
their untitled variants) and checked on the held-back third:
bench/eval_titles.py.
"""
from __future__ import annotations

import unicodedata

import regex

# Any title, whatever its source, is at most this long: 99 % of WiNER's
# headlines are at most 111 characters, the longest 128
TITLE_MAX_CHARS = 150
# a title cut from a lead sentence: about one line of a listing
DERIVED_TITLE_CHARS = 110
ELLIPSIS = "…"

# "reads as a paragraph": a line ending with a full stop at least this long,
# or ending with "!", "?" or "…" at least this long (headlines do end so)
_PERIOD_LINE_MIN_CHARS = 25
_OTHER_END_LINE_MIN_CHARS = 100

_CLOSERS = "»\"”’)]"
_CLOSERS_CLASS = regex.escape(_CLOSERS)
# the end of a sentence: . ! ? … (and closing quotes), then a space and what
# starts the next one, or the end of the text; Chinese and Japanese full
# stops need no space after them
_SENTENCE_END = regex.compile(
    rf"[.!?…]+[{_CLOSERS_CLASS}」』]*(?=\s+[\p{{Lu}}\p{{N}}«\"“‘(—–-]|\s*$)|[。！？]+[{_CLOSERS_CLASS}」』]*"
)
# a full stop after these is an abbreviation, not the end of a sentence
_ABBREVIATIONS = frozenset(
    "m mm mme mmes mlle mlles mgr me dr pr st ste mr mrs ms jr sr gen gén gov sen rep lt col capt prof "
    "av apr env cf fig no vol art ch p pp min max ex réf ref inc ltd co corp dept".split()
)
_WORD_BEFORE = regex.compile(r"([\p{L}.\-]+)$")
_DATELINE_REST = regex.compile(r"^[\s,.;:–—\-]*(?:\([^)]{0,30}\)[\s,.;:–—\-]*)?")
_DATELINE_PREFIX_MAX = 40  # "PARIS, le " / "Montréal (Québec), " before the date
_PUNCT_OR_SPACE = regex.compile(r"[\p{P}\p{S}\s]+")


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence-ending mark of `text`."""
    ends = []
    for m in _SENTENCE_END.finditer(text):
        if not _after_abbreviation(text, m.start()):
            ends.append(m.end())
    return ends


def _after_abbreviation(text: str, stop: int) -> bool:
    if text[stop] != ".":
        return False
    word = _WORD_BEFORE.search(text[:stop])
    if not word:
        return False
    last = word.group(1).split(".")[-1].split("-")[-1]
    # an initial (J. Smith, J.-Y. Le Drian, U.S.) or a known short form
    return len(last) == 1 or last.casefold() in _ABBREVIATIONS


def reads_as_paragraph(line: str) -> bool:
    """A first line that is not a headline but already the article's prose:
    too long for a title, several sentences, or one long sentence."""
    if len(line) > TITLE_MAX_CHARS:
        return True
    line = strip_dateline(line)
    mark = line.rstrip().rstrip(_CLOSERS)
    if mark.endswith(":"):  # introduces what follows: prose, not a headline
        return len(line) >= _PERIOD_LINE_MIN_CHARS
    ends = sentence_ends(line)
    if not ends or ends[-1] < len(line.rstrip()):
        return False  # does not end as a sentence ends: a headline
    if len(ends) >= 2:
        return True
    if mark.endswith("。") or (mark.endswith(".") and not mark.endswith("..")):
        return len(line) >= _PERIOD_LINE_MIN_CHARS
    return len(line) >= _OTHER_END_LINE_MIN_CHARS


def cut(text: str, limit: int) -> str:
    """`text` at most `limit` characters, cut at a word boundary, with an
    ellipsis when cut."""
    if len(text) <= limit:
        return text
    head = text[: limit - len(ELLIPSIS) + 1]
    head = head.rsplit(" ", 1)[0] if " " in head else head[: limit - len(ELLIPSIS)]
    return head.rstrip(" ,;:–—-") + ELLIPSIS


def fit_title(title: str) -> str:
    """Any title within TITLE_MAX_CHARS."""
    return cut(title, TITLE_MAX_CHARS)


def lead_sentence(text: str) -> str:
    """The first sentence of `text` (all of it when it has no sentence end)."""
    ends = sentence_ends(text)
    return text[: ends[0]].strip() if ends else text.strip()


def derived_title(lead: str) -> str:
    """A title cut from the lead sentence of an untitled text: its full stop
    dropped (headlines have none), at most DERIVED_TITLE_CHARS."""
    sentence = lead_sentence(strip_dateline(lead))
    bare = sentence.rstrip(_CLOSERS)
    if bare.endswith(".") and not bare.endswith("..") and sentence == bare:
        sentence = sentence[:-1].rstrip()
    return cut(sentence, DERIVED_TITLE_CHARS)


def _dateline_span(line: str) -> tuple[int, int] | None:
    """(start, end) of the dateline words at the head of `line`, if any."""
    from generator.enrich.dates import find_dateline

    for lang in ("fr", "en"):
        found = find_dateline(line, lang)
        if found:
            start = line.find(found[1])
            if 0 <= start <= _DATELINE_PREFIX_MAX:
                return start, start + len(found[1])
    return None


def strip_dateline(line: str) -> str:
    """`line` without a dateline at its head ("1er janvier 2016, 14h30 . – Un
    homme…" → "Un homme…")."""
    span = _dateline_span(line)
    if span is None:
        return line
    rest = line[span[1]:]
    return rest[_DATELINE_REST.match(rest).end():]


def is_bare_dateline(line: str) -> bool:
    """A line that is nothing but a dateline ("16 août 2016 . –"): never a title."""
    return _dateline_span(line) is not None and not strip_dateline(line).strip()


def normalised(text: str) -> str:
    """What two spellings of the same words share: case, accents' forms,
    punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _PUNCT_OR_SPACE.sub(" ", text).strip()


def same_text(a: str, b: str) -> bool:
    return bool(normalised(a)) and normalised(a) == normalised(b)
