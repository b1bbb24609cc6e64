"""The articles of a day page (pure): each article once, with its role —
published that day, mentions that day, or both — and the words it
mentions the day with ("le 3 janvier", "vendredi dernier"), each once in
the order the record lists them.

Published ones come first (newest first, as the Library orders them), then
the ones that only mention the day.
"""
from __future__ import annotations

from typing import Any, Mapping

from generator.site.library import Library, day_of

ROLES = ("published", "both", "mentions")


def day_quotes(library: Library, slug: str, day: str) -> list[str]:
    """The words each mention of `day` in the article came from, each once."""
    quotes = (m.text for m in library.article(slug).mentioned_dates if day_of(m.date) == day)
    return list(dict.fromkeys(q.strip() for q in quotes if q.strip()))


def day_articles(library: Library, day: str, cards: Mapping[str, dict]) -> list[dict[str, Any]]:
    """The day page's list: a card per article, with `role` and `quotes`."""
    published = library.published.get(day, ())
    mentioning = set(library.mentioned.get(day, ()))
    entries = []
    for slug in published:
        entries.append({**cards[slug], "role": "both" if slug in mentioning else "published",
                        "quotes": day_quotes(library, slug, day) if slug in mentioning else []})
    shown = set(published)
    for slug in library.mentioned.get(day, ()):
        if slug not in shown:
            entries.append({**cards[slug], "role": "mentions", "quotes": day_quotes(library, slug, day)})
    return entries
