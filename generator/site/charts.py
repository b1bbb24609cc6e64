"""Bar charts as plain values (pure): the pages draw them as inline SVG.

Two charts, each with its own text alternative:

* an entity's articles over time (`mentions_chart`): one bar per month when
  its dated articles span at most MONTHLY_SPAN months, else one bar per year
  — every period between the first and the last, empty ones included, so
  that the bars' spacing is time; the undated articles are counted apart;
* the chronology's histogram (`timeline_charts`): articles that mention a
  date, by year (each bar a link to its archive year page), and each year by
  month (each bar a link to its month page), all the years on one scale.

A chart is geometry in a viewBox of BAR units a bar by HEIGHT: the SVG is
stretched to the page's width (preserveAspectRatio="none"), so labels stay
in HTML outside it. Counting is one pass over the articles (or the
mentioned dates); no chart holds more than one bar per period.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Iterable, Mapping

from generator import urls
from generator.site.i18n import base_language, format_date, month_name

MONTHLY_SPAN = 36  # months from the first to the last dated article: beyond, a bar is a year
BAR = 10  # viewBox units a bar takes, gap included
GAP = 2
MIN_BARS = 4  # a chart is at least this many bars wide: one bar alone stays a bar, not a block
HEIGHT = 60

_TEXT = {
    "fr": {
        "mentions_title": "Articles au fil du temps",
        "mentions_desc_month": "Articles qui citent {name}, par mois, de {first} à {last} ; le plus : {peak} ({most}).",
        "mentions_desc_year": "Articles qui citent {name}, par année, de {first} à {last} ; le plus : {peak} ({most}).",
        "timeline_title": "Dates citées, par année",
        "timeline_desc": "Articles qui citent une date de chaque année, de {first} à {last} ; le plus : {peak} ({most}). "
                         "Chaque barre mène à la page de son année.",
        "year_title": "{year}, par mois",
        "year_desc": "Articles qui citent une date de chaque mois de {year}. Chaque barre mène à la page de son mois.",
        "period": "Période",
        "articles": "Articles",
        "undated": ("{n} article sans date", "{n} articles sans date"),
        "n_articles": ("{n} article", "{n} articles"),
        "map": "Carte",
        "map_title": "{name} sur la carte du monde",
        "places_map": "Carte des lieux",
        "places_map_title": "Les lieux cités, sur une carte du monde",
        "places_map_desc": "{n} lieux placés sur la carte ; la taille d’un point dit le nombre d’articles qui le citent. "
                           "La liste qui suit les donne tous.",
        "on_map": "Sur la carte",
        "not_on_map": "Sans coordonnées connues (pas sur la carte)",
        "all_places": "Tous les lieux",
    },
    "en": {
        "mentions_title": "Articles over time",
        "mentions_desc_month": "Articles mentioning {name}, by month, from {first} to {last}; most: {peak} ({most}).",
        "mentions_desc_year": "Articles mentioning {name}, by year, from {first} to {last}; most: {peak} ({most}).",
        "timeline_title": "Dates mentioned, by year",
        "timeline_desc": "Articles that mention a date of each year, from {first} to {last}; most: {peak} ({most}). "
                         "Each bar links to its year's page.",
        "year_title": "{year}, by month",
        "year_desc": "Articles that mention a date of each month of {year}. Each bar links to its month's page.",
        "period": "Period",
        "articles": "Articles",
        "undated": ("{n} undated article", "{n} undated articles"),
        "n_articles": ("{n} article", "{n} articles"),
        "map": "Map",
        "map_title": "{name} on a map of the world",
        "places_map": "Map of places",
        "places_map_title": "The places mentioned, on a map of the world",
        "places_map_desc": "{n} places on the map; a point's size is the number of articles mentioning it. "
                           "The list below gives them all.",
        "on_map": "On the map",
        "not_on_map": "No known coordinates (not on the map)",
        "all_places": "All places",
    },
}


def text(lang: str) -> Mapping[str, Any]:
    """The charts' and maps' words in the site's language (English for others)."""
    return _TEXT[base_language(lang)]


def plural(forms: tuple[str, str], n: int, lang: str) -> str:
    """French counts 0 and 1 as singular, English only 1."""
    one = n <= 1 if base_language(lang) == "fr" else n == 1
    return forms[0 if one else 1].format(n=n)


# ---------------------------------------------------------------- periods

def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _month_of_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _periods(months: Counter) -> tuple[str, list[tuple[str, int]]]:
    """("month" | "year", every period from the first to the last with its count)."""
    first, last = _month_index(min(months)), _month_index(max(months))
    if last - first < MONTHLY_SPAN:
        return "month", [(m, months.get(m, 0)) for m in map(_month_of_index, range(first, last + 1))]
    years: Counter = Counter()
    for month, n in months.items():
        years[month[:4]] += n
    return "year", [(f"{y:04d}", years.get(f"{y:04d}", 0)) for y in range(first // 12, last // 12 + 1)]


def _label(period: str, lang: str) -> str:
    return period if len(period) == 4 else format_date(period, lang)


def _bars(periods: list[tuple[str, int]], lang: str, link=None, scale: int = 0) -> dict[str, Any]:
    """The chart's geometry: bar i at x = i·BAR, heights relative to the highest
    count (or to `scale`, for charts drawn side by side on one scale), and the
    headers of its table of counts (the text alternative)."""
    most = max((n for _, n in periods), default=0)
    scale = max(scale, most)
    words = text(lang)
    bars = []
    for i, (period, n) in enumerate(periods):
        height = round(n / scale * (HEIGHT - 1), 1) if scale else 0
        label = _label(period, lang)
        bars.append({"period": period, "label": label, "text": f"{label} — {plural(words['n_articles'], n, lang)}",
                     "count": n, "x": i * BAR,
                     "y": round(HEIGHT - height, 1), "width": BAR - GAP, "height": height,
                     "url": link(period) if link and n else None})
    peak = max(bars, key=lambda b: b["count"]) if bars else None
    return {"bars": bars, "width": max(len(bars), MIN_BARS) * BAR, "height": HEIGHT, "most": most,
            "first": bars[0]["label"] if bars else None, "last": bars[-1]["label"] if bars else None,
            "peak": peak, "listed": [b for b in bars if b["count"]],
            "th_period": words["period"], "th_count": words["articles"]}


# ---------------------------------------------------------------- entity pages

def mentions_chart(name: str, dates: Iterable[str | None], lang: str) -> dict[str, Any]:
    """The chart of an entity's articles by their publication dates: its bars
    (none when no article is dated), its words and the undated count."""
    months: Counter = Counter()
    undated = 0
    for date in dates:
        if date:
            months[date[:7]] += 1
        else:
            undated += 1
    words = text(lang)
    chart: dict[str, Any] = {"undated": undated,
                             "undated_text": plural(words["undated"], undated, lang) if undated else None,
                             "title": words["mentions_title"], "bars": []}
    if not months:
        return chart
    unit, periods = _periods(months)
    chart.update(_bars(periods, lang), unit=unit)
    desc = words["mentions_desc_month" if unit == "month" else "mentions_desc_year"]
    chart["desc"] = desc.format(name=name, first=chart["first"], last=chart["last"], peak=chart["peak"]["label"],
                                most=plural(words["n_articles"], chart["most"], lang))
    if undated:
        chart["desc"] += " " + chart["undated_text"] + "."
    return chart


# ---------------------------------------------------------------- the chronology

def timeline_charts(mentioned: Mapping[str, Iterable[str]], mentioned_months: Mapping[str, Iterable[str]],
                    lang: str) -> dict[str, Any] | None:
    """Articles that mention a date, by year (bars link to year pages), and
    for each year by month (bars link to month pages); None without dates.
    `mentioned`: day → article slugs; `mentioned_months`: month → slugs."""
    by_month: dict[str, set[str]] = defaultdict(set)
    for day, slugs in mentioned.items():
        by_month[day[:7]].update(slugs)
    for month, slugs in mentioned_months.items():
        by_month[month].update(slugs)
    if not by_month:
        return None
    by_year: dict[str, set[str]] = defaultdict(set)
    for month, slugs in by_month.items():
        by_year[month[:4]].update(slugs)
    words = text(lang)
    first, last = int(min(by_year)), int(max(by_year))
    years = [(f"{y:04d}", len(by_year.get(f"{y:04d}", ()))) for y in range(first, last + 1)]
    chart = _bars(years, lang, urls.year_url)
    chart.update(title=words["timeline_title"],
                 desc=words["timeline_desc"].format(first=chart["first"], last=chart["last"],
                                                    peak=chart["peak"]["label"],
                                                    most=plural(words["n_articles"], chart["most"], lang)))
    months = {}
    busiest = max(len(slugs) for slugs in by_month.values())  # one scale for all the years' months
    for year in sorted(by_year):
        periods = [(f"{year}-{m:02d}", len(by_month.get(f"{year}-{m:02d}", ()))) for m in range(1, 13)]
        months[year] = _bars(periods, lang, lambda p: urls.month_url(p[:4], p[5:7]), busiest)
        for bar in months[year]["bars"]:
            bar["short"] = month_name(int(bar["period"][5:7]), lang)[:3]
        months[year].update(title=words["year_title"].format(year=year), desc=words["year_desc"].format(year=year))
    return {"years": chart, "months": months}
