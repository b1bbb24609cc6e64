"""The preview's pages (serve/live_site.py) are the build's, byte for byte:
every page and data file of the built sample site, read from the site model
in memory — and again after records are edited, added and removed, against
a fresh build of the edited site."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.config import load_config
from generator.report import SilentReporter
from generator.serve.live_site import LiveSite
from generator.site.build import build_site

# not pages: served from the built folder as they are (and the search index lags by design)
NOT_FROM_THE_MODEL = ("static/", "pagefind/", ".gazette-build")


def _built_files(public: Path) -> dict[str, bytes]:
    return {p.relative_to(public).as_posix(): p.read_bytes() for p in sorted(public.rglob("*"))
            if p.is_file() and not p.relative_to(public).as_posix().startswith(NOT_FROM_THE_MODEL)}


def _assert_serves_the_build(live: LiveSite, public: Path) -> None:
    built = _built_files(public)
    assert len(built) > 100
    different = [path for path, data in built.items() if live.read(path) != data]
    assert not different, f"{len(different)} of {len(built)} files differ, e.g. {different[:5]}"


def test_every_page_of_the_built_site_is_served_from_the_model_byte_for_byte(built_sample_copy):
    live = LiveSite(load_config(built_sample_copy), SilentReporter())
    _assert_serves_the_build(live, built_sample_copy / "public")
    assert live.read("static/style.css") is None  # the built folder answers for files that are no page
    assert live.read("articles/no-such-article/index.html") is None


@pytest.fixture
def edited_site(built_sample_copy):
    site = built_sample_copy
    return site, LiveSite(load_config(site), SilentReporter())


def _rebuild(site: Path, tmp_path: Path) -> Path:
    """A clean build of the site as it is now, elsewhere."""
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("public", ".gazette"))
    build_site(load_config(fresh), reporter=SilentReporter())
    return fresh / "public"


def test_after_edits_the_model_serves_what_a_fresh_build_writes(edited_site, tmp_path):
    site, live = edited_site
    _assert_serves_the_build(live, site / "public")  # every page rendered and cached before the edits
    old = _built_files(site / "public")
    content = site / "content"
    records = sorted(content.glob("*.md"))
    first, second, third = records[0], records[1], records[2]
    # a sentence of the body, a title, a person tag added, an article removed and one added
    first.write_text(first.read_text(encoding="utf-8").replace("\n\n", "\n\nUne phrase ajoutée.\n\n", 1)
                     .replace("\ntitle: ", "\ntitle: Corrigé — ", 1), encoding="utf-8")
    text = second.read_text(encoding="utf-8")
    assert "\n  person:\n" in text
    second.write_text(text.replace("\n  person:\n", "\n  person:\n    Marie Curie: 2\n", 1), encoding="utf-8")
    copy = content / "zz-une-copie.md"
    copy.write_text(third.read_text(encoding="utf-8").replace("\nslug: ", "\nslug: copie-", 1), encoding="utf-8")
    third.unlink()
    changed, articles = live.update([first, second, third, copy], SilentReporter())
    assert any(path.startswith("articles/") for path in changed) and articles
    public = _rebuild(site, tmp_path)
    _assert_serves_the_build(live, public)
    # the tabs told to reload: every page whose bytes changed, and not every page
    new = _built_files(public)
    differ = {path for path in old.keys() | new.keys() if old.get(path) != new.get(path)}
    assert differ <= changed
    assert len(changed) < len(new) / 2


def test_a_broken_record_changes_nothing_and_is_reported(edited_site):
    from generator.errors import ProblemsFound
    site, live = edited_site
    record = sorted((site / "content").glob("*.md"))[0]
    before = live.read("index.html")
    record.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    with pytest.raises(ProblemsFound) as raised:
        live.update([record], SilentReporter())
    assert record.name in str(raised.value.problems[0])
    assert live.read("index.html") == before


def test_without_the_model_a_build_kept_the_preview_indexes_the_records_itself(built_sample_copy):
    for kept in (built_sample_copy / ".gazette").glob("model*.pickle"):
        kept.unlink()
    live = LiveSite(load_config(built_sample_copy), SilentReporter())
    _assert_serves_the_build(live, built_sample_copy / "public")


def test_a_record_saved_again_before_its_page_is_asked_for_serves_the_version_taken_in(edited_site):
    """The page of an edit the preview has taken in, asked for after the file
    was saved once more (its change not yet taken in): the first edit's page,
    not an error about a file that changed."""
    site, live = edited_site
    record = sorted((site / "content").glob("*.md"))[0]
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("\n\n", "\n\nPremière retouche.\n\n", 1), encoding="utf-8")
    _, articles = live.update([record], SilentReporter())
    record.write_text(text.replace("\n\n", "\n\nSeconde retouche.\n\n", 1), encoding="utf-8")
    (slug,) = articles
    page = live.read(f"articles/{slug}/index.html")
    assert page is not None and b"Premi\xc3\xa8re retouche." in page and b"Seconde" not in page
    live.update([record], SilentReporter())
    assert b"Seconde retouche." in live.read(f"articles/{slug}/index.html")


def test_a_sitemap_split_in_parts_is_built_checked_and_served(built_sample_copy, tmp_path, monkeypatch):
    """With more pages than one sitemap file may list (the limit lowered here):
    sitemap.xml indexes sitemap-1.xml, …; `gazette check` passes them; the
    preview serves each part as the build wrote it."""
    import xml.etree.ElementTree as ET

    from generator import urls
    from generator.site.check import check_site

    monkeypatch.setattr(urls, "SITEMAP_URLS", 25)
    public = _rebuild(built_sample_copy, tmp_path)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = ET.parse(public / "sitemap.xml").getroot()
    parts = sorted(public.glob("sitemap-*.xml"))
    assert index.tag == f"{ns}sitemapindex" and len(parts) > 1
    assert [loc.text.rsplit("/", 1)[1] for loc in index.iter(f"{ns}loc")] == \
        [f"sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    assert all(len(list(ET.parse(p).getroot().iter(f"{ns}url"))) <= 25 for p in parts)
    reporter = SilentReporter()
    check_site(load_config(tmp_path / "fresh"), output=None, reporter=reporter)
    assert not reporter.errors
    live = LiveSite(load_config(tmp_path / "fresh"), SilentReporter())
    _assert_serves_the_build(live, public)
