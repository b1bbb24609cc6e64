"""Month pages of the chronology: articles published in a month, and the
articles of other months that mention the month or its days (issue 13)."""
from __future__ import annotations

import datetime as dt

from generator import urls
from generator.enrich.dates import find_dates
from generator.model import MentionedDate, Record
from generator.site.library import index_records
from generator.site.views import Site, archive_pages, timeline_page

SITE = Site("Archives", "", "fr", "https://example.org/", 10, 10, 100, 40)


def record(slug, date, mentioned=()):
    return Record(title=slug, slug=slug, lang="fr", date=date, date_source="source" if date else "unknown",
                  summary="", body="Texte.", mentioned_dates=tuple(MentionedDate(d, d) for d in mentioned))


def library(*records):
    lib, _ = index_records([(r, f"content/{r.slug}.md", r.slug) for r in records])
    return lib


def pages_by_url(lib):
    cards = {r.slug: {"title": r.title, "url": urls.article_url(r.slug), "slug": r.slug} for r in lib.articles}
    return {p.url: p for p in archive_pages(lib, cards, SITE)}


def test_a_month_mention_is_kept_as_a_month():
    tags = find_dates("La digue avait cédé en mai 2019, puis en novembre dernier.", "fr", dt.date(2020, 3, 2))
    assert tags == (MentionedDate("2019-05", "en mai 2019"), MentionedDate("2019-11", "novembre dernier"))


def test_the_month_page_lists_the_articles_of_other_months_that_mention_it_or_its_days():
    lib = library(
        record("published-in-may", "2019-05-20", mentioned=["2019-05", "2019-05-18"]),
        record("a-year-later", "2020-05-04", mentioned=["2019-05"]),
        record("a-day-of-may", "2019-09-01", mentioned=["2019-05-12", "2019-09-01"]),
        record("no-date", None, mentioned=["2019-05"]),
    )
    assert lib.mentioned_months == {"2019-05": ("a-year-later", "published-in-may", "no-date")}
    may = pages_by_url(lib)[urls.month_url("2019", "05")].context
    # published in May: listed once, among the published
    assert [c["slug"] for c in may["articles"]] == ["published-in-may"]
    # other months' articles, newest first, each with the dates of May it mentions
    assert [c["slug"] for c in may["mentioning"]] == ["a-year-later", "a-day-of-may"]
    assert [d["date"] for d in may["mentioning"][1]["mentioned"]] == ["2019-05-12"]
    assert may["mentioning"][1]["mentioned"][0]["url"] == urls.day_url("2019-05-12")
    assert [d["date"] for d in may["days"]] == ["2019-05-12", "2019-05-18"]
    assert may["month"]["count"] == 1 and may["month"]["mentions"] == 2


def test_a_month_that_is_only_mentioned_has_its_page_and_its_place_in_the_year():
    lib = library(record("souvenir", "2018-06-01", mentioned=["1968-05"]))
    pages = pages_by_url(lib)
    assert urls.month_url("1968", "05") in pages
    year = pages[urls.year_url("1968")].context["year"]
    assert year["count"] == 0 and [(m["month"], m["mentions"]) for m in year["months"]] == [("05", 1)]
    timeline = timeline_page(lib, SITE).context["years"]
    assert timeline[0]["year"] == "1968"
    assert timeline[0]["months"][0]["url"] == urls.month_url("1968", "05")
    assert timeline[0]["months"][0]["count"] == 1 and timeline[0]["months"][0]["days"] == []


def test_an_article_links_a_month_it_mentions_to_the_month_page():
    from generator.site.views import article_page

    lib = library(record("souvenir", "2018-06-01", mentioned=["1968-05", "1968-05-13"]))
    rec = lib.article("souvenir")
    cards = {"souvenir": {"title": "souvenir", "url": urls.article_url("souvenir")}}
    page = article_page(rec, lib, (), "<p>Texte.</p>", cards, SITE)
    links = [(d["date"], d["url"]) for d in page.context["article"]["mentioned_dates"]]
    assert links == [("1968-05", urls.month_url("1968", "05")), ("1968-05-13", urls.day_url("1968-05-13"))]
