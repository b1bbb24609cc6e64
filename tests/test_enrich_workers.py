"""Large batches are analysed in worker processes: the same results as one
process, the cache filled, a model that cannot be loaded warned about once,
a worker's failure reported, no process left behind."""
from __future__ import annotations

import datetime as dt
import multiprocessing
from pathlib import Path

import pytest

import generator.enrich as enrich
from generator.config import load_config
from generator.enrich import EnrichInput, Enricher, workers
from generator.enrich.entities import installed_model
from generator.report import SilentReporter
from fakes import FRENCH_MODEL

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_fc8e0b7d4480e49e.txt"

pytestmark = [
    pytest.mark.skipif(installed_model(FRENCH_MODEL) is None, reason=f"{FRENCH_MODEL} not installed"),
    pytest.mark.skipif(not workers.available(), reason="no fork on this platform"),
]


def articles(count: int) -> list[EnrichInput]:
    """Distinct texts (more than two chunks), some with a publication date."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    body = "\n".join(lines[1:])
    out = []
    for n in range(count):
        head = f"Le président Donald Trump a reçu le ministre à Washington le {n % 28 + 1} janvier 2020."
        out.append(EnrichInput(f"{lines[0]} ({n})", f"{head}\n\n{body[: 400 + 7 * n]}", "fr",
                               dt.date(2020, 1, 27) if n % 2 else None))
    return out


def enrich_with(tmp_path: Path, name: str, items, processes: int):
    site = tmp_path / name
    site.mkdir()
    config = load_config(site)
    reporter = SilentReporter()
    results = Enricher(config, reporter, processes=processes).enrich(items)
    return results, reporter, config


def test_worker_processes_give_what_one_process_gives(tmp_path):
    items = articles(2 * workers.CHUNK + 5)
    alone, _, _ = enrich_with(tmp_path, "one", items, 1)
    shared, reporter, config = enrich_with(tmp_path, "two", items, 2)
    assert shared == alone
    assert reporter.problems == []
    assert any(r.entities.person for r in shared) and any(r.mentioned_dates for r in shared)
    assert len(list((config.cache_dir / "enrich").rglob("*.pickle"))) == len(items)
    assert multiprocessing.active_children() == []
    # the cache the workers wrote serves the next run
    cached = Enricher(config, SilentReporter(), processes=2).enrich(items)
    assert cached == alone


def test_a_model_the_workers_cannot_load_gives_one_warning(tmp_path, monkeypatch):
    def broken(name):
        raise OSError("broken package")

    monkeypatch.setattr(enrich, "load_model", broken)
    items = articles(workers.CHUNK + 3)
    results, reporter, _ = enrich_with(tmp_path, "site", items, 2)
    assert all(list(r.entities) == [] for r in results)
    assert any(r.mentioned_dates for r in results)  # dates do not need the model
    messages = [p.message for p in reporter.warnings]
    assert len(messages) == 1 and "cannot be loaded (broken package)" in messages[0]
    assert multiprocessing.active_children() == []


def test_a_failing_worker_is_an_error_not_a_hang(tmp_path, monkeypatch):
    def failing(*args, **kwargs):
        raise ValueError("model exploded")

    monkeypatch.setattr(enrich, "find_mentions", failing)
    items = articles(3)
    with pytest.raises(RuntimeError, match="model exploded"):
        enrich_with(tmp_path, "site", items, 2)
    assert multiprocessing.active_children() == []


def test_an_article_that_fails_in_a_worker_fails_alone(tmp_path, monkeypatch):
    real_tags = enrich.article_tags

    def article_tags(text, *args):
        if "(7)" in text.split("\n", 1)[0]:
            raise ValueError("tagging exploded")
        return real_tags(text, *args)

    monkeypatch.setattr(enrich, "article_tags", article_tags)  # before the fork: the workers have it
    items = articles(workers.CHUNK + 3)
    site = tmp_path / "site"
    site.mkdir()
    batch = Enricher(load_config(site), SilentReporter(), processes=2).batch(len(items))
    try:
        numbers = [batch.add(item) for item in items]
        results = batch.results(numbers)
    finally:
        batch.close()
    failed = [n for n, r in zip(numbers, results) if isinstance(r, enrich.EnrichFailure)]
    assert failed == [7]
    assert results[7].error == "ValueError: tagging exploded" and "Traceback" in results[7].details
    assert sum(bool(r.entities.person) for r in results if not isinstance(r, enrich.EnrichFailure)) > 50
    assert multiprocessing.active_children() == []
