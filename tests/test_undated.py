"""An archive with no publication date at all (real scraped articles often
have none): listings in a stable order and paginated, cards that do not
repeat "date inconnue", a feed that parses and says no 1970, related articles
not labelled by time."""
from __future__ import annotations

import re
from dataclasses import replace
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.config import load_config
from generator.model import Entities, EntityTag, MentionedDate, Record
from generator.records import record_to_text
from generator.report import SilentReporter
from generator.site.build import build_site
from generator.site.library import index_records
from generator.site.undated import undated_order

ATOM = "{http://www.w3.org/2005/Atom}"
PEOPLE = ["Anne Hidalgo", "Jean Castex", "Olivier Véran", "Agnès Buzyn"]


def record(n: int, mentioned=(), date=None, updated=None) -> Record:
    return Record(
        title=f"Article numéro {n:02d}", slug=f"article-{n:02d}", lang="fr", date=date,
        date_source="source" if date else "unknown", summary=f"Résumé {n}.", body=f"Texte de l’article {n}.",
        entities=Entities(person=(EntityTag(PEOPLE[n % 4], 2), EntityTag(PEOPLE[(n + 1) % 4], 1)),
                          place=(EntityTag("Paris", 1),), organization=(EntityTag(f"Groupe {n // 2}", 1),)),
        mentioned_dates=tuple(MentionedDate(d, d) for d in mentioned), updated=updated,
    )


def make_site(root: Path, records: list[Record], per_page: int = 10) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(
        f'title = "Sans dates"\nlanguage = "fr"\nbase_url = "https://example.org/a/"\n\n'
        f'[build]\nper_page = {per_page}\nrelated = 3\nfeed_items = 20\n', encoding="utf-8")
    for r in records:
        (root / "content" / f"{r.slug}.md").write_text(record_to_text(r), encoding="utf-8")
    return root


def build(site: Path) -> Path:
    build_site(load_config(site), reporter=SilentReporter())
    return site / "public"


def read(public: Path, url: str) -> str:
    return (public / url / "index.html").read_text(encoding="utf-8")


# 25 undated articles: 20 mention a date (article n: the n-th day of 2019), 5 mention none
UNDATED = [record(n, mentioned=[f"2019-01-{n:02d}", "2018-06"]) for n in range(1, 21)] + \
          [record(n) for n in range(21, 26)]


@pytest.fixture(scope="module")
def no_dates(tmp_path_factory) -> Path:
    return build(make_site(tmp_path_factory.mktemp("no-dates") / "site", UNDATED))


def test_undated_order_is_by_the_latest_date_stated_then_by_title():
    library, _ = index_records([(r, r.slug, r.slug) for r in reversed(UNDATED)])
    assert [r.slug for r in library.articles] == [f"article-{n:02d}" for n in [*range(20, 0, -1), *range(21, 26)]]
    # an update date counts; a month sorts before the days of that month; the same order from any input order
    records = [record(1, ["2020-05"]), record(2, ["2020-05-02"]), record(3, updated="2021-01-01T10:00:00"), record(4)]
    assert [r.slug for r in undated_order(records)] == ["article-03", "article-02", "article-01", "article-04"]
    assert undated_order(records[::-1]) == undated_order(records)


def test_listings_are_paginated_like_every_listing(no_dates):
    home = read(no_dates, "")
    assert "Page 1 sur 3" in home and (no_dates / "page" / "3" / "index.html").is_file()
    assert home.index("Article numéro 20") < home.index("Article numéro 19")  # latest date mentioned first
    assert "Article numéro 21" in read(no_dates, "page/3/")  # those that mention no date come last
    archive = read(no_dates, "archive/")
    assert '<a href="undated/">Articles sans date</a> <span class="count">25</span>' in archive
    assert 'class="card"' not in archive  # no longer one endless page
    first, last = read(no_dates, "archive/undated/"), read(no_dates, "archive/undated/page/3/")
    assert "Page 1 sur 3" in first and first.count('class="card"') == 10
    assert '<nav class="pagination"' in first and 'rel="next" href="page/2/"' in first
    assert last.count('class="card"') == 5 and "Article numéro 25" in last
    assert not (no_dates / "archive" / "undated" / "page" / "4").exists()


def test_cards_do_not_repeat_date_inconnue(no_dates):
    for url in ("", "page/3/", "archive/undated/", "archive/undated/page/3/", "people/anne-hidalgo/", "places/paris/"):
        assert "date inconnue" not in read(no_dates, url), url
    home = read(no_dates, "")
    # a card shows the latest date its article mentions, said as such
    assert 'Dernière date citée : <time datetime="2019-01-20">20 janvier 2019</time>' in home
    assert home.count("Dernière date citée") == 10
    # a card of an article that mentions no date shows no date line at all
    last = read(no_dates, "page/3/").split("Article numéro 25", 1)[1].split("</li>", 1)[0]
    assert 'class="meta' not in last
    # the article page itself still says it is undated, once
    assert read(no_dates, "articles/article-07/").count("date inconnue") == 1


def test_the_feed_parses_and_has_no_1970_date(no_dates):
    text = (no_dates / "feed.xml").read_text(encoding="utf-8")
    assert "1970" not in text
    feed = ET.fromstring(text)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 20  # feed_items undated entries, in listing order
    assert feed.find(f"{ATOM}updated").text == "2019-01-20T00:00:00Z"  # the latest date a record states
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == "https://example.org/a/articles/article-20/"
    assert first.find(f"{ATOM}updated").text == "2019-01-20T00:00:00Z"
    assert first.find(f"{ATOM}category").get("term") == "undated"
    assert first.find(f"{ATOM}published") is None  # no publication date is invented
    for entity_feed in no_dates.glob("*/*/feed.xml"):
        root = ET.parse(entity_feed).getroot()
        assert root.findall(f"{ATOM}entry") and "1970" not in entity_feed.read_text(encoding="utf-8")


def test_related_articles_are_not_labelled_by_time(no_dates):
    pages = list((no_dates / "articles").glob("*/index.html"))
    related = [p.read_text(encoding="utf-8") for p in pages]
    assert len(pages) == 25 and sum("Articles liés" in page for page in related) >= 24  # all but article 1
    for page in related:
        assert "avant cet article" not in page and "après cet article" not in page
        assert ("Articles liés" in page) == ('class="related-untimed"' in page)


def test_time_labels_only_when_both_articles_are_dated(tmp_path):
    topic = Entities(organization=(EntityTag("Sujet A", 1), EntityTag("Sujet B", 1)))
    records = [replace(record(2, date="2020-01-01"), entities=topic), replace(record(3, date="2020-02-01"), entities=topic),
               replace(record(4, mentioned=["2020-06"], updated="2021-03-04T10:00:00"), entities=topic)] + [record(n, date="2019-01-01") for n in range(10, 20)]
    public = build(make_site(tmp_path / "site", records))
    dated = read(public, "articles/article-02/")
    later = dated.split("Suites : après cet article", 1)[1]
    assert "article-03" in later.split("related-untimed", 1)[0]  # dated and later: a follow-up
    assert "article-04" in dated.split("related-untimed", 1)[1]  # undated: related, without a time
    # an undated card whose latest date is its update date says so
    home = read(public, "page/2/")  # 12 dated articles first
    assert 'Mis à jour : <time datetime="2021-03-04">4 mars 2021</time>' in home
    assert "Dernière date citée" not in home
    undated = read(public, "articles/article-04/")
    assert "avant cet article" not in undated and "après cet article" not in undated
    # the feed holds the dated articles only
    feed = ET.parse(public / "feed.xml").getroot()
    assert [e.find(f"{ATOM}id").text.rsplit("/", 2)[1] for e in feed.findall(f"{ATOM}entry")] == \
        ["article-03", "article-02"] + [f"article-{n}" for n in range(19, 9, -1)]


def test_an_archive_that_states_no_date_at_all_gets_the_build_day(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733616000")  # 2024-12-08
    public = build(make_site(tmp_path / "site", [record(n) for n in range(1, 4)]))
    text = (public / "feed.xml").read_text(encoding="utf-8")
    feed = ET.fromstring(text)
    assert feed.find(f"{ATOM}updated").text == "2024-12-08T00:00:00Z" and "1970" not in text
    assert [e.find(f"{ATOM}updated").text for e in feed.findall(f"{ATOM}entry")] == ["2024-12-08T00:00:00Z"] * 3
    assert re.search(r"<updated>\d{4}-\d\d-\d\dT00:00:00Z</updated>", (public / "feed.xml").read_text())
