"""What an article page tells a researcher (pure): a plain-text citation
to copy, its permalink, and the reading time.

The citation names the title, the source (the original's host, when the
record has a web address), the publication date and the archive's
permalink, in the habits of the site's language:

  fr: « Titre », journal.example, 3 janvier 2020. Archives de presse : https://…/articles/slug/
  en: "Title," journal.example, January 3, 2020. Archives, https://…/articles/slug/

An undated article says so the way bibliographies do ("s. d.", "n.d.").
Reading time: the body's words at WORDS_PER_MINUTE, rounded half up, at
least one minute.
"""
from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlsplit

from generator.site.i18n import base_language, format_date

WORDS_PER_MINUTE = 230
_NO_DATE = {"fr": "s. d.", "en": "n.d."}


def reading_minutes(body: str) -> int:
    """Minutes to read `body` (Markdown text: its words, split on white space)."""
    return max(1, math.floor(len(body.split()) / WORDS_PER_MINUTE + 0.5))


def source_name(url: str | None) -> str | None:
    """The original's host as a reader names it ("www." dropped), or None."""
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.") or None


def citation(title: str, source_url: str | None, date: str | None, site_title: str, permalink: str,
             lang: str) -> dict[str, Any]:
    """{text, permalink}: the plain-text citation, in the site's language."""
    code = base_language(lang)
    when = format_date(date, code) if date else _NO_DATE[code]
    when += "" if when.endswith(".") else "."  # "s. d." ends its sentence already
    source = source_name(source_url)
    if code == "fr":
        text = f"« {title} », " + (f"{source}, " if source else "") + f"{when} {site_title} : {permalink}"
    else:
        text = f"\u201c{title},\u201d " + (f"{source}, " if source else "") + f"{when} {site_title}, {permalink}"
    return {"text": text, "permalink": permalink}
