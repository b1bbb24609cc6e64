"""Day pages: each article once, with its role (published that day,
mentions that day, both) and the words it names the day with."""
from __future__ import annotations

import html
import re
from pathlib import Path

from generator.report import SilentReporter
from generator.site.day_listing import day_articles, day_quotes
from generator.site.library import index_records, read_records, scan_content

SAMPLE = Path(__file__).parent / "fixtures" / "sample-site"
SOLEIMANI = "le-general-qassem-soleimani-tue-par-une-frappe-americaine-a-bagdad"
TROOPS = "apres-les-tensions-avec-liran-les-usa-vont-reduire-leurs-troupes-en-irak"
MISSILES = "liran-tire-des-missiles-sur-des-bases-abritant-des-soldats-americains-en-irak"
PARLIAMENT = "le-parlement-irakien-vote-le-depart-des-troupes-etrangeres"


def sample_library():
    library, _ = index_records(read_records(scan_content(SAMPLE / "content"), SilentReporter()))
    return library


def test_each_article_once_with_its_role_and_quotes():
    library = sample_library()
    cards = {r.slug: {"slug": r.slug} for r in library.articles}
    entries = day_articles(library, "2020-01-03", cards)
    slugs = [e["slug"] for e in entries]
    assert len(slugs) == len(set(slugs))
    assert entries[0] == {"slug": SOLEIMANI, "role": "both", "quotes": ["ce vendredi 3 janvier"]}
    roles = {e["slug"]: e["role"] for e in entries}
    assert roles[TROOPS] == roles[MISSILES] == roles[PARLIAMENT] == "mentions"
    assert day_quotes(library, TROOPS, "2020-01-03") == ["le 3 janvier 2020"]
    assert all(e["quotes"] for e in entries if e["role"] != "published")


def test_an_article_only_published_that_day_has_no_quotes():
    library = sample_library()
    cards = {r.slug: {"slug": r.slug} for r in library.articles}
    for day, slugs in library.published.items():
        for entry in day_articles(library, day, cards):
            if entry["slug"] in slugs and entry["slug"] not in library.mentioned.get(day, ()):
                assert entry["role"] == "published" and entry["quotes"] == []
                return
    raise AssertionError("the sample has an article that does not mention its own day")


def test_day_page_shows_roles_quotes_and_counts(built_sample):
    page = (built_sample / "public" / "dates" / "2020-01-03" / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<li class="card role-(\w+)".*?</li>', page, re.S)
    assert cards[0] == "both" and set(cards[1:]) == {"mentions"}
    first = page.split('<li class="card role-both"', 1)[1].split("</li>", 1)[0]
    assert "Publié ce jour-là, et le cite" in first and "« ce vendredi 3 janvier »" in html.unescape(first)
    assert "« le 3 janvier 2020 »" in html.unescape(page)
    assert "Cite ce jour" in page
    assert "1 article publié ce jour-là" in page and f"{len(cards)} articles citent ce jour" in page
