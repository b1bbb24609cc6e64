"""A surname alone joins the full name the archive has, not only the batch:
the records already in content/ count, hand-edited ones included."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.enrich.canonical import Tag, join_across
from generator.enrich.entities import installed_model
from generator.records import parse_record
from fakes import FRENCH_MODEL

needs_model = pytest.mark.skipif(installed_model(FRENCH_MODEL) is None, reason=f"{FRENCH_MODEL} not installed")

FULL = """Donald Trump en visite à Berlin

Donald Trump est arrivé mardi à Berlin pour une visite de deux jours. Le milliardaire a rencontré la chancelière au cours d’un long déjeuner.

Les deux dirigeants ont évoqué le commerce, la défense et le climat, sans annoncer d’accord.
"""
SURNAME = """Nouvelle polémique à Washington

Trump a encore créé la surprise hier soir. Trump a publié un long message sur les réseaux sociaux pour critiquer la presse.

Ses adversaires ont dénoncé des propos excessifs, tandis que ses partisans ont applaudi.
"""
OTHER_TRUMP = """Melania Trump à New York

Melania Trump a inauguré lundi une exposition consacrée à la mode à New York. Elle a salué le travail des jeunes créateurs.

La cérémonie a réuni plusieurs centaines d’invités venus de toute la ville.
"""
PLAIN = """Le marché de Noël ouvre ses portes

Le marché de Noël a ouvert samedi sur la place centrale. Les visiteurs étaient nombreux malgré le froid.

Les exposants resteront jusqu’à la fin du mois.
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "site.toml").write_text('language = "fr"\n', encoding="utf-8")
    return tmp_path


def seed(site: Path, name: str, text: str) -> Path:
    path = site / "seeds" / name
    path.write_text(text, encoding="utf-8")
    return path


def ingest(site: Path, *paths: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", "--site", str(site), *map(str, paths)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr


def people(site: Path, source: str) -> dict[str, int]:
    for path in (site / "content").glob("*.md"):
        record = parse_record(path.read_text(encoding="utf-8"), path)
        if record.source_path == f"seeds/{source}":
            return {t.name: t.mentions for t in record.entities.person}
    raise AssertionError(f"no record of seeds/{source}")


@needs_model
def test_a_surname_joins_the_full_name_an_earlier_ingest_wrote(site):
    """Today "Donald Trump"; tomorrow a new seed says only "Trump" (today's seed
    no longer in seeds/): the new record is tagged "Donald Trump"."""
    ingest(site, seed(site, "today.txt", FULL))
    assert people(site, "today.txt") == {"Donald Trump": 2}
    (site / "seeds" / "today.txt").unlink()
    ingest(site, seed(site, "tomorrow.txt", SURNAME))
    assert people(site, "tomorrow.txt") == {"Donald Trump": 2}


@needs_model
def test_the_cached_tags_follow_the_archive(site):
    """The cache holds each article's own tags; joining happens after it, so a
    re-ingest picks up a full name the archive gained since."""
    lone = seed(site, "lone.txt", SURNAME)
    ingest(site, lone)
    assert people(site, "lone.txt") == {"Trump": 2}  # a lone surname stays a person: nothing contradicts it
    ingest(site, seed(site, "full.txt", FULL))
    ingest(site, lone)  # its tags come from the cache
    assert people(site, "lone.txt") == {"Donald Trump": 2}


@needs_model
def test_two_full_names_with_the_surname_leave_it_alone(site):
    ingest(site, seed(site, "donald.txt", FULL), seed(site, "melania.txt", OTHER_TRUMP))
    ingest(site, seed(site, "lone.txt", SURNAME))
    assert people(site, "lone.txt") == {"Trump": 2}  # not joined to either: `gazette entities` lists it
    # one in the archive, the other in the batch: just as ambiguous
    (site / "content" / next(p.name for p in (site / "content").glob("melania*.md"))).unlink()
    ingest(site, site / "seeds" / "melania.txt", site / "seeds" / "lone.txt")
    assert people(site, "lone.txt") == {"Trump": 2}


@needs_model
def test_a_hand_edited_record_names_count(site):
    """A person adds "Donald Trump" to a record by hand (a plain list): the
    record is kept as it is, and its names count for the others."""
    plain = seed(site, "plain.txt", PLAIN)
    ingest(site)
    path = next((site / "content").glob("*.md"))
    text = path.read_text(encoding="utf-8")
    edited = text.replace("  person: {}\n", "  person:\n  - Donald Trump\n")
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    ingest(site, plain, seed(site, "lone.txt", SURNAME))
    assert path.read_text(encoding="utf-8") == edited
    assert people(site, "lone.txt") == {"Donald Trump": 2}


@needs_model
def test_a_record_rewritten_from_its_seed_does_not_vouch_for_itself(site):
    """A record's old tags do not count when this run rewrites it: once the
    only full name leaves the archive, the lone surname is alone again."""
    full = seed(site, "full.txt", FULL)
    lone = seed(site, "lone.txt", SURNAME)
    ingest(site)
    assert people(site, "lone.txt") == {"Donald Trump": 2}
    full.unlink()
    next(p for p in (site / "content").glob("*.md") if "berlin" in p.name).unlink()
    ingest(site, lone)
    assert people(site, "lone.txt") == {"Trump": 2}


def test_join_across_with_known_names_is_the_batch_rule():
    lone = (Tag("person", "Trump", 2, 0),)
    assert join_across([lone], ["Donald Trump"])[0] == (Tag("person", "Donald Trump", 2, 0),)
    assert join_across([lone], ["Donald Trump", "Melania Trump"])[0] == lone
    batch = (Tag("person", "Melania Trump", 1, 0),)
    assert join_across([lone, batch], ["Donald Trump"])[0] == lone
    assert join_across([lone, batch], ["Melania Trump"])[0] == (Tag("person", "Melania Trump", 2, 0),)
    # a one-word known name joins nothing; a fixed (alias) tag is never renamed
    assert join_across([lone], ["Trump"])[0] == lone
    fixed = (Tag("person", "Trump", 1, 0, fixed=True),)
    assert join_across([fixed], ["Donald Trump"])[0] == fixed
