"""Test doubles for tests that are not about tags.

`FakeEnricher` has the interface ingest uses of `generator.enrich.Enricher`
(`batch(expected)` → add / results / close, and `enrich`) without loading
an NLP model: an article gets the entity tags the test gave for its title,
or none, and no mentioned dates. Tests about tags use the real Enricher.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from generator.config import DEFAULT_NLP_MODELS
from generator.enrich import EnrichInput, Enrichment
from generator.model import Entities


class FakeEnricher:
    def __init__(self, tags: Mapping[str, Entities] | None = None):
        """`tags`: the entities of the articles with these titles."""
        self.tags = dict(tags or {})
        self.seen: list[EnrichInput] = []  # every article it was given, in order

    def batch(self, expected: int) -> "FakeBatch":
        return FakeBatch(self)

    def enrich(self, items: Sequence[EnrichInput], known_people: Iterable[str] = ()) -> list[Enrichment]:
        batch = self.batch(len(items))
        numbers = [batch.add(item) for item in items]
        return batch.results(numbers, known_people)

    def enrichment(self, item: EnrichInput) -> Enrichment:
        return Enrichment(self.tags.get(item.title, Entities()), ())


class FakeBatch:
    def __init__(self, enricher: FakeEnricher):
        self.enricher = enricher
        self.items: list[EnrichInput] = []

    def add(self, item: EnrichInput) -> int:
        self.enricher.seen.append(item)
        self.items.append(item)
        return len(self.items) - 1

    def results(self, numbers: Iterable[int], known_people: Iterable[str] = ()) -> list[Enrichment]:
        """The given tags as they are: no surname joining across articles."""
        return [self.enricher.enrichment(self.items[n]) for n in numbers]

    def close(self) -> None:
        """Nothing to release: no worker process, no model."""


SEED_FIXTURES = Path(__file__).parent / "fixtures" / "seeds"


def ingest_fixtures(site: Path, *names: str, args: tuple[str, ...] = (), enricher=None):
    """`gazette ingest` on `site` after copying the named seed fixtures into its
    seeds/, with a FakeEnricher unless one is given; the click result."""
    from click.testing import CliRunner

    from generator.cli import main

    for name in names:
        shutil.copy(SEED_FIXTURES / name, site / "seeds" / name)
    return CliRunner().invoke(main, ["ingest", "--site", str(site), *args],
                              obj={"enricher": enricher or FakeEnricher()}, catch_exceptions=False)


# the model a French site uses by default: the tests that run the real model load it
FRENCH_MODEL = DEFAULT_NLP_MODELS["fr"]
