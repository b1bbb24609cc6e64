"""The entity index at scale: entities/, one index per kind (most mentioned
first, with counts), its letters (every name, A–Z, at most PER_LETTER_PAGE a
page), and the filter box's JSON index (small, deterministic)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from generator import urls
from generator.model import ENTITY_KINDS
from generator.report import SilentReporter
from generator.site.entity_index import (OTHER, PER_LETTER_PAGE, TOP_ON_KIND, TOP_ON_OVERVIEW, alphabetical,
                                         entity_index_pages, index_json, letter_of, ranked)
from generator.site.library import Entity, index_records, read_records, scan_content
from generator.site.views import _pagination

SAMPLE = Path(__file__).parent / "fixtures" / "sample-site"


def sample_library():
    library, _ = index_records(read_records(scan_content(SAMPLE / "content"), SilentReporter()))
    return library


def entity(name: str, articles: int, kind: str = "person") -> Entity:
    return Entity(kind, name, urls.slugify(name), tuple(f"a{i}" for i in range(articles)), articles)


def test_letters_fold_accents_and_ligatures():
    assert letter_of("Édouard Philippe") == "e"
    assert letter_of("Œuvre d’Orient") == "o"
    assert letter_of("l’Élysée") == "l"
    assert letter_of("« Le Monde »") == "l"
    assert letter_of("20 Minutes") == OTHER
    assert letter_of("بغداد") == OTHER


def test_most_mentioned_first_then_by_name_whatever_the_input_order():
    names = [entity("Zoé", 3), entity("alain", 3), entity("Bruno", 9), entity("Émile", 1)]
    assert [e.name for e in ranked(names)] == ["Bruno", "alain", "Zoé", "Émile"]
    assert ranked(names) == ranked(names[::-1])
    assert [e.name for e in alphabetical(names)] == ["alain", "Bruno", "Émile", "Zoé"]


def test_index_json_is_small_and_deterministic():
    library = sample_library()
    text = index_json(library)
    data = json.loads(text)
    assert data["fields"] == ["name", "kind", "slug", "count"]
    assert data["dirs"] == urls.KIND_DIRS
    assert len(data["entities"]) == len(library.entities)
    assert data["entities"][0] == ["Emmanuel Macron", "person", "emmanuel-macron", 11]
    counts = [row[3] for row in data["entities"]]
    assert counts == sorted(counts, reverse=True)
    assert all(len(row) == 4 for row in data["entities"])
    assert text.count("\n") == 1 and ", " not in text  # one compact line
    assert len(text.encode()) < 60 * len(library.entities)  # about 50 bytes a name
    assert index_json(sample_library()) == text  # same library, same bytes


def _big_library(n: int = 700):
    """A library of n people whose names crowd a few letters."""
    library = sample_library()
    extra = {("person", f"m-{i}"): Entity("person", f"M{i:04d} Martin", f"m-{i}", ("x",) * (i % 7 + 1), 1)
             for i in range(n)}
    return type(library)(**{**library.__dict__, "entities": {**library.entities, **extra}})


def test_every_entity_is_on_exactly_one_letter_page_and_pages_stay_short():
    library = _big_library()
    pages = entity_index_pages(library, _pagination)
    listed: list[str] = []
    for page in pages:
        if page.template == "entity_letter.html":
            assert len(page.context["entities"]) <= PER_LETTER_PAGE
            assert all(letter_of(e["name"]) == page.context["letter"]["key"] for e in page.context["entities"])
            listed += [e["url"] for e in page.context["entities"]]
        elif page.template == "entity_kind.html":
            top = page.context["kind"]["top"]
            assert len(top) <= TOP_ON_KIND and [e["count"] for e in top] == sorted((e["count"] for e in top), reverse=True)
        elif page.template == "entities.html":
            assert all(len(k["top"]) <= TOP_ON_OVERVIEW for k in page.context["kinds"])
    assert sorted(listed) == sorted(urls.entity_url(e.kind, e.slug) for e in library.entities.values())
    m_pages = [p.url for p in pages if p.url.startswith("entities/people/m/")]
    assert m_pages[:3] == ["entities/people/m/", "entities/people/m/page/2/", "entities/people/m/page/3/"]
    assert len({p.url for p in pages}) == len(pages)


def test_sample_site_entity_index_pages(built_sample):
    public = built_sample / "public"
    overview = (public / "entities" / "index.html").read_text(encoding="utf-8")
    for kind in ENTITY_KINDS:
        assert f'href="{urls.KIND_DIRS[kind]}/"' in overview  # each kind's index
    assert 'data-entity-filter' in overview and re.search(r'<form class="entity-filter" role="search" hidden', overview)
    assert 'data-index="index.json"' in overview and 'src="../static/entity-filter.js"' in overview
    people = (public / "entities" / "people" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../people/emmanuel-macron/">Emmanuel Macron</a> <span class="count">11</span>' in people
    assert people.index("Emmanuel Macron") < people.index("Donald Trump")
    assert 'href="e/"' in people and 'data-scope="person"' in people
    letter = (public / "entities" / "people" / "e" / "index.html").read_text(encoding="utf-8")
    assert "Personnes : E" in letter and 'aria-current="page">E</a>' in letter
    assert '<a href="../../../people/emmanuel-macron/">Emmanuel Macron</a>' in letter
    assert letter.index("Édouard Philippe") < letter.index("Emmanuel Macron")  # accents folded: "edouard" < "emmanuel"
    data = json.loads((public / "entities" / "index.json").read_text(encoding="utf-8"))
    assert data["entities"][0][:3] == ["Emmanuel Macron", "person", "emmanuel-macron"]
    sitemap = (public / "sitemap.xml").read_text(encoding="utf-8")
    assert "entities/people/e/" in sitemap and "index.json" not in sitemap
