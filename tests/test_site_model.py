"""The site model (generator/site/model.py): after any series of edits —
records added, edited, removed; titles, dates, tags, spellings and kinds
changed — the model updated in place equals a model made from scratch from
the same records: the Library, every index in it, and the related articles."""
from __future__ import annotations

import dataclasses
import random

import pytest

from generator.errors import ProblemsFound
from generator.model import Entities, EntityTag, MentionedDate, Record
from generator.site.library import index_records
from generator.site.model import SiteModel
from generator.site.related import related_articles

# names that share a slug ("Marie Curie", "marie curie") so spellings are outvoted;
# the same names under several kinds so the archive's vote flips a kind
PEOPLE = ["Marie Curie", "marie curie", "Jean Moulin", "Paris", "Louise Michel", "Victor Hugo", "Hugo"]
PLACES = ["Paris", "Lyon", "Marseille", "Jean Moulin", "Nantes", "Lille", "Hugo"]
ORGS = ["ONU", "Union européenne", "Paris", "OTAN", "Croix-Rouge", "UNESCO"]
TOPICS = 8  # and each article's own topic, names no other topic uses: a change reaches only part of the archive
FIXED = {"OTAN": "organization", "Lille": "place"}  # entities.toml's kinds


def _tags(rng: random.Random, names: list[str], topic: int, word: str) -> tuple[EntityTag, ...]:
    """Names of the article's topic, now and then one that all topics share."""
    own = [f"{word} {topic}-{i}" for i in range(6)]
    chosen = rng.sample(own, rng.randint(0, 3)) + (rng.sample(names, 1) if rng.random() < 0.25 else [])
    return tuple(EntityTag(name, rng.randint(1, 4)) for name in dict.fromkeys(chosen))


def _entities(rng: random.Random) -> Entities:
    topic = rng.randrange(TOPICS)
    return Entities(person=_tags(rng, PEOPLE, topic, "Personne"), place=_tags(rng, PLACES, topic, "Ville"),
                    organization=_tags(rng, ORGS, topic, "Société"))


def _date(rng: random.Random) -> str | None:
    if rng.random() < 0.2:
        return None
    return f"20{rng.randint(18, 21)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _mentions(rng: random.Random) -> tuple[MentionedDate, ...]:
    found = []
    for _ in range(rng.randint(0, 2)):
        day = f"2019-{rng.randint(1, 3):02d}" + (f"-{rng.randint(1, 4):02d}" if rng.random() < 0.7 else "")
        found.append(MentionedDate(day, "le " + day))
    return tuple(dict.fromkeys(found))


def _record(rng: random.Random, slug: str) -> Record:
    return Record(
        title=rng.choice(["Conseil", "Grève", "Élection", "Accord", "Tempête"]) + f" {rng.randint(1, 9)}",
        slug=slug, lang="fr", date=_date(rng), date_source="source", summary="Résumé.", body="Texte.",
        entities=_entities(rng),
        mentioned_dates=_mentions(rng), updated=rng.choice([None, None, "2019-02-02"]),
    )


def _edit(rng: random.Random, record: Record) -> Record:
    """One thing a person changes by hand, or a re-ingest does."""
    what = rng.choice(["title", "date", "tags", "tags", "a tag", "a tag", "mentions", "body", "all"])
    if what == "title":
        return dataclasses.replace(record, title=record.title + " (corrigé)")
    if what == "date":
        return dataclasses.replace(record, date=_date(rng))
    if what == "tags":
        return dataclasses.replace(record, entities=_entities(rng))
    if what == "a tag":
        return dataclasses.replace(record, entities=_one_tag_edited(rng, record.entities))
    if what == "mentions":
        return dataclasses.replace(record, mentioned_dates=_mentions(rng))
    if what == "body":
        return dataclasses.replace(record, body=record.body + " Encore.")
    return _record(rng, record.slug)


def _one_tag_edited(rng: random.Random, entities: Entities) -> Entities:
    """A person's correction of one tag, the others left as they are: a name
    added, dropped, re-counted, moved to another kind, or spelled another way."""
    tags = {kind: list(entities.of(kind)) for kind in ("person", "place", "organization")}
    kind = rng.choice(sorted(tags))
    names = {"person": PEOPLE, "place": PLACES, "organization": ORGS}[kind]
    what = rng.choice(["add", "drop", "count", "move", "spelling"]) if tags[kind] else "add"
    if what == "add":
        name = rng.choice(names)
        if all(t.name != name for t in tags[kind]):
            tags[kind].insert(rng.randint(0, len(tags[kind])), EntityTag(name, rng.randint(1, 4)))
    else:
        at = rng.randrange(len(tags[kind]))
        tag = tags[kind].pop(at)
        if what == "count":
            tags[kind].insert(at, EntityTag(tag.name, tag.mentions + 1))
        elif what == "move":
            other = rng.choice([k for k in tags if k != kind])
            if all(t.name != tag.name for t in tags[other]):
                tags[other].append(tag)
        elif what == "spelling":  # the same entity page: the slug does not change with case
            tags[kind].insert(at, EntityTag(tag.name.swapcase(), tag.mentions))
    return Entities(**{k: tuple(v) for k, v in tags.items()})


def _parsed(record: Record, file: str) -> tuple[Record, str, str]:
    return record, file, f"{hash((record, file)) & 0xFFFFFFFF:08x}"


def _from_scratch(files: dict[str, tuple], limit: int):
    library, problems = index_records([files[f] for f in sorted(files)], FIXED.get)
    assert not [p for p in problems if p.level == "error"]
    return library, related_articles(library, limit)


def _assert_same(model: SiteModel, files: dict[str, tuple], limit: int) -> None:
    library, related = _from_scratch(files, limit)
    got = model.library
    assert got.articles == library.articles
    assert dict(got.position) == dict(library.position)
    assert dict(got.files) == dict(library.files) and dict(got.hashes) == dict(library.hashes)
    assert list(got.entities.items()) == list(library.entities.items())  # values, and the order of the pages
    assert dict(got.tags) == dict(library.tags)
    for table in ("published", "mentioned", "mentioned_months"):
        assert list(getattr(got, table).items()) == list(getattr(library, table).items()), table
    assert got.warnings == library.warnings
    assert dict(model.related) == dict(related)


@pytest.mark.parametrize("seed", range(12))
def test_a_model_updated_by_random_edits_equals_one_made_from_scratch(seed):
    rng = random.Random(seed)
    limit = 5
    files = {f"content/{i:03d}.md": _parsed(_record(rng, f"article-{i}"), f"content/{i:03d}.md")
             for i in range(rng.randint(20, 60))}
    model = SiteModel(files.values(), FIXED.get, limit)
    _assert_same(model, files, limit)
    next_id = 1000
    for _ in range(25):
        changes = {}
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            action = rng.random()
            if action < 0.6 and files:
                file = rng.choice(sorted(files))
                changes[file] = _parsed(_edit(rng, files[file][0]), file)
            elif action < 0.8 or not files:
                next_id += 1
                file = f"content/{rng.choice('abz')}{next_id}.md"
                changes[file] = _parsed(_record(rng, f"new-{next_id}"), file)
            else:
                changes[rng.choice(sorted(files))] = None
        change = model.apply(changes)
        for file, parsed in changes.items():
            if parsed is None:
                files.pop(file, None)
            else:
                files[file] = parsed
        _assert_same(model, files, limit)
        assert change.new is model.library


def test_a_change_that_gives_two_records_one_slug_is_refused_and_the_model_is_unchanged():
    rng = random.Random(7)
    files = {f"content/{i}.md": _parsed(_record(rng, f"a-{i}"), f"content/{i}.md") for i in range(5)}
    model = SiteModel(files.values(), FIXED.get, 5)
    before = model.library
    clash = _parsed(dataclasses.replace(files["content/1.md"][0], title="Autre"), "content/9.md")
    with pytest.raises(ProblemsFound) as raised:
        model.apply({"content/9.md": clash})
    assert "content/9.md" in str(raised.value.problems[0]) and "content/1.md" in str(raised.value.problems[0])
    assert model.library is before
    _assert_same(model, files, 5)


def test_moving_a_record_to_another_file_keeps_its_article():
    rng = random.Random(3)
    files = {f"content/{i}.md": _parsed(_record(rng, f"a-{i}"), f"content/{i}.md") for i in range(8)}
    model = SiteModel(files.values(), FIXED.get, 5)
    record = files.pop("content/2.md")[0]
    files["content/renamed.md"] = _parsed(record, "content/renamed.md")
    model.apply({"content/2.md": None, "content/renamed.md": files["content/renamed.md"]})
    _assert_same(model, files, 5)
    assert model.library.files[record.slug] == "content/renamed.md"
