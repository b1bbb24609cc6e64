"""Which page families a change of the site model can alter (pure).

`touched_families(change)` → the families (views.Family) whose pages may
differ between the Library before and after a change (model.Change): the
preview drops those pages from its cache and re-renders them on request;
`gazette build` re-plans and re-renders only those. It may say more than
what changed (a page then renders to the same bytes), never less: the test
(tests/test_touched_families.py) plans every family before and after random
edits and checks that every family whose pages differ is named.

What a page shows, and so what reaches it:
- an article: its record, its entities' names (and kinds), its related
  articles (their cards, the names of the entities they share);
- an entity: its articles (cards, dates for the chart), the entities seen
  with it (their names), its feed; a place its point on the maps;
- listings (home, undated archive, feeds, days, months, years, the archive,
  the timeline): the cards and dates of the articles in them;
- the entity index and the places map: every entity's name and count;
- the sitemap: every page's URL, and each article's date; the search page:
  the number of search shards.
"""
from __future__ import annotations

from typing import Iterable

from generator.model import Record
from generator.site.library import EntityKey, Library, day_of
from generator.site.model import Change

Family = tuple[str, ...]


def touched_families(change: Change) -> frozenset[Family]:
    old, new = change.old, change.new
    before = {slug: old.article(slug) for slug in change.slugs if slug in old.position}
    after = {slug: new.article(slug) for slug in change.slugs if slug in new.position}
    added_or_removed = before.keys() ^ after.keys()
    recarded = {s for s in change.slugs if _card(before.get(s)) != _card(after.get(s))}
    renamed = {k for k in change.entities
               if k in old.entities and k in new.entities and old.entities[k].name != new.entities[k].name}

    found: set[Family] = set()
    # articles
    found.update(("article", s) for s in change.slugs)
    found.update(("article", s) for s in change.relinked)
    found.update(("article", s) for s in change.retagged)
    shown_in = _tags_of(recarded, old, new)  # the entities whose pages list a changed card
    found.update(("article", a) for a in _articles_of(shown_in, old, new)
                 if any(r.slug in recarded for r in change.new_related.get(a, ())))
    found.update(("article", a) for a in _articles_of(renamed, old, new))
    # entities
    found.update(("entity", *k) for k in change.entities | shown_in)
    found.update(("entity", *k) for k in _tags_of(change.retagged, old, new))
    found.update(("entity", *k) for k in _tags_of(_articles_of(renamed, old, new), old, new))
    # listings and dates
    undated = any(not r.date for r in (*before.values(), *after.values()) if r.slug in recarded)
    if recarded:
        found.update({("home",), ("feed",)})
        if undated:
            found.add(("undated",))
    listed = [r for s in recarded for r in (before.get(s), after.get(s)) if r is not None]
    months = {m for r in listed for m in _months(r)}
    found.update(("day", d) for r in listed for d in _days(r))  # day and month pages show cards
    found.update(("day", d) for d in _day_neighbours(old, new))
    found.update(("month", m) for m in months)
    # years, the archive index and the timeline show only counts and dates
    redated = {s for s in change.slugs if _dates(before.get(s)) != _dates(after.get(s))}
    counted = {m for s in redated for r in (before.get(s), after.get(s)) if r is not None for m in _months(r)}
    found.update(("year", m[:4]) for m in counted)
    if counted or any(not r.date for s in redated for r in (before.get(s), after.get(s)) if r is not None):
        found.update({("archive",), ("timeline",)})
    # the whole archive's pages
    if change.entities:
        found.add(("entity-index",))
        if any(k[0] == "place" for k in change.entities):
            found.add(("places",))
    if added_or_removed:
        found.add(("search",))
    if added_or_removed or change.entities or counted or any(
            before[s].date != after[s].date for s in before.keys() & after.keys()):
        found.add(("sitemap",))
    return frozenset(found)


def _card(record: Record | None):
    """What a listing shows of an article (views' cards, undated.py's latest stated date)."""
    if record is None:
        return None
    return (record.title, record.date, record.summary, record.lang, record.mentioned_dates, record.updated)


def _dates(record: Record | None):
    """What the counts of the chronology read of an article."""
    return None if record is None else (record.date, record.mentioned_dates)


def _tags_of(slugs: Iterable[str], old: Library, new: Library) -> set[EntityKey]:
    return {k for s in slugs for library in (old, new) for k in library.tags.get(s, ())}


def _articles_of(keys: Iterable[EntityKey], old: Library, new: Library) -> set[str]:
    found: set[str] = set()
    for key in keys:
        for library in (old, new):
            entity = library.entities.get(key)
            if entity is not None:
                found.update(entity.articles)
    return found & new.position.keys()


def _days(record: Record) -> set[str]:
    found = {day_of(m.date) for m in record.mentioned_dates} | {day_of(record.date)}
    return {d for d in found if d}


def _months(record: Record) -> set[str]:
    return {d[:7] for d in _days(record)} | {m.date for m in record.mentioned_dates if len(m.date) == 7} \
        | ({record.date[:7]} if record.date else set())


def _day_neighbours(old: Library, new: Library) -> set[str]:
    """A day page links to the previous and next days: when a day comes or
    goes, its neighbours (before and after the change) change."""
    old_days = set(old.published) | set(old.mentioned)
    new_days = set(new.published) | set(new.mentioned)
    if old_days == new_days:
        return set()
    found = set()
    for days in (sorted(old_days), sorted(new_days)):
        for i, day in enumerate(days):
            if day in old_days ^ new_days:
                found.update(days[max(0, i - 1): i + 2])
    return found
