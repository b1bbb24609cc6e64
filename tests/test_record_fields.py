"""The record fields that say where a title came from, a later update date,
and the other copies of a story: written, read back, and checked."""
import pytest

from generator.errors import RecordError
from generator.model import Record, Version
from generator.records import parse_record, record_to_text


def record(**fields) -> Record:
    base = dict(title="Un titre", slug="un-titre", lang="fr", date="2020-01-03", date_source="dateline",
                summary="Résumé.", body="Le texte.")
    return Record(**{**base, **fields})


def test_new_fields_round_trip():
    original = record(title_source="derived", updated="2020-01-04T10:30:00",
                      versions=(Version("seeds/b.txt", "2020-01-03", "https://example.org/b"), Version("seeds/c.html")))
    text = record_to_text(original)
    assert "title_source: derived\n" in text and "versions:\n- source: seeds/b.txt\n" in text
    assert parse_record(text, "x.md") == original


def test_a_record_without_the_new_fields_reads_with_their_defaults():
    text = record_to_text(record())
    for line in ("title_source: front-matter\n", "updated: null\n", "versions: []\n"):
        text = text.replace(line, "")
    parsed = parse_record(text, "x.md")
    assert (parsed.title_source, parsed.updated, parsed.versions) == ("front-matter", None, ())


@pytest.mark.parametrize("line, field", [
    ("title_source: guessed\n", "title_source"),
    ("updated: 2020-13-45\n", "updated"),
    ("versions: seeds/b.txt\n", "versions"),
    ("versions:\n- {date: 2020-01-03}\n", "versions"),
])
def test_bad_values_name_the_field(line, field):
    text = record_to_text(record()).replace("title_source: front-matter\n", line if field == "title_source" else "")
    if field != "title_source":
        text = text.replace("updated: null\n", "").replace("versions: []\n", "").replace("---\n", "---\n" + line, 1)
    with pytest.raises(RecordError) as caught:
        parse_record(text, "x.md")
    assert field in str(caught.value.message)


def test_a_hand_corrected_date_can_say_so():
    assert parse_record(record_to_text(record(date_source="hand")), "x.md").date_source == "hand"
