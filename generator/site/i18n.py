"""Interface strings of the default theme, in the site's language.

Templates read them as `t.key`; dates are formatted here so that
"3 janvier 2020" and "January 3, 2020" follow each language's habits.
Languages other than French and English fall back to English.
"""
from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

_FR = {
    "skip": "Aller au contenu",
    "home": "Accueil",
    "latest": "Derniers articles",
    "entities": "Entités",
    "archive": "Archives",
    "timeline": "Chronologie",
    "search": "Recherche",
    "feed": "Flux Atom",
    "main_nav": "Navigation principale",
    "date_unknown": "date inconnue",
    "published": "Publié le",
    "source": "Source",
    "source_file": "Fichier source",
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
    "articles_count": "{n} article(s)",
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
    "published_that_month": "Publiés ce mois-là",
    "mentioning_that_month": "Articles d’autres mois qui citent ce mois ou ses jours",
    "days_mentioned": "Jours cités",
    "cites": "Cite :",
    "day_title": "{date}",
    "months": "Mois",
    "years": "Années",
    "no_articles": "Aucun article.",
    "undated": "Articles sans date",
    "not_found": "Page introuvable",
    "not_found_text": "Cette page n’existe pas ou a changé d’adresse.",
    "back_home": "Retour à l’accueil",
    "mentions_n": "{n} mention(s)",
    "shared_one": "1 entité en commun : {names}",
    "shared_many": "{n} entités en commun : {names}",
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

_EN = {
    "skip": "Skip to content",
    "home": "Home",
    "latest": "Latest articles",
    "entities": "Entities",
    "archive": "Archive",
    "timeline": "Timeline",
    "search": "Search",
    "feed": "Atom feed",
    "main_nav": "Main navigation",
    "date_unknown": "date unknown",
    "published": "Published",
    "source": "Source",
    "source_file": "Source file",
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
    "articles_count": "{n} article(s)",
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
    "published_that_month": "Published that month",
    "mentioning_that_month": "Articles from other months that mention this month or its days",
    "days_mentioned": "Days mentioned",
    "cites": "Mentions:",
    "day_title": "{date}",
    "months": "Months",
    "years": "Years",
    "no_articles": "No articles.",
    "undated": "Undated articles",
    "not_found": "Page not found",
    "not_found_text": "This page does not exist or has moved.",
    "back_home": "Back to the home page",
    "mentions_n": "{n} mention(s)",
    "shared_one": "1 shared entity: {names}",
    "shared_many": "{n} shared entities: {names}",
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

_STRINGS = {"fr": MappingProxyType(_FR), "en": MappingProxyType(_EN)}


def base_language(lang: str) -> str:
    """'fr-CA' → 'fr'; unknown languages → 'en'."""
    code = (lang or "").split("-")[0].lower()
    return code if code in _STRINGS else "en"


def strings(lang: str) -> Mapping[str, str]:
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
    if len(names) == 1:
        return t["shared_one"].format(names=listed)
    return t["shared_many"].format(n=len(names), names=listed)
