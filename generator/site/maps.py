"""Maps as plain values (pure): places as points on the shipped world outline.

The outline is one static file, themes/default/static/world.svg (Natural
Earth 1:110m countries, see generator/data/world/LICENSE), drawn in an
equirectangular projection: x = longitude + 180, y = TOP − latitude, 360 ×
HEIGHT units. A map page's inline SVG shows it by reference (<image>), so
every page carries only its points and the browser downloads the outline
once; without it (no images) the points and the text list remain.

A place has coordinates when the build's locator (places.py) found them:
a city's from the gazetteer, a country's centroid from the world outline.
Places without coordinates are listed, never drawn.
"""
from __future__ import annotations

import math
from typing import Any, Mapping

from generator import urls
from generator.site.charts import plural, text
from generator.site.library import EntityKey, Library

TOP, BOTTOM = 84, -58  # the latitudes of world.svg (tools/world_outline.py)
WIDTH, HEIGHT = 360, TOP - BOTTOM
OUTLINE = "world.svg"  # under static/
MIN_RADIUS, MAX_RADIUS = 1.2, 6.0  # map units: a place of one article, the most cited place

Coordinates = tuple[float, float]  # (latitude, longitude)


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """Map units of a point; latitudes beyond the outline's sit on its edge."""
    longitude = (longitude + 180) % 360 - 180 if not -180 <= longitude <= 180 else longitude
    return round(longitude + 180, 2), round(TOP - max(BOTTOM, min(TOP, latitude)), 2)


def _point(name: str, url: str, count: int, where: Coordinates, radius: float, lang: str) -> dict[str, Any]:
    x, y = project(*where)
    return {"name": name, "url": url, "count": count, "x": x, "y": y, "r": round(radius, 2),
            "title": f"{name} — {plural(text(lang)['n_articles'], count, lang)}"}


def _frame(points: list[dict[str, Any]], lang: str, title: str, desc: str) -> dict[str, Any]:
    return {"points": points, "width": WIDTH, "height": HEIGHT, "outline": urls.static_url(OUTLINE),
            "title": title, "desc": desc, "all_places": text(lang)["places_map"], "all_places_url": urls.PLACES_MAP}


def place_map(library: Library, key: EntityKey, located: Mapping[EntityKey, Coordinates],
              lang: str) -> dict[str, Any] | None:
    """The map of one place page: its point, or None when it has no coordinates."""
    where = located.get(key)
    if where is None:
        return None
    entity = library.entities[key]
    point = _point(entity.name, urls.entity_url(entity.kind, entity.slug), len(entity.articles), where,
                   MAX_RADIUS / 1.5, lang)
    words = text(lang)
    latitude, longitude = where
    desc = f"{entity.name} : {abs(latitude):.1f}° {'N' if latitude >= 0 else 'S'}, " \
           f"{abs(longitude):.1f}° {'E' if longitude >= 0 else 'O' if lang.startswith('fr') else 'W'}"
    if not lang.startswith("fr"):
        desc = desc.replace(" :", ":")
    return _frame([point], lang, words["map_title"].format(name=entity.name), desc)


def places_map(library: Library, located: Mapping[EntityKey, Coordinates], lang: str) -> dict[str, Any]:
    """Every place: the located ones as points sized by their article count
    (area grows with the count), the biggest drawn first so that small ones
    stay on top; and both lists, most cited first, for the text alternative."""
    places = sorted((e for e in library.entities.values() if e.kind == "place"),
                    key=lambda e: (-len(e.articles), e.name.casefold(), e.slug))
    most = max((len(e.articles) for e in places if (e.kind, e.slug) in located), default=1)
    points, listed, unlocated = [], [], []
    for entity in places:
        key = (entity.kind, entity.slug)
        link = {"name": entity.name, "url": urls.entity_url(entity.kind, entity.slug), "count": len(entity.articles)}
        if key in located:
            radius = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt((len(entity.articles) - 1) / max(1, most - 1))
            points.append(_point(entity.name, link["url"], link["count"], located[key], radius, lang))
            listed.append(link)
        else:
            unlocated.append(link)
    words = text(lang)
    frame = _frame(points, lang, words["places_map_title"], words["places_map_desc"].format(n=len(points)))
    frame.update(located=listed, unlocated=unlocated, text=words)
    return frame
