"""Word tables for date recognition, one per language, as plain data.

Every form is written in lower case, with a plain apostrophe (the text is
matched with ’ read as '); the patterns built from them match
case-insensitively. A form ending in "." needs its dot in the text: in
French "sept." is September, while "sept" alone is the number seven and is
not listed.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping


@dataclass(frozen=True)
class DateWords:
    """What a language calls months, weekdays and days relative to today."""

    months: Mapping[str, int]  # form -> 1..12
    weekdays: Mapping[str, int]  # form -> 0 (Monday) .. 6 (Sunday)
    relative_days: Mapping[str, int]  # "hier" -> -1
    numbers: Mapping[str, int]  # "deux" -> 2, for "il y a deux jours"
    ordinal_suffix: str  # regex after a day number: "er" in "1er"
    day_word: str  # regex for the word "days" in "two days ago"
    ago_before: str  # regex before the count ("il y a"), "" if none
    ago_after: str  # regex after "days" ("ago"), "" if none
    in_before: str  # regex before the count for the future ("dans"), "" if none
    last: str  # regex: "dernier" / "last"
    next: str  # regex: "prochain" / "next"
    # articles that may open a date phrase and belong to its words ("le 3 mai")
    lead: str
    # words that make a bare weekday habitual or vague ("le samedi", "chaque samedi")
    habitual_before: str
    # a word before a bare weekday that sets its direction ("pour jeudi", "depuis jeudi")
    future_before: str
    past_before: str
    # parts of the day that may follow a weekday ("samedi soir")
    day_parts: str
    # contexts that make a relative word figurative ("la France d'aujourd'hui")
    figurative_before: str
    figurative_after: str
    # labels that open a dateline's stamp: of the publication ("Publié le")
    # and of a later update ("Mis à jour le"); `dateline_lead` may follow them
    # or open a date alone ("le 14 juillet", "on July 14")
    published_labels: str
    updated_labels: str
    dateline_lead: str
    byline_lead: str  # regex before an author's name after a dateline's day ("par", "by")
    # short weekdays, only read in a dateline ("Mon July 15, 2019"), where a
    # date follows them: in running text they are other words ("sun", "sat")
    weekday_abbreviations: Mapping[str, int]
    this: str  # regex: "ce samedi" / "this Saturday"
    range_joints: str  # regex between the days of "du 25 au 27 janvier"
    month_lead: str  # regex opening a month + year ("en janvier 2020")
    year_lead: str  # regex before a bare year that sets the context ("en 2020")
    time_joint: str  # regex between a dateline's date and its time ("à")
    # small words that may follow a two-digit year ("le 10 novembre 93 à Paris")
    after_short_year: str
    # a day and month said of every year: before it ("chaque 14 juillet",
    # "tous les 1er mai"), or anywhere in its clause when that clause is in
    # the present ("chaque année", "deux fois par an", "annuel")
    yearly_before: str
    plural_lead: str  # the plural article that makes one day yearly ("les 14 juillet"), "" if none
    yearly: str
    modifier_after: bool  # "mardi dernier" (True) or "last Tuesday" (False)
    month_first: bool  # "January 3, 2020" is the usual order
    capitalised_names: bool  # months and weekdays take a capital ("Monday")
    day_first: bool  # 03/01/2020 is 3 January (True) or ambiguous (False)


def _table(pairs: dict) -> Mapping:
    return MappingProxyType(dict(pairs))


FRENCH = DateWords(
    months=_table({
        "janvier": 1, "janv.": 1, "janv": 1,
        "février": 2, "fevrier": 2, "févr.": 2, "févr": 2, "fév.": 2, "fevr.": 2,
        "mars": 3,
        "avril": 4, "avr.": 4, "avr": 4,
        "mai": 5,
        "juin": 6,
        "juillet": 7, "juil.": 7, "juil": 7,
        "août": 8, "aout": 8,
        "septembre": 9, "sept.": 9,
        "octobre": 10, "oct.": 10,
        "novembre": 11, "nov.": 11,
        "décembre": 12, "decembre": 12, "déc.": 12, "dec.": 12,
    }),
    weekdays=_table({
        "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3,
        "vendredi": 4, "samedi": 5, "dimanche": 6,
    }),
    relative_days=_table({
        "avant-hier": -2, "hier": -1, "aujourd'hui": 0,
        "demain": 1, "après-demain": 2, "apres-demain": 2,
    }),
    numbers=_table({
        "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
        "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
        "treize": 13, "quatorze": 14, "quinze": 15,
    }),
    ordinal_suffix=r"(?:\s?er|ᵉʳ)",
    day_word=r"jours",
    ago_before=r"il\s+y\s+a",
    ago_after="",
    in_before=r"dans",
    last=r"derni(?:er|ère)",
    next=r"prochaine?",
    lead=r"(?:le|les|du|au)",
    habitual_before=(
        r"(?:le|les|chaque|tous\s+les|un|des|du|au|aux|certains|plusieurs|"
        r"quelques|autres?|même|sauf|jusqu'au|premiers?|derniers?|"
        r"deuxième|troisième|quatrième)"
    ),
    future_before=r"(?:pour|d'ici|dès)",
    past_before=r"(?:depuis)",
    day_parts=r"(?:matin|midi|après-midi|apres-midi|soir|soirée|dans\s+la\s+nuit)",
    figurative_before=r"(?:d'|de\s|jusqu'à\s|encore\s)",
    figurative_after=r"(?:\s+encore)",
    published_labels=r"(?:publiée?|mise?\s+en\s+ligne|postée?|parue?|diffusée?)",
    updated_labels=(
        r"(?:(?:page\s+)?actualisée?|(?:dernière\s+)?mise?\s+à\s+jour|màj|modifiée?)"
    ),
    dateline_lead=r"(?:le)",
    byline_lead=r"(?:par)",
    weekday_abbreviations=_table({
        "lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5, "dim": 6,
    }),
    this=r"ce",
    range_joints=r"(?:\s*,\s*|\s+(?:et|au|à)\s+|\s*[-–]\s*)",
    month_lead=r"(?:(?:en|depuis|dès)\s+|d'|fin\s+|début\s+|mi-)",
    year_lead=r"(?:en|depuis|dès)",
    time_joint=r"(?:,|à|-)",
    after_short_year=r"(?:à|au|aux|en|et|dans|lors|où|quand|alors|pour|par|près|sur|avec)",
    plural_lead=r"les",
    yearly_before=r"(?:chaque|tous\s+les|toutes\s+les)",
    yearly=(
        r"(?:(?:chaque|tous\s+les|toutes\s+les)\s+(?:ans|années?|étés?|hivers?|printemps|automnes?|"
        r"saisons?|week-ends?)|(?:par|l')\s*ans?(?:nées?)?|annuel(?:le)?s?|annuellement)"
    ),
    modifier_after=True,
    month_first=False,
    capitalised_names=False,
    day_first=True,
)

ENGLISH = DateWords(
    months=_table({
        "january": 1, "jan.": 1, "jan": 1,
        "february": 2, "feb.": 2, "feb": 2,
        "march": 3, "mar.": 3, "mar": 3,
        "april": 4, "apr.": 4, "apr": 4,
        "may": 5,
        "june": 6, "jun.": 6, "jun": 6,
        "july": 7, "jul.": 7, "jul": 7,
        "august": 8, "aug.": 8, "aug": 8,
        "september": 9, "sept.": 9, "sep.": 9, "sept": 9, "sep": 9,
        "october": 10, "oct.": 10, "oct": 10,
        "november": 11, "nov.": 11, "nov": 11,
        "december": 12, "dec.": 12, "dec": 12,
    }),
    weekdays=_table({
        "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
        "friday": 4, "saturday": 5, "sunday": 6,
    }),
    relative_days=_table({
        "yesterday": -1, "today": 0, "tomorrow": 1,
    }),
    numbers=_table({
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
        "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    }),
    ordinal_suffix=r"(?:st|nd|rd|th)",
    day_word=r"days",
    ago_before="",
    ago_after=r"ago",
    in_before=r"in",
    last=r"last",
    next=r"next",
    lead=r"(?:on|the)",
    habitual_before=r"(?:every|each|a|some|other|any|until|first|second|third|fourth|last)",
    future_before=r"(?:by|from|until)",
    past_before=r"(?:since)",
    day_parts=r"(?:morning|afternoon|evening|night)",
    figurative_before=r"(?:of\s)",
    figurative_after="",
    published_labels=r"(?:(?:first\s+)?(?:published|posted))",
    updated_labels=r"(?:(?:last\s+)?(?:updated|modified))",
    dateline_lead=r"(?:on)",
    byline_lead=r"(?:by)",
    weekday_abbreviations=_table({
        "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
        "fri": 4, "sat": 5, "sun": 6,
    }),
    this=r"this",
    range_joints=r"(?:\s*,\s*|\s+(?:and|to|through)\s+|\s*[-–]\s*)",
    month_lead=r"(?:(?:in|since|early|late|mid-)\s*)",
    year_lead=r"(?:in|since)",
    time_joint=r"(?:,|at|-)",
    after_short_year=r"(?:in|at|and|when|for|on|by|near|with)",
    plural_lead="",
    yearly_before=r"(?:every|each)",
    yearly=(
        r"(?:(?:every|each)\s+(?:years?|summers?|winters?|springs?|autumns?|falls?|seasons?)|"
        r"(?:a|per)\s+year|annual(?:ly)?|yearly)"
    ),
    modifier_after=False,
    month_first=True,
    capitalised_names=True,
    day_first=False,
)

WORDS: Mapping[str, DateWords] = MappingProxyType({"fr": FRENCH, "en": ENGLISH})
