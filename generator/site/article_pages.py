"""An article's page (pure): its text, its entities, the dates it mentions,
its related articles and its JSON-LD — read from the article itself, its
relations and the cards of the few articles it links to."""
from __future__ import annotations

from typing import Any, Mapping

from generator import urls
from generator.model import ENTITY_KINDS
from generator.site.citation import citation
from generator.site.i18n import format_date, shared_reason
from generator.site.library import Article, Library, day_of, without_body
from generator.site.page_values import OutputPage, Site, entity_link, json_script
from generator.site.related import Relation

REASON_NAMES = 5  # entity names spelled out in a related article's reason
SCHEMA_TYPES = {"person": "Person", "place": "Place", "organization": "Organization"}


def _reason(relation: Relation, library: Library, lang: str) -> str:
    return shared_reason([library.entities[k].name for k in relation.shared], lang, REASON_NAMES)


def article_page(record: Article, library: Library, relations: tuple[Relation, ...], body_html: str,
                 cards: Mapping[str, dict], site: Site) -> OutputPage:
    """The page of one article of the Library; `body_html`: its body rendered (render.py)."""
    text = without_body(record).text
    url = urls.article_url(record.slug)
    absolute = urls.absolute(site.base_url, url)
    tags: dict[str, list[dict]] = {kind: [] for kind in ENTITY_KINDS}
    for key in library.tags[record.slug]:
        tags[key[0]].append(entity_link(library.entities[key]))
    mentioned = []
    for mention in record.mentioned_dates:
        day = day_of(mention.date)
        mentioned.append({"date": mention.date, "text": mention.text,
                          "date_text": format_date(mention.date, site.language),
                          # a day links to its page, a month to its month page
                          "url": urls.day_url(day) if day else urls.month_url(mention.date[:4], mention.date[5:7])})
    related = [dict(cards[r.slug], reason=_reason(r, library, site.language), later=r.later,
                    timed=bool(record.date and library.article(r.slug).date)) for r in relations]
    jsonld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": record.title,
        "description": record.summary,
        "inLanguage": record.lang,
        "url": absolute,
        "mainEntityOfPage": absolute,
        "isPartOf": {"@type": "WebSite", "name": site.title, "url": site.base_url},
        "mentions": [
            {"@type": SCHEMA_TYPES[kind], "name": link["name"], "url": urls.absolute(site.base_url, link["url"])}
            for kind in ENTITY_KINDS for link in tags[kind]
        ],
    }
    if record.date:
        jsonld["datePublished"] = record.date
    source_url = _web_address(record.source_url)
    if source_url:
        jsonld["isBasedOn"] = source_url
    context = {
        "article": {
            "title": record.title,
            "slug": record.slug,
            "lang": record.lang,
            "date": record.date,
            "day": day_of(record.date),
            "year": record.date[:4] if record.date else None,
            "date_text": format_date(record.date, site.language),
            "summary": record.summary,
            "show_summary": not text.repeats_summary,
            "body_html": body_html,
            "tags": tags,
            "mentioned_dates": mentioned,
            # the original's address; the seed's path is the archive's own business
            "source_url": source_url,
            "versions": _versions(record, site.language),
            "day_url": urls.day_url(day_of(record.date)) if day_of(record.date) else None,
            "month_url": urls.month_url(record.date[:4], record.date[5:7]) if record.date else None,
            "reading_minutes": text.reading_minutes,
            "cite": citation(record.title, source_url, record.date, site.title, absolute, site.language),
        },
        # before/after only when both articles are dated; else related, with no time said
        "earlier": [r for r in related if r["timed"] and not r["later"]],
        "later": [r for r in related if r["timed"] and r["later"]],
        "untimed": [r for r in related if not r["timed"]],
        "canonical": absolute,
        "jsonld": json_script(jsonld),
    }
    return OutputPage(url, "article.html", context, library.files[record.slug], record.lang, "article")


def _web_address(url: str | None) -> str | None:
    """A source URL a reader can follow: http(s) only (a scraped page's
    canonical link may be relative, a path, or javascript:)."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _versions(record: Article, lang: str) -> list[dict[str, Any]]:
    """The other copies of the story, for "also published": each by its URL
    when it has one (its seed file is no address for a reader)."""
    return [{"url": _web_address(v.url), "name": _web_address(v.url) or v.source.rsplit("/", 1)[-1], "date": v.date,
             "date_text": format_date(v.date, lang) if v.date else None} for v in record.versions]
