"""A long text in pieces the NLP model can take, cut where the text itself
breaks: between paragraphs, else between lines, else after a sentence, else
between words (a hard cut only inside a "word" longer than a piece).

spaCy refuses a text longer than `nlp.max_length` (a million characters)
and its memory grows with the length of the texts it holds at once; the
model reads a few words of context on either side, so a piece cut at a
paragraph gives the spans the whole text would.
"""
from __future__ import annotations

import re
from typing import Iterator

# Characters per piece: most articles are one piece; the model holds at most
# a batch of pieces at once (entities.find_mentions), so memory stays bounded
# whatever the length of one text.
PIECE_CHARS = 20_000

# strongest boundary first; a piece ends after the separator
_BOUNDARIES = (
    re.compile(r"\n[ \t]*\n\s*"),  # paragraph
    re.compile(r"\n\s*"),  # line
    re.compile(r"[.!?…][»”\"’')\]]*\s+"),  # sentence
    re.compile(r"\s+"),  # word
)


def pieces(text: str, limit: int = PIECE_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) covering `text` in order, each at most `limit`
    characters; a short text is one piece (an empty one too)."""
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start, start + limit)
        yield start, text[start:end]
        start = end
    yield start, text[start:]


def _cut(text: str, start: int, stop: int) -> int:
    """Where the piece from `start` ends: after the strongest boundary in the
    second half of [start, stop), so that pieces are never tiny; else after
    the strongest one anywhere in it; else at `stop`."""
    for floor in (start + (stop - start) // 2, start + 1):
        for boundary in _BOUNDARIES:
            last = None
            for last in boundary.finditer(text, floor, stop):
                pass
            if last is not None and last.end() > start:
                return min(last.end(), stop)
    return stop
