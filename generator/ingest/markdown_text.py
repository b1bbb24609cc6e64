"""Plain text ⇄ the Markdown of a record body.

Scraped text is plain text: characters that Markdown would read as markup
are escaped so the page shows exactly the author's words.
"""
from __future__ import annotations

import hashlib
import re

from generator.ingest.clean import is_prose
from generator.ingest.title import same_text
from generator.model import Block

_INLINE = re.compile(r"([\\`*_\[\]<>])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# what makes a line start a block in Markdown: headings, quotes, lists, rules
_LINE_START = re.compile(r"^(\s*)([#>+\-=|]|\d+[.)](?=\s|$))")
_SUMMARY_CHARS = 300


def escape(text: str) -> str:
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY.sub("&amp;", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def blocks_to_markdown(blocks: tuple[Block, ...]) -> str:
    parts = [f"## {escape(b.text)}" if b.kind == "heading" else escape(b.text) for b in blocks]
    return "\n\n".join(parts) + "\n"


def summary_of(blocks: tuple[Block, ...], titles: tuple[str, ...] = (), limit: int = _SUMMARY_CHARS) -> str:
    """The lead paragraph, cut at a word boundary: the first paragraph of
    prose (not a dateline or a byline) that is not a title again (`titles`:
    the title, and the full text of a title that was cut)."""
    paragraphs = (b.text for b in blocks
                  if b.kind == "paragraph" and not any(same_text(b.text, t) for t in titles))
    first = next(paragraphs, "")
    lead = first if is_prose(first) else next((p for p in paragraphs if is_prose(p)), first)
    if len(lead) <= limit:
        return lead
    cut = lead[:limit].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + " …"


def plain_text(markdown: str) -> str:
    """Rough plain text of a record body (for hashing and NLP): no heading marks or escapes."""
    text = re.sub(r"^#{1,6}\s+", "", markdown, flags=re.M)
    return re.sub(r"\\([\\`*_\[\]<>#>+\-=|.)])", r"\1", text)


def text_hash(markdown_body: str) -> str:
    """Same article ⇔ same words, whatever the white space or case."""
    words = " ".join(plain_text(markdown_body).casefold().split())
    return hashlib.sha256(words.encode("utf-8")).hexdigest()
