"""Wire copies: the same dispatch republished by several papers is one
record, which lists the other copies in `versions`; different articles on
the same subject stay apart. One fixture per case in tests/fixtures/seeds/."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from fakes import FakeEnricher, ingest_fixtures as ingest
from generator.cli import main
from generator.config import load_config
from generator.records import parse_record
from generator.report import SilentReporter
from generator.site.build import build_site

FIXTURES = Path(__file__).parent / "fixtures" / "seeds"
FIRST, SECOND = "wire_copy_byline_first.txt", "wire_copy_byline_second.txt"


def records(site: Path) -> dict:
    return {p.name: parse_record(p.read_text(encoding="utf-8"), p) for p in sorted((site / "content").glob("*.md"))}


def test_wire_copies_with_another_byline_and_a_copyright_line_are_one_record_with_versions(site):
    result = ingest(site, FIRST, SECOND)
    assert result.exit_code == 0, result.stderr
    found = records(site)
    assert len(found) == 1, found.keys()
    record = next(iter(found.values()))
    kept = {record.source_path, *(v.source for v in record.versions)}
    assert kept == {f"seeds/{FIRST}", f"seeds/{SECOND}"}  # nothing lost: the other copy is a version
    assert len(record.versions) == 1
    assert "a copy of" in result.stderr and "1 copy(ies) listed as versions" in result.stderr


def test_the_kept_copy_does_not_depend_on_the_order_seeds_are_read(tmp_path):
    """Same rule whichever name sorts first: undated copies → the longest is kept."""
    kept = []
    for order, names in enumerate(((FIRST, SECOND), (SECOND, FIRST))):
        site = tmp_path / f"site{order}"
        (site / "seeds").mkdir(parents=True)
        for number, name in enumerate(names):
            shutil.copy(FIXTURES / name, site / "seeds" / f"{number}_{name}")
        CliRunner().invoke(main, ["ingest", "--site", str(site)], obj={"enricher": FakeEnricher()},
                           catch_exceptions=False)
        (record,) = records(site).values()
        kept.append(record.title)
    assert kept[0] == kept[1]


def test_two_different_articles_on_the_same_subject_stay_two_records(site):
    result = ingest(site, "same_subject_first.txt", "same_subject_second.txt", FIRST)
    assert result.exit_code == 0, result.stderr
    found = records(site)
    assert len(found) == 3
    assert all(not record.versions for record in found.values())


def test_a_copy_arriving_in_a_later_ingest_joins_the_existing_record(site):
    ingest(site, FIRST)
    (before,) = records(site)
    (site / "seeds" / FIRST).unlink()  # the first copy came from elsewhere: this run reads the new one only
    result = ingest(site, "wire_copy_later.txt")
    assert result.exit_code == 0, result.stderr
    found = records(site)
    assert list(found) == [before]  # the record keeps its file (and URL)
    record = found[before]
    assert record.source_path == f"seeds/{FIRST}"
    assert [v.source for v in record.versions] == ["seeds/wire_copy_later.txt"]
    again = ingest(site)  # and stays so
    assert "0 written" in again.stderr and list(records(site)) == [before]


def test_a_copy_removed_from_versions_by_hand_becomes_its_own_record(site):
    ingest(site, FIRST, SECOND)
    (path,) = (site / "content").glob("*.md")
    text = path.read_text(encoding="utf-8")
    start = text.index("versions:\n")
    end = text.index("cleaning:")
    path.write_text(text[:start] + "versions: []\n" + text[end:], encoding="utf-8")
    result = ingest(site)
    assert result.exit_code == 0, result.stderr
    assert len(records(site)) == 2
    assert "edited by hand and does not list it" in result.stderr


def test_article_page_shows_also_published_with_the_other_copies(site):
    ingest(site, FIRST, SECOND)
    (record,) = records(site).values()
    build_site(load_config(site), reporter=SilentReporter())
    page = (site / "public" / "articles" / record.slug / "index.html").read_text(encoding="utf-8")
    assert "Aussi publié" in page
    other = record.versions[0].source.rsplit("/", 1)[-1]
    section = page[page.index("Aussi publié"):]
    assert other in section[:section.index("</section>")]
