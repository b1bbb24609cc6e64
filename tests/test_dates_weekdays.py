"""Bare weekdays resolved by the tense of their clause (issue 13).

The examples are our own; publication days are named in each test.
"""
from __future__ import annotations

import datetime as dt

from generator.enrich.dates import find_dates

WEDNESDAY = dt.date(2019, 10, 9)
FRIDAY = dt.date(2019, 10, 11)
MONDAY = dt.date(2019, 10, 14)


def dates(text: str, published: dt.date) -> list[str]:
    return [tag.date for tag in find_dates(text, "fr", published)]


def test_a_match_preview_in_the_present_names_the_coming_sunday():
    text = ("Football. Après une semaine de repos, l'US Vernon reçoit Les Andelys dimanche "
            "au stade municipal. L'entraîneur comptera sur un effectif au complet.")
    assert dates(text, WEDNESDAY) == ["2019-10-13"]


def test_a_past_verb_in_a_relative_clause_does_not_date_the_main_clause():
    text = "L'équipe, qui a battu Évreux la semaine passée, se déplace samedi à Gisors."
    assert dates(text, WEDNESDAY) == ["2019-10-12"]


def test_a_report_in_the_past_names_the_last_sunday():
    text = "Les pompiers sont intervenus dimanche pour un feu de broussailles à Saint-Marcel."
    assert dates(text, WEDNESDAY) == ["2019-10-06"]


def test_a_fronted_weekday_takes_the_tense_of_the_clause_after_its_comma():
    assert dates("Samedi, une centaine de bénévoles ont nettoyé les berges.", MONDAY) == ["2019-10-12"]
    assert dates("Samedi, une centaine de bénévoles nettoieront les berges.", MONDAY) == ["2019-10-19"]


def test_a_passive_present_is_no_past():
    # "sont fermées" is a state: the schools close on the coming Thursday
    text = "En raison de l'alerte orange, les écoles du canton sont fermées jeudi."
    assert dates(text, WEDNESDAY) == ["2019-10-10"]


def test_this_weekday_in_the_present_is_the_one_of_the_week_of_publication():
    assert dates("Ce jeudi, la médiathèque propose une lecture de contes.", WEDNESDAY) == ["2019-10-10"]
    assert dates("Ce lundi, la médiathèque propose une lecture de contes.", WEDNESDAY) == ["2019-10-07"]
    # a tense still wins: a Thursday told in the past, written on a Wednesday
    assert dates("Ce jeudi, le maire a inauguré la médiathèque.", WEDNESDAY) == ["2019-10-03"]


def test_the_present_of_a_report_follows_the_past_of_its_paragraph():
    text = ("Le cambrioleur a été interpellé par les gendarmes. Mardi soir, il force la porte "
            "d'une pharmacie. Il avait déjà été condamné.")
    assert dates(text, FRIDAY) == ["2019-10-08"]


def test_nouns_that_end_like_verbs_are_not_tenses():
    # "les environs" is no futur and "un souhait" no imparfait: the present announces
    assert dates("Dans les environs, la fête du cidre se tient dimanche.", WEDNESDAY) == ["2019-10-13"]
    assert dates("C'est un souhait du comité: le marché ouvre samedi.", WEDNESDAY) == ["2019-10-12"]


def test_the_recent_past_and_pronominal_verbs_are_past():
    assert dates("La mairie vient d'annoncer mardi la fermeture du pont.", FRIDAY) == ["2019-10-08"]
    assert dates("Un camion s'est renversé mardi sur la départementale.", FRIDAY) == ["2019-10-08"]
    # "a lieu" is avoir lieu in the present, no passé composé
    assert dates("La brocante a lieu dimanche.", FRIDAY) == ["2019-10-13"]
