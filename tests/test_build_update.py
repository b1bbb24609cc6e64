"""`gazette build` after a few records changed updates the output in place
(site/build_update.py) — and the output is the one a clean build of the
same content makes: every file byte for byte, the search index page for
page (Pagefind's own file names are not stable from one run to the next)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.config import load_config
from generator.report import SilentReporter
from generator.site.build import build_site

SEARCH = "pagefind/"


def build(site: Path):
    return build_site(load_config(site), reporter=SilentReporter())


def _files(public: Path) -> dict[str, bytes]:
    return {p.relative_to(public).as_posix(): p.read_bytes() for p in sorted(public.rglob("*")) if p.is_file()}


def _search_pages(public: Path) -> dict[str, int]:
    """Pages per language in every shard's entry: what the index holds."""
    found = {}
    for entry in sorted(public.glob("pagefind/**/pagefind-entry.json")):
        languages = json.loads(entry.read_text())["languages"]
        found[entry.relative_to(public).as_posix()] = {lang: v["page_count"] for lang, v in languages.items()}
    return found


def assert_same_as_a_clean_build(site: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "clean"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("public", ".gazette"))
    build(fresh)
    got, want = _files(site / "public"), _files(fresh / "public")
    pages = lambda files: {p for p in files if not p.startswith(SEARCH) and p != ".gazette-build"}  # noqa: E731
    assert pages(got) == pages(want)
    different = sorted(p for p in pages(want) if got[p] != want[p])
    assert not different, f"{len(different)} files differ from a clean build's, e.g. {different[:5]}"
    assert _search_pages(site / "public") == _search_pages(fresh / "public")
    assert _marker(got) == _marker(want)


def _marker(files: dict[str, bytes]) -> dict[str, str]:
    """The marker's fields but the output's own id."""
    lines = files[".gazette-build"].decode().splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line and not line.startswith(("#", "output:")))


def _edit(record: Path, old: str, new: str) -> None:
    text = record.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {record.name}"
    record.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = {
    "a sentence of the body": lambda r: _edit(r, "\n---\n", "\n---\nUne phrase ajoutée.\n\n"),
    "the title": lambda r: _edit(r, "\ntitle: ", "\ntitle: Corrigé — "),
    "a person tagged": lambda r: _edit(r, "\n  person:\n", "\n  person:\n    Marie Curie: 3\n"),
    "the date": lambda r: _edit(r, "\ndate: '20", "\ndate: '19"),
}


@pytest.mark.parametrize("what", sorted(EDITS))
def test_one_edited_record_updates_the_output_in_place_as_a_clean_build_would(built_sample_copy, tmp_path, what):
    site = built_sample_copy
    record = site / "content" / "boris-johnson-devient-premier-ministre-du-royaume-uni.md"
    EDITS[what](record)
    report = build(site)
    assert report.in_place and 0 < report.pages_written < report.pages / 2
    assert_same_as_a_clean_build(site, tmp_path)
    assert build(site).up_to_date


def test_records_added_and_removed_update_the_output_in_place(built_sample_copy, tmp_path):
    site = built_sample_copy
    content = site / "content"
    record = content / "boris-johnson-devient-premier-ministre-du-royaume-uni.md"
    copy = content / "une-copie.md"
    copy.write_text(record.read_text(encoding="utf-8").replace("\nslug: ", "\nslug: une-copie-", 1), encoding="utf-8")
    (content / "brexit-britain-and-the-eu-strike-a-last-minute-trade-deal.md").unlink()
    report = build(site)
    assert report.in_place
    assert not (site / "public" / "articles" / "brexit-britain-and-the-eu-strike-a-last-minute-trade-deal").exists()
    assert_same_as_a_clean_build(site, tmp_path)
    # and again: the kept model follows
    _edit(copy, "\n---\n", "\n---\nEncore.\n\n")
    assert build(site).in_place
    assert_same_as_a_clean_build(site, tmp_path / "again")


def test_a_theme_change_builds_from_scratch(built_sample_copy):
    site = built_sample_copy
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    shipped = Path(__file__).parents[1] / "themes" / "default" / "templates" / "article.html"
    (templates / "article.html").write_text(shipped.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    report = build(site)
    assert not report.in_place and not report.up_to_date


def test_a_record_moved_to_another_file_updates_the_data_export(built_sample_copy, tmp_path):
    site = built_sample_copy
    content = site / "content"
    record = content / "boris-johnson-devient-premier-ministre-du-royaume-uni.md"
    record.rename(content / "boris-johnson.md")
    assert build(site).in_place
    assert b"content/boris-johnson.md" in (site / "public" / "data" / "articles.jsonl").read_bytes()
    assert_same_as_a_clean_build(site, tmp_path)
