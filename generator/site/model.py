"""The site model: the Library and the related articles of a set of record
files, kept up to date as files change.

    model = SiteModel(parsed, fixed_kind, related_limit)   # from scratch (library.index_records)
    change = model.apply({"content/a.md": (record, shown, sha256), "content/b.md": None})
    change.slugs, change.old, change.new                   # what changed, the Library before and after

`apply` takes records added, edited or removed (None) and recomputes only
what they touch: the articles' order (a sorted insert), the entities whose
names they carry (each recounted over its own articles; a name whose kind
the archive's vote flips re-tags the articles that carry it), the days and
months they were published in or mention, and the related articles of the
articles that share a changed entity with them (related.RelatedIndex). The
result equals a model made from scratch from the same files; the test of
that (tests/test_site_model.py) applies random series of edits.

A change that `index_records` would refuse (two records with one slug)
raises ProblemsFound and leaves the model as it was.
"""
from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, Iterable, Mapping

from generator.errors import Problem, ProblemsFound
from generator.model import ENTITY_KINDS, Record
from generator.site.library import (EntityKey, FixedKind, Library, ParsedRecord, Tally, article_warnings,
                                    day_of, entity_slug, index_records, kind_by_vote, name_entity, slug_clash,
                                    without_body)
from generator.site.related import RelatedIndex, Relation
from generator.site.undated import undated_order


@dataclass(frozen=True)
class Change:
    """What one `apply` did."""

    slugs: frozenset[str]  # articles added, edited or removed
    old: Library
    new: Library
    old_related: Mapping[str, tuple[Relation, ...]]
    new_related: Mapping[str, tuple[Relation, ...]]
    entities: frozenset[EntityKey]  # entities whose value (name, articles, mentions) changed, or that came or went
    retagged: frozenset[str]  # articles whose entity keys changed (or that came or went)
    relinked: frozenset[str]  # articles whose related articles changed


class SiteModel:
    """The Library and related articles of some record files; see the module's doc."""

    def __init__(self, parsed: Iterable[ParsedRecord], fixed_kind: FixedKind, related_limit: int,
                 library_ready: Callable[[Library], None] | None = None):
        """`library_ready(library)`: called once the Library is indexed, before
        the related articles (a build starts work for the other core there)."""
        self.fixed_kind = fixed_kind
        self._files: dict[str, ParsedRecord] = {p[1]: _kept(p) for p in parsed}
        self._spelling: dict[EntityKey, Problem] = {}  # entity → its spelling warning
        library, problems = index_records([self._files[f] for f in sorted(self._files)], fixed_kind, self._spelling)
        errors = [p for p in problems if p.level == "error"]
        if errors:
            raise ProblemsFound(errors)
        self.library = library
        if library_ready is not None:
            library_ready(library)
        self.index = RelatedIndex(library, related_limit)
        self.related: Mapping[str, tuple[Relation, ...]] = MappingProxyType(
            {r.slug: self.index.relations(r.slug) for r in library.articles})
        self._slug_of_name: dict[str, str] = {}
        self._carriers: dict[str, set[str]] = {}  # entity slug → articles naming it (any kind)
        for record in library.articles:
            for _, tag in record.entities:
                self._carriers.setdefault(self._slug(tag.name), set()).add(record.slug)
        self._kinds = {key[1]: key[0] for key in library.entities}
        self._warnings = {f: article_warnings(p[0], f) for f, p in self._files.items()}  # by file
        self._warned = sorted(f for f, found in self._warnings.items() if found)  # their files, in order
        self._dated = sorted((r.date, r.slug) for r in library.articles if r.date)
        self._days = {name: {day: set(slugs) for day, slugs in table.items()}
                      for name, table in _day_tables(library).items()}

    def __getstate__(self) -> dict:
        """Kept between builds without `fixed_kind` (a function of the alias
        tables: the build hands it back with `attach`)."""
        state = dict(self.__dict__, related=dict(self.related), fixed_kind=None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, related=MappingProxyType(state["related"]))

    def attach(self, fixed_kind: FixedKind) -> "SiteModel":
        self.fixed_kind = fixed_kind
        return self

    def file_hashes(self) -> dict[str, str]:
        """Record file → the SHA-256 it had when taken in."""
        return {shown: parsed[2] for shown, parsed in self._files.items()}

    def _slug(self, name: str) -> str:
        slug = self._slug_of_name.get(name)
        if slug is None:
            slug = self._slug_of_name[name] = entity_slug(name)
        return slug

    # ------------------------------------------------------------ applying a change

    def apply(self, changes: Mapping[str, ParsedRecord | None]) -> Change:
        """Records added or edited (file → parsed record) and removed (file → None)."""
        changes = {shown: _kept(parsed) if parsed is not None else None for shown, parsed in changes.items()}
        old = self.library
        files = dict(self._files)
        for shown, parsed in changes.items():
            if parsed is None:
                files.pop(shown, None)
            else:
                files[shown] = parsed
        _refuse_shared_slugs(files, changes)
        before = {self._files[f][0].slug: self._files[f][0] for f in changes if f in self._files}
        after = {p[0].slug: p[0] for f, p in changes.items() if p is not None}
        slugs = frozenset(before) | frozenset(after)
        records = _Records(old, after, before.keys() - after.keys())

        moved = frozenset(s for s in slugs if _order_key(before.get(s)) != _order_key(after.get(s)))
        if not moved:  # edits that leave every article where it was in the listings: no sort, no renumbering
            articles, dated, position = list(old.articles), self._dated, old.position
            for slug, record in after.items():
                articles[position[slug]] = record
        else:
            articles, dated = self._order(before, after, records)
            position = {r.slug: i for i, r in enumerate(articles)}

        # the articles whose tags count anew: not one whose entities, place and file stayed (a body edit)
        new_files = {p[0].slug: f for f, p in changes.items() if p is not None}
        retallied = {s for s in slugs if s not in before or s not in after or s in moved
                     or before[s].entities != after[s].entities or old.files.get(s) != new_files.get(s)}
        names = set()  # the entities to count anew: those whose tallies can differ
        for slug in retallied:
            was, now = self._tags_by_name(before.get(slug)), self._tags_by_name(after.get(slug))
            if slug in before and slug in after and slug not in moved and old.files.get(slug) == new_files.get(slug):
                names.update(n for n in was.keys() | now.keys() if was.get(n) != now.get(n))  # a tag edited
            else:  # came, went or moved: its place in every one of its entities' lists changed
                names.update(was.keys() | now.keys())
        for slug in retallied:
            for name in names:
                carriers = self._carriers.setdefault(name, set())
                carriers.discard(slug)
            if slug in after:
                for _, tag in after[slug].entities:
                    self._carriers.setdefault(self._slug(tag.name), set()).add(slug)
        flipped = set()
        for name in names:
            kind = self._vote(name, records, position)
            if kind != self._kinds.get(name):
                flipped.add(name)
            if kind is None:
                self._kinds.pop(name, None)
                self._carriers.pop(name, None)
            else:
                self._kinds[name] = kind

        tags = dict(old.tags)
        for slug in before.keys() - after.keys():
            del tags[slug]
        retag = set(after) | {a for name in flipped for a in self._carriers.get(name, ())}
        for slug in retag:
            tags[slug] = self._keys_of(records[slug])

        files_of, hashes = dict(old.files), dict(old.hashes)
        for slug in before:
            files_of.pop(slug, None)
            hashes.pop(slug, None)
        for shown, parsed in changes.items():
            if parsed is not None:
                files_of[parsed[0].slug], hashes[parsed[0].slug] = shown, parsed[2]
        entities = dict(old.entities)
        changed_keys = set()
        for name in names:
            for kind in _kinds_of(old, name) | ({self._kinds[name]} if name in self._kinds else set()):
                key = (kind, name)
                entity = None
                if self._kinds.get(name) == kind:
                    entity, warning = self._recount(key, records, position, files_of)
                    self._spelling.pop(key, None)
                    if warning is not None:
                        self._spelling[key] = warning
                else:
                    self._spelling.pop(key, None)
                if entities.get(key) != entity:
                    changed_keys.add(key)
                    if entity is None:
                        entities.pop(key, None)
                    else:
                        entities[key] = entity
        if entities.keys() != old.entities.keys():
            entities = {key: entities[key] for key in sorted(entities)}

        days = self._redate(before, after, position)
        self._files, self._dated = files, dated
        for shown, parsed in changes.items():
            self._warnings.pop(shown, None)
            if parsed is not None:
                self._warnings[shown] = article_warnings(parsed[0], shown)
        for shown in changes:
            at = bisect.bisect_left(self._warned, shown)
            has = at < len(self._warned) and self._warned[at] == shown
            if has and not self._warnings.get(shown):
                del self._warned[at]
            elif not has and self._warnings.get(shown):
                self._warned.insert(at, shown)
        warnings = tuple(w for f in self._warned for w in self._warnings[f]) \
            + tuple(self._spelling[key] for key in sorted(self._spelling))
        library = Library(
            articles=tuple(articles),
            position=MappingProxyType(position),
            files=MappingProxyType(files_of),
            hashes=MappingProxyType(hashes),
            entities=MappingProxyType(entities),
            tags=MappingProxyType(tags),
            published=MappingProxyType(days["published"]),
            mentioned=MappingProxyType(days["mentioned"]),
            mentioned_months=MappingProxyType(days["mentioned_months"]),
            warnings=warnings,
        )
        old_related = self.related
        relinked = self._relate(library, slugs, before, after, changed_keys, moved)
        self.library = library
        retagged = {s for s in retag if tags[s] != old.tags.get(s)} | (before.keys() - after.keys())
        return Change(slugs, old, library, old_related, self.related, frozenset(changed_keys),
                      frozenset(retagged), relinked)

    # ------------------------------------------------------------ the parts of a change

    def _order(self, before: Mapping[str, Record], after: Mapping[str, Record], records: Mapping[str, Record]
               ) -> tuple[list[Record], list[tuple[str, str]]]:
        """Newest first, undated last (library.newest_first), by sorted inserts;
        and the (date, slug) of the dated ones, oldest first."""
        dated = list(self._dated)
        for slug, record in before.items():
            if record.date:
                del dated[bisect.bisect_left(dated, (record.date, slug))]
        for slug, record in after.items():
            if record.date:
                bisect.insort(dated, (record.date, slug))
        undated_before = self.library.articles[len(self._dated):]
        if any(not r.date for r in (*before.values(), *after.values())):
            undated = undated_order([records[r.slug] for r in undated_before if r.slug not in before]
                                    + [r for r in after.values() if not r.date])
        else:
            undated = undated_before
        return [records[slug] for _, slug in reversed(dated)] + list(undated), dated

    def _vote(self, name: str, records: Mapping[str, Record], position: Mapping[str, int]) -> str | None:
        """The kind the archive gives an entity slug (library._one_kind_per_name), None when no article names it."""
        votes: Counter = Counter()
        fixed = None
        seen: set[str] = set()
        for slug in sorted(self._carriers.get(name, ()), key=position.__getitem__):
            for kind, tag in records[slug].entities:
                if self._slug(tag.name) != name:
                    continue
                if fixed is None and tag.name not in seen:
                    fixed = self.fixed_kind(tag.name)
                seen.add(tag.name)
                votes[kind] += tag.mentions
        return kind_by_vote(votes, fixed) if votes else None

    def _tags_by_name(self, record: Record | None) -> dict[str, list]:
        """The record's tags by entity slug, in record order (what its entities' votes and tallies read)."""
        found: dict[str, list] = {}
        for kind, tag in record.entities if record is not None else ():
            found.setdefault(self._slug(tag.name), []).append((kind, tag))
        return found

    def _keys_of(self, record: Record) -> tuple[EntityKey, ...]:
        keys: dict[EntityKey, None] = {}
        for _, tag in record.entities:
            name = self._slug(tag.name)
            keys[(self._kinds[name], name)] = None
        return tuple(keys)

    def _recount(self, key: EntityKey, records: Mapping[str, Record], position: Mapping[str, int],
                 files_of: Mapping[str, str]):
        """One entity counted over the articles that name it (library._tally_entities, for one key)."""
        tally = Tally()
        for slug in sorted(self._carriers.get(key[1], ()), key=position.__getitem__):
            for _, tag in records[slug].entities:
                if self._slug(tag.name) != key[1]:
                    continue
                tally.spellings[tag.name] += 1
                tally.first_file.setdefault(tag.name, files_of[slug])
                tally.mentions += tag.mentions
                if not tally.articles or tally.articles[-1] != slug:
                    tally.articles.append(slug)
        return name_entity(key, tally)

    def _redate(self, before: Mapping[str, Record], after: Mapping[str, Record],
                position: Mapping[str, int]) -> dict[str, dict[str, tuple[str, ...]]]:
        """The day and month tables, each day or month a changed article is in recomputed."""
        touched: dict[str, set[str]] = {name: set() for name in self._days}
        for slug, record in before.items():
            for name, day in _dates_of(record):
                self._days[name].get(day, set()).discard(slug)
                touched[name].add(day)
        for slug, record in after.items():
            for name, day in _dates_of(record):
                self._days[name].setdefault(day, set()).add(slug)
                touched[name].add(day)
        tables = {}
        previous = {"published": self.library.published, "mentioned": self.library.mentioned,
                    "mentioned_months": self.library.mentioned_months}
        for name, table in self._days.items():
            result = dict(previous[name])
            for day in touched[name]:
                members = table.get(day)
                if members:
                    result[day] = tuple(sorted(members, key=position.__getitem__))
                else:
                    table.pop(day, None)
                    result.pop(day, None)
            if result.keys() != previous[name].keys():
                result = dict(sorted(result.items()))
            tables[name] = result
        # a day no changed article is in keeps its tuple: the other articles keep their order
        return tables

    def _relate(self, library: Library, slugs: frozenset[str], before: Mapping[str, Record],
                after: Mapping[str, Record], changed_keys: set[EntityKey],
                moved: frozenset[str]) -> frozenset[str]:
        """The related articles of every article a change can reach (RelatedIndex's
        inputs); the articles whose related articles changed."""
        old = self.library
        # relations read an entity's articles (its weight, its posting list), not its name or mentions
        keys = {k for k in changed_keys if _articles_of(old, k) != _articles_of(library, k)}
        for slug in slugs:
            old_record, new_record = before.get(slug), after.get(slug)
            old_tags, new_tags = set(old.tags.get(slug, ())), set(library.tags.get(slug, ()))
            if slug in moved or old_record is None or new_record is None or old_record.date != new_record.date:
                keys |= old_tags | new_tags  # its day or place moved in every posting list it is in
            else:
                keys |= old_tags ^ new_tags  # an entity it shares before and after weighs as before
        # (an article re-tagged by a flipped kind needs nothing more: the flipped
        # entity changed, and every article that shares it is reached below)
        index = self.index.updated(library, frozenset(keys), slugs)
        if index.scale != self.index.scale:
            reach = set(library.position)
        else:
            reach = {s for s in slugs if s in library.position}
            for key in keys:
                for table in (old.entities, library.entities):
                    entity = table.get(key)
                    if entity is not None:
                        reach.update(entity.articles)
            reach &= library.position.keys()
        related = dict(self.related)
        for slug in before.keys() - after.keys():
            del related[slug]
        relinked = set()
        for slug in reach:
            relations = index.relations(slug)
            if relations != related.get(slug):
                relinked.add(slug)
            related[slug] = relations
        self.index = index
        if moved:  # in listing order, as a model made from scratch has them
            related = {r.slug: related[r.slug] for r in library.articles}
        self.related = MappingProxyType(related)
        return frozenset(relinked)


# ---------------------------------------------------------------- helpers

def _kept(parsed: ParsedRecord) -> ParsedRecord:
    """A parsed record as the model keeps it: without its body (library.Article)."""
    return (without_body(parsed[0]), parsed[1], parsed[2])


def _refuse_shared_slugs(files: Mapping[str, ParsedRecord], changes: Mapping[str, ParsedRecord | None]) -> None:
    """The error index_records gives when two files have one slug (the later file is named)."""
    changed_slugs = {p[0].slug for p in changes.values() if p is not None}
    first: dict[str, str] = {}
    problems = []
    for shown in sorted(f for f, parsed in files.items() if parsed[0].slug in changed_slugs):
        slug = files[shown][0].slug
        if slug in first:
            problems.append(slug_clash(shown, slug, first[slug]))
        else:
            first[slug] = shown
    if problems:
        raise ProblemsFound(problems)


class _Records(Mapping[str, Record]):
    """The articles after a change, by slug, read through the old library
    rather than copied: a change reads a few of a hundred thousand."""

    def __init__(self, old: Library, changed: Mapping[str, Record], removed: set[str]):
        self._old, self._changed, self._removed = old, changed, removed

    def __getitem__(self, slug: str) -> Record:
        record = self._changed.get(slug)
        if record is not None:
            return record
        if slug in self._removed:
            raise KeyError(slug)
        return self._old.articles[self._old.position[slug]]

    def __iter__(self):
        yield from (r.slug for r in self._old.articles if r.slug not in self._changed and r.slug not in self._removed)
        yield from self._changed

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _order_key(record: Record | None):
    """What an article's place in the listings depends on (library.newest_first, undated.undated_order)."""
    if record is None:
        return None
    return (record.date, None) if record.date else (None, record.title, record.mentioned_dates, record.updated)


def _articles_of(library: Library, key: EntityKey) -> tuple[str, ...] | None:
    entity = library.entities.get(key)
    return entity.articles if entity is not None else None


def _kinds_of(library: Library, name: str) -> set[str]:
    return {kind for kind in ENTITY_KINDS if (kind, name) in library.entities}


def _day_tables(library: Library) -> dict[str, Mapping[str, tuple[str, ...]]]:
    return {"published": library.published, "mentioned": library.mentioned,
            "mentioned_months": library.mentioned_months}


def _dates_of(record: Record) -> set[tuple[str, str]]:
    """(table, day or month) of every day table the record is in."""
    found = set()
    day = day_of(record.date)
    if day:
        found.add(("published", day))
    for mention in record.mentioned_dates:
        mentioned_day = day_of(mention.date)
        if mentioned_day:
            found.add(("mentioned", mentioned_day))
        if len(mention.date) == 7:
            found.add(("mentioned_months", mention.date))
    return found
