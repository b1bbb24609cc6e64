"""The enrichment cache: an unchanged archive is enriched again without
loading the model; a changed text, model or entities.toml misses; a broken
entry is recomputed; writes leave no temporary files."""
from __future__ import annotations

import datetime as dt
import pickle

import pytest

import generator.enrich as enrich
from generator.config import load_config
from generator.enrich import EnrichInput, Enricher
from generator.enrich.cache import CacheKeyParts, EnrichCache, cache_key
from generator.enrich.canonical import Tag
from generator.enrich.entities import installed_model, load_model
from generator.report import SilentReporter
from fakes import FRENCH_MODEL

ARTICLES = [
    EnrichInput("Les USA vont réduire leurs troupes en Irak",
                "Le président Donald Trump a parlé à Washington. Trump veut quitter l’Irak.",
                "fr", dt.date(2020, 6, 12)),
    EnrichInput("Visite à Bagdad", "Le Premier ministre irakien reçoit l’ambassadeur à Bagdad le 3 janvier 2020.",
                "fr", None),
]


@pytest.fixture(scope="module")
def nlp():
    if installed_model(FRENCH_MODEL) is None:
        pytest.skip(f"{FRENCH_MODEL} is not installed")
    return load_model(FRENCH_MODEL)


@pytest.fixture
def loads(monkeypatch, nlp):
    """Every model load the Enricher asks for (served from one loaded model)."""
    calls: list[str] = []

    def counting_load(name):
        calls.append(name)
        return nlp

    monkeypatch.setattr(enrich, "load_model", counting_load)
    return calls


def run(config, items):
    reporter = SilentReporter()
    results = Enricher(config, reporter).enrich(items)
    assert reporter.problems == []
    return results


def entry_files(config):
    return sorted((config.cache_dir / "enrich").rglob("*.pickle"))


def test_a_second_run_loads_no_model_and_gives_the_same_tags(tmp_path, loads):
    config = load_config(tmp_path)
    first = run(config, ARTICLES)
    assert loads == [FRENCH_MODEL]
    assert {t.name for t in first[0].entities.person} == {"Donald Trump"}
    assert len(entry_files(config)) == len(ARTICLES)
    second = run(config, ARTICLES)
    assert loads == [FRENCH_MODEL]  # nothing more was loaded
    assert second == first


def test_a_changed_text_misses_and_the_others_hit(tmp_path, loads):
    config = load_config(tmp_path)
    run(config, ARTICLES)
    changed = [ARTICLES[0], EnrichInput(ARTICLES[1].title, ARTICLES[1].body + " Puis il part pour Téhéran.",
                                        "fr", None)]
    results = run(config, changed)
    assert len(loads) == 2
    assert "Téhéran" in {t.name for t in results[1].entities.place}
    assert len(entry_files(config)) == 3


def test_a_changed_entities_file_misses(tmp_path, loads):
    config = load_config(tmp_path)
    run(config, ARTICLES)
    (tmp_path / "entities.toml").write_text('[person]\n"Donald J. Trump" = ["Donald Trump"]\n', encoding="utf-8")
    results = run(config, ARTICLES)
    assert len(loads) == 2
    assert [t.name for t in results[0].entities.person] == ["Donald J. Trump"]


def test_a_corrupt_entry_is_recomputed_and_rewritten(tmp_path, loads):
    config = load_config(tmp_path)
    first = run(config, ARTICLES)
    files = entry_files(config)
    files[0].write_bytes(files[0].read_bytes()[:20])  # truncated
    files[1].write_bytes(pickle.dumps(("other code", (Tag("person", "X", 1, 0),))))  # from another version
    again = run(config, ARTICLES)
    assert again == first
    assert len(loads) == 2
    cache = EnrichCache(config.cache_dir / "enrich")
    for path in entry_files(config):
        assert cache.load(path.stem) is not None


def test_the_key_covers_text_language_date_model_and_rules():
    parts = CacheKeyParts("fr_core_news_sm", "3.8.0", "1", "aliases")
    base = cache_key("Titre", "Corps", "fr", "2020-01-03", parts)
    assert cache_key("Titre", "Corps", "fr", "2020-01-03", parts) == base
    variants = [
        cache_key("Titre!", "Corps", "fr", "2020-01-03", parts),
        cache_key("Titre", "Corps.", "fr", "2020-01-03", parts),
        cache_key("Titre", "Corps", "en", "2020-01-03", parts),
        cache_key("Titre", "Corps", "fr", None, parts),
        cache_key("Titre", "Corps", "fr", "2020-01-03", CacheKeyParts("fr_core_news_md", "3.8.0", "1", "aliases")),
        cache_key("Titre", "Corps", "fr", "2020-01-03", CacheKeyParts("fr_core_news_sm", "3.8.1", "1", "aliases")),
        cache_key("Titre", "Corps", "fr", "2020-01-03", CacheKeyParts("fr_core_news_sm", "3.8.0", "2", "aliases")),
        cache_key("Titre", "Corps", "fr", "2020-01-03", CacheKeyParts("fr_core_news_sm", "3.8.0", "1", "other")),
    ]
    assert base not in variants and len(set(variants)) == len(variants)


def test_store_is_atomic_and_load_round_trips(tmp_path):
    cache = EnrichCache(tmp_path / "enrich")
    tags = (Tag("place", "Irak", 3, 70, True), Tag("person", "Trump", 1, 1613, False, True))
    key = "ab" + "0" * 62
    assert cache.load(key) is None
    cache.store(key, tags)
    cache.store(key, tags)  # overwriting is fine
    assert cache.load(key) == tags
    assert [p.name for p in (tmp_path / "enrich").rglob("*")] == ["ab", f"{key}.pickle"]
