"""Related articles: rarity-weighted shared entities, time, threshold, scale."""
from __future__ import annotations

import datetime as dt
import math
import random

from generator.site.library import index_records
from generator.model import Entities, EntityTag, Record
from generator.site.related import archive_scale, related_articles


def record(slug, date, *places):
    return Record(title=slug, slug=slug, lang="fr", date=date, date_source="source", summary="", body="x",
                  entities=Entities(place=tuple(EntityTag(p, 1) for p in places)))


def library_of(*records):
    library, _ = index_records([(r, f"{r.slug}.md", r.slug) for r in records])
    return library


def test_rare_shared_entities_outweigh_common_ones_and_order_is_stable():
    filler = [record(f"f{i}", f"2020-02-{i + 1:02d}", *(["France"] if i % 2 else []), f"Ville{i}") for i in range(20)]
    library = library_of(
        record("a", "2020-01-10", "France", "Bagdad", "Irak"),
        record("b", "2020-01-12", "France", "Bagdad", "Irak"),
        record("c", "2020-01-11", "France", "Irak"),
        record("d", "2020-01-11", "France"),
        *filler,
    )
    related = related_articles(library, 5)
    names = {k: library.entities[k].name for k in library.entities}
    assert [r.slug for r in related["a"]] == ["b", "c"]  # d shares only France: below the threshold
    assert [names[k] for k in related["a"][0].shared] == ["Bagdad", "Irak", "France"]
    assert related["a"][0].later and not related["b"][0].later
    assert related_articles(library, 5) == related  # same input, same answer


def test_an_entity_on_every_page_relates_nothing():
    library = library_of(*[record(f"a{i}", f"2020-01-{i + 1:02d}", "Monde") for i in range(10)])
    assert all(not r for r in related_articles(library, 5).values())


def test_closeness_in_time_breaks_ties():
    library = library_of(
        record("a", "2020-01-01", "Bagdad", "Irak"), record("near", "2020-01-05", "Bagdad", "Irak"),
        record("far", "2024-01-05", "Bagdad", "Irak"), *[record(f"f{i}", "2021-01-01", f"V{i}") for i in range(20)],
    )
    assert [r.slug for r in related_articles(library, 5)["a"]] == ["near", "far"]


def test_common_entities_are_only_looked_at_near_in_time():
    # 3,000 articles sharing one entity: each looks at a window of neighbours, not at all 3,000
    start = dt.date(2000, 1, 1)
    records = [record(f"a{i:04d}", (start + dt.timedelta(days=i)).isoformat(), "Paris", f"V{i}") for i in range(3000)]
    records += [record(f"z{i}", "2030-01-01", f"Autre{i}") for i in range(3000)]  # keep Paris informative
    library = library_of(*records)
    related = related_articles(library, 50, window=5, min_score=0.01)
    first = related["a1500"]
    assert len(first) == 10  # 5 on each side, though 2,999 others share Paris
    assert all(abs(int(r.slug[1:]) - 1500) <= 5 for r in first)


def reference_relations(library, limit, window, min_score):
    """Related articles as the module's doc defines them, written plainly: every
    candidate an entity brings (its `window` nearest in time when it is
    common), weights summed, times the closeness in time, best `limit`."""
    import bisect
    from generator.site.related import _ordinal, _time_factor
    days = {r.slug: _ordinal(r.date) for r in library.articles}
    scale = archive_scale(len(library.articles))
    out = {}
    for record in library.articles:
        slug, day = record.slug, days[record.slug]
        weights = {}
        for key in library.tags[slug]:
            weight = math.log(scale / len(library.entities[key].articles))
            if weight <= 0:
                continue
            posting = sorted(library.entities[key].articles, key=lambda s: (days[s] if days[s] is not None else -1, s))
            if len(posting) > 2 * window + 1:
                at = bisect.bisect_left([days[s] if days[s] is not None else -1 for s in posting],
                                        day if day is not None else -1)
                posting = posting[max(0, at - window): at + window + 1]
            for other in posting:
                weights[other] = weights.get(other, 0.0) + weight
        weights.pop(slug, None)
        ranked = sorted((-(w * _time_factor(day, days[o])), library.position[o], o)
                        for o, w in weights.items() if w >= min_score and w * _time_factor(day, days[o]) >= min_score)
        out[slug] = [(o, round(-s, 6)) for s, _, o in ranked[:limit]]
    return out


def test_relations_are_those_of_the_definition_on_a_random_archive():
    """Undated articles, ties, common entities cut to a window, an article with no entity."""
    rng = random.Random(7)
    names = [f"N{i}" for i in range(60)]
    records = []
    for i in range(400):
        date = None if rng.random() < 0.1 else (dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(2000))).isoformat()
        common = ["Paris"] if rng.random() < 0.6 else []
        records.append(record(f"a{i:03d}", date, *common, *rng.sample(names, rng.randrange(0, 6))))
    library = library_of(*records)
    for limit, window, min_score in ((6, 50, 1.5), (10, 3, 0.2), (3, 200, 0.0)):
        related = related_articles(library, limit, window=window, min_score=min_score)
        found = {slug: [(r.slug, r.score) for r in relations] for slug, relations in related.items()}
        assert found == reference_relations(library, limit, window, min_score)
