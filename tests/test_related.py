"""Related articles: rarity-weighted shared entities, time, threshold, scale."""
from __future__ import annotations

import datetime as dt

from generator.site.library import index_records
from generator.model import Entities, EntityTag, Record
from generator.site.related import related_articles


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
