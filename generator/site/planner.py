"""A Planner: one version of the Library and what the pages share, worked out
on demand and kept for the Planner's lifetime (pure).

The preview server keeps one per version of the library and plans only the
pages a browser asks for, so nothing here is computed for the whole archive
unless a page needs it: cards are made one article at a time, an entity's
"seen with" list for that entity, a month's mentions for that month. What
is shared and grows with the archive (the sorted lists of days, the months
of each year) is made once. A Planner never changes the Library.
"""
from __future__ import annotations

from typing import Mapping

from generator.site import maps
from generator.site.archive_index import ArchiveIndex
from generator.site.entity_pages import SEEN_WITH
from generator.site.library import EntityKey, Library
from generator.site.page_values import Cards, Site
from generator.site.related import Relation, SharedEntities, Together, seen_with


class Planner:
    def __init__(self, library: Library, related: Mapping[str, tuple[Relation, ...]], bodies: Mapping[str, str],
                 site: Site, located: Mapping[EntityKey, maps.Coordinates] | None = None):
        self.library = library
        self.related = related  # article slug → its relations
        self.bodies = bodies  # article slug → body HTML; only planned articles' are read
        self.site = site
        self.located = located or {}  # the places' coordinates, for the maps
        self.cards = Cards(library, site.language)
        self.archive = ArchiveIndex(library)
        self._shared_entities = SharedEntities(library)
        self._together: dict[EntityKey, Together] = {}

    def seen_with(self, key: EntityKey) -> Together:
        """The entities most often seen with one entity (related.seen_with)."""
        found = self._together.get(key)
        if found is None:
            found = self._together[key] = seen_with(self.library, key, SEEN_WITH, self._shared_entities)
        return found
