"""Hostile input, resource exhaustion: the build ends within seconds however
the input is shaped (issue 12, class 3: bounded work)."""
from __future__ import annotations

import random
import subprocess
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from conftest import copy_sample_source
from generator.model import Entities, EntityTag, Record
from generator.records import record_to_text
from generator.site.library import entity_slug, index_records

ROOT = Path(__file__).resolve().parents[2]
CROWD = 10_000  # people tagged by one article
# seconds `gazette build` gets for the sample site plus one article tagging CROWD
# people (and so 20,000 more entity pages and feeds to write): 8-18 s on a
# shared 2-core machine; 80 s when every entity page counted every pair
CROWD_BUILD_SECONDS = 45


def _crowd_name(i: int) -> str:
    return f"Personne Numéro {i:05d}"


def _crowd_record(count: int) -> Record:
    people = tuple(EntityTag(_crowd_name(i), 1) for i in range(count))
    people += (EntityTag("Donald Trump", 1), EntityTag("Emmanuel Macron", 1))  # also in the sample's articles
    return Record(title="Tout le monde", slug="tout-le-monde", lang="fr", date="2021-05-05", date_source="source",
                  summary="Un article qui nomme beaucoup de monde.", body="Un article qui nomme beaucoup de monde.",
                  entities=Entities(person=people, place=(EntityTag("Paris", 1),)))


class _SeenWith(HTMLParser):
    """The names in an entity page's "seen with" list, in order."""

    def __init__(self):
        super().__init__()
        self.names: list[str] = []
        self._inside = self._in_link = False

    def handle_starttag(self, tag, attrs):
        if tag == "aside" and "seen-with" in (dict(attrs).get("class") or ""):
            self._inside = True
        self._in_link = self._inside and tag == "a"

    def handle_endtag(self, tag):
        self._inside = self._inside and tag != "aside"
        self._in_link = self._in_link and tag != "a"

    def handle_data(self, data):
        if self._in_link:
            self.names.append(data)


def _seen_with(public: Path, kind: str, name: str) -> list[str]:
    parser = _SeenWith()
    parser.feed((public / kind / entity_slug(name) / "index.html").read_text(encoding="utf-8"))
    return parser.names


def test_an_article_tagging_ten_thousand_people_builds_within_seconds(tmp_path):
    site = copy_sample_source(tmp_path / "site")
    (site / "content" / "tout-le-monde.md").write_text(record_to_text(_crowd_record(CROWD)), encoding="utf-8")
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(site), "-q"],
                              cwd=ROOT, capture_output=True, text=True, timeout=CROWD_BUILD_SECONDS)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"the build did not end within {CROWD_BUILD_SECONDS} s") from None
    print(f"built in {time.monotonic() - started:.1f} s")
    assert done.returncode == 0, done.stderr
    public = site / "public"
    # one of the crowd: seen with the first ten others in name order, once each
    assert _seen_with(public, "people", _crowd_name(5)) == [
        "Donald Trump", "Emmanuel Macron", "Paris", *(_crowd_name(i) for i in (0, 1, 2, 3, 4, 6, 7))]
    # someone of the sample: the entities of their own articles still come first
    trump = _seen_with(public, "people", "Donald Trump")
    assert len(trump) == 10 and not any(name.startswith("Personne") for name in trump[:3])


# ---------------------------------------------------------------- the same lists as counting every pair

def _library(records):
    return index_records([(r, f"{r.slug}.md", r.slug) for r in records])[0]


def _every_pair(library, key, limit):
    """The "seen with" list as counting every pair gives it: most often first, then by name, then key."""
    counts = Counter()
    for slug in library.entities[key].articles:
        counts.update(k for k in library.tags[slug] if k != key)
    best = sorted(counts.items(), key=lambda kv: (-kv[1], library.entities[kv[0]].name.casefold(), kv[0]))
    return best[:limit]


def test_seen_with_lists_are_the_ones_counting_every_pair_gives():
    from generator.site.related import seen_together

    chance = random.Random(12)
    names = [f"Nom {chr(65 + i % 26)}{i}" for i in range(60)] + ["nom a0", "NOM B1"]  # ties once casefolded
    records = []
    for n in range(200):
        size = chance.choice([1, 2, 3, 5, 8, 40])
        tags = tuple(EntityTag(name, 1) for name in chance.sample(names, size))
        records.append(Record(title=f"a{n}", slug=f"a{n}", lang="fr", date=f"2020-01-{n % 28 + 1:02d}",
                              date_source="source", summary="", body="x",
                              entities=Entities(person=tags[::2], place=tags[1::2])))
    library = _library(records)
    together = seen_together(library, 10)
    for key in library.entities:
        assert list(together[key]) == _every_pair(library, key, 10), key


def test_related_articles_of_many_small_articles_sharing_one_person_each_with_the_crowd(monkeypatch):
    """Each small article is related to the one tagging everyone: what they
    share is found in time of the small one's tags, not the crowd's. (Counted,
    not timed: the tags turned into sets to find what two articles share.)"""
    from generator.site import related as related_module
    from generator.site.related import related_articles

    crowd = _crowd_record(CROWD)
    alone = [Record(title=f"seul {n}", slug=f"seul-{n}", lang="fr", date="2021-05-06", date_source="source",
                    summary="", body="x", entities=Entities(person=(EntityTag(_crowd_name(n % CROWD), 1),)))
             for n in range(2 * CROWD)]  # each of the crowd in two small articles
    library = _library([crowd, *alone])
    looked_at = Counter()
    of = related_module._TagSets.of

    def counting_of(self, slug):
        looked_at["tags"] += len(self.tags[slug]) if slug not in self.kept else 0
        return of(self, slug)

    monkeypatch.setattr(related_module._TagSets, "of", counting_of)
    related = related_articles(library, 6)
    assert [r.slug for r in related["seul-5"]] == ["seul-10005", "tout-le-monde"]
    assert related["seul-5"][1].shared == (("person", entity_slug(_crowd_name(5))),)
    every_tag = sum(len(tags) for tags in library.tags.values())  # 40,004
    # the crowd's tags once, each small article's a few times: not the crowd's
    # 10,002 for each of the 20,000 small articles (200 million)
    assert looked_at["tags"] <= 4 * every_tag, looked_at
