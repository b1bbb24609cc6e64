"""`gazette entities`: the review of the archive's entity tags.

Each test writes records (through generator.records) into a site of its own
that holds one kind of finding, runs the command through click's CliRunner,
and checks that its section finds what it should and every other section
nothing; then writes the suggested entities.toml line and checks that the
finding goes away (the review reads tags as the tables make them).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.enrich.review import DEFAULT_LIMIT
from generator.model import Entities, EntityTag, Record
from generator.records import record_to_text

SECTIONS = ("two-kinds", "near-identical", "lone-surname", "no-shared-entity", "noise", "unapplied")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "site.toml").write_text('title = "Test"\nlanguage = "fr"\n', encoding="utf-8")
    (tmp_path / "content").mkdir()
    return tmp_path


def write(site: Path, slug: str, body: str = "Un texte.", **kinds: tuple[str, ...]) -> None:
    """A record content/<slug>.md tagged with `kinds` (person=…, place=…, organization=…)."""
    entities = Entities(**{kind: tuple(EntityTag(name, 1) for name in names) for kind, names in kinds.items()})
    record = Record(title=f"Article {slug}", slug=slug, lang="fr", date="2021-03-04", date_source="source",
                    summary="", body=body, entities=entities)
    (site / "content" / f"{slug}.md").write_text(record_to_text(record), encoding="utf-8")


def run(site: Path, *args: str):
    return CliRunner().invoke(main, ["entities", "--site", str(site), *args])


def review(site: Path, *args: str) -> dict:
    result = run(site, "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def sections(data: dict) -> dict[str, dict]:
    return {s["type"]: s for s in data["sections"]}


def only(data: dict, kind: str) -> list[dict]:
    """The findings of section `kind` (none: no section), after checking every other section is empty."""
    by_type = sections(data)
    assert list(by_type) == list(SECTIONS)
    others = {t: [[e["name"] for e in f["entities"]] for f in s["findings"]]
              for t, s in by_type.items() if t != kind and s["total"]}
    assert not others, others
    return by_type[kind]["findings"] if kind in by_type else []


def names(finding: dict) -> list[tuple[str, str, int]]:
    return [(e["kind"], e["name"], e["articles"]) for e in finding["entities"]]


def apply(site: Path, *fixes: dict) -> None:
    """Write the fixes' TOML into entities.toml (blocklist lines first, as TOML wants)."""
    tops = [f["toml"] for f in fixes if f["table"] is None]
    tables = [f["toml"] for f in fixes if f["table"] is not None]
    (site / "entities.toml").write_text("\n".join(tops + tables) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- sections


def test_a_name_under_two_kinds(site):
    write(site, "a1", person=("Montvert",))
    write(site, "a2", person=("Montvert",))
    write(site, "a3", place=("Montvert",))
    write(site, "a4", place=("Castelroc",))
    [finding] = only(review(site), "two-kinds")
    assert names(finding) == [("person", "Montvert", 2), ("place", "Montvert", 1)]
    assert finding["articles"] == 3
    assert finding["files"] == ["content/a1.md", "content/a2.md", "content/a3.md"]
    assert finding["fix"] == {"table": "person", "lines": ['"Montvert" = []'], "toml": '[person]\n"Montvert" = []'}
    assert finding["dismiss"] is None

    apply(site, finding["fix"])
    data = review(site)
    # no longer two kinds; the record entities.toml would change waits for a re-ingest
    [stale] = only(data, "unapplied")
    assert names(stale) == [("place", "Montvert", 1)]
    assert stale["files"] == ["content/a3.md"]
    assert "becomes person 'Montvert' (entities.toml)" in stale["why"]
    assert stale["command"].startswith("gazette ingest")


def test_a_kind_fixed_in_entities_toml_is_not_reported_again(site):
    (site / "entities.toml").write_text('[place]\n"Montvert" = []\n', encoding="utf-8")
    write(site, "a1", place=("Montvert",))
    write(site, "a2", place=("MONTVERT",))
    data = review(site)
    [stale] = only(data, "unapplied")  # the spelling in capitals becomes the table's
    assert names(stale) == [("place", "MONTVERT", 1)]


def test_near_identical_names(site):
    write(site, "a1", person=("Amélie Fourcade",))
    write(site, "a2", person=("Amélie Fourcade",))
    write(site, "a3", person=("Amelie FOURCADE",))  # accents and case
    write(site, "a4", person=("Amélie Fourcadde",))  # a typo
    write(site, "b1", place=("Saint-Vrain",))
    write(site, "b2", place=("Saint Vrain",))  # a hyphen
    write(site, "c1", organization=("Ber\u00adnadotte Conseil",))  # an invisible soft hyphen
    write(site, "c2", organization=("Bernadotte Conseil",))
    # not near-identical: other numbers, short names one letter apart, far apart names
    write(site, "d1", organization=("Airbus A320",))
    write(site, "d2", organization=("Airbus A321",))
    write(site, "d3", place=("Lyra",))
    write(site, "d4", place=("Lyre",))
    write(site, "d5", person=("Amélie Fontaine",))
    findings = only(review(site), "near-identical")
    assert [names(f) for f in findings] == [
        [("person", "Amélie Fourcade", 2), ("person", "Amelie FOURCADE", 1), ("person", "Amélie Fourcadde", 1)],
        [("organization", "Bernadotte Conseil", 1), ("organization", "Ber\u00adnadotte Conseil", 1)],
        [("place", "Saint Vrain", 1), ("place", "Saint-Vrain", 1)],
    ]
    typo, invisible, hyphen = findings
    assert typo["articles"] == 4 and typo["files"] == ["content/a1.md", "content/a2.md", "content/a3.md"]
    assert typo["more_files"] == 1
    # the spelling of most articles is the name; a spelling that only differs in case or accents needs no variant
    assert typo["fix"]["toml"] == '[person]\n"Amélie Fourcade" = ["Amélie Fourcadde"]'
    assert typo["dismiss"]["toml"] == '[person]\n"Amélie Fourcade" = []\n"Amélie Fourcadde" = []'
    assert hyphen["fix"]["toml"] == '[place]\n"Saint Vrain" = []' and hyphen["dismiss"] is None
    assert invisible["fix"]["lines"] == ['"Bernadotte Conseil" = []']

    apply(site, typo["fix"], hyphen["fix"], invisible["fix"])
    data = review(site)
    assert sections(data)["near-identical"]["total"] == 0
    stale = {f["entities"][0]["name"] for f in sections(data)["unapplied"]["findings"]}
    assert stale == {"Amelie FOURCADE", "Amélie Fourcadde", "Saint-Vrain", "Ber\u00adnadotte Conseil"}


def test_two_names_entities_toml_lists_apart_are_not_paired(site):
    write(site, "a1", person=("Paul Lemaire",))
    write(site, "a2", person=("Paule Lemaire",))
    [finding] = only(review(site), "near-identical")
    assert finding["dismiss"]["lines"] == ['"Paul Lemaire" = []', '"Paule Lemaire" = []']
    apply(site, finding["dismiss"])
    only(review(site), "none")


def test_near_identical_names_do_not_chain(site):
    # Bertin – Berlin – Merlin: each one letter from the next, Bertin and Merlin two apart
    for number in range(3):
        write(site, f"a{number}", person=("Jules Bertin",))
    for number in range(2):
        write(site, f"b{number}", person=("Jules Berlin",))
    write(site, "c0", person=("Jules Merlin",))
    [finding] = only(review(site), "near-identical")
    assert [e[1] for e in names(finding)] == ["Jules Bertin", "Jules Berlin"]
    assert finding["why"] == "2 spellings, within one typo of 'Jules Bertin'"
    apply(site, finding["dismiss"])  # two people: then Berlin and Merlin are the question
    [finding] = only(review(site), "near-identical")
    assert [e[1] for e in names(finding)] == ["Jules Berlin", "Jules Merlin"]


def test_a_lone_surname_of_several_people(site):
    write(site, "a1", person=("Castagnet",))
    write(site, "a2", person=("Luc Castagnet",))
    write(site, "a3", person=("Luc Castagnet",))
    write(site, "a4", person=("Anne Castagnet",))
    write(site, "b1", person=("Berthier",))  # one full name only: ingest's business, not a question
    write(site, "b2", person=("Paul Berthier",))
    [finding] = only(review(site), "lone-surname")
    assert names(finding) == [("person", "Castagnet", 1), ("person", "Luc Castagnet", 2),
                              ("person", "Anne Castagnet", 1)]
    assert finding["articles"] == 1 and finding["files"] == ["content/a1.md"]
    assert finding["fix"]["toml"] == '[person]\n"Luc Castagnet" = ["Castagnet"]'
    assert finding["dismiss"]["toml"] == '[person]\n"Castagnet" = []'

    apply(site, finding["fix"])
    assert sections(review(site))["lone-surname"]["total"] == 0
    apply(site, finding["dismiss"])
    only(review(site), "unapplied")  # kept alone: the table rewrites nothing, reports nothing
    assert sections(review(site))["unapplied"]["total"] == 0


def test_an_entity_whose_articles_share_no_other_entity(site):
    # "Mirabel": a club, a river and a singer; the articles share nothing else
    write(site, "a1", organization=("Mirabel",), person=("Hugo Lenoir",))
    write(site, "a2", organization=("Mirabel",), place=("Vallée du Tarn",))
    write(site, "a3", organization=("Mirabel",), person=("Lise Aubry",), place=("Montauban",))
    # "Groupe Delta": its two articles share Jeanne Caro, so it is one thing
    write(site, "b1", organization=("Groupe Delta",), person=("Jeanne Caro",))
    write(site, "b2", organization=("Groupe Delta",), person=("Jeanne Caro",), place=("Rodez",))
    # alone in its articles: nothing to compare
    write(site, "c1", organization=("Solitaire",))
    write(site, "c2", organization=("Solitaire",))
    [finding] = only(review(site), "no-shared-entity")
    assert names(finding) == [("organization", "Mirabel", 3)]
    assert finding["files"] == ["content/a1.md", "content/a2.md", "content/a3.md"]
    assert finding["fix"]["toml"] == 'blocklist = ["Mirabel"]'
    assert finding["dismiss"]["toml"] == '[organization]\n"Mirabel" = []'

    apply(site, finding["dismiss"])
    only(review(site), "none")
    apply(site, finding["fix"])
    data = review(site)
    assert sections(data)["no-shared-entity"]["total"] == 0
    assert [f["why"] for f in sections(data)["unapplied"]["findings"]] == ["blocked (entities.toml)"]


def test_probable_noise(site):
    write(site, "a1", organization=("Pourtant",), body="Un texte.")
    write(site, "a2", body="Il est venu, pourtant.")
    write(site, "a3", place=("Etat",), body="Un texte.")
    write(site, "a4", body="Un état de fait.")  # the capital without its accent, as French often writes it
    write(site, "b1", person=("Zorglub",), body="Zorglub est venu.")  # never in lower case
    write(site, "b2", person=("Marcel Pagnol",), body="un marcel pagnol")  # two words: a name
    write(site, "b3", place=("Suisse",), body="une suisse")  # a name the shipped tables know
    write(site, "b4", organization=("ZBKT",), body="zbkt")  # capitals: an acronym
    findings = only(review(site), "noise")
    assert [names(f) for f in findings] == [[("place", "Etat", 1)], [("organization", "Pourtant", 1)]]
    etat, pourtant = findings
    assert pourtant["files"] == ["content/a1.md"]
    assert pourtant["why"] == "seen once; written in lower case ('pourtant') in content/a2.md"
    assert pourtant["fix"]["toml"] == 'blocklist = ["Pourtant"]'
    assert etat["why"] == "seen once; written in lower case ('état') in content/a4.md"

    apply(site, pourtant["fix"], etat["dismiss"])
    data = review(site)
    assert sections(data)["noise"]["total"] == 0
    assert [names(f) for f in sections(data)["unapplied"]["findings"]] == [[("organization", "Pourtant", 1)]]


# ---------------------------------------------------------------- the report


def test_nothing_to_review(site):
    write(site, "a1", person=("Hugo Lenoir",))
    result = run(site)
    assert result.exit_code == 0, result.output
    assert "1 record(s), 1 entities: nothing to review" in result.stdout
    assert review(site)["findings"] == 0


def test_the_json_document(site):
    write(site, "a1", person=("Montvert",))
    write(site, "a2", place=("Montvert",))
    data = review(site)
    assert set(data) == {"records", "entities", "limit", "findings", "sections"}
    assert (data["records"], data["entities"], data["limit"], data["findings"]) == (2, 2, DEFAULT_LIMIT, 1)
    section = sections(data)["two-kinds"]
    assert set(section) == {"type", "title", "total", "shown", "findings"}
    assert set(section["findings"][0]) == {"entities", "articles", "files", "more_files", "why", "fix",
                                           "dismiss", "command"}


def test_the_report_groups_by_section_and_is_bounded(site):
    words = ("Arbois", "Belcourt", "Cazalis", "Dornac", "Estival", "Fabrezan", "Gignac", "Hautvillers",
             "Issoire", "Jarnac", "Kaysersberg", "Lodève")
    for number, word in enumerate(words):  # twelve names under two kinds, one more article each
        for copy in range(number + 2):
            write(site, f"p{number}-{copy}", person=(word,))
        write(site, f"q{number}", place=(word,))
    write(site, "x1", person=("Castagnet",))
    write(site, "x2", person=("Luc Castagnet",))
    write(site, "x3", person=("Anne Castagnet",))
    result = run(site, "--limit", "3")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "13 finding(s)" in out
    assert "Names seen under two kinds — 12 (the first 3; --limit shows more)" in out
    assert out.index("Names seen under two kinds") < out.index("Lone surnames of several people — 1")
    # most articles first, files cut after three
    assert out.index("Lodève") < out.index("Kaysersberg") < out.index("Jarnac")
    assert "Issoire" not in out
    assert "content/p11-0.md, content/p11-1.md, content/p11-10.md and 11 more" in out
    assert '    fix:  [person] "Lodève" = []' in out
    assert '    keep: [person] "Castagnet" = []' in out
    data = review(site, "--limit", "3")
    assert (sections(data)["two-kinds"]["total"], sections(data)["two-kinds"]["shown"]) == (12, 3)


def test_names_and_paths_cannot_forge_a_line(site):
    write(site, "a1", person=("Mont\x1b[2Jvert",))
    write(site, "a2", place=("Mont\x1b[2Jvert",))
    out = run(site).stdout
    assert "\x1b" not in out and "Mont\\x1b[2Jvert" in out


def test_an_unreadable_record_is_named_and_the_rest_reviewed(site):
    write(site, "a1", person=("Montvert",))
    write(site, "a2", place=("Montvert",))
    (site / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\nText\n", encoding="utf-8")
    (site / "content" / "latin.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    result = run(site)
    assert result.exit_code == 1
    assert "content/broken.md" in result.stderr and "content/latin.md: not UTF-8" in result.stderr
    assert "Traceback" not in result.output
    assert "Names seen under two kinds — 1" in result.stdout


def test_a_broken_entities_toml_is_an_error_naming_its_line(site):
    write(site, "a1", person=("Montvert",))
    (site / "entities.toml").write_text('[person]\n"Montvert" = "Mont"\n', encoding="utf-8")
    result = run(site)
    assert result.exit_code == 1
    assert "entities.toml:2:" in result.stderr and "Traceback" not in result.output


def test_no_content_folder(tmp_path):
    result = run(tmp_path)
    assert result.exit_code == 1
    assert "no content folder" in result.stderr


# ---------------------------------------------------------------- blocking


def test_blocking_finds_every_pair_one_edit_apart():
    """near.typo_pairs compares a small part of all pairs; on names with
    typos at every place (first and last letters, swaps) it finds every pair
    that comparing all of them finds."""
    import random

    from rapidfuzz.distance import OSA

    from generator.enrich.review.near import MIN_TYPO_LENGTH, typo_pairs

    rng = random.Random(5)
    letters = "abcdeilmnorstu "
    base = {"".join(rng.choice(letters) for _ in range(rng.randint(4, 12))).strip() for _ in range(400)}
    keys = set(base)
    for name in sorted(base)[:200]:
        i = rng.randrange(len(name))
        keys.update({name[1:], name[:-1], "x" + name, name + "x", name[:i] + "z" + name[i + 1:],
                     name[1] + name[0] + name[2:], name[:-2] + name[-1] + name[-2]})
    keys = sorted(k for k in keys if k)
    expected = {(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]
                if min(len(a), len(b)) >= MIN_TYPO_LENGTH and OSA.distance(a, b) <= 1}
    assert len(expected) > 500
    assert set(typo_pairs(keys)) == expected
