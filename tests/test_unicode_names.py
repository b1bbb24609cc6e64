"""Unicode hygiene: soft hyphens, zero-width characters, no-break and narrow
spaces and apostrophe look-alikes never split one name into two. The body
keeps the text as written; the model and the match keys read its
comparable view."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.config import load_config
from generator.enrich import EnrichInput, Enricher
from generator.enrich.aliases import match_key
from generator.enrich.entities import installed_model
from generator.enrich.normalise import comparable
from generator.records import parse_record
from generator.report import SilentReporter
from fakes import FRENCH_MODEL

FIXTURES = Path(__file__).parent / "fixtures" / "seeds"

INVISIBLE = {"soft hyphen": "\u00ad", "zero-width space": "\u200b", "zero-width non-joiner": "\u200c",
             "zero-width joiner": "\u200d", "word joiner": "\u2060", "byte-order mark": "\ufeff"}
SPACES = {"no-break space": "\u00a0", "narrow no-break space": "\u202f", "figure space": "\u2007",
          "thin space": "\u2009"}
APOSTROPHES = {"modifier letter apostrophe": "ʼ", "backtick": "`", "acute accent": "´", "left quote": "‘"}


@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_an_invisible_character_inside_a_name_leaves_its_match_key_alone(char):
    assert match_key(f"Emma{char}nuel Ma{char}cron") == match_key("Emmanuel Macron")
    assert comparable(f"Ma{char}cron") == "Macron"


@pytest.mark.parametrize("char", SPACES.values(), ids=SPACES.keys())
def test_any_space_between_words_is_one_space(char):
    assert match_key(f"Emmanuel{char}Macron") == match_key("Emmanuel Macron")
    assert comparable(f"Emmanuel{char}Macron") == "Emmanuel Macron"
    # beside a space or at an end it splits no name: left to cleaning
    assert comparable(f"État{char} Vérifié") == f"État{char} Vérifié"
    assert comparable(f"Non{char}") == f"Non{char}"


@pytest.mark.parametrize("char", APOSTROPHES.values(), ids=APOSTROPHES.keys())
def test_an_apostrophe_look_alike_inside_a_word_is_the_apostrophe(char):
    assert comparable(f"l{char}Élysée") == "l’Élysée"
    assert match_key(f"l{char}Élysée") == match_key("l'Élysée")


def test_a_quote_mark_that_opens_a_quotation_stays_a_quote():
    assert comparable("il a dit ‘non’ hier") == "il a dit ‘non’ hier"


# ---------------------------------------------------------------- with the model

needs_model = pytest.mark.skipif(installed_model(FRENCH_MODEL) is None, reason=f"{FRENCH_MODEL} not installed")
SENTENCE = ("Le président {macron} a reçu mardi la chancelière Angela Merkel à Paris, "
            "avant une visite à {elysee}.")


@pytest.fixture(scope="module")
def enricher(tmp_path_factory):
    return Enricher(load_config(tmp_path_factory.mktemp("site")), SilentReporter())


def tags_of(enricher: Enricher, macron: str, elysee: str = "l’Élysée"):
    body = SENTENCE.format(macron=macron, elysee=elysee)
    (result,) = enricher.enrich([EnrichInput("Visite officielle", body, "fr", dt.date(2020, 1, 7))])
    return result.entities


@needs_model
@pytest.mark.parametrize("spelling", [f"Emmanuel Ma{c}cron" for c in INVISIBLE.values()]
                         + [f"Emmanuel{c}Macron" for c in SPACES.values()],
                         ids=[*INVISIBLE.keys(), *SPACES.keys()])
def test_a_name_with_an_odd_character_is_the_entity_of_the_plain_name(enricher, spelling):
    plain = tags_of(enricher, "Emmanuel Macron")
    assert "Emmanuel Macron" in [t.name for t in plain.person]
    assert tags_of(enricher, spelling) == plain


@needs_model
@pytest.mark.parametrize("char", ["ʼ", "`", "´"], ids=["modifier letter apostrophe", "backtick", "acute accent"])
def test_an_apostrophe_look_alike_gives_the_tags_of_the_apostrophe(enricher, char):
    assert tags_of(enricher, "Emmanuel Macron", f"l{char}Élysée") == tags_of(enricher, "Emmanuel Macron")


@needs_model
def test_a_soft_hyphen_in_a_name_is_one_entity_and_stays_in_the_body(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "site.toml").write_text('title = "T"\nlanguage = "fr"\n', encoding="utf-8")
    shutil.copy(FIXTURES / "soft_hyphen_in_name.txt", tmp_path / "seeds")
    result = CliRunner().invoke(main, ["ingest", "--site", str(tmp_path)], obj={})
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "content").glob("*.md")
    record = parse_record(path.read_text(encoding="utf-8"), path)
    people = {t.name: t.mentions for t in record.entities.person}
    assert people.get("Emmanuel Macron") == 3, people
    assert not any("\u00ad" in name for kind, tag in record.entities for name in [tag.name])
    assert "Ma\u00adcron" in record.body and "Emma\u00adnuel" in record.body  # the author's text, as written


@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_an_invisible_character_in_a_title_does_not_cut_its_slug(char):
    from generator.urls import slugify
    assert slugify(f"Emmanuel Ma{char}cron à l’Élysée") == "emmanuel-macron-a-l-elysee"
