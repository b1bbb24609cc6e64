"""The chronology's pages (pure): archive/ (years and months), archive/yyyy/
(its months), archive/yyyy/mm/ (its articles), archive/undated/, the day
pages dates/yyyy-mm-dd/ and the timeline dates/.

A month page is the month of the chronology: the articles published in
it, then the articles published at another time that mention the month
("en mai 2019") or one of its days, each with the dates of that month it
mentions, and the month's mentioned days (links to their day pages).
An article published in the month is listed once, among the published,
even when it mentions the month too; an undated one is left out, as
from every archive page. A month that only articles of other
months mention has a page as well, so that every date of the timeline
has one; the year and archive pages count its mentions apart.

Each page is planned on its own from an ArchiveIndex (archive_index.py):
a month's page reads that month, a day's page that day.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Mapping

from generator import urls
from generator.site import charts
from generator.site.archive_index import ArchiveIndex
from generator.site.day_listing import day_articles
from generator.site.i18n import format_date, month_name
from generator.site.library import Library
from generator.site.page_values import OutputPage, Site, chunks, pagination


def year_entry(index: ArchiveIndex, year: str, lang: str) -> dict[str, Any]:
    """A year as the archive and its year page show it: its months, with the
    articles published in each and those of other months that mention it."""
    months = [
        {"month": m[5:7], "name": month_name(int(m[5:7]), lang), "url": urls.month_url(year, m[5:7]),
         "count": len(index.published(m)), "mentions": len(index.mentioning(m))}
        for m in index.months_by_year[year]
    ]
    return {"year": year, "url": urls.year_url(year), "months": months,
            "count": sum(m["count"] for m in months), "mentions": sum(m["mentions"] for m in months)}


def archive_index_page(index: ArchiveIndex, site: Site) -> OutputPage:
    years = [year_entry(index, year, site.language) for year in index.months_by_year]
    count = len(index.undated)
    undated_link = {"url": urls.ARCHIVE_UNDATED, "count": count} if count else None  # listed apart, paginated
    return OutputPage(urls.ARCHIVE, "archive.html", {"years": years, "undated": undated_link},
                      "archive index", site.language, "listing")


def year_page(index: ArchiveIndex, year: str, site: Site) -> OutputPage:
    entry = year_entry(index, year, site.language)
    return OutputPage(entry["url"], "year.html", {"year": entry}, f"archive {year}", site.language, "listing")


def month_page(index: ArchiveIndex, month: str, cards: Mapping[str, dict], site: Site) -> OutputPage:
    """archive/yyyy/mm/. Of its year, only what the page shows (its number
    and link): the other months' counts would tie it to the whole year."""
    year, number = month[:4], month[5:7]
    library = index.library
    by_slug = index.mentions(month)
    mentioning = index.mentioning(month)
    entry = {"month": number, "name": month_name(int(number), site.language), "url": urls.month_url(year, number),
             "count": len(index.published(month)), "mentions": len(mentioning)}
    context = {
        "year": {"year": year, "url": urls.year_url(year)},
        "month": entry,
        "articles": [cards[s] for s in index.published(month)],
        "mentioning": [{**cards[s], "mentioned": [_mentioned_date(d, library, site, counted=False)
                                                  for d in sorted(by_slug[s])]}
                       for s in mentioning],
        "days": [_mentioned_date(day, library, site) for day in index.days_mentioned_in(month)],
    }
    return OutputPage(entry["url"], "month.html", context, f"archive {month}", site.language, "listing")


def archive_pages(library: Library, cards: Mapping[str, dict], site: Site) -> list[OutputPage]:
    """archive/, then each year's page followed by its months' pages, newest first."""
    index = ArchiveIndex(library)
    pages = [archive_index_page(index, site)]
    for year, months in index.months_by_year.items():
        pages.append(year_page(index, year, site))
        pages += [month_page(index, month, cards, site) for month in months]
    return pages


def undated_archive_pages(index: ArchiveIndex, cards: Mapping[str, dict], site: Site) -> list[OutputPage]:
    """archive/undated/ (page/N/): the articles without a publication date, in
    listing order (undated.py), paginated like every listing; none when there is none."""
    records = index.undated
    if not records:
        return []
    pieces = chunks([cards[r.slug] for r in records], site.per_page)
    return [OutputPage(urls.page_url(urls.ARCHIVE_UNDATED, n), "undated.html",
                       {"articles": chunk, "count": len(records),
                        "pagination": pagination(urls.ARCHIVE_UNDATED, n, len(pieces))},
                       f"undated archive page {n}", site.language, "listing")
            for n, chunk in enumerate(pieces, 1)]


def _mentioned_date(date: str, library: Library, site: Site, counted: bool = True) -> dict[str, Any]:
    """A mentioned day or month as a listing shows it: its words and its page
    (a day's page; a month is the page it is shown on), and with `counted`
    the number of articles that mention it (shown beside a month's days,
    not beside the dates an article cites)."""
    day = len(date) == 10
    shown = {"date": date, "date_text": format_date(date, site.language), "url": urls.day_url(date) if day else None}
    if counted:
        shown["count"] = len(library.mentioned.get(date, ())) if day else len(library.mentioned_months.get(date, ()))
    return shown


def day_page(index: ArchiveIndex, day: str, cards: Mapping[str, dict], site: Site) -> OutputPage:
    library = index.library
    previous, following = index.neighbours(day)
    context = {
        "day": {"date": day, "date_text": format_date(day, site.language),
                # every mentioned or published day's month has its page
                "month_url": urls.month_url(day[:4], day[5:7])},
        # each article once, with its role and the words it names the day with
        "articles": day_articles(library, day, cards),
        "published_count": len(library.published.get(day, ())),
        "mentioning_count": len(library.mentioned.get(day, ())),
        "previous": urls.day_url(previous) if previous else None,
        "next": urls.day_url(following) if following else None,
    }
    return OutputPage(urls.day_url(day), "day.html", context, f"day {day}", site.language, "listing")


def timeline_page(library: Library, site: Site) -> OutputPage:
    """The mentioned days and months, by year and month, oldest first; each
    month links to its page and counts the articles that mention it as a whole."""
    years: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for day, slugs in library.mentioned.items():
        years[day[:4]][day[5:7]].append({"date": day, "date_text": format_date(day, site.language),
                                         "url": urls.day_url(day), "count": len(slugs)})
    for month in library.mentioned_months:
        years[month[:4]][month[5:7]]  # a month mentioned only as a whole has its place too
    timeline = [
        {"year": y, "months": [
            {"name": month_name(int(m), site.language), "url": urls.month_url(y, m),
             "count": len(library.mentioned_months.get(f"{y}-{m}", ())), "days": years[y][m]}
            for m in sorted(years[y])]}
        for y in sorted(years)
    ]
    chart = charts.timeline_charts(library.mentioned, library.mentioned_months, site.language)
    return OutputPage(urls.TIMELINE, "timeline.html", {"years": timeline, "chart": chart}, "timeline", site.language,
                      "listing")
