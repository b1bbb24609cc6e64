"""A web page's date of last update, read by htmldate from its metadata.

The publication date comes with trafilatura's extraction (htmldate again,
original_date=True); this is the other one htmldate knows, the latest date
the page states (article:modified_time, og:updated_time, JSON-LD
dateModified …). It is looked for in the page's metadata only — the head
and JSON-LD — with no extensive search: the body of a page holds other
dates (a reader's comment, a related article) that are not this one's
update, and a date taken from them would be invented.
"""
from __future__ import annotations

import lxml.html
from lxml import etree


def html_update_date(html: str, published: str | None, url: str | None) -> str | None:
    """The page's update date (YYYY-MM-DD), when it states one later than `published`."""
    if not published:
        return None  # an update of what? Without a publication date this one is not told apart
    from htmldate import find_date  # imported with trafilatura, on the first HTML seed only

    metadata = _metadata_only(html)
    if metadata is None:
        return None
    # the URL's date, when it has one, is the publication's: looked at last
    latest = find_date(metadata, extensive_search=False, original_date=False, url=url,
                       deferred_url_extractor=True)
    return latest if latest and latest > published[:10] else None


def _metadata_only(html: str) -> lxml.html.HtmlElement | None:
    """A page made of the head and the JSON-LD blocks of `html`, or None when
    it cannot be parsed."""
    try:
        page = lxml.html.document_fromstring(html.encode("utf-8"))
    except (etree.ParserError, ValueError):
        return None
    kept = lxml.html.Element("html")
    head = page.find("head")
    if head is not None:
        kept.append(head)
    body = etree.SubElement(kept, "body")
    # JSON-LD may sit in the body. Not the body's <meta> elements: on real pages
    # they also hold dateCreated and the dates of readers' comments, which
    # htmldate would take for the latest date (bench/eval_html_dates.py)
    for script in page.xpath('//body//script[@type="application/ld+json"]'):
        body.append(script)
    return kept
