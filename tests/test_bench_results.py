"""bench/serve_latency.py's pure parts: its section of RESULTS.md replaces
only itself, and the edits it saves are records `gazette build` accepts,
with the change the benchmark then looks for on the page."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench_support import load_bench

from generator.records import parse_record




serve_latency = load_bench("serve_latency")
make_corpus = load_bench("make_corpus")
HEADING = "## Preview latency"

DOCUMENT = """# Benchmark results

- Date: 2026-12-02

## Results

### 10,000 articles

| a | b |
|---|---|
| 1 | 2 |

## Preview latency

Old figures.

### 1,000 articles

old table

## Ingest

kept as it is
"""


def test_the_section_is_replaced_and_the_rest_of_the_file_kept():
    new = serve_latency.replace_section(DOCUMENT, HEADING, "## Preview latency\n\nNew figures.\n")
    before, after = DOCUMENT.split("## Preview latency")
    assert new.startswith(before)
    assert new.endswith("## Ingest\n\nkept as it is\n")
    assert "New figures." in new
    assert "Old figures." not in new and "old table" not in new
    assert new.count(HEADING) == 1


def test_writing_twice_gives_the_same_file():
    body = "## Preview latency\n\nNew figures.\n\n### 1,000 articles\n\nnew table\n"
    once = serve_latency.replace_section(DOCUMENT, HEADING, body)
    assert serve_latency.replace_section(once, HEADING, body) == once


def test_a_file_without_the_section_gets_it_at_the_end():
    document = DOCUMENT.split("## Preview latency")[0].rstrip("\n") + "\n"
    new = serve_latency.replace_section(document, HEADING, "## Preview latency\n\nNew.\n")
    assert new == document + "\n## Preview latency\n\nNew.\n"
    assert serve_latency.replace_section("", HEADING, "## Preview latency\n") == "## Preview latency\n"


def test_the_last_section_and_a_heading_in_a_code_block():
    document = "# R\n\n## Preview latency\n\n```\n## not a heading\n```\n\nold\n"
    new = serve_latency.replace_section(document, HEADING, "## Preview latency\n\nnew\n")
    assert new == "# R\n\n## Preview latency\n\nnew\n"


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("corpus")
    make_corpus.write_corpus(12, out, formats=("gazette",))
    return sorted((out / "gazette" / "content").glob("*.md"))


def test_a_changed_sentence_is_a_valid_record_showing_it(records):
    for path in records:
        text = path.read_text(encoding="utf-8")
        edited, shown = serve_latency.change_body_sentence(text, 7)
        before, after = parse_record(text, path), parse_record(edited, path)
        assert shown in after.body and shown not in before.body
        assert after.title == before.title and after.entities == before.entities
        # one sentence replaced, not a paragraph added: the body keeps its size
        assert abs(len(after.body) - len(before.body)) < 200
        assert after.body.count("\n\n") == before.body.count("\n\n")


def test_a_changed_title_keeps_the_url(records):
    for path in records:
        text = path.read_text(encoding="utf-8")
        edited, shown = serve_latency.change_title(text, 8)
        before, after = parse_record(text, path), parse_record(edited, path)
        assert after.title == shown and shown.startswith(before.title)
        assert after.slug == before.slug and after.body == before.body


def test_an_added_person_is_in_the_record(records):
    for path in records:
        text = path.read_text(encoding="utf-8")
        edited, shown = serve_latency.add_person(text, 9)
        before, after = parse_record(text, path), parse_record(edited, path)
        assert shown in [tag.name for tag in after.entities.person]
        assert shown not in [tag.name for tag in before.entities.person]
        assert len(after.entities.person) == len(before.entities.person) + 1
        assert after.entities.place == before.entities.place


def test_an_edited_record_gets_its_text_back(tmp_path, records):
    path = tmp_path / records[0].name
    path.write_text(records[0].read_text(encoding="utf-8"), encoding="utf-8")
    record = serve_latency.Record(path)
    for kind in serve_latency.EDIT_KINDS:
        shown, _started = record.edit(kind)
        assert shown in path.read_text(encoding="utf-8")
    record.restore()
    assert path.read_text(encoding="utf-8") == record.original
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind


def test_a_person_added_to_a_record_without_entities(tmp_path):
    from generator.model import Record
    from generator.records import record_to_text

    text = record_to_text(Record(title="Un titre", slug="un-titre", lang="fr", date="2020-01-02",
                                 date_source="source", summary="Un résumé.", body="Une phrase.\n\nUne autre.\n"))
    edited, shown = serve_latency.add_person(text, 3)
    assert [tag.name for tag in parse_record(edited, tmp_path / "un-titre.md").entities.person] == [shown]


def test_the_bench_sets_earlier_outputs_aside_and_deletes_them_at_its_end(tmp_path, monkeypatch):
    """Deleted right before a build, their inodes would slow it down (run.py, TRASH)."""
    run = load_bench("run")
    monkeypatch.setattr(run, "TRASH", tmp_path / "trash")
    out = tmp_path / "out"
    (out / "articles").mkdir(parents=True)
    (out / "articles" / "index.html").write_text("<p>x</p>", encoding="utf-8")
    run.remove(out, tmp_path / "never-made")
    assert not out.exists()
    assert [p.name for p in (tmp_path / "trash").iterdir()][0].endswith("-out")
    run.empty_trash(wait=False)
    assert not (tmp_path / "trash").exists()
