"""Titles for untitled text, titles within their limit, and HTML seeds:
summary, title, what the extractor removed, the source line on the page.
One fixture per case under tests/fixtures/seeds/, named after it."""
from __future__ import annotations

from pathlib import Path

import pytest

from fakes import FakeEnricher, ingest_fixtures as ingest
from generator.config import load_config
from generator.ingest.seeds import extractor_removals
from generator.ingest.title import DERIVED_TITLE_CHARS, TITLE_MAX_CHARS, cut, reads_as_paragraph, derived_title
from generator.records import parse_record
from generator.report import SilentReporter
from generator.site.build import build_site

FIXTURES = Path(__file__).parent / "fixtures" / "seeds"


def only_record(site: Path):
    paths = sorted((site / "content").glob("*.md"))
    assert len(paths) == 1, paths
    return parse_record(paths[0].read_text(encoding="utf-8"), paths[0])


def words(text: str) -> list[str]:
    return text.replace("\\", "").split()


# ---------------------------------------------------------------- untitled text

def test_untitled_one_line_text_gets_a_title_from_its_lead_sentence(site):
    result = ingest(site, "untitled_one_line.txt")
    assert result.exit_code == 0, result.stderr
    record = only_record(site)
    assert record.title_source == "derived"
    assert record.title == ("Le conseil municipal de Montréal a adopté mardi soir un budget "
                            "de 6,2 milliards de dollars pour l’année…")
    assert len(record.title) <= DERIVED_TITLE_CHARS
    # the whole text stays in the body, the lead sentence included
    raw = (FIXTURES / "untitled_one_line.txt").read_text(encoding="utf-8")
    assert words(record.body) == raw.split()
    assert record.summary.startswith("Le conseil municipal de Montréal a adopté") and record.summary != record.title


def test_a_derived_title_is_not_tagged_twice(site):
    """The tagger reads the body alone: the derived title is a cut of its lead
    sentence (a name cut by the ellipsis would become a name of its own)."""
    enricher = FakeEnricher()
    assert ingest(site, "untitled_one_line.txt", "titled_text_keeps_first_line.txt", enricher=enricher).exit_code == 0
    seen = {item.body.split()[0]: item.title for item in enricher.seen}
    assert seen == {"Le": "", "Les": "Faut-il avoir peur de la hausse des taux ?"}


def test_paragraph_first_line_stays_in_the_body(site):
    assert ingest(site, "paragraph_first_line.txt").exit_code == 0
    record = only_record(site)
    assert record.title_source == "derived"
    assert record.title == "La présence militaire américaine en Irak sera bientôt réduite"
    assert record.body.startswith("La présence militaire américaine en Irak sera bientôt réduite. C’est du moins")
    assert "## Lutte contre l’EI" in record.body  # sub-headings still found
    # the summary is the lead paragraph, not the title
    assert record.summary.startswith("La présence militaire américaine en Irak sera bientôt réduite. C’est")


def test_titled_text_keeps_its_first_line(site):
    assert ingest(site, "titled_text_keeps_first_line.txt").exit_code == 0
    record = only_record(site)
    assert (record.title, record.title_source) == ("Faut-il avoir peur de la hausse des taux ?", "first-line")
    assert not record.body.startswith("Faut-il")
    assert record.summary.startswith("Les banques centrales ont relevé leurs taux")


def test_a_bare_dateline_is_never_the_title(site):
    assert ingest(site, "dateline_then_untitled_paragraph.txt").exit_code == 0
    record = only_record(site)
    assert record.title_source == "derived"
    assert record.title == "Une chenille envahissante est arrivée en Savoie : la pyrale du buis"
    assert record.body.startswith("16 août 2016")  # kept, where the dateline reader finds it
    assert record.summary.startswith("Une chenille envahissante")  # the lead paragraph, not the dateline


def test_one_line_article_that_starts_like_boilerplate_is_kept(site):
    assert ingest(site, "one_line_starting_like_boilerplate.txt").exit_code == 0
    record = only_record(site)
    assert record.body.startswith("Sur le même sujet, les élus du canton")
    assert record.removed == ()


def test_nothing_left_after_cleaning_says_what_was_found(site):
    result = ingest(site, "nothing_left_after_cleaning.txt")
    assert result.exit_code == 1
    assert ("nothing_left_after_cleaning.txt: nothing left after cleaning: 5 line(s), all boilerplate "
            "(ad-marker, comment-form, lone-punctuation, share-prompt): not an article") in result.stderr


# ---------------------------------------------------------------- the limit

def test_over_long_html_title_is_cut_and_kept_whole_in_the_body(site):
    assert ingest(site, "overlong_title.html").exit_code == 0
    record = only_record(site)
    full = ("Le gouvernement annonce un vaste plan de rénovation des écoles, des collèges et des lycées, "
            "financé par un emprunt national et par une taxe sur les transactions financières")
    assert record.title_source == "html"
    assert len(record.title) <= TITLE_MAX_CHARS and record.title.endswith("…")
    assert full.startswith(record.title[:-1])
    assert record.body.startswith(full + "\n")
    assert record.summary.startswith("Le plan prévoit la rénovation")


def test_over_long_front_matter_title_is_cut_and_kept_whole_in_the_body(site):
    assert ingest(site, "overlong_title_front_matter.md").exit_code == 0
    record = only_record(site)
    assert len(record.title) <= TITLE_MAX_CHARS and record.title.endswith("…")
    assert record.body.startswith("Le gouvernement annonce un vaste plan")
    assert record.summary == "Le plan prévoit la rénovation de quatre mille établissements en dix ans."


@pytest.mark.parametrize("line, paragraph", [
    ("Les USA vont réduire leurs troupes en Irak", False),
    ("Faut-il avoir peur de la hausse des taux ?", False),
    ("Burundi : Gildas Yihundimpundu libéré !", False),
    ("M. Macron reçoit J.-Y. Le Drian à l’Élysée", False),
    ("Le conseil municipal a adopté le budget mardi soir.", True),
    ("Il pleut. Les routes sont fermées", False),  # does not end as a sentence: a headline
    ("Il pleut. Les routes sont fermées.", True),
    ("Les résultats annoncés par départements donnent :", True),
    ("政府は新しい計画を発表した。詳細は来週明らかにされる。", True),
    ("x" * (TITLE_MAX_CHARS + 1), True),
])
def test_what_reads_as_a_paragraph(line, paragraph):
    assert reads_as_paragraph(line) is paragraph


def test_titles_are_cut_at_a_word_with_an_ellipsis():
    assert cut("un deux trois quatre", 13) == "un deux…"
    assert cut("un deux", 13) == "un deux"
    assert derived_title("M. Dupont est arrivé à Paris. Il repart demain.") == "M. Dupont est arrivé à Paris"


# ---------------------------------------------------------------- HTML seeds

def test_html_summary_title_and_cleaning(site):
    assert ingest(site, "html_title_repeated_byline_lead.html").exit_code == 0
    record = only_record(site)
    assert record.title == "Le lac d’Annecy atteint un niveau record"
    # the title is not repeated as the first paragraph, the summary is the lead paragraph
    assert record.body.startswith("Après trois semaines de pluies continues")
    assert record.summary.startswith("Après trois semaines de pluies continues")
    removed = [(r.text, r.rule) for r in record.removed]
    assert ("Le lac d’Annecy atteint un niveau record", "title-repeated") in removed
    extractor = [text for text, rule in removed if rule == "html-extractor"]
    assert "Accueil | Annecy | Sport" in extractor  # the menu, as one block
    assert "Par Jeanne Martin" in extractor  # the byline trafilatura left out
    assert any("Mentions légales" in text for text in extractor)
    assert not any("niveau du lac" in text for text in extractor)  # nothing of the article


def test_what_the_extractor_removed_is_bounded():
    menu = "".join(f"<div><a href='/{i}'>Rubrique numéro {i}</a></div><p>Texte de l’article {i}.</p>"
                   for i in range(200))
    kept = "\n".join(f"Texte de l’article {i}." for i in range(200))
    removed = extractor_removals(f"<html><body>{menu}<footer>{'mot ' * 500}</footer></body></html>", kept)
    assert len(removed) <= 41
    assert all(len(r.text) < 400 for r in removed)
    assert "more block(s)" in removed[-1].text and "sha256" in removed[-1].text


# ---------------------------------------------------------------- the page

def test_source_line_shows_the_url_never_the_seed_path(site):
    assert ingest(site, "html_title_repeated_byline_lead.html", "titled_text_keeps_first_line.txt").exit_code == 0
    build_site(load_config(site), reporter=SilentReporter())
    pages = {p.parent.name: p.read_text(encoding="utf-8") for p in (site / "public" / "articles").glob("*/index.html")}
    with_url = pages["le-lac-d-annecy-atteint-un-niveau-record"]
    assert 'href="https://gazette-alpes.example/annecy/lac-niveau-record"' in with_url
    without_url = pages["faut-il-avoir-peur-de-la-hausse-des-taux"]
    assert 'class="source"' not in without_url
    for page in pages.values():
        assert "seeds/" not in page
