"""Where the places of a Library are (an edge: reads the gazetteer and a shipped table).

`locate_places(library, lang, cache_dir)` → place entity → (latitude,
longitude), for the maps (maps.py):

* a city or continent: the gazetteer's coordinates (geonames);
* a country: the gazetteer has none, so the centroid of its largest polygon
  on the shipped world outline (generator/data/world/countries.tsv, made by
  tools/world_outline.py with the outline itself);
* a region, or a name the gazetteer does not know: no coordinates — the
  place is listed on the map page, not drawn.

The gazetteer's tables are the same whatever the cache folder: once loaded
(from the cache folder, or built there the first time, ~2 s) they are kept
for the process, so `gazette serve`'s rebuilds and a test session load them once.
`start_locating` builds them, when the cache folder lacks them, in a worker
process while the build reads the records: on the other core, so that a cold
build does not wait for them.
"""
from __future__ import annotations

import functools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Callable, Mapping

from generator import lifetime
from generator.enrich.gazetteer import gazetteer, is_cached
from generator.site.i18n import base_language
from generator.site.library import EntityKey, Library

Coordinates = tuple[float, float]


@functools.lru_cache(maxsize=1)
def country_centroids() -> Mapping[str, Coordinates]:
    """ISO 3166-1 alpha-2 → (latitude, longitude) of the country's centroid on the outline."""
    table = (resources.files("generator") / "data" / "world" / "countries.tsv").read_text(encoding="utf-8")
    centroids = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, latitude, longitude, _ = line.split("\t", 3)
            centroids[code] = (float(latitude), float(longitude))
    return centroids


def _build_into(lang: str, cache_dir: Path) -> None:
    """In the worker: build the gazetteer's tables into the cache folder."""
    gazetteer(lang, cache_dir)


def start_locating(lang: str, cache_dir: Path) -> Callable[[Library], dict[EntityKey, Coordinates]]:
    """Start what locating needs — the gazetteer built in a worker process when
    neither this process nor the cache folder has it — and return the function
    that locates a Library's places (see locate_places)."""
    code = base_language(lang)
    pending = None
    if not is_cached(code, Path(cache_dir)):
        # spawned, not forked: nothing of this process is needed
        pool = ProcessPoolExecutor(1, multiprocessing.get_context("spawn"),
                                   initializer=lifetime.die_with_parent, initargs=(lifetime.lifeline(),))
        pending = pool.submit(_build_into, code, Path(cache_dir))
        pool.shutdown(wait=False)

    def locate(library: Library) -> dict[EntityKey, Coordinates]:
        if pending is not None:
            try:
                pending.result()
            except Exception:  # noqa: BLE001 — built again below, where its error is reported
                pass
        return locate_places(library, lang, cache_dir)

    return locate


def locate_places(library: Library, lang: str, cache_dir: Path) -> dict[EntityKey, Coordinates]:
    """The coordinates of every place entity that has some (see the module's doc)."""
    keys = [key for key in library.entities if key[0] == "place"]
    if not keys:
        return {}
    places = gazetteer(base_language(lang), Path(cache_dir))  # loaded once a process (lru_cache)
    centroids = country_centroids()
    located: dict[EntityKey, Coordinates] = {}
    for key in keys:
        place = places.lookup(library.entities[key].name)
        if place is None:
            continue
        if place.latitude is not None and place.longitude is not None:
            located[key] = (place.latitude, place.longitude)
        elif place.kind == "country" and place.code in centroids:
            located[key] = centroids[place.code]
    return located
