"""Any length: the NLP model reads a long text in pieces cut where the text
breaks, within its limit and a bounded batch, and the tags of the whole are
those of its pieces put together (mention counts add up, positions are the
whole text's)."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

import generator.enrich as enrich
import generator.enrich.entities as entities
from generator.cli import main
from generator.enrich.entities import BATCH_CHARS, find_mentions, installed_model
from generator.enrich.pieces import pieces
from generator.records import parse_record
from fakes import FRENCH_MODEL

PEOPLE = ["Emmanuel Macron", "Angela Merkel", "Christine Lagarde"]
PLACES = ["Berlin", "Lyon", "Genève"]


def long_article(megabytes: float) -> str:
    """Paragraphs naming people and places, every one different."""
    pick = random.Random(7).choice
    paragraphs, size = [], 0
    while size < megabytes * 1_000_000:
        paragraph = (f"Lors de la séance {len(paragraphs)}, {pick(PEOPLE)} a rencontré {pick(PEOPLE)} à "
                     f"{pick(PLACES)}. Selon plusieurs sources, la réunion a duré plus de trois heures et "
                     f"les discussions ont porté sur le budget de l’année prochaine. ") * 2
        paragraphs.append(paragraph.strip())
        size += len(paragraph) + 2
    return "Un très long rapport sur les réunions européennes\n\n" + "\n\n".join(paragraphs) + "\n"


# ---------------------------------------------------------------- pieces

def test_pieces_cover_the_text_in_order_each_within_the_limit():
    text = long_article(0.05)
    found = list(pieces(text, 1000))
    assert len(found) > 40
    assert "".join(piece for _, piece in found) == text
    for offset, piece in found:
        assert text[offset:offset + len(piece)] == piece and len(piece) <= 1000


def test_pieces_end_at_a_paragraph_else_a_sentence_else_a_word():
    paragraphs = "Premier paragraphe assez court.\n\nSecond paragraphe.\n\n" * 20
    assert all(piece.endswith("\n\n") for _, piece in list(pieces(paragraphs, 200))[:-1])
    one_paragraph = "Une phrase de longueur moyenne, sans rien de particulier. " * 40
    assert all(piece.endswith(". ") for _, piece in list(pieces(one_paragraph, 200))[:-1])
    no_sentence = "mot " * 200
    assert all(piece.endswith("mot ") for _, piece in list(pieces(no_sentence, 150))[:-1])
    assert [len(p) for _, p in pieces("x" * 25, 10)] == [10, 10, 5]  # one endless "word": cut anyway


def test_a_short_text_is_one_piece():
    assert list(pieces("Un court article.\n\nDeux paragraphes.")) == [(0, "Un court article.\n\nDeux paragraphes.")]
    assert list(pieces("")) == [(0, "")]


# ---------------------------------------------------------------- the model on pieces

needs_model = pytest.mark.skipif(installed_model(FRENCH_MODEL) is None, reason=f"{FRENCH_MODEL} not installed")


@needs_model
def test_spans_of_a_text_read_in_pieces_are_those_of_the_whole_text_at_the_right_places(monkeypatch):
    nlp = entities.load_model(FRENCH_MODEL)
    text = long_article(0.02)
    whole = [(e.text, e.label_, e.start_char, e.end_char) for e in nlp(text).ents]
    monkeypatch.setattr(entities, "PIECE_CHARS", 1500)
    assert len(list(pieces(text, 1500))) > 10
    (found,) = find_mentions(nlp, [text])
    assert [(m.text, m.label, m.start, m.end) for m in found] == whole
    assert all(text[m.start:m.end] == m.text for m in found)


# ---------------------------------------------------------------- 5 MB through ingest

def fast_stand_in_model(name: str):
    """A blank French pipeline that finds the test's names (the real model
    needs about a minute for 5 MB); its limit is spaCy's default, a million
    characters, and it records the characters of each batch it is given."""
    import spacy

    nlp = spacy.blank("fr")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PER", "pattern": name} for name in PEOPLE]
                       + [{"label": "LOC", "pattern": name} for name in PLACES])
    assert nlp.max_length == 1_000_000
    real_pipe = nlp.pipe
    nlp.batch_chars = []

    def pipe(texts, **kwargs):
        texts = list(texts)
        nlp.batch_chars.append(sum(len(t[0] if isinstance(t, tuple) else t) for t in texts))
        return real_pipe(texts, **kwargs)

    nlp.pipe = pipe
    models.append(nlp)
    return nlp


models: list = []


def test_a_5_mb_article_gets_its_tags_with_counts_that_add_up(tmp_path: Path, monkeypatch):
    site = tmp_path
    (site / "seeds").mkdir()
    (site / "site.toml").write_text('title = "T"\nlanguage = "fr"\n', encoding="utf-8")
    text = long_article(5)
    (site / "seeds" / "long_report.txt").write_text(text, encoding="utf-8")
    assert (site / "seeds" / "long_report.txt").stat().st_size > 5_000_000
    monkeypatch.setattr(enrich, "load_model", fast_stand_in_model)
    result = CliRunner().invoke(main, ["ingest", "--site", str(site)], obj={})
    assert result.exit_code == 0, result.output
    (path,) = (site / "content").glob("*.md")
    record = parse_record(path.read_text(encoding="utf-8"), path)
    people = {tag.name: tag.mentions for tag in record.entities.person}
    assert people == {name: text.count(name) for name in PEOPLE}
    places = {tag.name: tag.mentions for tag in record.entities.place}
    assert places == {name: text.count(f"à {name}") for name in PLACES}
    # the model never held more than one bounded batch
    assert max(models[-1].batch_chars) <= BATCH_CHARS and len(models[-1].batch_chars) > 20
