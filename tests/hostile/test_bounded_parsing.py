"""Hostile front matter (issue 12, class 2): parsing is bounded.

An alias bomb, a custom tag, a document that is not a mapping, a key given
twice, a value far larger than any record needs: each is one error naming
the file and the line, found before anything is expanded, within seconds,
and no message formats an unbounded value.

The bombs run `gazette` in a child process with a time limit and a memory
limit, so that a parser that expands them fails the test instead of
hanging it or eating the machine's memory.
"""
from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.errors import RecordError
from generator.records import parse_record

SECONDS = 20  # the fixed code needs well under one; today's code runs until killed
MEMORY = 3 * 2**30  # bytes of address space for the child: plenty for Gazette, not for a bomb

# "billion laughs": nine levels of nine aliases, 9**9 strings once expanded;
# every anchor sits inside a known field and the record is valid up to its
# summary, whose error message formats the whole value
BOMB_FRONT = "\n".join([
    "versions:",
    '- &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    *(f"- &{b} [*{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}]" for a, b in zip("abcdefgh", "bcdefghi")),
    "title: Un titre piégé",
    "slug: un-titre-piege",
    "summary: *i",
])
BOMB = f"---\n{BOMB_FRONT}\n---\nUn texte piégé.\n"
FIRST_ALIAS_LINE = 4  # the file's line of the first `*a` (after the opening '---' and `versions:`)

RECORD = """---
title: Un titre
slug: un-titre
lang: fr
date: '2020-01-03'
{extra}---
Un texte.
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "content").mkdir()
    (tmp_path / "site.toml").write_text('title = "Test"\nlanguage = "fr"\n', encoding="utf-8")
    return tmp_path


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def gazette(site: Path, *args: str) -> tuple[subprocess.CompletedProcess | None, float]:
    """Run `gazette ARGS --site SITE` in a child, killed after SECONDS;
    (the finished process or None when it was killed, seconds taken)."""
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "generator", *args, "--site", str(site)],
                              capture_output=True, text=True, timeout=SECONDS, preexec_fn=_limit_memory,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, time.monotonic() - started
    return done, time.monotonic() - started


def assert_one_error(done, elapsed: float, name: str, line: int, words: str) -> None:
    assert done is not None, f"still running after {SECONDS} s: killed"
    assert elapsed < SECONDS
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    errors = [l for l in done.stderr.splitlines() if l.startswith("error:")]
    assert len(errors) == 1, done.stderr[-2000:]
    assert f"{name}:{line}:" in errors[0] and words in errors[0], errors[0][:500]
    assert len(errors[0]) < 400  # nothing unbounded formatted


def test_alias_bomb_in_a_seed_ends_ingest_at_once_naming_the_file_and_line(site):
    (site / "seeds" / "bomb.md").write_text(BOMB, encoding="utf-8")
    done, elapsed = gazette(site, "ingest")
    assert_one_error(done, elapsed, "seeds/bomb.md", FIRST_ALIAS_LINE, "alias")
    assert not list((site / "content").glob("*.md"))


def test_alias_bomb_in_a_record_ends_the_build_at_once_naming_the_file_and_line(site):
    (site / "content" / "bomb.md").write_text(BOMB, encoding="utf-8")
    done, elapsed = gazette(site, "build")
    assert_one_error(done, elapsed, "content/bomb.md", FIRST_ALIAS_LINE, "alias")


def test_alias_bomb_in_a_record_ends_ingest_at_once(site):
    """Ingest reads the records it may rewrite (content/) through the same
    loader. (The seed has its own tags: no NLP model to load.)"""
    (site / "content" / "bomb.md").write_text(BOMB, encoding="utf-8")
    (site / "seeds" / "a.md").write_text(RECORD.format(extra="entities: {person: {Marie Curie: 1}}\n"),
                                         encoding="utf-8")
    done, elapsed = gazette(site, "ingest")
    assert done is not None and elapsed < SECONDS, "ingest still running: killed"
    assert "Traceback" not in done.stderr
    assert (site / "content" / "un-titre.md").is_file()  # the good seed is written


# ---------------------------------------------------------------- in process: nothing here can expand

def problem(front_lines: str) -> RecordError:
    text = RECORD.format(extra=front_lines)
    with pytest.raises(RecordError) as caught:
        parse_record(text, "content/x.md")
    return caught.value


@pytest.mark.parametrize("extra, words", [
    ("summary: !!python/object/apply:os.system ['echo pwned']\n", "tag"),
    ("summary: !!binary aGVsbG8=\n", "tag"),
    ("summary: !note texte\n", "tag"),
    ("tags: !!set {a: null, b: null}\n", "tag"),
    ("cleaning: {removed: [{text: pub, rule: !!binary aGk=}]}\n", "tag"),
    ("tags: !!omap [{a: 1}]\n", "tag"),
])
def test_a_custom_tag_is_refused_at_its_line(extra, words):
    error = problem(extra)
    assert error.line == 6, error
    assert words in error.message and "not allowed" in error.message, error.message


def test_a_small_anchor_and_alias_are_refused_too():
    """Records never need them, and the limit that is safe is none."""
    error = problem("tags: &t [a, b]\nsummary: x\nversions: *t\n")
    assert error.line == 8 and "alias" in error.message, error


@pytest.mark.parametrize("front", ["- title: a\n- slug: b\n", "'just text'\n", "[a, b]\n"])
def test_a_document_that_is_not_a_mapping_is_refused(front):
    with pytest.raises(RecordError) as caught:
        parse_record(f"---\n{front}---\nUn texte.\n", "content/x.md")
    assert caught.value.line == 2 and "mapping" in caught.value.message


def test_a_key_given_twice_names_both_lines():
    error = problem("summary: un\ntitle: Un autre titre\n")
    assert error.line == 7
    assert "title: defined twice, lines 2 and 7" in error.message, error.message


def test_a_key_given_twice_deeper_names_both_lines():
    error = problem("source:\n  path: a.txt\n  url: https://a.example/\n  path: b.txt\n")
    assert "path: defined twice, lines 7 and 9" in error.message and error.line == 9, error


def test_a_key_given_twice_in_a_seed_is_reported_by_ingest(site):
    from click.testing import CliRunner

    from fakes import FakeEnricher
    from generator.cli import main

    (site / "seeds" / "twice.md").write_text("---\ntitle: Un\nslug: un\ntitle: Deux\n---\nTexte.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", "--site", str(site)], obj={"enricher": FakeEnricher()})
    assert result.exit_code == 1
    assert "seeds/twice.md:4: title: defined twice, lines 2 and 4" in result.stderr, result.stderr
    assert not list((site / "content").glob("*.md"))


def test_an_oversized_value_is_refused_naming_its_line():
    error = problem("summary: " + "mot " * 50_000 + "\n")
    assert error.line == 6 and "summary" in error.message and "too large" in error.message, error
    assert len(str(error)) < 300


def test_an_oversized_front_matter_is_refused():
    many = "".join(f"  - mot{i}\n" for i in range(150_000))  # 1.6 MB of short values
    error = problem(f"tags:\n{many}")
    assert "front matter" in error.message and "too large" in error.message, error.message
    assert len(str(error)) < 300


@pytest.mark.parametrize("extra", [
    "tags: [" + ", ".join(["[mot]"] * 20_000) + "]\n",
    "summary: [" + ", ".join(["mot"] * 20_000) + "]\n",
    "date_source: " + "x" * 50_000 + "\n",
])
def test_an_error_never_formats_an_unbounded_value(extra):
    error = problem(extra)
    assert error.line == 6
    assert len(str(error)) < 300, str(error)[:500]


def test_ingest_never_writes_a_record_over_the_limits(site):
    """The limits hold for writing too: a seed whose title line is 160,000
    characters is refused by name (or, should titles ever be cut, written
    as a record that reads back); the other seed is written all the same."""
    from click.testing import CliRunner

    from fakes import FakeEnricher
    from generator.cli import main
    from generator.records import read_record

    (site / "seeds" / "a-long.txt").write_text(" ".join(["mot"] * 40_000) + "\n\nUn paragraphe.\n", encoding="utf-8")
    (site / "seeds" / "b.txt").write_text("Un titre normal\n\nUn autre paragraphe ici.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", "--site", str(site)], obj={"enricher": FakeEnricher()})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    written = sorted((site / "content").glob("*.md"))
    for path in written:
        read_record(path)  # raises if ingest wrote what reading refuses
    assert (site / "content" / "un-titre-normal.md") in written
    if len(written) == 1:
        assert result.exit_code == 1
        assert "seeds/a-long.txt: field 'title': value too large" in result.stderr, result.stderr


@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
def test_deep_nesting_is_an_error_with_either_parser(monkeypatch, loader):
    """libyaml stops at 1,000 levels; PyYAML's own parser (where libyaml is
    missing) would recurse until Python gives up."""
    import yaml

    import generator.front_matter as front_matter

    if not hasattr(yaml, loader):
        pytest.skip("PyYAML without libyaml")
    monkeypatch.setattr(front_matter, "_Loader", getattr(yaml, loader))
    error = problem("tags: " + "[" * 5_000 + "]" * 5_000 + "\n")
    assert "nest" in error.message and error.line in (2, 6), error
