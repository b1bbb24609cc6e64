"""RawArticle → CleanArticle: title, paragraphs and sub-headings, with every
removed line recorded next to the rule that removed it.

The author's words are kept exactly (typos included); only white space is
normalised and whole boilerplate lines are dropped.
"""
from __future__ import annotations

import itertools
import re

from generator.ingest.boilerplate import RuleSet
from generator.errors import InputError
from generator.ingest.title import (
    DERIVED_TITLE_CHARS, cut, derived_title, fit_title, is_bare_dateline, reads_as_paragraph, same_text,
)
from generator.model import Block, CleanArticle, RawArticle, Removal

# a run of spaces/tabs/no-break spaces: one space, or one no-break space when
# the run is only no-break spaces (French typography: « mot », 3 000)
_SPACE_RUN = re.compile(r"[ \t\u00a0\u202f]{2,}")
_HEADING_MAX_CHARS = 90
# a line longer than this is article text even if it starts like boilerplate
# ("Sur le même sujet…" opening an article scraped as one line): rules that
# end in ".*" would otherwise drop the whole article
_BOILERPLATE_MAX_CHARS = 500
_HEADING_MAX_WORDS = 14
# what ends a sentence; a heading ends with none of these ("?" is allowed:
# "Amélioration des relations entre les deux pays?" is a heading)
_CLOSING = tuple(".!…:;,»\"”)")


def collapse_spaces(line: str) -> str:
    def one(m: re.Match) -> str:
        run = m.group(0)
        return run[0] if set(run) <= {"\u00a0", "\u202f"} else " "

    return _SPACE_RUN.sub(one, line).strip(" \t\u00a0\u202f")


def _paragraph_lines(lines: list[str]) -> list[str]:
    """Group lines into paragraphs.

    Scraped text usually has one paragraph per line, with or without blank
    lines between them. When blank lines separate blocks *and* some block
    spans several lines, the text was hard-wrapped: join each block's lines.
    """
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    has_blank_separators = len(blocks) > 1
    wrapped = has_blank_separators and any(len(b) > 1 and all(len(l) < 100 for l in b[:-1]) for b in blocks)
    if wrapped:
        return [" ".join(b) for b in blocks]
    return [line for b in blocks for line in b]


def _looks_like_heading(text: str) -> bool:
    return (
        len(text) <= _HEADING_MAX_CHARS
        and len(text.split()) <= _HEADING_MAX_WORDS
        and not text.endswith(_CLOSING)
        and text[:1].isupper()
    )


def is_prose(text: str) -> bool:
    """Ends as a sentence ends, or too long for a heading."""
    return text.endswith(_CLOSING) or len(text) > _HEADING_MAX_CHARS


def _blocks(paragraphs: list[str]) -> tuple[Block, ...]:
    """Mark sub-headings: short lines without closing punctuation that stand
    between two paragraphs of prose."""
    out = []
    for i, text in enumerate(paragraphs):
        between = 0 < i < len(paragraphs) - 1 and is_prose(paragraphs[i + 1])
        is_heading = between and _looks_like_heading(text) and any(is_prose(p) for p in paragraphs[:i])
        out.append(Block("heading" if is_heading else "paragraph", text))
    return tuple(out)


def clean(raw: RawArticle, rules: RuleSet) -> CleanArticle:
    """Clean a decoded article. Its title is `raw.meta.title` (an HTML page's),
    or the first line of the text when that line reads as a title, or else
    one derived from the lead sentence (the whole text then stays in the body)."""
    lines = [collapse_spaces(line) for line in raw.text.split("\n")]
    kept, removed = _drop_boilerplate(lines, rules)
    if not any(kept):
        raise InputError(_nothing_left(removed, lines), raw.path)
    if raw.meta.title:
        title, source, body_lines = collapse_spaces(raw.meta.title), "html", kept
    else:
        title, source, body_lines = _title_from_text(kept)
    paragraphs = _paragraph_lines(body_lines)
    title, paragraphs, repeated = _settle_title(title, source, paragraphs)
    if not paragraphs:
        raise InputError("nothing left after cleaning but the title: not an article", raw.path)
    all_removed = (*raw.removed, *removed, *repeated)
    return CleanArticle(title=title, blocks=_blocks(paragraphs), removed=all_removed, title_source=source)


def _drop_boilerplate(lines: list[str], rules: RuleSet) -> tuple[list[str], list[Removal]]:
    """The lines no rule matches (blank ones kept: they separate paragraphs),
    and a Removal for each other one."""
    kept: list[str] = []
    removed: list[Removal] = []
    for line in lines:
        rule = rules.match(line) if line and len(line) <= _BOILERPLATE_MAX_CHARS else None
        if rule:
            removed.append(Removal(line, rule))
        else:
            kept.append(line)
    return kept, removed


def _nothing_left(removed: list[Removal], lines: list[str]) -> str:
    """Say what the seed held, since none of it is an article."""
    rules = sorted({r.rule for r in removed})
    found = f"{len(removed)} line(s), all boilerplate ({', '.join(rules)})" if removed else "no line of text"
    return f"nothing left after cleaning: {found}: not an article"


def _title_from_text(lines: list[str]) -> tuple[str, str, list[str]]:
    """(title, title_source, body lines) of a plain text. The first line that
    is not a bare dateline is the title, unless it reads as a paragraph or
    is the only line of text: then the title is derived and nothing leaves
    the body."""
    # the first two lines of text are enough (a long article has thousands)
    texts = list(itertools.islice((i for i, line in enumerate(lines) if line and not is_bare_dateline(line)), 2))
    if not texts:  # only datelines: a text all the same
        texts = [i for i, line in enumerate(lines) if line][:2]
    first = texts[0]
    if len(texts) == 1 or reads_as_paragraph(lines[first]):
        return derived_title(lines[first]) or cut(lines[first], DERIVED_TITLE_CHARS), "derived", lines
    return lines[first], "first-line", lines[:first] + lines[first + 1:]


def _settle_title(title: str, source: str, paragraphs: list[str]) -> tuple[str, list[str], tuple[Removal, ...]]:
    """Keep the title within its limit and out of the body: a first paragraph
    that only repeats it is dropped (and recorded); a title too long to keep
    whole is cut, and its full text starts the body."""
    if source == "derived":
        return title, paragraphs, ()
    short = fit_title(title)
    if short != title:
        if not (paragraphs and same_text(paragraphs[0], title)):
            paragraphs = [title, *paragraphs]
        return short, paragraphs, ()
    if paragraphs and same_text(paragraphs[0], title):
        return title, paragraphs[1:], (Removal(paragraphs[0], "title-repeated"),)
    return title, paragraphs, ()
