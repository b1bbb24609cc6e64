"""Interface strings of the default theme, in the site's language.

Templates read them as `t.key`; dates are formatted here so that
"3 janvier 2020" and "January 3, 2020" follow each language's habits.
Languages other than French and English fall back to English.

A count is said through a Plural: `t.articles_count.format(n=3)` → "3
articles". Its form follows babel's CLDR plural rules for the language
(French: 0 and 1 take the singular, English: only 1), and its number
babel's digit grouping ("2 052", "2,052"). Only the "one" category takes
the singular; every other one ("many" for a French million included) the plural.
"""
from __future__ import annotations

import functools
from types import MappingProxyType
from typing import Any, Callable, Mapping, NamedTuple

from babel import Locale
from babel.numbers import format_decimal


class Plural(NamedTuple):
    """A string with a singular and a plural form, `{n}` the count."""

    one: str
    other: str
    lang: str

    def format(self, n: int, **values: Any) -> str:
        category, number = _count(n, self.lang)
        return (self.one if category == "one" else self.other).format(n=number, **values)

    def __str__(self) -> str:  # never shown bare: a template must give the count
        raise TypeError("a plural string needs its count: use .format(n=…)")


@functools.cache
def _plural_rule(lang: str) -> Callable[[int], str]:
    return Locale.parse(lang).plural_form


@functools.lru_cache(maxsize=4096)
def _count(n: int, lang: str) -> tuple[str, str]:
    """(plural category, the number as the language writes it): a build says
    the same small counts tens of thousands of times, and babel's are slow."""
    return plural_category(n, lang), format_decimal(n, locale=lang)


def plural_category(n: int, lang: str) -> str:
    """CLDR's plural category of `n` in `lang`: 'one', 'other', 'many'…"""
    return _plural_rule(base_language(lang))(n)

_FR: dict[str, str | tuple[str, str]] = {
    "skip": "Aller au contenu",
    "home": "Accueil",
    "latest": "Derniers articles",
    "entities": "Entités",
    "archive": "Archives",
    "timeline": "Chronologie",
    "search": "Recherche",
    # shown by `gazette serve` only, while the search index catches up with a save
    "search_lag": "Les résultats de recherche n’incluent peut-être pas encore vos dernières modifications.",
    "feed": "Flux Atom",
    "main_nav": "Navigation principale",
    "date_unknown": "date inconnue",
    "published": "Publié le",
    "source": "Source",
    "source_file": "Fichier source",
    "cite": "Citer cet article",
    "citation": "Référence à copier",
    "permalink": "Lien permanent",
    "reading_time": ("Temps de lecture : {n} minute", "Temps de lecture : {n} minutes"),
    "mentioned_dates": "Dates citées",
    "related": "Articles liés",
    "earlier": "Contexte : avant cet article",
    "later": "Suites : après cet article",
    "kind.person": "Personnes",
    "kind.place": "Lieux",
    "kind.organization": "Organisations",
    "one.person": "personne",
    "one.place": "lieu",
    "one.organization": "organisation",
    "all.person": "Toutes les personnes",
    "all.place": "Tous les lieux",
    "all.organization": "Toutes les organisations",
    "names_n": ("{n} nom", "{n} noms"),
    "most_mentioned": "Les plus cités",
    "az_index": "Index de A à Z",
    "letter_other": "Autres caractères",
    "filter_label": "Filtrer les noms",
    "filter_found": ("{n} nom trouvé", "{n} noms trouvés"),
    "filter_shown": "les {shown} plus cités ci-dessous",
    "filter_none": "Aucun nom ne correspond.",
    "filter_error": "Le filtre n’a pas pu charger l’index : parcourez les listes.",
    "articles_count": ("{n} article", "{n} articles"),
    "seen_with": "Souvent cité avec",
    "first_mention": "Première mention",
    "last_mention": "Dernière mention",
    "entity_feed": "Flux Atom de cette page",
    "page_n": "Page {n} sur {total}",
    "previous": "Page précédente",
    "next": "Page suivante",
    "pagination": "Pagination",
    "published_that_day": "Publiés ce jour-là",
    "mentioning_that_day": "Articles qui citent ce jour",
    "role.published": "Publié ce jour-là",
    "role.mentions": "Cite ce jour",
    "role.both": "Publié ce jour-là, et le cite",
    "day_published_n": ("{n} article publié ce jour-là", "{n} articles publiés ce jour-là"),
    "day_mentioning_n": ("{n} article cite ce jour", "{n} articles citent ce jour"),
    "published_that_month": "Publiés ce mois-là",
    "mentioning_that_month": "Articles d’autres mois qui citent ce mois ou ses jours",
    "days_mentioned": "Jours cités",
    "cites": "Cite :",
    "day_title": "{date}",
    "months": "Mois",
    "years": "Années",
    "no_articles": "Aucun article.",
    "places_on_map": "Les lieux sur une carte du monde",
    "undated": "Articles sans date",
    "not_found": "Page introuvable",
    "not_found_text": "Cette page n’existe pas ou a changé d’adresse.",
    "back_home": "Retour à l’accueil",
    "mentions_n": ("{n} mention", "{n} mentions"),
    "shared": ("{n} entité en commun : {names}", "{n} entités en commun : {names}"),
    "list_sep": ", ",
    "colon": " :",
    "summary": "Résumé",
    "tags": "Entités citées",
    "versions": "Aussi publié",
    "versions_intro": "La même dépêche a paru ailleurs :",
    # undated articles (undated.py)
    "latest_stated": "Dernière date citée",
    "latest_updated": "Mis à jour",
    "undated_order": "classés par la dernière date que chacun cite, la plus récente d’abord",
}

_EN: dict[str, str | tuple[str, str]] = {
    "skip": "Skip to content",
    "home": "Home",
    "latest": "Latest articles",
    "entities": "Entities",
    "archive": "Archive",
    "timeline": "Timeline",
    "search": "Search",
    # shown by `gazette serve` only, while the search index catches up with a save
    "search_lag": "Search results may not include your latest changes yet.",
    "feed": "Atom feed",
    "main_nav": "Main navigation",
    "date_unknown": "date unknown",
    "published": "Published",
    "source": "Source",
    "source_file": "Source file",
    "cite": "Cite this article",
    "citation": "Citation to copy",
    "permalink": "Permalink",
    "reading_time": ("Reading time: {n} minute", "Reading time: {n} minutes"),
    "mentioned_dates": "Dates mentioned",
    "related": "Related articles",
    "earlier": "Context: before this article",
    "later": "Follow-ups: after this article",
    "kind.person": "People",
    "kind.place": "Places",
    "kind.organization": "Organizations",
    "one.person": "person",
    "one.place": "place",
    "one.organization": "organization",
    "all.person": "All people",
    "all.place": "All places",
    "all.organization": "All organizations",
    "names_n": ("{n} name", "{n} names"),
    "most_mentioned": "Most mentioned",
    "az_index": "A to Z index",
    "letter_other": "Other characters",
    "filter_label": "Filter names",
    "filter_found": ("{n} name found", "{n} names found"),
    "filter_shown": "the {shown} most mentioned below",
    "filter_none": "No name matches.",
    "filter_error": "The filter could not load its index: browse the lists.",
    "articles_count": ("{n} article", "{n} articles"),
    "seen_with": "Often mentioned with",
    "first_mention": "First mention",
    "last_mention": "Last mention",
    "entity_feed": "Atom feed of this page",
    "page_n": "Page {n} of {total}",
    "previous": "Previous page",
    "next": "Next page",
    "pagination": "Pagination",
    "published_that_day": "Published that day",
    "mentioning_that_day": "Articles mentioning that day",
    "role.published": "Published that day",
    "role.mentions": "Mentions that day",
    "role.both": "Published that day, and mentions it",
    "day_published_n": ("{n} article published that day", "{n} articles published that day"),
    "day_mentioning_n": ("{n} article mentions that day", "{n} articles mention that day"),
    "published_that_month": "Published that month",
    "mentioning_that_month": "Articles from other months that mention this month or its days",
    "days_mentioned": "Days mentioned",
    "cites": "Mentions:",
    "day_title": "{date}",
    "months": "Months",
    "years": "Years",
    "no_articles": "No articles.",
    "places_on_map": "The places on a map of the world",
    "undated": "Undated articles",
    "not_found": "Page not found",
    "not_found_text": "This page does not exist or has moved.",
    "back_home": "Back to the home page",
    "mentions_n": ("{n} mention", "{n} mentions"),
    "shared": ("{n} shared entity: {names}", "{n} shared entities: {names}"),
    "list_sep": ", ",
    "colon": ":",
    "summary": "Summary",
    "tags": "Entities mentioned",
    "versions": "Also published",
    "versions_intro": "The same story appeared elsewhere:",
    # undated articles (undated.py)
    "latest_stated": "Latest date mentioned",
    "latest_updated": "Updated",
    "undated_order": "ordered by the latest date each one mentions, most recent first",
}

_MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}

def _table(lang: str, table: Mapping[str, str | tuple[str, str]]) -> Mapping[str, str | Plural]:
    """A language's strings: a (singular, plural) pair becomes a Plural."""
    return MappingProxyType({key: Plural(*value, lang) if isinstance(value, tuple) else value
                             for key, value in table.items()})


_STRINGS = {"fr": _table("fr", _FR), "en": _table("en", _EN)}


@functools.lru_cache(maxsize=64)
def base_language(lang: str) -> str:
    """'fr-CA' → 'fr'; unknown languages → 'en'."""
    code = (lang or "").split("-")[0].lower()
    return code if code in _STRINGS else "en"


def strings(lang: str) -> Mapping[str, str | Plural]:
    return _STRINGS[base_language(lang)]


def month_name(month: int, lang: str) -> str:
    return _MONTHS[base_language(lang)][month - 1]


def format_date(iso: str | None, lang: str) -> str:
    """'2020-01-03' → '3 janvier 2020' (fr) / 'January 3, 2020' (en); a month alone
    → 'janvier 2020'; a datetime keeps only its day; None → 'date inconnue'."""
    code = base_language(lang)
    if not iso:
        return _STRINGS[code]["date_unknown"]
    year, month, *rest = iso[:10].split("-")
    name = month_name(int(month), code)
    if not rest:
        return f"{name} {year}"
    day = int(rest[0])
    if code == "fr":
        return f"{'1er' if day == 1 else day} {name} {year}"
    return f"{name} {day}, {year}"


def shared_reason(names: list[str], lang: str, shown: int = 5) -> str:
    """'3 entités en commun : Irak, Iran, Bagdad' (the first `shown` names, then '…')."""
    t = strings(lang)
    listed = t["list_sep"].join(names[:shown]) + (t["list_sep"] + "…" if len(names) > shown else "")
    return t["shared"].format(n=len(names), names=listed)
