"""Library → related articles for every article, each with its reason.

Two articles are related by the entities they share, each weighted by its
rarity (an inverse document frequency: an entity on every page says little),
and by their closeness in time. Candidates come from an inverted index
entity → articles sorted by date; for a very common entity only the
`window` articles nearest in time are looked at, so the work grows with
N × tags × window, never with the number of pairs.
"""
from __future__ import annotations

import bisect
import heapq
import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from generator.site.library import EntityKey, Library, day_of

MIN_SCORE = 1.5  # below this, the shared entities are too common to mean much
HALF_LIFE_DAYS = 365.0  # how fast closeness in time fades
WINDOW = 50  # articles looked at on each side in time for a common entity


@dataclass(frozen=True)
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


def related_articles(library: Library, limit: int, *, window: int = WINDOW,
                     min_score: float = MIN_SCORE) -> Mapping[str, tuple[Relation, ...]]:
    """article slug → up to `limit` relations, best first (score, then newest, then slug)."""
    total = len(library.articles)
    if limit <= 0 or total < 2:
        return MappingProxyType({r.slug: () for r in library.articles})
    days = {r.slug: _ordinal(r.date) for r in library.articles}
    idf = {key: math.log(total / len(e.articles)) for key, e in library.entities.items()}
    # posting lists oldest first (undated at the start), to take a window around a date
    postings: dict[EntityKey, list[str]] = {}
    posting_days: dict[EntityKey, list[int]] = {}
    for key, entity in library.entities.items():
        ordered = sorted(entity.articles, key=lambda s: (days[s] if days[s] is not None else -1, s))
        postings[key] = ordered
        posting_days[key] = [days[s] if days[s] is not None else -1 for s in ordered]

    result: dict[str, tuple[Relation, ...]] = {}
    position = library.position
    for record in library.articles:
        mine = library.tags[record.slug]
        day = days[record.slug]
        # accumulate the weight of the entities each candidate shares with this article
        weights: dict[str, float] = defaultdict(float)
        for key in mine:
            weight = idf[key]
            if weight <= 0:
                continue
            posting = postings[key]
            if len(posting) > 2 * window + 1:
                at = bisect.bisect_left(posting_days[key], day if day is not None else -1)
                posting = posting[max(0, at - window): at + window + 1]
            for other in posting:
                weights[other] += weight
        weights.pop(record.slug, None)
        ranked = []
        for other, weight in weights.items():
            if weight < min_score:  # closeness in time only lowers a score: it cannot make it
                continue
            score = weight * _time_factor(day, days[other])
            if score >= min_score:
                ranked.append((-score, position[other], other))
        relations: list[Relation] = []
        mine_set = set(mine)
        for negative, _, other in heapq.nsmallest(limit, ranked):
            shared = sorted((k for k in library.tags[other] if k in mine_set and idf[k] > 0), key=lambda k: (-idf[k], k))
            later = day is not None and days[other] is not None and (days[other], other) > (day, record.slug)
            relations.append(Relation(other, round(-negative, 6), tuple(shared), later))
        result[record.slug] = tuple(relations)
    return MappingProxyType(result)
