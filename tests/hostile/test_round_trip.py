"""Records always read back (issue 12, class 5): whatever ingest writes,
records.py parses back to the same values, and the site builds from it.

A record's front matter ends at the first line '---' or '...' in the first
column; values that hold such lines are written indented (a multi-line
summary), so reading must not stop at an indented one. Hypothesis then
generates records and seeds from what scraped text is made of: lines
'---' and '...', YAML-looking text, control, bidi and invisible characters,
no-break spaces, emoji, very long words.

Documented normalisations of reading (everything else is kept exactly):
the title and entity names lose surrounding white space, the body loses
blank lines at either end, and in a file the body's '\r\n' and '\r' become
'\n' (ingest writes neither: seeds are normalised to LF).
"""
from __future__ import annotations

import dataclasses
import json
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from fakes import FakeEnricher
from generator.cli import main
from generator.model import Entities, EntityTag, MentionedDate, Record, Removal, TITLE_SOURCES, Version
from generator.records import (
    DATE_SOURCES,
    is_hand_edited,
    parse_record,
    read_record,
    record_to_text,
    write_record_text,
)

SITE_TOML = 'title = "Test"\nlanguage = "fr"\nbase_url = "https://archive.example/"\n'


# ---------------------------------------------------------------- the case of the issue

LEAD_WITH_MARKERS = """---
title: Un titre
date: "2020-01-03"
---
Première ligne du chapeau
{marker}
suite du chapeau.

Deuxième paragraphe.
"""


def _site(root: Path) -> Path:
    (root / "seeds").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    return root


def _ingest(site: Path):
    return CliRunner().invoke(main, ["ingest", "--site", str(site)], obj={"enricher": FakeEnricher()},
                              catch_exceptions=False)


def _build(site: Path):
    return CliRunner().invoke(main, ["build", "--site", str(site)], catch_exceptions=False)


@pytest.mark.parametrize("marker", ["...", "---", "--- ", "...  "])
def test_a_seed_whose_lead_holds_a_marker_line_is_written_as_a_record_that_reads_back(tmp_path, marker):
    site = _site(tmp_path)
    (site / "seeds" / "chapeau.md").write_text(LEAD_WITH_MARKERS.format(marker=marker), encoding="utf-8")
    assert _ingest(site).exit_code == 0
    [path] = (site / "content").glob("*.md")
    record = read_record(path)
    assert record.summary == f"Première ligne du chapeau\n{marker}\nsuite du chapeau."
    assert record.body.endswith("Deuxième paragraphe.")
    assert record_to_text(record) == path.read_text(encoding="utf-8")
    built = _build(site)
    assert built.exit_code == 0, built.stderr
    assert "chapeau" in (site / "public" / "articles" / record.slug / "index.html").read_text(encoding="utf-8")


def test_an_indented_marker_in_a_hand_written_value_is_part_of_the_value():
    text = "---\ntitle: Un titre\nslug: un-titre\nsummary: 'un\n\n  ---\n\n  deux'\n---\nTexte.\n"
    record = parse_record(text, "content/un-titre.md")
    assert record.summary == "un\n---\ndeux" and record.body == "Texte."


def test_a_key_given_twice_is_an_error_not_the_last_one_winning():
    from generator.errors import RecordError

    with pytest.raises(RecordError) as caught:
        parse_record("---\ntitle: Un\nslug: un\ntitle: Deux\n---\nTexte.\n", "content/un.md")
    assert caught.value.line == 4 and "title: defined twice, lines 2 and 4" in caught.value.message


# ---------------------------------------------------------------- generated records

# what scraped text and hand-written front matter are made of
PIECES = [
    "---", "...", "--- x", "... x", "key: value", "title: Autre", "- item", "-", "? x", "&a", "*a", "!tag",
    "!!python/object:os.system", "#", "# Titre", "| ", "> ", "%YAML 1.1", "'", '"', "{", "}", "[", "]", ",",
    ":", "fingerprint: 0123456789abcdef", "null", "~", "yes", "No", "2020-01-03", "0x1F", "1e3", ".nan", "<<",
    "\u202e", "\u202d", "\u200f", "\xa0", "\u202f", "\u200b", "\u200d", "\u2060", "\ufeff", "😀", "🇫🇷", "👩‍👩‍👧",
    "é", "e\u0301", "日本語", "Ж", "ا", "\t", "   ", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f",
    "\u2028", "\u2029", "\ufffe", "\uffff", "\r", "\r\n", "\\", "\\n",
]
_LONG_WORD = "anticonstitutionnellement" * 150 + "é" * 300
_SEPARATORS = st.sampled_from([" ", "", "\n", "\n\n", " \n", "\n  "])
_ANY_CHAR = st.characters(exclude_categories=("Cs",))  # every code point UTF-8 can encode
_WORD = st.one_of(
    st.sampled_from(PIECES),
    st.text(_ANY_CHAR, max_size=10),
    st.integers(300, 1200).map(lambda n: _LONG_WORD[:n]),  # a very long word
)
# lines of plain words and markers: YAML writes such text single-quoted over
# several lines, where a marker line must not end the front matter
_PLAIN_LINE = st.sampled_from(["---", "...", "Un texte simple", "key: value", "- item", "# titre", "&a *a", "a\x85b"])
LINES = st.lists(_PLAIN_LINE, min_size=1, max_size=5).map("\n".join)
TEXT = LINES | st.lists(st.tuples(_WORD, _SEPARATORS), max_size=10).map(lambda parts: "".join(w + s for w, s in parts))
NON_BLANK = TEXT.map(str.strip).filter(bool)
DAY = st.dates().map(lambda d: d.isoformat())
MONTH = st.dates().map(lambda d: d.isoformat()[:7])
MAYBE_TEXT = st.none() | TEXT
# a record keeps only http(s) URLs (class 1 drops the rest, with a warning,
# where records are parsed): what ingest writes is one of these
_URL_TAIL = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp")), max_size=30)
WEB_URL = st.builds(lambda scheme, host, tail: f"{scheme}://{host}/{tail}", st.sampled_from(["http", "https", "HTTPS"]),
                    st.from_regex(r"[a-z0-9]{1,12}(\.[a-z]{2,6}){1,2}", fullmatch=True), _URL_TAIL)
MAYBE_URL = st.none() | WEB_URL


@st.composite
def records(draw) -> Record:
    def names() -> tuple[EntityTag, ...]:
        found = draw(st.dictionaries(NON_BLANK, st.integers(1, 10**6), max_size=4))
        return tuple(EntityTag(name, mentions) for name, mentions in found.items())

    return Record(
        title=draw(NON_BLANK),
        slug=draw(st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,4}", fullmatch=True)),
        lang=draw(st.sampled_from(["fr", "en", "de-CH", "und"])),
        date=draw(st.none() | DAY),
        date_source=draw(st.sampled_from(DATE_SOURCES)),
        summary=draw(TEXT),
        body=draw(TEXT).strip("\n"),
        entities=Entities(person=names(), place=names(), organization=names()),
        mentioned_dates=tuple(MentionedDate(d, t) for d, t in draw(st.lists(st.tuples(DAY | MONTH, TEXT), max_size=3))),
        tags=tuple(draw(st.lists(TEXT, max_size=4))),
        source_path=draw(MAYBE_TEXT),
        source_sha256=draw(st.none() | st.text("0123456789abcdef", min_size=64, max_size=64)),
        source_url=draw(MAYBE_URL),
        removed=tuple(Removal(t, r) for t, r in draw(st.lists(st.tuples(TEXT, TEXT), max_size=3))),
        title_source=draw(st.sampled_from(TITLE_SOURCES)),
        updated=draw(st.none() | DAY),
        versions=tuple(Version(s, d, u) for s, d, u in
                       draw(st.lists(st.tuples(TEXT, st.none() | DAY, MAYBE_URL), max_size=2))),
    )


def read_in_a_file(record: Record) -> Record:
    """What reading a record file gives: the body's line ends become LF (universal newlines)."""
    body = record.body.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return dataclasses.replace(record, body=body)


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_every_record_reads_back_to_the_same_values(record):
    text = record_to_text(record)
    assert parse_record(text, "content/x.md") == record
    assert not is_hand_edited(text)  # ingest knows its own file again
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{record.slug}.md"
        write_record_text(path, text)
        assert read_record(path) == read_in_a_file(record)


# ---------------------------------------------------------------- generated seeds, ingested and built

# seeds hold no markup characters: markup injection is class 1's (tests/hostile/test_injection.py)
_SEED_WORD = st.one_of(
    st.sampled_from([p for p in PIECES if not set(p) & set("<>")]),
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="<>"), max_size=8),
    st.integers(200, 1500).map(lambda n: _LONG_WORD[:n]),
)
SEED_TEXT = LINES | st.lists(st.tuples(_SEED_WORD, _SEPARATORS), min_size=1, max_size=8).map(
    lambda parts: "".join(w + s for w, s in parts))
SEED_LINE = SEED_TEXT.map(lambda t: " ".join(t.split()))  # one line
_STEADY = "Le conseil municipal a voté le budget de la ville mardi soir."  # text every seed keeps


@st.composite
def seeds(draw) -> dict[str, str]:
    """A few seeds: plain text (title line, paragraphs) and Markdown with front matter."""
    found = {}
    for n in range(draw(st.integers(1, 3))):
        title = draw(SEED_LINE.filter(lambda t: any(c.isalnum() for c in t)))
        lead, rest = draw(SEED_TEXT), draw(SEED_TEXT)
        if draw(st.booleans()):
            found[f"seed-{n}.txt"] = f"{title}\n\n{lead}\n{_STEADY} {n}\n\n{rest}\n"
        else:
            front = yaml.safe_dump({"title": title, "tags": draw(st.lists(SEED_LINE, max_size=2))},
                                   allow_unicode=True, width=10**9)
            found[f"seed-{n}.md"] = f"---\n{front}---\n{lead}\n{_STEADY} {n}\n\n{rest}\n"
    return found


def assert_well_formed(public: Path) -> None:
    """Every feed and sitemap parses as XML; every JSON-LD block as JSON."""
    xml_files = list(public.rglob("*.xml"))
    assert xml_files
    for path in xml_files:
        ET.parse(path)
    for path in public.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S):
            json.loads(block)


@settings(max_examples=10, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(seeds())
def test_generated_seeds_are_ingested_read_back_and_built(found):
    with tempfile.TemporaryDirectory() as folder:
        site = _site(Path(folder))
        for name, text in found.items():
            (site / "seeds" / name).write_text(text, encoding="utf-8")
        ingested = _ingest(site)
        assert "Traceback" not in ingested.stderr
        for line in ingested.stderr.splitlines():
            if line.startswith("error:"):  # a seed may be refused, never without its name
                assert "seeds/seed-" in line, line
        written = sorted((site / "content").glob("*.md"))
        assert written or ingested.exit_code == 1
        for path in written:
            text = path.read_text(encoding="utf-8")
            assert record_to_text(parse_record(text, path)) == text  # reads back to what was written
        event(f"{len(written)} record(s) written of {len(found)}, exit {ingested.exit_code}")
        if not written:
            return
        built = _build(site)
        assert built.exit_code == 0, built.stderr
        assert_well_formed(site / "public")
        shutil.rmtree(site / "public")
