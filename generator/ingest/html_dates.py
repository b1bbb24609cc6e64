"""A web page's date of last update, read by htmldate from its metadata.

The publication date comes with trafilatura's extraction (htmldate again,
original_date=True); this is the other one htmldate knows, the latest date
the page states (article:modified_time, dateModified …). No extensive
search: a date guessed from the page's free text or links would be
invented, not read.
"""
from __future__ import annotations


def html_update_date(html: str, published: str | None, url: str | None) -> str | None:
    """The page's update date (YYYY-MM-DD), when it states one later than `published`."""
    if not published:
        return None  # an update of what? Without a publication date this one is not told apart
    from htmldate import find_date  # imported with trafilatura, on the first HTML seed only

    latest = find_date(html, extensive_search=False, original_date=False, url=url)
    return latest if latest and latest > published[:10] else None
