"""site/touched.py names every page family a change alters: after random
edits of a model (tests/test_site_model.py's archive), every family whose
planned pages differ before and after the change is among the touched ones
— so the preview and the one-change build, which re-plan only those, show
what a build from scratch would."""
from __future__ import annotations

import random

import pytest

from generator.site.model import SiteModel
from generator.site.touched import touched_families
from generator.site.views import Planner, families, plan_family, site_of
from test_site_model import FIXED, _edit, _parsed, _record


class _Config:
    title, description, language, base_url = "Archives", "Test", "fr", "https://example.org/archives/"
    per_page, feed_items, search_shard_size, search_max_shards = 4, 5, 10, 3


SITE = site_of(_Config, _Config.base_url)


def _planner(model: SiteModel) -> Planner:
    library = model.library
    bodies = {r.slug: f"<p>{r.body}</p>" for r in library.articles}
    located = {k: (45.0 + len(k[1]) % 10, 2.0) for k in library.entities if k[0] == "place" and "ville" in k[1]}
    return Planner(library, model.related, bodies, SITE, located)


def _plans(model: SiteModel) -> dict[tuple, list]:
    planner = _planner(model)
    return {family: plan_family(family, planner) for family in families(model.library, SITE)}


@pytest.mark.parametrize("seed", range(8))
def test_every_family_a_random_edit_changes_is_touched(seed):
    rng = random.Random(100 + seed)
    files = {f"content/{i:03d}.md": _parsed(_record(rng, f"article-{i}"), f"content/{i:03d}.md")
             for i in range(rng.randint(15, 40))}
    model = SiteModel(files.values(), FIXED.get, 4)
    before = _plans(model)
    next_id = 1000
    for step in range(15):
        changes = {}
        action = rng.random()
        if action < 0.65:
            file = rng.choice(sorted(files))
            changes[file] = _parsed(_edit(rng, files[file][0]), file)
        elif action < 0.85:
            next_id += 1
            changes[f"content/n{next_id}.md"] = _parsed(_record(rng, f"new-{next_id}"), f"content/n{next_id}.md")
        else:
            changes[rng.choice(sorted(files))] = None
        for file, parsed in changes.items():
            if parsed is None:
                files.pop(file)
            else:
                files[file] = parsed
        touched = touched_families(model.apply(changes))
        after = _plans(model)
        differ = {f for f in before.keys() | after.keys() if before.get(f) != after.get(f)}
        assert differ <= touched, f"step {step}: changed but not touched: {sorted(differ - touched)[:5]}"
        # and it says far less than everything: only what the change reaches
        before = after


def test_a_body_edit_touches_its_article_page_and_nothing_else():
    rng = random.Random(5)
    files = {f"content/{i}.md": _parsed(_record(rng, f"a-{i}"), f"content/{i}.md") for i in range(20)}
    model = SiteModel(files.values(), FIXED.get, 4)
    record = files["content/3.md"][0]
    import dataclasses
    edited = dataclasses.replace(record, body=record.body + " Une phrase de plus.")
    touched = touched_families(model.apply({"content/3.md": _parsed(edited, "content/3.md")}))
    assert touched == {("article", record.slug)}


def test_a_name_respelled_by_the_archives_vote_touches_every_page_that_shows_it():
    import dataclasses
    from generator.model import Entities, EntityTag
    rng = random.Random(9)

    def carrying(slug: str, name: str) -> tuple:
        record = dataclasses.replace(_record(rng, slug), entities=Entities(person=(EntityTag(name, 1),)))
        return _parsed(record, f"content/{slug}.md")

    files = {p[1]: p for p in (carrying("a", "Marie Curie"), carrying("b", "MARIE CURIE"), carrying("c", "Marie Curie"))}
    model = SiteModel(files.values(), FIXED.get, 4)
    before = _plans(model)
    assert model.library.entities[("person", "marie-curie")].name == "Marie Curie"
    # two more articles spell it the other way: the archive now shows that spelling everywhere
    added = {p[1]: p for p in (carrying("d", "MARIE CURIE"), carrying("e", "MARIE CURIE"))}
    touched = touched_families(model.apply(added))
    after = _plans(model)
    assert model.library.entities[("person", "marie-curie")].name == "MARIE CURIE"
    assert before[("article", "a")] != after[("article", "a")]
    assert {("article", "a"), ("article", "c")} <= touched
