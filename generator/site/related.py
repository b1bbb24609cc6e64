"""Library → related articles for every article, each with its reason, and
the entities most often seen with each entity.

Two articles are related by the entities they share, each weighted by its
rarity (an inverse document frequency: an entity on every page says little),
and by their closeness in time. Candidates come from an inverted index
entity → articles sorted by date; for a very common entity only the
`window` articles nearest in time are looked at, so the work grows with
N × tags × window, never with the number of pairs. Each article's
candidates are summed with numpy over its entities' postings (as arrays of
positions), in the order a plain loop would add them: the same floats,
three times faster at 100,000 articles (test_related.py checks it against
the plain definition).
"""
from __future__ import annotations

import heapq
import itertools
import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Mapping

import numpy as np

from generator.site.library import EntityKey, Library, day_of

MIN_SCORE = 1.5  # below this, the shared entities are too common to mean much
HALF_LIFE_DAYS = 365.0  # how fast closeness in time fades
WINDOW = 50  # articles looked at on each side in time for a common entity


@dataclass(frozen=True, slots=True)  # slots: 600,000 of them at 100,000 articles
class Relation:
    slug: str  # the related article
    score: float
    shared: tuple[EntityKey, ...]  # most informative first
    later: bool  # published after the article (a follow-up), else earlier context


def _ordinal(date: str | None) -> int | None:
    day = day_of(date)
    return dt.date.fromisoformat(day).toordinal() if day else None


def _time_factor(a: int | None, b: int | None) -> float:
    """1 for the same day, towards 0.5 for articles years apart; 0.75 when a date is unknown."""
    if a is None or b is None:
        return 0.75
    return 0.5 + 0.5 * math.exp(-abs(a - b) / HALF_LIFE_DAYS)


# _time_factor by the days between two dated articles, computed as it asks: a
# lookup instead of an exp() for each of the millions of candidates
_FACTORS_BY_DAYS: list[float] = []


def _factors_up_to(days: int) -> list[float]:
    while len(_FACTORS_BY_DAYS) <= days:
        _FACTORS_BY_DAYS.append(_time_factor(0, len(_FACTORS_BY_DAYS)))
    return _FACTORS_BY_DAYS


def archive_scale(total: int) -> int:
    """The archive's size as the rarity weights read it: rounded down to its
    five leading binary digits (within 1/16 of it). An exact size would change
    every weight, and so every article's relations, whenever one article is
    added or removed; this one moves in steps, so that the site model
    (model.py) recomputes only the articles near a change between steps."""
    step = 1 << max(0, total.bit_length() - 5)
    return max(1, total // step * step)


def related_articles(library: Library, limit: int, *, window: int = WINDOW,
                     min_score: float = MIN_SCORE) -> Mapping[str, tuple[Relation, ...]]:
    """article slug → up to `limit` relations, best first (score, then newest, then slug)."""
    index = RelatedIndex(library, limit, window=window, min_score=min_score)
    return MappingProxyType({record.slug: index.relations(record.slug) for record in library.articles})


class RelatedIndex:
    """What finding an article's relations reads: each article's day, each
    entity's weight and its articles in time order. Made for one Library;
    `updated` makes the index of a changed Library, reusing what a change
    left as it was."""

    def __init__(self, library: Library, limit: int, *, window: int = WINDOW, min_score: float = MIN_SCORE,
                 _from: "RelatedIndex | None" = None, _keys: frozenset[EntityKey] | None = None,
                 _slugs: frozenset[str] | None = None):
        self.library = library
        self.limit, self.window, self.min_score = limit, window, min_score
        self.scale = archive_scale(len(library.articles))
        self.trivial = limit <= 0 or len(library.articles) < 2
        reuse = _from is not None and _from.scale == self.scale and _keys is not None
        if _from is not None and _slugs is not None:  # only the changed articles' days are read again
            self.days = dict(_from.days)
            for slug in _slugs:
                self.days.pop(slug, None)
                if slug in library.position:
                    self.days[slug] = _ordinal(library.article(slug).date)
        else:
            self.days = {r.slug: _ordinal(r.date) for r in library.articles}
        self.idf = dict(_from.idf) if reuse else {}
        # posting lists oldest first (undated at the start), to take a window around a date
        self.postings = dict(_from.postings) if reuse else {}
        self.posting_days = dict(_from.posting_days) if reuse else {}
        keys = _keys if reuse else library.entities.keys()
        for key in keys:
            entity = library.entities.get(key)
            if entity is None:
                for table in (self.idf, self.postings, self.posting_days):
                    table.pop(key, None)
                continue
            self.idf[key] = math.log(self.scale / len(entity.articles))
            ordered = sorted(entity.articles, key=lambda s: (self.days[s] if self.days[s] is not None else -1, s))
            self.postings[key] = ordered
            self.posting_days[key] = [self.days[s] if self.days[s] is not None else -1 for s in ordered]
        self._memos()

    def _memos(self) -> None:
        """What relations() makes as it goes, for this Library only (not pickled, not reused by `updated`)."""
        self.tag_sets = _TagSets(self.library.tags)
        self._packed: dict[EntityKey, tuple[np.ndarray, np.ndarray]] = {}
        self._day_array: np.ndarray | None = None
        self._factor_array: np.ndarray | None = None

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in _MEMOS}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._memos()

    def updated(self, library: Library, keys: frozenset[EntityKey], slugs: frozenset[str]) -> "RelatedIndex":
        """The index of `library`, a change of this one's where only the
        entities `keys` changed (their articles, or the days of their articles)."""
        return RelatedIndex(library, self.limit, window=self.window, min_score=self.min_score, _from=self, _keys=keys,
                            _slugs=slugs)

    def relations(self, slug: str) -> tuple[Relation, ...]:
        """Up to `limit` relations of one article, best first (score, then newest, then slug)."""
        if self.trivial:
            return ()
        days, idf, window = self.days, self.idf, self.window
        day = days[slug]
        # the candidates (by position in the Library) each entity brings, and its weight
        postings, weights = [], []
        for key in self.library.tags[slug]:
            weight = idf[key]
            if weight <= 0:
                continue
            positions, posting_days = self._packed_posting(key)
            if len(positions) > 2 * window + 1:
                at = int(np.searchsorted(posting_days, day if day is not None else -1))
                positions = positions[max(0, at - window): at + window + 1]
            postings.append(positions)
            weights.append(weight)
        if not postings:
            return ()
        lengths = np.fromiter(map(len, postings), np.int64, len(postings))
        candidates, which = np.unique(np.concatenate(postings), return_inverse=True)
        # summed in the order of the article's entities, as a loop adding them would: the same floats
        shared_weight = np.bincount(which, weights=np.repeat(weights, lengths))
        keep = (shared_weight >= self.min_score) & (candidates != self.library.position[slug])
        candidates, shared_weight = candidates[keep], shared_weight[keep]
        theirs = self._days_by_position()[candidates]
        factor = np.full(len(candidates), 0.75)  # when either is undated
        if day is not None:
            dated = theirs >= 0
            factor[dated] = self._factors()[np.abs(theirs[dated] - day)]
        score = shared_weight * factor  # closeness in time only lowers a score: it cannot make it
        ranked = np.flatnonzero(score >= self.min_score)
        # best score first, then the newest (the Library's position: newest first)
        ranked = ranked[np.lexsort((candidates[ranked], -score[ranked]))][:self.limit]
        articles = self.library.articles
        relations: list[Relation] = []
        for i in ranked:
            other = articles[candidates[i]].slug
            shared = sorted((k for k in self.tag_sets.shared(slug, other) if idf[k] > 0), key=lambda k: (-idf[k], k))
            later = day is not None and days[other] is not None and (days[other], other) > (day, slug)
            relations.append(Relation(other, round(float(score[i]), 6), tuple(shared), later))
        return tuple(relations)

    def _packed_posting(self, key: EntityKey) -> tuple[np.ndarray, np.ndarray]:
        """An entity's posting as arrays: its articles' positions in the Library and their days."""
        found = self._packed.get(key)
        if found is None:
            position = self.library.position
            posting = self.postings[key]
            found = self._packed[key] = (np.fromiter((position[s] for s in posting), np.int64, len(posting)),
                                         np.asarray(self.posting_days[key], dtype=np.int64))
        return found

    def _days_by_position(self) -> np.ndarray:
        """Each article's day (an ordinal; -1: undated), by position in the Library."""
        if self._day_array is None:
            days = self.days
            self._day_array = np.fromiter((d if (d := days[r.slug]) is not None else -1 for r in self.library.articles),
                                          np.int64, len(self.library.articles))
        return self._day_array

    def _factors(self) -> np.ndarray:
        """_time_factor by the days between two dated articles, as far apart as this Library's are."""
        if self._factor_array is None:
            dated = [d for d in self.days.values() if d is not None]
            span = max(dated) - min(dated) if dated else 0
            self._factor_array = np.array(_factors_up_to(span)[:span + 1])
        return self._factor_array


_MEMOS = frozenset({"tag_sets", "_packed", "_day_array", "_factor_array"})


class _TagSets:
    """Articles' entities as sets, to find what two articles share in time of
    the shorter list: an article may tag 10,000 people and be related to
    thousands of small ones. Only long sets are kept: a set for every article
    would cost memory, and a short one is quick to make again."""

    LONG = 64  # tags from which an article's set is kept

    def __init__(self, tags: Mapping[str, tuple[EntityKey, ...]]):
        self.tags = tags
        self.kept: dict[str, frozenset[EntityKey]] = {}

    def of(self, slug: str) -> frozenset[EntityKey]:
        found = self.kept.get(slug)
        if found is None:
            found = frozenset(self.tags[slug])
            if len(found) > self.LONG:
                self.kept[slug] = found
        return found

    def shared(self, slug: str, other: str) -> list[EntityKey]:
        """The entities both articles have, in no useful order (callers sort them)."""
        mine, theirs = self.tags[slug], self.tags[other]
        if len(theirs) <= len(mine):
            mine_set = self.of(slug)
            return [k for k in theirs if k in mine_set]
        their_set = self.of(other)
        return [k for k in mine if k in their_set]


# ---------------------------------------------------------------- entities seen together

Together = tuple[tuple[EntityKey, int], ...]  # (other entity, articles they share), best first


def seen_together(library: Library, limit: int) -> Mapping[EntityKey, Together]:
    """entity → up to `limit` other entities sharing its articles: most shared
    articles first, then by name (case-folded), then by key — `seen_with` of
    every entity, with the name order worked out once for all of them.

    Counting every pair would be quadratic: one article tagging 10,000 people
    makes 10,000² pairs. But an entity of an entity's largest article that is
    in none of its other articles shares exactly one article with it, and
    among those only the first few by name can make the list. So the counts
    come from the other articles alone, and the largest is read in name order
    until enough are found. Entities with the same articles get the same list
    (less themselves): it is worked out once for all of them.
    """
    order = sorted(library.entities, key=lambda k: (library.entities[k].name.casefold(), k))
    rank = {key: i for i, key in enumerate(order)}
    shared = SharedEntities(library, rank.__getitem__)
    return MappingProxyType({key: seen_with(library, key, limit, shared) for key in library.entities})


def seen_with(library: Library, key: EntityKey, limit: int, shared: SharedEntities | None = None) -> Together:
    """One entity's `seen_together` list, in work proportional to its own
    articles' tags (`shared`: what earlier calls worked out, kept for later ones)."""
    shared = shared or SharedEntities(library)
    articles = library.entities[key].articles
    return tuple((other, n) for other, n in shared.best(articles, limit + 1) if other != key)[:limit]


class SharedEntities:
    """What `seen_with` reads, made on demand and kept: each article's
    entities in name order, and the best list of each set of articles.
    `name_order`: an entity's place in name order (case-folded name, then
    key); without it, that pair itself, made on demand."""

    def __init__(self, library: Library, name_order: Callable[[EntityKey], Any] | None = None):
        self.library = library
        self.name_order = name_order or self._name_key
        self._names: dict[EntityKey, tuple[str, EntityKey]] = {}
        self._by_name: dict[str, list[EntityKey]] = {}
        self._best: dict[tuple[tuple[str, ...], int], Together] = {}

    def _name_key(self, key: EntityKey) -> tuple[str, EntityKey]:
        found = self._names.get(key)
        if found is None:
            found = self._names[key] = (self.library.entities[key].name.casefold(), key)
        return found

    def by_name(self, slug: str) -> list[EntityKey]:
        found = self._by_name.get(slug)
        if found is None:
            found = self._by_name[slug] = sorted(self.library.tags[slug], key=self.name_order)
        return found

    def best(self, articles: tuple[str, ...], limit: int) -> Together:
        """The `limit` entities tagged by most of `articles`, then by name (their own included)."""
        found = self._best.get((articles, limit))
        if found is None:
            found = self._best[(articles, limit)] = _most_shared(articles, self.by_name, self.name_order, limit)
        return found


def _most_shared(articles: tuple[str, ...], by_name: Callable[[str], list[EntityKey]],
                 name_order: Callable[[EntityKey], Any], limit: int) -> Together:
    """The `limit` entities tagged by most of `articles` (`by_name`: an
    article's entities in name order), then by name; work in proportion to
    the articles other than the largest, plus `limit`."""
    largest = max(articles, key=lambda slug: len(by_name(slug)))
    counts: Counter = Counter()
    for slug in articles:
        if slug != largest:
            counts.update(by_name(slug))
    if counts:
        in_largest = set(by_name(largest))
        for key in counts:
            counts[key] += key in in_largest
    return tuple(heapq.nsmallest(limit, itertools.chain(counts.items(), _only_in(by_name(largest), counts, limit)),
                                 key=lambda pair: (-pair[1], name_order(pair[0]))))


def _only_in(names: list[EntityKey], counted: Mapping[EntityKey, int], limit: int) -> list[tuple[EntityKey, int]]:
    """The first `limit` entities of the largest article (in name order) that
    no other article has: each shares that one article."""
    found = []
    for key in names:
        if len(found) == limit:
            break
        if key not in counted:
            found.append((key, 1))
    return found
