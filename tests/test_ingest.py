"""`gazette ingest`: one fixture file per case under tests/fixtures/seeds/.

These tests are about reading, cleaning and writing, not tags: ingest gets a
FakeEnricher (no NLP model), except where the real tags are the point."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import frontmatter
import pytest
from click.testing import CliRunner

from fakes import FakeEnricher
from generator.cli import main
from generator.model import Entities, EntityTag
from generator.records import parse_record

FIXTURES = Path(__file__).parent / "fixtures" / "seeds"
REPO = Path(__file__).parent.parent
SEED = REPO / "seeds" / "000_fc8e0b7d4480e49e.txt"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "site.toml").write_text('title = "Test"\nlanguage = "fr"\n', encoding="utf-8")
    return tmp_path


def ingest(site: Path, *names: str, args: tuple[str, ...] = (), enricher=None):
    """Copy fixtures into the site's seeds/ and run `gazette ingest` on them,
    with a FakeEnricher unless another one is given."""
    for name in names:
        shutil.copy(FIXTURES / name, site / "seeds" / name)
    handed_in = {"enricher": enricher or FakeEnricher()}
    return CliRunner().invoke(main, ["ingest", "--site", str(site), *args], obj=handed_in, catch_exceptions=False)


def records(site: Path) -> dict[str, object]:
    return {p.name: parse_record(p.read_text(encoding="utf-8"), p) for p in sorted((site / "content").glob("*.md"))}


def only_record(site: Path):
    found = records(site)
    assert len(found) == 1, found.keys()
    return next(iter(found.values()))


def removed(record) -> list[tuple[str, str]]:
    return [(r.text, r.rule) for r in record.removed]


# ---------------------------------------------------------------- the seed

def test_seed_becomes_one_clean_record(site):
    shutil.copy(SEED, site / "seeds")
    result = ingest(site)
    assert result.exit_code == 0, result.stderr
    record = only_record(site)
    body = record.body
    assert record.title == "Après les tensions avec l’iran, les USA vont réduire leurs troupes en Irak"
    assert record.slug == "apres-les-tensions-avec-l-iran-les-usa-vont-reduire-leurs-troupes-en-irak"
    assert record.lang == "fr"
    assert record.date is None and record.date_source == "unknown"
    # every paragraph is kept, the author's words exactly
    raw = SEED.read_text(encoding="utf-8")
    for marker in ("La présence militaire américaine", "Cette lutte était", "Il ne s’agirait pas",
                   "De nombreuses manifestations", "Mais la situation entre", "à plusieurs reprise, accusé"):
        assert marker in raw and marker in body
    assert "## Lutte contre l’EI" in body
    assert "## Amélioration des relations entre les deux pays?" in body
    for noise in ("Publicité", "Laisser un commentaire", "Votre adresse e-mail", "\n.\n"):
        assert noise not in body
    assert removed(record).count(("Publicité", "ad-marker")) == 3
    assert (".", "lone-punctuation") in removed(record)
    assert ("Laisser un commentaire", "comment-form") in removed(record)
    assert "  " not in body
    assert record.summary.startswith("La présence militaire américaine en Irak sera bientôt réduite.")
    assert record.source_path == "seeds/000_fc8e0b7d4480e49e.txt"
    # python-frontmatter reads it too
    post = frontmatter.load(next((site / "content").glob("*.md")))
    assert post["title"] == record.title
    assert post["cleaning"]["removed"][0] == {"text": "Publicité", "rule": "ad-marker"}


def test_committed_content_is_what_ingest_writes(tmp_path):
    """content/ in the repository holds the seed's record exactly as ingest
    writes it, tags included (the real Enricher and its model)."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copytree(REPO / "seeds", site / "seeds")
    shutil.copy(REPO / "site.toml", site / "site.toml")
    result = CliRunner().invoke(main, ["ingest", "--site", str(site)])
    assert result.exit_code == 0, result.stderr
    written = sorted(p.name for p in (site / "content").glob("*.md"))
    committed = sorted(p.name for p in (REPO / "content").glob("*.md"))
    assert written == committed
    for name in written:
        assert (site / "content" / name).read_bytes() == (REPO / "content" / name).read_bytes()


def test_second_run_changes_no_byte_and_no_mtime(site):
    shutil.copy(SEED, site / "seeds")
    assert ingest(site).exit_code == 0
    path = next((site / "content").glob("*.md"))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    result = ingest(site)
    assert result.exit_code == 0
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert "1 unchanged" in result.stderr


def test_hand_edit_survives_and_force_overwrites(site):
    shutil.copy(SEED, site / "seeds")
    ingest(site)
    path = next((site / "content").glob("*.md"))
    edited = path.read_text(encoding="utf-8").replace("tags: []", "tags:\n- Irak")
    path.write_text(edited, encoding="utf-8")
    result = ingest(site)
    assert result.exit_code == 0
    assert path.read_text(encoding="utf-8") == edited
    assert "edited by hand" in result.stderr and "--force" in result.stderr
    ingest(site, args=("--force",))
    assert "- Irak" not in path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- each cleaning rule

@pytest.mark.parametrize("name, gone, rule", [
    ("ad_markers.txt", ["Publicité", "PUBLICITÉ", "Advertisement"], "ad-marker"),
    ("comment_form_fr.txt", ["Laisser un commentaire", "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *", "Commentaire *", "Nom *"], "comment-form"),
    ("comment_form_en.txt", ["Leave a Reply", "Post Comment"], "comment-form"),
    ("newsletter_prompt.txt", ["Abonnez-vous à notre newsletter pour ne rien manquer"], "newsletter"),
    ("share_prompt.txt", ["Partager sur Facebook", "Partager"], "share-prompt"),
    ("read_also.txt", ["Lire aussi : Les troupes américaines quittent la Syrie", "À lire aussi"], "read-also"),
    ("lone_punctuation.txt", [".", "…", "* * *"], "lone-punctuation"),
])
def test_boilerplate_rule_removes_and_records(site, name, gone, rule):
    assert ingest(site, name).exit_code == 0
    record = only_record(site)
    for line in gone:
        assert (line, rule) in removed(record)
        assert f"\n{line}\n" not in f"\n{record.body}\n"
    assert "La présence militaire américaine" in record.body or "The company confirmed" in record.body


def test_site_rules_from_site_toml(site):
    (site / "site.toml").write_text('[ingest]\nboilerplate = ["^Les autorités irakiennes"]\n', encoding="utf-8")
    ingest(site, "ad_markers.txt")
    record = only_record(site)
    assert any(rule.startswith("site:") for _, rule in removed(record))
    assert "Les autorités irakiennes" not in record.body


def test_space_runs_collapse_and_leading_spaces_go(site):
    ingest(site, "space_runs.txt")
    record = only_record(site)
    assert record.title == "Un titre espacé"
    assert "La présence militaire américaine en Irak sera «\u00a0bientôt\u00a0» réduite." in record.body
    assert "\nUn paragraphe qui commence par une espace insécable." in "\n" + record.body
    assert "\nUn paragraphe qui commence par des espaces." in record.body


def test_typos_and_markup_characters_kept_exactly(site):
    ingest(site, "typos_kept.txt")
    record = only_record(site)
    assert "à plusieurs reprise, accusé" in record.body
    assert "plus harmonieuse les relations" in record.body
    # Markdown characters are escaped so the page shows them as written
    assert r"Il a dit \*non\* et \[voir\] \<b\>ceci\</b\>." in record.body


def test_subheadings_become_level_two_headings(site):
    ingest(site, "subheadings.txt")
    body = only_record(site).body
    assert "## Lutte contre l’EI" in body
    assert "## Amélioration des relations entre les deux pays?" in body
    # a short last line (a signature) is not a heading
    assert body.rstrip().endswith("\nJean Dupont")


def test_hard_wrapped_lines_join_into_paragraphs(site):
    ingest(site, "hard_wrapped.txt")
    body = only_record(site).body
    assert "La présence militaire américaine en Irak sera bientôt réduite, selon une déclaration commune publiée mardi soir." in body


# ---------------------------------------------------------------- decoding

@pytest.mark.parametrize("name, expected", [
    ("cp1252.txt", "Ça coûte 3 € à l’hôtel."),
    ("latin1.txt", "Le maire sortant a été réélu dimanche"),
    ("utf8_bom.txt", "La présence militaire"),
    ("crlf_line_endings.txt", "La présence militaire"),
    ("nfd_accents.txt", "La présence militaire américaine"),
])
def test_encodings_decode_to_nfc_lf(site, name, expected):
    assert ingest(site, name).exit_code == 0
    path = next((site / "content").glob("*.md"))
    text = path.read_text(encoding="utf-8")
    assert expected in text
    assert "\r" not in text and "\ufeff" not in text
    if name == "cp1252.txt":
        assert only_record(site).title == "Élections à Montréal : l’été sera chaud"


def test_control_characters_removed(site):
    ingest(site, "control_characters.txt")
    record = only_record(site)
    assert record.title == "Un titre avec des contrôles"
    assert not any(ord(c) < 32 and c not in "\n\t" for c in record.body)
    assert "\u200b" not in record.body


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("name, message", [
    ("empty.txt", "empty file"),
    ("whitespace_only.txt", "empty file"),
    ("binary_file.txt", "binary file"),
    ("undecodable_bytes.txt", "undecodable bytes"),
    ("nothing_left_after_cleaning.txt", "nothing left after cleaning"),
    ("unsupported_type.pdf", "unsupported file type"),
    ("record_bad_front_matter.md", "not valid YAML"),
    ("record_impossible_date.md", "date"),
])
def test_bad_input_is_reported_and_others_still_ingested(site, name, message):
    result = ingest(site, name, "ad_markers.txt")
    assert result.exit_code == 1
    lines = [l for l in result.stderr.splitlines() if l.startswith("error:")]
    assert len(lines) == 1, result.stderr
    assert name in lines[0] and message in lines[0]
    assert "1 problem(s)" in result.stderr
    assert len(records(site)) == 1  # the good seed was written


def test_a_markdown_seed_with_a_wrong_field_is_reported_by_name(site):
    (site / "seeds" / "wrong_field.md").write_text("---\ntitle: Un titre\ntags: [1, 2]\n---\nUn texte.\n",
                                                   encoding="utf-8")
    result = ingest(site, "ad_markers.txt")
    assert result.exit_code == 1
    assert "wrong_field.md: field 'tags': must be a list of words in quotes" in result.stderr
    assert len(records(site)) == 1


def test_missing_folder_is_an_error(site):
    result = CliRunner().invoke(main, ["ingest", "--site", str(site), str(site / "nowhere")])
    assert result.exit_code == 1
    assert "nowhere: no such file or folder" in result.stderr


# ---------------------------------------------------------------- other sources

def test_html_through_trafilatura(site):
    assert ingest(site, "article.html").exit_code == 0
    record = only_record(site)
    assert record.title == "Les USA vont réduire leurs troupes en Irak"
    assert record.date.startswith("2020-06-12") and record.date_source == "html-meta"
    assert record.source_url == "https://journal.example/monde/usa-irak-troupes"
    assert record.lang == "fr"
    assert "La présence militaire américaine en Irak sera bientôt réduite." in record.body
    assert "Accueil" not in record.body and "Mentions légales" not in record.body


def test_markdown_record_is_validated_and_normalised(site):
    assert ingest(site, "record.md").exit_code == 0
    record = only_record(site)
    assert record.title == "Un article déjà au format Gazette"
    assert record.slug == "un-article-deja-au-format-gazette"
    assert record.date == "2019-05-04" and record.date_source == "source"
    assert record.tags == ("archives",)
    assert [t.name for t in record.entities.person] == ["Marie Curie"]  # its own tags are kept
    assert record.summary.startswith("Un article écrit à la main")


def test_date_from_file_name_and_option(site):
    ingest(site, "2021-03-15_dated_by_filename.txt", "ad_markers.txt", args=("--date", "2022-02-02"))
    by_title = {r.title: r for r in records(site).values()}
    named = by_title["Un article daté par son nom"]
    assert (named.date, named.date_source) == ("2021-03-15", "filename")
    other = by_title["Un titre sur les publicités"]
    assert (other.date, other.date_source) == ("2022-02-02", "option")


def test_seed_name_with_hash_is_not_a_date(site):
    shutil.copy(SEED, site / "seeds")
    ingest(site)
    assert only_record(site).date is None


# ---------------------------------------------------------------- slugs and duplicates

def test_same_article_twice_gives_one_record(site):
    result = ingest(site, "duplicate_first.txt", "duplicate_second.txt")
    assert result.exit_code == 0
    assert len(records(site)) == 1
    assert "same article as" in result.stderr


def test_slug_collision_gets_a_stable_suffix_and_a_warning(site):
    result = ingest(site, "same_title_first.txt", "same_title_second.txt")
    assert result.exit_code == 0
    names = sorted(records(site))
    assert len(names) == 2 and "le-meme-titre.md" in names
    assert any(n.startswith("le-meme-titre-") for n in names)
    assert "is taken by another article" in result.stderr
    # stable: a second run keeps both files and writes nothing
    again = ingest(site)
    assert sorted(records(site)) == names and "0 written" in again.stderr


def test_quiet_prints_nothing_on_success(site):
    result = ingest(site, "ad_markers.txt", args=("-q",))
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""


def test_records_are_written_with_normal_permissions(site):
    ingest(site, "ad_markers.txt")
    path = next((site / "content").glob("*.md"))
    assert path.stat().st_mode & 0o044  # readable by others, as any file the user writes


def test_index_of_written_records_is_what_reading_them_gives(site):
    """After writing, ingest records each file's source, text hash and people
    without reading it back: the same values a fresh scan of content/ finds."""
    from generator.config import load_config
    from generator.ingest.index import content_index, scan_content

    shutil.copy(SEED, site / "seeds")
    tagged = FakeEnricher({"Un titre sur les publicités": Entities(person=(EntityTag("Jean Dupont", 2),))})
    assert ingest(site, "ad_markers.txt", "typos_kept.txt", enricher=tagged).exit_code == 0
    index = content_index(load_config(site))
    after_ingest = index.read()
    assert len(after_ingest) == 3
    assert sorted(name for row in after_ingest.values() for name in row.record.people) == ["Jean Dupont"]
    index.path.unlink()
    scan_content(load_config(site))
    assert index.read() == after_ingest


def test_a_corrupt_index_is_read_again_from_content(site):
    from generator.config import load_config
    from generator.ingest.index import content_index

    assert ingest(site, "ad_markers.txt", "typos_kept.txt").exit_code == 0
    index = content_index(load_config(site))
    index.path.write_bytes(b"not a pickle")
    again = ingest(site)
    assert again.exit_code == 0 and "0 written, 2 unchanged" in again.stderr
    assert len(index.read()) == 2


def test_the_enricher_handed_in_tags_the_records(site):
    tags = Entities(person=(EntityTag("Jean Dupont", 2),), place=(EntityTag("Irak", 1),))
    enricher = FakeEnricher({"Un titre sur les publicités": tags})
    assert ingest(site, "ad_markers.txt", enricher=enricher).exit_code == 0
    assert [item.title for item in enricher.seen] == ["Un titre sur les publicités"]
    assert only_record(site).entities == tags
