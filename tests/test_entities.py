"""Canonical entity tags: cleaning, aliases, noise removal, surname joining,
entities.toml, the missing-model path and the seed's tags."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from types import MappingProxyType

import pytest

from generator.config import load_config
from generator.enrich import EnrichInput, Enricher
from generator.enrich.aliases import load_aliases, match_key
from generator.enrich.canonical import (Lexicon, Tag, article_tags, clean_words, join_across, merge_across,
                                        to_entities, vote_kinds, without_lone_surnames)
from generator.enrich.entities import Mention, installed_model
from generator.errors import ConfigError
from generator.report import SilentReporter
from fakes import FRENCH_MODEL

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_fc8e0b7d4480e49e.txt"
FRENCH_STOP = frozenset("le la les l’ de du des votre notre un une ce cette et en à qu’ c’ il elle".split())
LEXICON = Lexicon(FRENCH_STOP, frozenset({"état", "lutte", "publicité", "adresse", "république", "manifestant"}))


@pytest.fixture(scope="module")
def shipped():
    return load_aliases(None)


def mentions_in(text: str, *spans: tuple[str, str]) -> list[Mention]:
    """Mentions of each (words, label) at their first place in the text after the previous one."""
    out, pos = [], 0
    for words, label in spans:
        start = text.index(words, pos)
        out.append(Mention(words, label, start, start + len(words)))
        pos = start + 1
    return out


def tags_of(text, spans, aliases, lexicon=LEXICON):
    return {(t.kind, t.name): t.mentions for t in article_tags(text, mentions_in(text, *spans), aliases, lexicon)}


# cleaning -------------------------------------------------------------------

@pytest.mark.parametrize("words, initial, label, name", [
    ("l’Irak", False, "LOC", "Irak"),
    ("d'Iran", False, "LOC", "Iran"),
    ("qu’Obama", False, "PER", "Obama"),
    ("L’Oréal", False, "ORG", "L’Oréal"),  # mid-sentence, the article is part of the name
    ("président Trump", False, "PER", "Trump"),
    ("général Qassem Soleimani", False, "PER", "Qassem Soleimani"),
    ("M. Macron", False, "PER", "Macron"),
    ("Mme Merkel", False, "PER", "Merkel"),
    ("Premier ministre Manuel Valls", False, "PER", "Manuel Valls"),
    ("« Donald Trump »", False, "PER", "Donald Trump"),
    ("Charles de Gaulle", False, "PER", "Charles de Gaulle"),
    ("de Gaulle", False, "PER", "de Gaulle"),
    ("Bernard Cazeneuve jusqu", False, "PER", "Bernard Cazeneuve"),
])
def test_clean_words_strips_elisions_titles_and_punctuation(words, initial, label, name):
    assert clean_words(words, initial, label) == name


def test_match_key_ignores_case_accents_hyphens_dots_and_apostrophes():
    assert match_key("États-Unis d’Amérique") == match_key("etats unis d'Amerique")
    assert match_key("U.S.A.") == match_key("USA")
    assert match_key("Etat Islamique") == match_key("État islamique")


# aliases --------------------------------------------------------------------

def test_variants_merge_to_one_canonical_name_with_the_alias_kind(shipped):
    text = "Les USA et les Etats-Unis d’Amérique. Les États-Unis encore. L’EI, Daech et l’Etat Islamique."
    tags = tags_of(text, [("USA", "LOC"), ("Etats-Unis d’Amérique", "LOC"), ("États-Unis", "LOC"),
                          ("EI", "LOC"), ("Daech", "PER"), ("Etat Islamique", "ORG")], shipped)
    assert tags == {("place", "États-Unis"): 3, ("organization", "État islamique"): 3}


def test_alias_restores_capitals_and_accents(shipped):
    text = "Après les tensions avec l’iran et les etats-unis."
    assert tags_of(text, [("iran", "LOC"), ("etats-unis", "LOC")], shipped) == {
        ("place", "Iran"): 1, ("place", "États-Unis"): 1}


def test_alias_fixes_the_model_kind_even_for_misc(shipped):
    text = "Les Etats Unis d’Amérique mènent la lutte contre l’EI."
    assert tags_of(text, [("Etats Unis d’Amérique", "MISC"), ("EI", "LOC")], shipped) == {
        ("place", "États-Unis"): 1, ("organization", "État islamique"): 1}


def test_shipped_tables_are_general_and_consistent(shipped):
    places = {a.name for a in shipped.by_key.values() if a.kind == "place"}
    organizations = {a.name for a in shipped.by_key.values() if a.kind == "organization"}
    assert len(places) > 190 and len(organizations) > 60  # countries; cities come from the gazetteer
    assert {"Allemagne", "Japon", "Brésil", "Chine"} <= places
    assert shipped.lookup("OTAN").name == shipped.lookup("NATO").name
    assert shipped.lookup("Onu").kind == "organization"


# noise ----------------------------------------------------------------------

def test_misc_elision_only_one_letter_and_lower_case_spans_are_dropped(shipped):
    text = "C’est ce qu’il faut retenir. A la fin, les milices pro-Iran et la Coupe du monde."
    spans = [("C’", "MISC"), ("qu’", "MISC"), ("A", "PER"), ("pro-Iran", "ORG"), ("Coupe du monde", "MISC")]
    assert tags_of(text, spans, shipped) == {}


def test_boilerplate_and_determiner_led_spans_are_dropped(shipped):
    text = "Un article.\n\nPublicité\n\nLaisser un commentaire\n\nPublicité\n\nVotre adresse e-mail ne sera pas publiée."
    assert tags_of(text, [("Publicité", "MISC"), ("Publicité", "PER"), ("Votre adresse", "LOC")], shipped) == {}


def test_heading_word_that_the_text_uses_in_lower_case_is_dropped(shipped):
    text = "Un retrait.\n\nLutte contre l’EI\n\nCette lutte était la raison de la présence."
    assert tags_of(text, [("Lutte", "PER"), ("EI", "LOC")], shipped) == {("organization", "État islamique"): 1}


def test_capitalised_common_words_are_dropped_but_names_kept(shipped):
    text = "Le rôle de l’État est clair, dit Jean Dupont à Sélestat. Les Manifestants sont partis."
    tags = tags_of(text, [("État", "LOC"), ("Jean Dupont", "PER"), ("Sélestat", "LOC"), ("Manifestants", "LOC")],
                   shipped)
    assert tags == {("person", "Jean Dupont"): 1, ("place", "Sélestat"): 1}


def test_names_of_peoples_are_not_places_and_leave_the_name_they_qualify(shipped):
    text = "Les Français ont voté. L’Allemande Renata Bucher termine devant les Américaines."
    tags = tags_of(text, [("Français", "LOC"), ("Allemande Renata Bucher", "PER"), ("Américaines", "LOC")],
                   shipped)
    assert tags == {("person", "Renata Bucher"): 1}


def test_fragments_and_titles_alone_are_dropped(shipped):
    text = "Angleterre - Russie, puis le président de la République et le Premier ministre. Cour d’appel de"
    spans = [("Angleterre - Russie", "LOC"), ("de la République", "PER"), ("Premier ministre", "PER"),
             ("Cour d’appel de", "ORG")]
    assert tags_of(text, spans, shipped) == {}


def test_time_zones_are_never_tags(shipped):
    text = "Le 7 janvier 2016, 11 h 40 UTC, à Paris."
    assert tags_of(text, [("UTC", "ORG"), ("Paris", "LOC")], shipped) == {("place", "Paris"): 1}


# surnames, kinds, order -----------------------------------------------------

def test_a_surname_joins_the_full_name_of_the_article(shipped):
    text = "Donald Trump a parlé. Trump a ensuite quitté la salle, puis Trump est revenu."
    tags = tags_of(text, [("Donald Trump", "PER"), ("Trump", "PER"), ("Trump", "LOC")], shipped)
    assert tags == {("person", "Donald Trump"): 3}


def test_a_surname_shared_by_two_full_names_is_not_joined(shipped):
    text = "Alistair Brownlee et Jonathan Brownlee. Brownlee gagne."
    tags = tags_of(text, [("Alistair Brownlee", "PER"), ("Jonathan Brownlee", "PER"), ("Brownlee", "PER")], shipped)
    assert tags[("person", "Brownlee")] == 1


def test_a_surname_joins_the_one_full_name_of_the_batch():
    first = (Tag("person", "Chris Froome", 2, 10),)
    second = (Tag("person", "Froome", 3, 5), Tag("place", "Paris", 1, 40, fixed=True))
    assert join_across([first, second])[1] == (Tag("person", "Chris Froome", 3, 5), Tag("place", "Paris", 1, 40, True))


def test_the_kind_most_mentions_get_across_the_batch_wins():
    articles = [(Tag("person", "Katie Zaferes", 3, 0),), (Tag("person", "Katie Zaferes", 2, 0),),
                (Tag("place", "Katie Zaferes", 1, 0),)]
    assert [t.kind for tags in vote_kinds(articles) for t in tags] == ["person"] * 3


def test_a_lone_surname_stays_a_person_unless_a_known_place_has_the_name():
    class Places:
        def lookup(self, name):
            return object() if name == "Bordeaux" else None
    tags = (Tag("person", "Brownlee", 2, 0), Tag("person", "Bordeaux", 1, 3),
            Tag("person", "Bordeaux", 1, 5, titled=True), Tag("person", "Qassem Soleimani", 1, 9))
    kept = without_lone_surnames(tags, Places())
    assert [(t.name, t.titled) for t in kept] == [("Brownlee", False), ("Bordeaux", True), ("Qassem Soleimani", False)]


def test_tags_are_ordered_by_mentions_then_first_position(shipped):
    text = "Bagdad, puis Téhéran, puis Bagdad, puis Damas."
    entities = to_entities(article_tags(text, mentions_in(text, ("Bagdad", "LOC"), ("Téhéran", "LOC"),
                                                          ("Bagdad", "LOC"), ("Damas", "LOC")), shipped, LEXICON))
    assert [(t.name, t.mentions) for t in entities.place] == [("Bagdad", 2), ("Téhéran", 1), ("Damas", 1)]


def test_merge_across_keeps_each_article_separate():
    articles = [(Tag("place", "Irak", 1, 0, True),), ()]
    assert merge_across(articles) == [(Tag("place", "Irak", 1, 0, True),), ()]


# entities.toml --------------------------------------------------------------

def write_site(tmp_path: Path, entities: str | None = None, models: dict | None = None):
    if entities is not None:
        (tmp_path / "entities.toml").write_text(entities, encoding="utf-8")
    config = load_config(tmp_path)
    if models is not None:
        config = dataclasses.replace(config, nlp_models=MappingProxyType(models))
    return config


def test_site_aliases_blocklist_and_type_overrides(tmp_path, shipped):
    write_site(tmp_path, '''
blocklist = ["Washington"]

[person]
"Donald Trump" = ["Trump", "D. Trump"]

[place]
"Maison Blanche" = []   # a type override
''')
    aliases = load_aliases(tmp_path / "entities.toml")
    text = "Le président Trump à Washington, puis à la Maison Blanche."
    tags = tags_of(text, [("Trump", "PER"), ("Washington", "LOC"), ("Maison Blanche", "ORG")], aliases)
    assert tags == {("person", "Donald Trump"): 1, ("place", "Maison Blanche"): 1}
    assert aliases.fingerprint != shipped.fingerprint


@pytest.mark.parametrize("content, line, words", [
    ('[person]\n"A B" = ["C"]\n\n[persons]\n"X" = []\n', 4, "unknown key 'persons'"),
    ('[place]\n"Paris" = "Lutèce"\n', 2, "list of variant names"),
    ('[place]\n"Paris" = ["Lutèce"]\n"Rome" = ["lutece"]\n', 3, "already a variant of 'Paris'"),
    ('blocklist = "Publicité"\n', 1, "'blocklist' must be a list"),
    ('[place\n"Paris" = []\n', 1, "not valid TOML"),
])
def test_a_bad_entities_file_is_an_error_naming_file_and_line(tmp_path, content, line, words):
    path = tmp_path / "entities.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_aliases(path)
    assert caught.value.path == path and caught.value.line == line
    assert words in caught.value.message
    assert str(caught.value).startswith(f"{path}:{line}: ")


# with the model -------------------------------------------------------------

def seed_input() -> EnrichInput:
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    return EnrichInput(title=title.strip(), body=body.strip(), lang="fr", published=None)


@pytest.fixture(scope="module")
def seed_result(tmp_path_factory):
    if installed_model(FRENCH_MODEL) is None:
        pytest.skip(f"{FRENCH_MODEL} is not installed")
    config = write_site(tmp_path_factory.mktemp("site"))
    reporter = SilentReporter()
    return Enricher(config, reporter).enrich([seed_input()])[0], reporter


def test_the_seed_gets_the_tags_a_careful_reader_lists(seed_result):
    result, reporter = seed_result
    names = {kind: [t.name for t in result.entities.of(kind)] for kind in ("person", "place", "organization")}
    assert set(names["person"]) == {"Qassem Soleimani", "Trump"}
    assert set(names["place"]) == {"États-Unis", "Irak", "Iran", "Washington", "Bagdad", "Moyen Orient"}
    assert set(names["organization"]) == {"État islamique", "Maison Blanche"}
    assert names["place"][0] == "Irak"  # the most mentioned comes first
    assert reporter.problems == []


def test_the_seed_keeps_its_dates(seed_result):
    result, _ = seed_result
    assert [(d.date, d.text) for d in result.mentioned_dates] == [
        ("2020-01-03", "le 3 janvier 2020"), ("2020-01-26", "le dimanche 26 janvier")]


def test_a_missing_model_gives_one_warning_and_no_entities(tmp_path):
    config = write_site(tmp_path, models={"fr": "fr_gazette_no_such_model"})
    reporter = SilentReporter()
    items = [seed_input(), dataclasses.replace(seed_input(), title="Autre titre", published=dt.date(2020, 1, 27)),
             EnrichInput("Ein Titel", "Berlin ist groß.", "de", None)]
    results = Enricher(config, reporter).enrich(items)
    assert all(list(r.entities) == [] for r in results)
    assert results[0].mentioned_dates  # dates do not need the model
    messages = [p.message for p in reporter.warnings]
    assert len(messages) == 2  # one per language, not one per article
    assert "'fr_gazette_no_such_model'" in messages[0] and "not installed" in messages[0]
    assert "no NLP model is configured for language 'de'" in messages[1]
    assert reporter.errors == []
