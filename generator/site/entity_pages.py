"""An entity's pages (pure): its listing pages, with its pictures and the
entities seen with it on the first, and its feed; and the map of every place."""
from __future__ import annotations

from typing import Any, Mapping

from generator import urls
from generator.site import charts, maps
from generator.site.i18n import format_date
from generator.site.library import EntityKey, Library
from generator.site.page_values import OutputPage, Site, chunks, entity_link, feed_page, pagination
from generator.site.related import Together

SEEN_WITH = 10  # co-occurring entities shown on an entity page


def entity_pages(key: EntityKey, library: Library, cards: Mapping[str, dict], site: Site,
                 located: Mapping[EntityKey, maps.Coordinates], together: Together) -> list[OutputPage]:
    """The entity's listing pages, then its feed. `together`: its `seen_with` list."""
    entity = library.entities[key]
    first = urls.entity_url(entity.kind, entity.slug)
    records = [library.article(s) for s in entity.articles]
    dated = [r.date for r in records if r.date]
    info: dict[str, Any] = {
        "name": entity.name,
        "kind": entity.kind,
        "url": first,
        "count": len(entity.articles),
        "mentions": entity.mentions,
        "first_mention": {"date": min(dated), "date_text": format_date(min(dated), site.language)} if dated else None,
        "last_mention": {"date": max(dated), "date_text": format_date(max(dated), site.language)} if dated else None,
        "feed": urls.entity_feed_url(entity.kind, entity.slug),
        "seen_with": [dict(entity_link(library.entities[k]), together=n) for k, n in together],
    }
    # pictures, on the first page: articles over time, and a place's point on the world map
    chart = charts.mentions_chart(entity.name, (r.date for r in records), site.language)
    info["undated"] = chart["undated_text"]
    pictures = {"chart": chart if chart["bars"] else None,
                "map": maps.place_map(library, key, located, site.language) if entity.kind == "place" else None}
    pieces = chunks([cards[s] for s in entity.articles], site.per_page)
    source = f"{entity.kind} '{entity.name}'"
    pages = [OutputPage(urls.page_url(first, n), "entity.html",
                        {"entity": info, "articles": chunk, "pagination": pagination(first, n, len(pieces)),
                         "pictures": pictures if n == 1 else None},
                        source, site.language, "listing")
             for n, chunk in enumerate(pieces, 1)]
    pages.append(feed_page(info["feed"], f"{entity.name} — {site.title}", first, records, site, source))
    return pages


def places_map_page(library: Library, located: Mapping[EntityKey, maps.Coordinates], site: Site) -> OutputPage:
    """places/: every located place on the world map, and every place in a list."""
    return OutputPage(urls.PLACES_MAP, "places.html", {"map": maps.places_map(library, located, site.language)},
                      "places map", site.language, "listing")
