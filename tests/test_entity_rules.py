"""The entity rules of issue 13, each with examples of our own: institution and
street names keep their head noun, names keep a final particle, road codes
are names, groups are not people, a name the model mostly calls an event is
no tag, a label of a span cut at a line break counts half, and the site
shows one name under one kind."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.enrich.aliases import load_aliases
from generator.enrich.canonical import Lexicon, article_tags, clean_words
from generator.enrich.entities import Mention

STOP = frozenset("le la les l’ de du des un une ce et en à".split())
LEXICON = Lexicon(STOP, frozenset({"intérieur", "état", "travail"}))


@pytest.fixture(scope="module")
def shipped():
    return load_aliases(None)


def tags(text: str, *spans: tuple[str, str], aliases) -> dict[tuple[str, str], int]:
    mentions, pos = [], 0
    for words, label in spans:
        start = text.index(words, pos)
        mentions.append(Mention(words, label, start, start + len(words)))
        pos = start + 1
    return {(t.kind, t.name): t.mentions for t in article_tags(text, mentions, aliases, LEXICON)}


# head nouns -------------------------------------------------------------------

def test_an_institution_keeps_its_head_noun(shipped):
    text = "Un rapport du ministère de l’Intérieur publié jeudi a été contesté par les syndicats."
    assert tags(text, ("Intérieur", "ORG"), aliases=shipped) == {("organization", "ministère de l’Intérieur"): 1}


def test_a_street_is_a_place_of_its_own_not_the_city(shipped):
    text = "Les manifestants se sont réunis rue de Lyon, à Marseille, avant de rejoindre le Vieux-Port."
    found = tags(text, ("rue de Lyon", "LOC"), ("Marseille", "LOC"), aliases=shipped)
    assert ("place", "rue de Lyon") in found and ("place", "Lyon") not in found


def test_a_container_word_does_not_make_a_new_name(shipped):
    text = "Les pompiers de la région de Grenoble sont intervenus toute la nuit."
    assert tags(text, ("Grenoble", "LOC"), aliases=shipped) == {("place", "Grenoble"): 1}


@pytest.mark.parametrize("words, name", [
    ("Valéry Giscard d’Estaing", "Valéry Giscard d’Estaing"),
    ("Jean-Marie Le Pen", "Jean-Marie Le Pen"),
    ("Paul Durand le boulanger", "Paul Durand"),  # a lower-case word after the name is not part of it
])
def test_a_final_particle_stays_with_the_name(words, name):
    assert clean_words(words, False, "PER") == name


# codes ------------------------------------------------------------------------

def test_road_codes_are_names(shipped):
    text = "Un accident a bloqué l’A7 pendant trois heures, et la N118 a été fermée dans la soirée."
    found = tags(text, ("A7", "LOC"), ("N118", "LOC"), aliases=shipped)
    assert set(found) == {("place", "A7"), ("place", "N118")}


def test_a_lone_letter_is_still_noise(shipped):
    text = "Le candidat B a obtenu 12 % des voix."
    assert tags(text, ("B", "PER"), aliases=shipped) == {}


# groups and events --------------------------------------------------------------

def test_a_movement_is_not_a_person(shipped):
    text = "Samedi, les Bonnets verts ont de nouveau défilé à Nantes contre la réforme."
    found = tags(text, ("Bonnets verts", "PER"), ("Nantes", "LOC"), aliases=shipped)
    assert ("person", "Bonnets verts") not in found and ("person", "Bonnets") not in found
    assert found.get(("organization", "Bonnets verts")) == 1


def test_a_team_named_by_a_plural_is_not_a_person(shipped):
    text = "Les Verts ont battu Lorient. Les supporters des Canaris ont salué leur défaite avec humour."
    found = tags(text, ("Canaris", "PER"), aliases=shipped)
    assert found == {("organization", "Canaris"): 1}


def test_a_person_with_particles_is_still_a_person(shipped):
    text = "Le film de Jean de la Tour est sorti mercredi."
    assert tags(text, ("Jean de la Tour", "PER"), aliases=shipped) == {("person", "Jean de la Tour"): 1}


def test_a_name_the_model_mostly_calls_an_event_is_no_tag(shipped):
    text = "Lumina s’ouvre demain. Lumina accueille cent artistes. Lumina, dit un organisateur, est né en 1990."
    mostly_event = tags(text, ("Lumina", "MISC"), ("Lumina", "MISC"), ("Lumina", "ORG"), aliases=shipped)
    mostly_body = tags(text, ("Lumina", "ORG"), ("Lumina", "MISC"), ("Lumina", "ORG"), aliases=shipped)
    assert mostly_event == {} and mostly_body == {("organization", "Lumina"): 3}


# labels of line-split spans ---------------------------------------------------------

def test_a_label_of_a_span_cut_by_a_line_break_counts_half(shipped):
    text = "Visite à Lisbonne\n\nCorbin a rencontré les pêcheurs du port. Corbin repart mardi."
    found = tags(text, ("Lisbonne\n\nCorbin", "LOC"), ("Corbin", "PER"), aliases=shipped)
    assert found == {("place", "Lisbonne"): 1, ("person", "Corbin"): 2}


# one kind per name across the archive -------------------------------------------------

def _record(slug: str, **kinds):
    from generator.model import Entities, EntityTag, Record
    return Record(title=slug, slug=slug, lang="fr", date="2024-03-01", date_source="source", summary="",
                  body="Texte.", entities=Entities(**{k: tuple(EntityTag(n, m) for n, m in v) for k, v in kinds.items()}))


def _index(*records, fixed=lambda name: None):
    from generator.site.library import index_records
    library, _ = index_records([(r, f"content/{r.slug}.md", r.slug) for r in records], fixed)
    return library


def test_one_name_has_one_kind_across_the_archive_by_the_weight_of_mentions():
    library = _index(_record("a", person=[("Lorrain Béchu", 3)]), _record("b", person=[("Lorrain Béchu", 2)]),
                     _record("c", place=[("Lorrain Béchu", 1)], organization=[("Arvalis", 1)]))
    assert ("person", "lorrain-bechu") in library.entities and ("place", "lorrain-bechu") not in library.entities
    assert library.entities[("person", "lorrain-bechu")].articles == ("c", "b", "a")  # newest first
    assert library.tags["c"] == (("person", "lorrain-bechu"), ("organization", "arvalis"))


def test_entities_toml_decides_the_kind_over_the_vote(tmp_path: Path):
    from generator.site.library import kinds_fixed_by
    (tmp_path / "entities.toml").write_text('[place]\n"Lorrain Béchu" = []\n', encoding="utf-8")
    fixed = kinds_fixed_by(load_aliases(tmp_path / "entities.toml"))
    library = _index(_record("a", person=[("Lorrain Béchu", 3)]), _record("b", place=[("Lorrain Bechu", 1)]),
                     fixed=fixed)
    assert list(library.entities) == [("place", "lorrain-bechu")]


def test_names_differing_by_case_accents_hyphens_or_invisible_characters_are_one_entity():
    library = _index(_record("a", person=[("Éloïse Marchand-Roy", 1)]),
                     _record("b", person=[("Eloise Marchand Roy", 1)]),
                     _record("c", person=[("ÉLOÏSE MAR\u00adCHAND-ROY", 1)]),
                     _record("d", person=[("Éloïse Marchand\u200b-Roy", 1)]))
    [entity] = library.entities.values()
    assert set(entity.articles) == {"a", "b", "c", "d"} and entity.name.isprintable()


# the gazetteer in the rules ----------------------------------------------------------

class _Places:
    """A gazetteer of a few made-up places, as the rules use one."""

    def __init__(self, **places):
        self.places = places  # name → (kind, population)

    def lookup(self, name):
        from generator.enrich.gazetteer import Place
        found = self.places.get(name)
        return Place(name, found[0], None, None, found[1], "test") if found else None


def places_tags(text, *spans, places, lexicon=LEXICON):
    mentions, pos = [], 0
    for words, label in spans:
        start = text.index(words, pos)
        mentions.append(Mention(words, label, start, start + len(words)))
        pos = start + 1
    return {(t.kind, t.name): t.mentions
            for t in article_tags(text, mentions, load_aliases(None), lexicon, places)}


def test_a_known_place_is_protected_from_the_common_word_rule():
    lexicon = Lexicon(STOP, frozenset({"tour", "brume"}))
    text = "Le cortège est parti de Tours avant midi, puis de Brume vers le soir."
    found = places_tags(text, ("Tours", "LOC"), ("Brume", "LOC"), lexicon=lexicon,
                        places=_Places(Tours=("city", 136_000)))
    assert found == {("place", "Tours"): 1}  # "Brume" is a common word no gazetteer knows


def test_a_small_place_named_like_a_common_word_is_not_protected():
    lexicon = Lexicon(STOP, frozenset({"nord"}))
    text = "Les vents du Nord ont soufflé sur la ville."
    assert places_tags(text, ("Nord", "LOC"), lexicon=lexicon, places=_Places(Nord=("region", None))) == {}


def test_a_place_named_inside_an_event_or_a_body_is_tagged():
    text = "Les Jeux de Valdor ont commencé. La Banque de Mirande a prêté."
    found = places_tags(text, ("Jeux de Valdor", "MISC"), ("Banque de Mirande", "ORG"),
                        places=_Places(Valdor=("city", 80_000), Mirande=("city", 3_000)))
    assert found == {("place", "Valdor"): 1, ("place", "Mirande"): 1, ("organization", "Banque de Mirande"): 1}


def test_a_person_named_like_a_place_is_not_split():
    text = "Le chanteur Paul de Valdor a chanté."
    found = places_tags(text, ("Paul de Valdor", "PER"), places=_Places(Valdor=("city", 80_000)))
    assert found == {("person", "Paul de Valdor"): 1}


def test_the_real_gazetteer_knows_french_places_and_their_variants():
    from generator.enrich.gazetteer import gazetteer
    places = gazetteer("fr")
    assert places.lookup("Saran") is not None and places.lookup("haute loire") is not None
    assert places.lookup("Etats-Unis").name == places.lookup("États-Unis").name


# the site's language names things ------------------------------------------------------

def test_the_shipped_alias_tables_are_those_of_the_site_language():
    assert load_aliases(None, "fr").lookup("USA").name == "États-Unis"
    assert load_aliases(None, "en").lookup("USA") is None  # an English site keeps English names
    assert load_aliases(None, "en").is_blocked("UTC")  # tables for every language still apply
