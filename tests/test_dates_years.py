"""The year of a day and month written without one, two-digit years, and
dates said of every year (issue 13). Our own examples."""
from __future__ import annotations

import datetime as dt

from generator.enrich.dates import find_dates

JUNE_2018 = dt.date(2018, 6, 20)


def dates(text: str, published: dt.date | None = JUNE_2018) -> list[str]:
    return [tag.date for tag in find_dates(text, "fr", published)]


def test_a_day_without_its_year_is_the_one_nearest_publication():
    assert dates("Le marché de Noël ouvrira le 2 décembre.") == ["2018-12-02"]
    assert dates("Le marché de Noël avait ouvert le 2 décembre.") == ["2017-12-02"]
    assert dates("La fête de la musique se tient le 21 juin sur la place.") == ["2018-06-21"]


def test_a_year_elsewhere_in_the_text_does_not_date_the_day():
    text = ("La commune avait déjà fermé l'école en mars 2012. "
            "Le conseil municipal se réunira le 2 juillet pour en débattre.")
    assert dates(text) == ["2012-03", "2018-07-02"]


def test_the_year_the_sentence_names_dates_the_day():
    assert dates("En 2015, la crue du 3 novembre avait emporté le pont.") == ["2015-11-03"]
    text = "Entre le 14 juillet 2016 et le 2 août, le camping a affiché complet."
    assert dates(text) == ["2016-07-14", "2016-08-02"]
    # two years: the sentence does not say which, publication decides
    assert dates("Après 2014 et 2015, la foire revient le 8 septembre.") == ["2018-09-08"]


def test_two_digit_years_take_the_century_that_puts_them_in_the_past_ninety_years():
    assert dates("Il est né le 10 novembre 93 à Vernon.") == ["1993-11-10"]
    # published in 2018: the window is 1929 to 2028
    assert dates("Le pont a été inauguré le 3 mai 29.") == ["1929-05-03"]
    assert dates("La concession court jusqu'au 3 mai 28.") == ["2028-05-03"]
    assert dates("La garantie court jusqu'au 31 décembre 24.") == ["2024-12-31"]
    assert dates("Le contrat signé le 02/03/05 a expiré.") == ["2005-03-02"]
    # no publication date: no century to choose
    assert dates("Il est né le 10 novembre 93 à Vernon.", None) == []


def test_a_count_after_a_day_is_not_a_two_digit_year():
    assert dates("Le 3 mai 12 personnes ont été évacuées.") == ["2018-05-03"]
    assert dates("Rendez-vous le 3 juillet 20 h au stade.") == ["2018-07-03"]


def test_days_said_of_every_year_are_not_one_day():
    assert dates("Chaque 14 juillet, le feu d'artifice est tiré depuis la digue.") == []
    assert dates("Le muguet se vend tous les 1er mai devant la mairie.") == []
    assert dates("Les 14 juillet, la caserne ouvre ses portes.") == []
    text = "Chaque été, la baignade est surveillée entre le 15 juillet et le 15 août."
    assert dates(text) == []
    assert dates("La foire se tient deux fois par an, à Pâques et au 15 août.") == []


def test_a_yearly_habit_told_in_the_future_still_names_this_year():
    text = "Comme chaque année, le feu d'artifice sera tiré le 14 juillet depuis la digue."
    assert dates(text) == ["2018-07-14"]
    # a list of days is no plural of one day
    assert dates("Les festivités auront lieu les 13 et 14 juillet.") == ["2018-07-13", "2018-07-14"]


def test_a_weekday_that_contradicts_the_sentence_year_leaves_it_to_publication():
    # 1950-03-12 was a Sunday… but 2018-03-12 a Monday: "lundi" is this year's
    assert dates("Né à Évreux en 1950, il est mort lundi 12 mars à Rouen.") == ["2018-03-12"]


def test_an_english_day_and_month_without_a_year_is_the_one_nearest_publication():
    found = find_dates("The council will vote on March 3, and the mayor spoke on 12 December.", "en",
                       dt.date(2021, 1, 20))
    assert [m.date for m in found] == ["2021-03-03", "2020-12-12"]
