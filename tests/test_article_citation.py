"""Article pages: a plain-text citation with a visible permalink, and the reading time."""
from __future__ import annotations

import html

import pytest

from generator.site.citation import WORDS_PER_MINUTE, citation, reading_minutes, source_name

SOLEIMANI = "le-general-qassem-soleimani-tue-par-une-frappe-americaine-a-bagdad"
UNDATED = "une-lettre-de-lecteur-sans-date"
BASE = "https://example.org/archives/"


@pytest.mark.parametrize("words, minutes", [
    (0, 1), (10, 1), (WORDS_PER_MINUTE, 1), (int(WORDS_PER_MINUTE * 1.49), 1),
    (int(WORDS_PER_MINUTE * 1.5), 2), (WORDS_PER_MINUTE * 4, 4), (WORDS_PER_MINUTE * 10 + 100, 10),
])
def test_reading_time_is_words_at_230_a_minute_rounded_at_least_one(words, minutes):
    assert reading_minutes(" ".join(["mot"] * words)) == minutes


def test_source_is_the_original_host():
    assert source_name("https://www.lemonde.fr/a/b.html") == "lemonde.fr"
    assert source_name("https://journal.example/x") == "journal.example"
    assert source_name(None) is None and source_name("") is None


def test_citation_in_french_and_english():
    fr = citation("Titre", "https://www.lemonde.fr/x", "2020-01-03", "Archives", BASE + "articles/t/", "fr")
    assert fr == {"text": f"« Titre », lemonde.fr, 3 janvier 2020. Archives : {BASE}articles/t/",
                  "permalink": BASE + "articles/t/"}
    en = citation("Title", None, "2020-01-03T10:00:00", "Archive", BASE + "articles/t/", "en")
    assert en["text"] == f"\u201cTitle,\u201d January 3, 2020. Archive, {BASE}articles/t/"
    assert citation("T", None, None, "A", "u", "fr")["text"] == "« T », s. d. A : u"
    assert citation("T", None, None, "A", "u", "en")["text"] == "\u201cT,\u201d n.d. A, u"


def _page(built_sample, slug: str) -> str:
    return (built_sample / "public" / "articles" / slug / "index.html").read_text(encoding="utf-8")


def test_article_page_shows_citation_permalink_and_reading_time(built_sample):
    page = _page(built_sample, SOLEIMANI)
    permalink = f"{BASE}articles/{SOLEIMANI}/"
    assert "Citer cet article" in page
    # the permalink is shown whole, and links to the page itself (relative: the site works under any path)
    assert f'<a href="./" rel="bookmark">{permalink}</a>' in page
    title = "Le général Qassem Soleimani tué par une frappe américaine à Bagdad"
    cited = html.unescape(page.split('<pre class="citation">', 1)[1].split("</pre>", 1)[0])
    assert cited == f"« {title} », journal.example, 3 janvier 2020. Archives de test : {permalink}"
    record = (built_sample / "content" / f"{SOLEIMANI}.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    minutes = reading_minutes(record)
    assert f'<span class="reading-time">Temps de lecture : {minutes} minute{"s" if minutes > 1 else ""}</span>' in page
    # neither is indexed as article text
    assert page.index("data-pagefind-ignore", page.index('class="cite"') - 80) < page.index("Citer cet article")


def test_undated_article_is_cited_without_a_date(built_sample):
    cited = html.unescape(_page(built_sample, UNDATED).split('<pre class="citation">', 1)[1].split("</pre>", 1)[0])
    assert ", s. d. Archives de test : " in cited
