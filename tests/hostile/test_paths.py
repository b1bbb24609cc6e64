"""Issue 12, class 4: paths.

Seeds are read only from inside the seed paths given (a link that leaves
them is refused, a FIFO or device is never opened), content/ likewise for
the build; no absolute path reaches a record or a page; slugs are capped in
UTF-8 bytes; every path in a message is escaped; the output refusal
resolves symbolic links.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_sample_source
from fakes import FakeEnricher
from generator.cli import main
from generator.config import load_config
from generator.errors import Problem
from generator.ingest.run import ingest
from generator.report import SilentReporter

ROOT = Path(__file__).resolve().parents[2]
GAZETTE = [sys.executable, "-c", "from generator.cli import main; main()"]
WITHIN = 30  # seconds: a command that blocks on a FIFO would never end
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and symbolic links")

SEED = "Le maire de Lyon inaugure un pont\n\nLe maire de Lyon a inauguré mardi un nouveau pont sur le Rhône.\n"


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    (site / "content").mkdir()
    (site / "site.toml").write_text('title = "Test"\nlanguage = "fr"\n', encoding="utf-8")
    (site / "seeds" / "good.txt").write_text(SEED, encoding="utf-8")
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "secret.txt").write_text("Secret du ministre\n\nLe texte privé du ministre.\n",
                                                     encoding="utf-8")
    return site


def _ingest(site: Path, *paths: Path) -> SilentReporter:
    reporter = SilentReporter()
    ingest(load_config(site), list(paths) or [site / "seeds"], reporter=reporter, enricher=FakeEnricher())
    return reporter


def _everything(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*")
                     if p.is_file() and not p.is_symlink())


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """A gazette command in its own process, ended if it blocks."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
    return subprocess.run(GAZETTE + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=WITHIN)


# -- seeds: links that leave, special files ------------------------------------------

@posix_only
def test_a_link_in_seeds_to_a_private_file_is_refused_and_named(tmp_path):
    site = _site(tmp_path)
    (site / "seeds" / "leak.txt").symlink_to(tmp_path / "private" / "secret.txt")
    reporter = _ingest(site)
    assert any("leak.txt" in str(p) and "link" in p.message for p in reporter.errors), reporter.problems
    assert "ministre" not in _everything(site / "content")
    assert str(tmp_path) not in _everything(site / "content")
    assert (site / "content").glob("*.md"), "the good seed is written"
    assert any("pont" in p.name for p in (site / "content").glob("*.md"))


@posix_only
def test_a_link_in_seeds_to_a_folder_outside_is_refused(tmp_path):
    site = _site(tmp_path)
    (site / "seeds" / "elsewhere").symlink_to(tmp_path / "private", target_is_directory=True)
    reporter = _ingest(site)
    assert any("elsewhere" in str(p) for p in reporter.errors), reporter.problems
    assert "ministre" not in _everything(site / "content")


@posix_only
def test_no_absolute_path_reaches_a_record_for_a_seed_given_outside_the_site(tmp_path):
    site = _site(tmp_path)
    _ingest(site, tmp_path / "private")
    text = _everything(site / "content")
    assert "ministre" in text
    assert str(tmp_path) not in text and "path: /" not in text


@posix_only
def test_a_fifo_in_seeds_is_skipped_named_and_never_opened(tmp_path):
    site = _site(tmp_path)
    os.mkfifo(site / "seeds" / "pipe.txt")
    script = ("import sys; from pathlib import Path; from fakes import FakeEnricher; "
              "from generator.config import load_config; from generator.ingest.run import ingest; "
              "from generator.report import Reporter; site = Path(sys.argv[1]); "
              "ingest(load_config(site), [site / 'seeds'], reporter=Reporter(), enricher=FakeEnricher())")
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script, str(site)], env=env, capture_output=True, text=True,
                          timeout=WITHIN)
    assert time.monotonic() - started < WITHIN
    assert "pipe.txt" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert any("pont" in p.name for p in (site / "content").glob("*.md"))


@posix_only
def test_the_preview_still_rebuilds_after_a_fifo_appears_in_seeds(tmp_path):
    from test_serve import page_build, running, settle, wait_for

    def real_ingest(config, paths, *, reporter, **_options):
        return ingest(config, paths, reporter=reporter, enricher=FakeEnricher())

    site = _site(tmp_path)
    (site / "themes" / "default").mkdir(parents=True)
    (site / "themes" / "default" / "page.html").write_text("<html><body>{body}</body></html>", encoding="utf-8")
    with running(site, build=page_build, ingest=real_ingest) as preview:
        os.mkfifo(site / "seeds" / "pipe.txt")
        settle(preview)
        (site / "seeds" / "later.txt").write_text("Un train arrive à Lyon\n\nLe train de Paris arrive à Lyon.\n",
                                                  encoding="utf-8")
        wait_for(lambda: any("train" in p.name for p in (site / "content").glob("*.md")), timeout=20,
                 message="the seed written after the FIFO to be ingested")


# -- content/: special files and dangling links --------------------------------------

@posix_only
def test_a_fifo_and_a_dangling_link_in_content_are_named_once_without_blocking(tmp_path):
    site = copy_sample_source(tmp_path / "site")
    os.mkfifo(site / "content" / "pipe.md")
    (site / "content" / "gone.md").symlink_to(tmp_path / "nowhere.md")
    done = _run(["build", "--site", str(site)], cwd=tmp_path)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.count("pipe.md") == 1 and done.stderr.count("gone.md") == 1, done.stderr
    assert (site / "public" / "index.html").is_file()


# -- slugs ----------------------------------------------------------------------------

def test_a_271_character_slug_is_capped_at_a_word_boundary_written_and_built(tmp_path):
    site = _site(tmp_path)
    slug = "-".join(["longtemps"] * 27) + "-et"  # 272 characters, a valid slug
    (site / "seeds" / "long.md").write_text(f"---\ntitle: Longtemps\nslug: {slug}\ndate: 2021-03-04\n---\n"
                                            "Un corps de texte.\n", encoding="utf-8")
    reporter = _ingest(site)
    assert not reporter.errors, reporter.problems
    names = [p.name for p in (site / "content").glob("longtemps*.md")]
    assert len(names) == 1 and len(names[0].encode()) <= 100 and not names[0].startswith("longtemps-longtemps-l"
                                                                                           "ongtemps-x"), names
    assert slug.startswith(names[0][:-3] + "-")  # cut between words
    result = CliRunner().invoke(main, ["build", "--site", str(site)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert (site / "public" / "articles" / names[0][:-3] / "index.html").is_file()


def test_a_record_whose_file_name_is_too_long_is_an_error_naming_it(tmp_path):
    site = _site(tmp_path)
    slug = "-".join(["longtemps"] * 27)  # 269 characters: the page's folder would be too long
    record = (f"---\ntitle: Longtemps\nslug: {slug}\nlang: fr\ndate: '2021-03-04'\ndate_source: source\n"
              f"summary: null\nentities: {{}}\nsource:\n  path: seeds/x.txt\n  sha256: null\n  url: null\n---\nCorps.\n")
    (site / "content" / f"{slug[:240]}.md").write_text(record, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--site", str(site)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert f"content/{slug[:40]}" in result.stderr and "slug" in result.stderr, result.stderr


# -- messages --------------------------------------------------------------------------

def test_a_newline_in_a_file_name_is_shown_escaped_on_one_line():
    problem = Problem(Path("seeds/bad\nerror: forged.txt"), "cannot read")
    shown = str(problem)
    assert "\n" not in shown and "\\n" in shown and "forged" in shown


def test_a_seed_whose_name_holds_a_newline_gives_one_line(tmp_path):
    site = _site(tmp_path)
    (site / "seeds" / "bad\nerror: forged.exe").write_text("x", encoding="utf-8")
    done = _run(["ingest", "--site", str(site), str(site / "seeds" / "bad\nerror: forged.exe")], cwd=tmp_path)
    lines = [line for line in done.stderr.splitlines() if "forged" in line]
    assert len(lines) == 1 and lines[0].startswith("error:") and "\\n" in lines[0], done.stderr


# -- output refusal through links ---------------------------------------------------

@posix_only
@pytest.mark.parametrize("inside", ["content", "seeds"])
def test_output_through_a_link_into_a_source_folder_is_refused(tmp_path, inside):
    site = copy_sample_source(tmp_path / "site")
    (site / "seeds").mkdir(exist_ok=True)
    before = sorted(p.name for p in (site / inside).iterdir())
    (tmp_path / "link").symlink_to(site / inside, target_is_directory=True)
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--output", str(tmp_path / "link" / "site")])
    assert result.exit_code != 0
    assert "refus" in result.stderr, result.stderr
    assert sorted(p.name for p in (site / inside).iterdir()) == before
