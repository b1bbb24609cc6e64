"""Mentioned dates and datelines (generator.enrich.dates)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.enrich.dates import find_date_mentions, find_dateline, find_dates
from generator.model import MentionedDate

# Wednesday 18 May 2016
PUB = dt.date(2016, 5, 18)


def dates(text: str, published: dt.date | None = PUB, lang: str = "fr") -> list[str]:
    return [tag.date for tag in find_dates(text, lang, published)]


def tags(text: str, published: dt.date | None = PUB, lang: str = "fr") -> list[tuple[str, str]]:
    return [(tag.date, tag.text) for tag in find_dates(text, lang, published)]


# --- the seed ---------------------------------------------------------------

SEED_SENTENCES = (
    "Ces initiatives interviennent après les nombreuses tensions qui ont suivi le décès "
    "du général Qassem Soleimani le 3 janvier 2020.\n\n"
    "De nombreuses manifestations réclamant le départ des soldats américains avaient eu "
    "lieu suite à ce raid ordonné par le président Trump. Quelques semaines plus tard, "
    "trois roquettes avaient frappé le dimanche 26 janvier l’ambassade américaine à Bagdad.\n\n"
    "cette décision sera mise à exécution dans les tout prochains mois."
)


def test_seed_sentences_give_exactly_the_two_dates_with_their_words():
    assert find_dates(SEED_SENTENCES, "fr", None) == (
        MentionedDate("2020-01-03", "le 3 janvier 2020"),
        MentionedDate("2020-01-26", "le dimanche 26 janvier"),
    )


SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_fc8e0b7d4480e49e.txt"


@pytest.mark.skipif(not SEED.exists(), reason="the sample seed is not in this checkout")
def test_the_seed_file_gives_exactly_the_two_dates_and_no_dateline():
    text = SEED.read_text(encoding="utf-8")
    assert find_dates(text, "fr", None) == (
        MentionedDate("2020-01-03", "le 3 janvier 2020"),
        MentionedDate("2020-01-26", "le dimanche 26 janvier"),
    )
    assert find_dateline(text, "fr") is None


# --- full and numeric dates -------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("le 3 janvier 2020", [("2020-01-03", "le 3 janvier 2020")]),
    ("Il est né le 14 juillet 1789 à Paris.", [("1789-07-14", "le 14 juillet 1789")]),
    ("le 1er janvier 2016", [("2016-01-01", "le 1er janvier 2016")]),
    ("le 1 er août 2016", [("2016-08-01", "le 1 er août 2016")]),
    ("le 7 sept. 2016", [("2016-09-07", "le 7 sept. 2016")]),
    ("le 3 janv. 2020", [("2020-01-03", "le 3 janv. 2020")]),
    ("le 5 déc. 2019", [("2019-12-05", "le 5 déc. 2019")]),
    ("03/01/2020", [("2020-01-03", "03/01/2020")]),
    ("le 3.1.2020", [("2020-01-03", "3.1.2020")]),
    ("2020-01-03", [("2020-01-03", "2020-01-03")]),
])
def test_full_dates(text, expected):
    assert tags(text, None) == expected


def test_sept_without_its_dot_is_the_number_seven():
    assert dates("Il a été condamné à sept ans de prison en 2015.", None) == []


def test_impossible_days_are_not_dates():
    assert dates("le 31 février 2020 ou le 32 mars 2020", None) == []


def test_a_range_of_days_tags_each_day_with_the_whole_phrase():
    assert tags("Il se rendra en France du 25 au 27 janvier 2016.", None) == [
        ("2016-01-25", "du 25 au 27 janvier 2016"),
        ("2016-01-27", "du 25 au 27 janvier 2016"),
    ]
    assert dates("les 16, 17 et 18 juillet 2016", None) == ["2016-07-16", "2016-07-17", "2016-07-18"]


def test_one_tag_per_date_keeps_the_first_words_in_text_order():
    text = "Le 3 mars 2016, il pleut. Le 2 mars 2016, il neigeait. Puis le 3 mars 2016 encore."
    assert tags(text, None) == [("2016-03-03", "Le 3 mars 2016"), ("2016-03-02", "Le 2 mars 2016")]
    # every mention stays available with its place in the text
    mentions = find_date_mentions(text, "fr", None)
    assert [m.date for m in mentions] == ["2016-03-03", "2016-03-02", "2016-03-03"]
    assert text[mentions[2].start:mentions[2].end] == "le 3 mars 2016"


# --- year inference and the weekday check -----------------------------------

def test_day_and_month_take_the_year_of_publication():
    assert dates("Il est mort le 2 mai à Paris.") == ["2016-05-02"]


def test_day_and_month_take_the_nearest_year_that_fits_the_tense():
    january = dt.date(2016, 1, 6)
    # past: last December, not the next one
    assert dates("Il a été condamné le 6 décembre à la prison à vie.", january) == ["2015-12-06"]
    # future: this coming March
    assert dates("Le sommet aura lieu le 3 mars à Rome.", dt.date(2016, 9, 20)) == ["2017-03-03"]
    assert dates("Le sommet a eu lieu le 3 mars à Rome.", dt.date(2016, 9, 20)) == ["2016-03-03"]


def test_dernier_and_prochain_choose_the_side_of_publication():
    assert dates("le 29 décembre dernier", dt.date(2016, 1, 1)) == ["2015-12-29"]
    assert dates("le 6 juillet prochain", PUB) == ["2016-07-06"]
    assert dates("le 6 mai prochain", PUB) == ["2017-05-06"]


def test_without_publication_the_year_comes_from_the_other_years_of_the_text():
    text = "Le 3 janvier 2020 il est parti. Il est revenu le 26 janvier."
    assert dates(text, None) == ["2020-01-03", "2020-01-26"]


def test_without_publication_or_stated_year_a_day_is_left_out():
    assert dates("Il est revenu le 26 janvier.", None) == []


def test_several_stated_years_make_a_day_without_one_ambiguous():
    text = "En 2018 puis en 2019, il est revenu le 26 janvier."
    assert dates(text, None) == []


def test_weekday_picks_the_year_among_the_stated_ones():
    # 26 January was a Sunday in 2020, not in 2019
    text = "En 2019 et en 2020, les roquettes ont frappé le dimanche 26 janvier."
    assert dates(text, None) == ["2020-01-26"]


def test_weekday_confirms_the_year_from_publication():
    assert dates("le dimanche 26 janvier", dt.date(2020, 6, 1)) == ["2020-01-26"]
    # 26 January 2016 was a Tuesday; a Sunday 26 January fits neither 2015, 2016 nor 2017
    assert dates("le dimanche 26 janvier", PUB) == []
    assert dates("le mardi 26 janvier", PUB) == ["2016-01-26"]


def test_weekday_contradicting_a_full_date_leaves_it_out():
    assert dates("le lundi 3 janvier 2020", None) == []
    assert dates("le vendredi 3 janvier 2020", None) == ["2020-01-03"]


def test_weekday_and_day_number_without_month_need_publication():
    assert dates("La CGT a annoncé des actions jeudi 19.") == ["2016-05-19"]
    assert dates("La CGT a annoncé des actions jeudi 19.", None) == []


# --- months -------------------------------------------------------------------

def test_month_and_year():
    assert tags("Il a été élu en janvier 2020.", None) == [("2020-01", "en janvier 2020")]
    assert dates("depuis novembre 2015", None) == ["2015-11"]


def test_month_with_dernier_or_prochain_needs_publication():
    assert dates("depuis novembre dernier") == ["2015-11"]
    assert dates("en juillet prochain") == ["2016-07"]
    assert dates("depuis novembre dernier", None) == []
    # in May, "mai dernier" may be this May or last year's: left out
    assert dates("en mai dernier") == []


def test_a_capitalised_month_inside_a_sentence_is_a_name():
    assert dates("Le rover Mars 2020 a atterri.", None) == []
    assert dates("La mission a été lancée en Mars 2020.", None) == ["2020-03"]


# --- relative expressions ---------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Il est mort hier à Paris.", "2016-05-17"),
    ("Il est mort hier soir à Paris.", "2016-05-17"),
    ("Il est arrivé avant-hier.", "2016-05-16"),
    ("Il est mort aujourd'hui à Paris.", "2016-05-18"),
    ("Il est mort aujourd’hui à Paris.", "2016-05-18"),
    ("Le match aura lieu demain.", "2016-05-19"),
    ("Le match aura lieu après-demain.", "2016-05-20"),
    ("Il a parlé mardi dernier.", "2016-05-17"),
    ("Il a parlé mercredi dernier.", "2016-05-11"),
    ("Il parlera lundi prochain.", "2016-05-23"),
    ("Il parlera mercredi prochain.", "2016-05-25"),
    ("Il est arrivé il y a deux jours.", "2016-05-16"),
    ("Il est arrivé il y a 3 jours.", "2016-05-15"),
    ("Il arrivera dans deux jours.", "2016-05-20"),
])
def test_relative_expressions_with_publication(text, expected):
    assert dates(text) == [expected]


@pytest.mark.parametrize("text", [
    "Il est mort hier à Paris.",
    "Il est mort aujourd'hui à Paris.",
    "Le match aura lieu demain.",
    "Il a parlé mardi dernier.",
    "Il parlera lundi prochain.",
    "Il est arrivé il y a deux jours.",
    "Il a déclaré samedi que tout allait bien.",
    "Il se rendra samedi à Paris.",
])
def test_relative_expressions_without_publication_give_no_tag(text):
    assert dates(text, None) == []


def test_a_publication_datetime_counts_as_its_day():
    assert dates("Il est mort hier à Paris.", dt.datetime(2016, 5, 18, 14, 30)) == ["2016-05-17"]
    assert dates("le 2 mai", dt.datetime(2016, 5, 18, 14, 30)) == ["2016-05-02"]


def test_bare_weekday_follows_the_tense_of_its_sentence():
    # PUB is a Wednesday
    assert dates("Il a déclaré samedi que tout allait bien.") == ["2016-05-14"]
    assert dates("Il se rendra samedi à Paris.") == ["2016-05-21"]
    assert dates("Le président va se rendre samedi à Paris.") == ["2016-05-21"]
    assert dates("La réunion est prévue samedi à Paris.") == ["2016-05-21"]
    # the weekday of publication itself
    assert dates("Il est mort mercredi à Paris.") == ["2016-05-18"]
    # the nearest verb decides: he spoke in the past about a future meeting
    assert dates("Il a annoncé que la réunion aura lieu samedi.") == ["2016-05-21"]


def test_bare_weekday_in_the_present_tense_takes_the_tense_of_its_text():
    # a present with nothing else to go by announces: the coming Saturday
    assert dates("Le président se rend samedi à Paris.") == ["2016-05-21"]


def test_habitual_weekdays_and_names_are_not_dates():
    assert dates("Le marché a toujours eu lieu le samedi.") == []
    assert dates("Il a ouvert chaque samedi.") == []
    assert dates("Il a animé Jeudi cinéma pendant dix ans.") == []
    assert dates("Le scrutin a lieu le premier mardi du mois.") == []


def test_nowadays_is_not_a_day():
    assert dates("Le pays compte aujourd'hui 7 000 habitants.") == []
    assert dates("Il rêvait de la France d'aujourd'hui.") == []


# --- what is not a date -------------------------------------------------------

@pytest.mark.parametrize("text", [
    "cette décision sera mise à exécution dans les tout prochains mois.",
    "Quelques semaines plus tard, les roquettes ont frappé.",
    "ces dernières années, le chômage a baissé.",
    "La semaine prochaine, il partira.",
    "Il y a quelques jours, il est parti.",
    "Il a été élu en 2015.",
    "Il y avait 25 personnes et 2016 votes, 3 blessés et 12 morts.",
    "Le score était de 3-2 au stade.",
    "Il a obtenu 12 sur 20, soit 60 %.",
])
def test_vague_expressions_bare_numbers_and_years_are_not_tagged(text):
    assert dates(text) == []
    assert dates(text, None) == []


def test_a_bare_year_is_context_not_a_tag():
    # "en 2020" is not tagged, but it gives its year to a day named without one
    assert dates("En 2020, il est revenu le 26 janvier.", None) == ["2020-01-26"]


def test_unknown_language_gives_nothing():
    assert find_dates("le 3 janvier 2020", "de", None) == ()
    assert find_dateline("3. Januar 2020 –", "de") is None
    assert find_dates("", "fr", None) == ()


# --- English --------------------------------------------------------------------

def test_english_dates():
    sunday = dt.date(2020, 1, 26)
    assert dates("He died on January 3, 2020 in Baghdad.", None, "en") == ["2020-01-03"]
    assert dates("He died on 3 January 2020.", None, "en") == ["2020-01-03"]
    assert dates("He was released yesterday.", sunday, "en") == ["2020-01-25"]
    assert dates("He was released last Tuesday.", sunday, "en") == ["2020-01-21"]
    assert dates("He will speak on Saturday.", sunday, "en") == ["2020-02-01"]
    assert dates("He spoke on Saturday.", sunday, "en") == ["2020-01-25"]
    assert dates("He left three days ago.", sunday, "en") == ["2020-01-23"]
    # 03/01/2020 is March or January depending on the writer
    assert dates("03/01/2020", None, "en") == []
    assert dates("25/01/2020", None, "en") == ["2020-01-25"]
    assert dates("They may 3 times have tried.", sunday, "en") == []


# --- datelines --------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("1er janvier 2016, 14h30 . –\nUn homme a foncé…", ("2016-01-01T14:30", "1er janvier 2016, 14h30")),
    ("France : attaque à Valence (Drôme)\n\n1er janvier 2016, 14h30 . –\nUn homme",
     ("2016-01-01T14:30", "1er janvier 2016, 14h30")),
    ("28 janvier 2016 . – Le Concile se tiendra", ("2016-01-28", "28 janvier 2016")),
    ("7 janvier 2016, 11\u202fh\u202f40 UTC . –", ("2016-01-07T11:40", "7 janvier 2016, 11\u202fh\u202f40 UTC")),
    ("31 mars 2016, 15:37 (UTC) . –", ("2016-03-31T15:37", "31 mars 2016, 15:37 (UTC)")),
    ("12 mars 2016, Montpellier . –", ("2016-03-12", "12 mars 2016, Montpellier")),
    ("Page actualisée : 23 mars 2016 — « Attentats", ("2016-03-23", "23 mars 2016")),
    ("Mercredi 31 août 2016 —", ("2016-08-31", "Mercredi 31 août 2016")),
    # after a title and a picture's caption
    ("Attaque à Valence\n\nLocalisation de Valence.\n\n2 janvier 2016 . – Un homme",
     ("2016-01-02", "2 janvier 2016")),
])
def test_datelines(text, expected):
    assert find_dateline(text, "fr") == expected


@pytest.mark.parametrize("text", [
    "Un homme tué à coups de couteau ce mardi 3 mai à Aix-les-Bains.",
    # a date-led line deep in the body is not the dateline
    "Titre\n\n" + "Le 3 janvier 2020, les roquettes ont frappé.\n\n" * 5 + "1er janvier 2016 . –",
    "Titre\n\nLa présence militaire américaine en Irak sera bientôt réduite.",
    "Jeudi 31 août 2016 —",  # 31 August 2016 was a Wednesday
    "",
])
def test_no_dateline(text):
    assert find_dateline(text, "fr") is None


def test_english_dateline():
    assert find_dateline("January 3, 2020 — Rockets hit", "en") == ("2020-01-03", "January 3, 2020")
