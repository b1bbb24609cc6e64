"""RawArticle → CleanArticle: title, paragraphs and sub-headings, with every
removed line recorded next to the rule that removed it.

The author's words are kept exactly (typos included); only white space is
normalised and whole boilerplate lines are dropped.
"""
from __future__ import annotations

import re

from generator.ingest.boilerplate import RuleSet
from generator.errors import InputError
from generator.model import Block, CleanArticle, RawArticle, Removal

# a run of spaces/tabs/no-break spaces: one space, or one no-break space when
# the run is only no-break spaces (French typography: « mot », 3 000)
_SPACE_RUN = re.compile(r"[ \t\u00a0\u202f]{2,}")
_HEADING_MAX_CHARS = 90
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


def _is_prose(text: str) -> bool:
    return text.endswith(_CLOSING) or len(text) > _HEADING_MAX_CHARS


def _blocks(paragraphs: list[str]) -> tuple[Block, ...]:
    """Mark sub-headings: short lines without closing punctuation that stand
    between two paragraphs of prose."""
    out = []
    for i, text in enumerate(paragraphs):
        between = 0 < i < len(paragraphs) - 1 and _is_prose(paragraphs[i + 1])
        is_heading = between and _looks_like_heading(text) and any(_is_prose(p) for p in paragraphs[:i])
        out.append(Block("heading" if is_heading else "paragraph", text))
    return tuple(out)


def clean(raw: RawArticle, rules: RuleSet, *, title_from_text: bool = True) -> CleanArticle:
    """Clean a decoded article. Its title is `raw.meta.title`, or else the
    first non-blank line of the text (`title_from_text`)."""
    lines = [collapse_spaces(line) for line in raw.text.split("\n")]
    title = collapse_spaces(raw.meta.title or "")
    if not title and title_from_text:
        first = next((i for i, line in enumerate(lines) if line), None)
        if first is not None:
            title, lines = lines[first], lines[first + 1:]
    if not title:
        raise InputError("no title: the file has no text", raw.path)

    kept: list[str] = []
    removed: list[Removal] = []
    for line in lines:
        if not line:
            kept.append("")
            continue
        rule = rules.match(line)
        if rule:
            removed.append(Removal(line, rule))
        else:
            kept.append(line)
    paragraphs = _paragraph_lines(kept)
    if not paragraphs:
        what = f" ({len(removed)} line(s) removed as boilerplate)" if removed else ""
        raise InputError(f"nothing left after cleaning{what}: not an article", raw.path)
    return CleanArticle(title=title, blocks=_blocks(paragraphs), removed=tuple(removed))
