"""The Library: indexes built from records, and the problems found before writing."""
from __future__ import annotations

import hashlib

import pytest

from generator.errors import ProblemsFound
from generator.site.library import FileChanged, entity_slug, index_records, load_library, read_body, scan_content
from generator.model import Entities, EntityTag, MentionedDate, Record
from generator.records import record_to_text
from generator.report import SilentReporter


def record(slug, date="2020-01-03", person=(), place=(), mentioned=(), body="Texte.", title=None):
    return Record(
        title=title or slug.replace("-", " ").capitalize(), slug=slug, lang="fr", date=date,
        date_source="source" if date else "unknown", summary="", body=body,
        entities=Entities(person=tuple(EntityTag(n, 1) for n in person), place=tuple(EntityTag(n, 1) for n in place)),
        mentioned_dates=tuple(MentionedDate(d, d) for d in mentioned),
    )


def index(*records):
    return index_records([(r, f"content/{r.slug}.md", r.slug) for r in records])


def test_articles_newest_first_undated_last_and_entities_indexed():
    library, problems = index(
        record("b", "2019-05-01", person=["Anne Hidalgo"], place=["Paris"]),
        record("a", "2020-01-03T10:00:00+01:00", place=["Paris"], mentioned=["2019-05-01", "2019-05"]),
        record("c", None, place=["Paris"]),
    )
    assert [r.slug for r in library.articles] == ["a", "b", "c"]
    paris = library.entities[("place", "paris")]
    assert paris.articles == ("a", "b", "c") and paris.name == "Paris"
    assert library.tags["b"] == (("person", "anne-hidalgo"), ("place", "paris"))
    assert library.published == {"2019-05-01": ("b",), "2020-01-03": ("a",)}
    assert library.mentioned == {"2019-05-01": ("a",)}  # a month alone has no day page
    assert [p.message.split(":")[0] for p in problems] == ["no publication date"]
    assert problems[0].level == "warning" and problems[0].path == "content/c.md"


def test_spellings_with_one_slug_are_merged_with_a_warning():
    library, problems = index(
        record("a", place=["États-Unis"]), record("b", place=["États-Unis"]), record("c", place=["Etats-Unis"]),
    )
    merged = library.entities[("place", "etats-unis")]
    assert merged.name == "États-Unis" and len(merged.articles) == 3
    [warning] = [p for p in problems if "share the slug" in p.message]
    assert warning.level == "warning" and "'Etats-Unis' (content/c.md)" in warning.message


def test_duplicate_slug_and_empty_article():
    library, problems = index(record("a"), record("a", title="Autre"), record("vide", body="  \n"))
    errors = [p for p in problems if p.level == "error"]
    assert len(errors) == 1 and "content/a.md" in errors[0].message
    assert any(p.level == "warning" and "empty article" in p.message for p in problems)
    assert len(library.articles) == 2


def test_entity_slug_of_names_without_latin_letters_is_stable_and_distinct():
    assert entity_slug("Jean-Luc Mélenchon") == "jean-luc-melenchon"
    assert entity_slug("北京") != entity_slug("東京")
    assert entity_slug("北京") == entity_slug("北京") and entity_slug("北京").startswith("e-")


def test_load_reports_every_broken_record_and_reuses_parsed_records(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "ok.md").write_text(record_to_text(record("ok")), encoding="utf-8")
    (content / "bad1.md").write_text("---\ntitle: x\nslug: Pas Bon\n---\n", encoding="utf-8")
    (content / "bad2.md").write_bytes(b"---\ntitle: \xff\n---\n")
    (content / ".brouillon").mkdir()
    (content / ".brouillon" / "cache.md").write_text("pas un article")  # hidden: left out
    reporter = SilentReporter()
    with pytest.raises(ProblemsFound):
        load_library(scan_content(content, tmp_path), tmp_path / "cache", reporter)
    assert sorted(str(p).split(":")[0] for p in reporter.errors) == ["content/bad1.md", "content/bad2.md"]
    assert "content/bad1.md:3:" in str(reporter.errors[0]) + str(reporter.errors[1])
    for bad in ("bad1.md", "bad2.md"):
        (content / bad).unlink()
    first = load_library(scan_content(content, tmp_path), tmp_path / "cache", SilentReporter())
    assert (tmp_path / "cache" / "records.pickle").is_file()
    again = load_library(scan_content(content, tmp_path), tmp_path / "cache", SilentReporter())
    assert again.articles == first.articles
    # an edit is seen: the cache is keyed by the file's bytes
    (content / "ok.md").write_text(record_to_text(record("ok", title="Nouveau titre")), encoding="utf-8")
    assert load_library(scan_content(content), tmp_path / "cache", SilentReporter()).articles[0].title == "Nouveau titre"


def test_a_record_edited_after_the_scan_is_reported_not_read_as_the_scanned_one(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "ok.md").write_text(record_to_text(record("ok")), encoding="utf-8")
    files = scan_content(content, tmp_path)  # its SHA-256 is taken; the bytes are read again to parse
    (content / "ok.md").write_text(record_to_text(record("ok", title="Autre titre")), encoding="utf-8")
    reporter = SilentReporter()
    with pytest.raises(ProblemsFound):
        load_library(files, tmp_path / "cache", reporter)
    assert [str(p) for p in reporter.errors] == ["content/ok.md: the file changed while the build read it — build again"]


def test_the_library_keeps_what_pages_need_of_a_body_not_the_body(tmp_path):
    long_body = ("Le conseil municipal a voté. " * 200).strip()  # 1,000 words
    library, _ = index(record("long", body=long_body), record("empty", body=""))
    article = library.article("long")
    assert article.body == "" and article.text.reading_minutes == 4 and not article.text.empty
    assert library.article("empty").text.empty
    (tmp_path / "long.md").write_text(record_to_text(record("long", body=long_body)), encoding="utf-8")
    digest = hashlib.sha256((tmp_path / "long.md").read_bytes()).hexdigest()
    assert read_body(tmp_path / "long.md", "long.md", digest) == long_body
    with pytest.raises(FileChanged):
        read_body(tmp_path / "long.md", "long.md", "0" * 64)


def test_records_parsed_by_worker_processes_are_the_ones_parsed_here(tmp_path, monkeypatch):
    """Many records are parsed by worker processes: the same records, in file
    order, the broken ones reported by name as a parse here reports them,
    and each entity name one string for the whole archive."""
    from generator.site import library as library_module

    content = tmp_path / "content"
    content.mkdir()
    for n in range(12):
        people = ["Anne Hidalgo", f"Personne {n % 3}"]
        (content / f"a{n:02}.md").write_text(record_to_text(record(f"a{n:02}", person=people)), encoding="utf-8")
    (content / "b-bad.md").write_text("---\ntitle: x\nslug: Pas Bon\n---\n", encoding="utf-8")
    files = scan_content(content, tmp_path)

    def read(threshold):
        monkeypatch.setattr(library_module, "PARSE_WORKERS_FROM", threshold)
        monkeypatch.setattr(library_module, "PARSE_CHUNK", 4)
        reporter = SilentReporter()
        return library_module.read_records(files, reporter), [str(p) for p in reporter.errors]

    here, here_errors = read(10**9)
    in_workers, worker_errors = read(2)
    assert in_workers == here and len(here) == 12
    assert worker_errors == here_errors and len(here_errors) == 1 and here_errors[0].startswith("content/b-bad.md:3:")
    names = {id(tag.name) for parsed in in_workers for _, tag in parsed[0].entities if tag.name == "Anne Hidalgo"}
    assert len(names) == 1
