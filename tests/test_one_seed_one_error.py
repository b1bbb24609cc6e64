"""One seed, one error: whatever goes wrong with one seed — its reader, its
enrichment, the writing of its record, its size — is one error line naming
it; the other seeds are written; the run ends with the count and exit 1; a
traceback only with --debug."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import generator.enrich as enrich
import generator.ingest.run as ingest_run
from fakes import FakeEnricher
from generator.cli import main
from generator.enrich.entities import installed_model
from fakes import FRENCH_MODEL

FIXTURES = Path(__file__).parent / "fixtures" / "seeds"
NEIGHBOUR = "good_neighbour.txt"
NEIGHBOUR_RECORD = "le-conseil-municipal-adopte-le-budget-de-l-annee.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "site.toml").write_text('title = "Test"\nlanguage = "fr"\n', encoding="utf-8")
    return tmp_path


def run(site: Path, *names: str, debug: bool = False, real_enricher: bool = False):
    """`gazette ingest` on the fixtures `names` and the good neighbour, with a
    FakeEnricher unless `real_enricher`."""
    for name in (*names, NEIGHBOUR):
        shutil.copy(FIXTURES / name, site / "seeds" / name)
    args = ["ingest", "--site", str(site)] + (["--debug"] if debug else [])
    return CliRunner().invoke(main, args, obj={} if real_enricher else {"enricher": FakeEnricher()})


def assert_one_error_for(result, site: Path, seed: str, *words: str) -> str:
    """Exit 1, exactly one error line and it names `seed` (and says `words`),
    the neighbour written, the count at the end; returns the error line."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert f"seeds/{seed}" in errors[0]
    for word in words:
        assert word in errors[0], errors[0]
    assert (site / "content" / NEIGHBOUR_RECORD).is_file(), result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("1 problem(s)")
    return errors[0]


def broken_extractor(exc: Exception):
    def bare_extraction(*args, **kwargs):
        raise exc
    return bare_extraction


@pytest.mark.parametrize("exc", [ImportError("lxml.html.clean module is now a separate project lxml_html_clean"),
                                 RuntimeError("extractor exploded")], ids=["ImportError", "RuntimeError"])
def test_a_seed_whose_reader_raises_is_one_internal_error(site, monkeypatch, exc):
    import trafilatura
    monkeypatch.setattr(trafilatura, "bare_extraction", broken_extractor(exc))
    result = run(site, "reader_raises.html")
    line = assert_one_error_for(result, site, "reader_raises.html", "internal error", type(exc).__name__,
                                str(exc), "--debug")
    assert "Traceback" not in result.output
    assert line.count("\n") == 0


def test_with_debug_the_readers_traceback_is_shown(site, monkeypatch):
    import trafilatura
    monkeypatch.setattr(trafilatura, "bare_extraction", broken_extractor(RuntimeError("extractor exploded")))
    result = run(site, "reader_raises.html", debug=True)
    assert_one_error_for(result, site, "reader_raises.html", "internal error")
    assert "Traceback (most recent call last)" in result.stderr
    assert "in bare_extraction" in result.stderr


def test_a_record_that_cannot_be_written_is_one_error_naming_its_seed(site, monkeypatch):
    real_write = ingest_run.write_record_text

    def refusing(path: Path, text: str) -> None:
        if "fichier ne peut" in text:  # as a read-only file or folder would
            raise PermissionError(13, "Permission denied", str(path))
        real_write(path, text)

    monkeypatch.setattr(ingest_run, "write_record_text", refusing)
    result = run(site, "write_fails.txt")
    assert_one_error_for(result, site, "write_fails.txt", "cannot write content/", "Permission denied")
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (site / "content").glob("*.md")) == [NEIGHBOUR_RECORD]


def test_a_bug_while_writing_is_an_internal_error_with_its_traceback_under_debug(site, monkeypatch):
    def buggy(record):
        raise TypeError("cannot dump this value")

    monkeypatch.setattr(ingest_run, "record_to_text", buggy)
    shutil.copy(FIXTURES / "write_fails.txt", site / "seeds")
    result = CliRunner().invoke(main, ["ingest", "--site", str(site), str(site / "seeds" / "write_fails.txt")],
                                obj={"enricher": FakeEnricher()})
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "write_fails.txt: internal error while writing content/" in result.stderr
    debug = CliRunner().invoke(main, ["ingest", "--site", str(site), "--debug"], obj={"enricher": FakeEnricher()})
    assert "Traceback (most recent call last)" in debug.stderr and "cannot dump this value" in debug.stderr


def test_a_seed_over_max_bytes_is_refused_by_name_before_it_is_read(site, monkeypatch):
    (site / "site.toml").write_text('title = "Test"\nlanguage = "fr"\n[ingest]\nmax_bytes = 1000\n',
                                    encoding="utf-8")
    real_read = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        assert path.name != "over_max_bytes.txt", "the large seed was read"
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = run(site, "over_max_bytes.txt")
    size = (FIXTURES / "over_max_bytes.txt").stat().st_size
    line = assert_one_error_for(result, site, "over_max_bytes.txt", f"{size:,} bytes", "max_bytes", "1,000")
    assert "internal error" not in line


needs_model = pytest.mark.skipif(installed_model(FRENCH_MODEL) is None, reason=f"{FRENCH_MODEL} not installed")


@needs_model
@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_an_enrichment_that_raises_for_one_article_fails_that_seed_only(site, monkeypatch, debug):
    real_tags = enrich.article_tags

    def article_tags(text, *args):
        if "analyse de ses entités échoue" in text:
            raise ValueError("tagging exploded")
        return real_tags(text, *args)

    monkeypatch.setattr(enrich, "article_tags", article_tags)
    result = run(site, "enrichment_raises.txt", debug=debug, real_enricher=True)
    assert_one_error_for(result, site, "enrichment_raises.txt", "internal error while tagging",
                         "ValueError: tagging exploded", "--debug")
    assert ("Traceback (most recent call last)" in result.stderr) == debug
    assert not any(p.name.startswith("un-article-dont") for p in (site / "content").glob("*.md"))


def test_an_unexpected_error_outside_any_seed_is_one_line_without_traceback(site, monkeypatch):
    def exploding(*args, **kwargs):
        raise KeyError("index")

    monkeypatch.setattr(ingest_run, "scan_content", exploding)
    result = run(site)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "error: internal error while running 'gazette ingest': KeyError: 'index'" in result.stderr
    assert "--debug" in result.stderr
