"""`gazette check`: a good site passes; each kind of breakage is reported with
its file (and line), and nothing is written."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.site.check import check_site, resolve_link, scan_html
from generator.config import load_config
from generator.model import Record
from generator.records import record_to_text
from generator.report import SilentReporter
from generator.site.output import Writer
from generator.site.export import export_files
from generator.site.library import index_records, read_records, scan_content
from generator.site.search import index_articles

ATOM = '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>'
SITEMAP = ('<?xml version="1.0" encoding="utf-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           "<url><loc>https://example.org/archives/</loc></url></urlset>")


def page(body: str, lang: str = "fr", article: bool = False) -> str:
    main = f"<article data-pagefind-body><h1>Titre</h1>{body}</article>" if article else body
    return f'<!doctype html>\n<html lang="{lang}">\n<body id="top">\n<main id="contenu">\n{main}\n</main>\n</body>\n</html>\n'


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_site(root: Path) -> Path:
    """A small built site (two articles) with its records, feeds and search index."""
    (root / "site.toml").write_text('title = "T"\nlanguage = "fr"\n', encoding="utf-8")
    for slug, title in (("alpha", "Alpha"), ("beta", "Bêta")):
        record = Record(title=title, slug=slug, lang="fr", date="2020-01-0" + ("1" if slug == "alpha" else "2"),
                        date_source="source", summary="Résumé.", body=f"Texte de {title}.")
        write(root / "content" / f"{slug}.md", record_to_text(record))
    out = root / "public"
    write(out / "index.html", page('<a href="articles/alpha/">Alpha</a> <a href="articles/beta/#suite">Bêta</a>'
                                   ' <a href="search/?q=alpha">chercher</a> <a href="#contenu">aller</a>'
                                   ' <a href="feed.xml">flux</a> <a href="https://example.org/">ailleurs</a>'
                                   ' <link href="static/style.css"> <a href="mailto:x@example.org">écrire</a>'))
    articles = [
        ("articles/alpha/index.html", page('<p>Alpha</p><a href="../../">accueil</a> <a href="../beta/">Bêta</a>',
                                           article=True)),
        ("articles/beta/index.html", page('<p id="suite">Bêta</p><a href="../alpha/#top">Alpha</a>', article=True)),
    ]
    for path, html in articles:
        write(out / path, html)
    write(out / "search" / "index.html", page('<script src="../pagefind/pagefind-ui.js"></script>'
                                              '<a href="../">accueil</a>'))
    write(out / "static" / "style.css", "body{}")
    write(out / "feed.xml", ATOM)
    write(out / "people" / "someone" / "feed.xml", ATOM)
    write(out / "sitemap.xml", SITEMAP)
    writer = Writer(out, None)  # the search index and the data export as a build writes them
    for path, content in index_articles(articles, SilentReporter()).files:
        writer.write(path, content, "the search index")
    write_data_export(root, writer)
    return root


def write_data_export(root: Path, writer: Writer) -> None:
    library, _ = index_records(read_records(scan_content(root / "content"), SilentReporter()))
    for path, content in export_files(library, "https://example.org/"):
        writer.write(path, content, "the data export")


@pytest.fixture(scope="module")
def good_site(tmp_path_factory):
    return make_site(tmp_path_factory.mktemp("good"))


@pytest.fixture
def site(tmp_path, good_site):
    """A private copy of the good site, to break."""
    copy = tmp_path / "site"
    shutil.copytree(good_site, copy)
    return copy


def run_check(root: Path, output: Path | None = None) -> SilentReporter:
    reporter = SilentReporter()
    check_site(load_config(root), output=output, reporter=reporter)
    return reporter


def errors_of(reporter: SilentReporter) -> list[str]:
    return [str(p) for p in reporter.errors]


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_good_site_passes_and_nothing_is_written(good_site):
    before = snapshot(good_site)
    reporter = run_check(good_site)
    assert errors_of(reporter) == []
    assert reporter.warnings == []
    assert any("no problems" in m for m in reporter.messages)
    assert snapshot(good_site) == before


def test_broken_link_is_reported_with_file_and_line(site):
    target = site / "public" / "articles" / "alpha" / "index.html"
    target.write_text(target.read_text().replace('href="../beta/"', 'href="../gamma/"'))
    [error] = errors_of(run_check(site))
    assert error.startswith("public/articles/alpha/index.html:5: ")
    assert "broken link '../gamma/'" in error and "articles/gamma/index.html" in error


def test_broken_anchor_is_reported(site):
    target = site / "public" / "articles" / "beta" / "index.html"
    target.write_text(target.read_text().replace('id="suite"', 'id="ailleurs"'))
    [error] = errors_of(run_check(site))
    assert error.startswith("public/index.html:5: ")
    assert "broken anchor 'articles/beta/#suite'" in error and "'suite'" in error


def test_anchor_on_the_same_page_is_checked(site):
    index = site / "public" / "index.html"
    index.write_text(index.read_text().replace('href="#contenu"', 'href="#nulle-part"'))
    [error] = errors_of(run_check(site))
    assert "broken anchor '#nulle-part'" in error and error.startswith("public/index.html:")


def test_root_relative_links_are_reported(site):
    index = site / "public" / "index.html"
    index.write_text(index.read_text().replace('href="feed.xml"', 'href="/feed.xml"'))
    [error] = errors_of(run_check(site))
    assert "starts with '/'" in error and "sub-path" in error


def test_malformed_feed_is_reported_with_line(site):
    feed = site / "public" / "people" / "someone" / "feed.xml"
    feed.write_text(ATOM.replace("</title>", "</titl>\n"))
    [error] = errors_of(run_check(site))
    assert error.startswith("public/people/someone/feed.xml:1: ") and "not well-formed XML" in error


def test_sitemap_with_the_wrong_root_is_reported(site):
    (site / "public" / "sitemap.xml").write_text("<urls/>")
    [error] = errors_of(run_check(site))
    assert "sitemap.xml" in error and "urlset" in error


def test_missing_search_index_is_reported(site):
    shutil.rmtree(site / "public" / "pagefind")
    errors = errors_of(run_check(site))
    assert any("pagefind-entry.json" in e and "not written" in e for e in errors)
    # the search page's script is now a broken link too: pagefind/ is not exempt from link checks
    assert any("broken link '../pagefind/pagefind-ui.js'" in e for e in errors)


def test_search_index_with_the_wrong_number_of_articles_is_reported(site):
    extra = site / "public" / "articles" / "gamma" / "index.html"
    write(extra, page("<p>Gamma</p>", article=True))
    errors = errors_of(run_check(site))
    assert any("holds 2 page(s) but the site has 3 article page(s)" in e for e in errors)


def test_broken_record_is_reported_with_file_and_line(site):
    record = site / "content" / "beta.md"
    record.write_text(record.read_text().replace("lang: fr", "lang: [fr"))
    errors = errors_of(run_check(site))
    assert any(e.startswith("content/beta.md:") and "YAML" in e for e in errors)


def test_site_older_than_content_is_a_warning(site):
    record = Record(title="Gamma", slug="gamma", lang="fr", date=None, date_source="unknown",
                    summary="", body="Texte.")
    write(site / "content" / "gamma.md", record_to_text(record))
    reporter = run_check(site)
    assert errors_of(reporter) == []
    assert any("2 article page(s) but content/ holds 3" in w.message for w in reporter.warnings)


def test_missing_output_is_an_error(site):
    shutil.rmtree(site / "public")
    [error] = errors_of(run_check(site))
    assert "run gazette build" in error


def test_other_output_folder(site):
    shutil.move(site / "public", site / "elsewhere")
    assert errors_of(run_check(site, output=site / "elsewhere")) == []


def test_the_data_export_is_checked(site):
    data = site / "public" / "data"
    first = json.loads((data / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0])
    (data / "articles.jsonl").write_text(json.dumps(dict(first, path="articles/gamma/")) + "\n{oops\n",
                                         encoding="utf-8")
    (data / "entities.csv").write_text("name,kind\n", encoding="utf-8")
    errors = errors_of(run_check(site))
    assert "public/data/articles.jsonl:1: the article names a page that is not there: " \
           "articles/gamma/index.html does not exist — rebuild the site" in errors
    assert any(e.startswith("public/data/articles.jsonl:2: not a JSON object") for e in errors)
    assert any(e.startswith("public/data/entities.csv:1: the header must be kind,name,slug") for e in errors)
    (data / "index.json").unlink()
    assert "public/data/index.json: missing from the data export — run gazette build" in errors_of(run_check(site))


def test_resolve_link():
    assert resolve_link("articles/a/index.html", "../b/") == ("articles/b/index.html", "")
    assert resolve_link("articles/a/index.html", "../../#top") == ("index.html", "top")
    assert resolve_link("index.html", "#x") == ("index.html", "x")
    assert resolve_link("index.html", "search/?q=a") == ("search/index.html", "")
    assert resolve_link("index.html", "../x/")[0] is None
    assert resolve_link("people/%C3%A9/index.html", "feed.xml") == ("people/%C3%A9/feed.xml", "")


def test_scan_html_lines_and_ids():
    scanned = scan_html('<p id="a">\n<a href="x/" name="n">x</a>\n<img src="i.png"/></p>')
    assert [(link.url, link.line) for link in scanned.links] == [("x/", 2), ("i.png", 3)]
    assert scanned.ids == {"a", "n"}


# ---------------------------------------------------------------- the sample site, built for real


@pytest.fixture
def sample_site(built_sample):
    """The sample site built once for the session (conftest.py): read only."""
    return built_sample


def test_the_built_sample_site_passes(sample_site):
    before = snapshot(sample_site)
    reporter = run_check(sample_site)
    assert errors_of(reporter) == []
    assert snapshot(sample_site) == before  # check writes nothing, not even a cache


def test_a_missing_entity_page_is_found_on_every_page_linking_to_it(sample_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(sample_site, site)
    victim = next((site / "public" / "people").glob("*/index.html"))
    victim.unlink()
    slug = victim.parent.name
    errors = errors_of(run_check(site))
    assert errors
    assert all(f"people/{slug}/index.html does not exist" in e for e in errors)
    assert any(e.startswith("public/articles/") for e in errors)


def test_gazette_check_command_exits_1_naming_the_file(site):
    import subprocess
    import sys

    target = site / "public" / "articles" / "alpha" / "index.html"
    target.write_text(target.read_text().replace('href="../beta/"', 'href="../gamma/"'))
    done = subprocess.run([sys.executable, "-m", "generator", "check", "--site", str(site)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "public/articles/alpha/index.html:5: broken link '../gamma/'" in done.stderr
    target.write_text(target.read_text().replace('href="../gamma/"', 'href="../beta/"'))
    done = subprocess.run([sys.executable, "-m", "generator", "check", "--site", str(site)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "no problems" in done.stdout


def test_an_absolute_link_to_the_site_itself_is_a_warning(site):
    (site / "site.toml").write_text('title = "T"\nbase_url = "https://example.org/archives/"\n', encoding="utf-8")
    index = site / "public" / "index.html"
    index.write_text(index.read_text().replace('href="feed.xml"', 'href="https://example.org/archives/feed.xml"'))
    reporter = run_check(site)
    assert errors_of(reporter) == []
    assert any("absolute address" in w.message and w.line == 5 for w in reporter.warnings)


def test_a_language_without_a_stemmer_is_not_reported_missing(site):
    # Pagefind has no stemmer (and so no wasm file) for Japanese: its bundle is complete without one
    record = Record(title="ニュース", slug="gamma", lang="ja", date="2020-01-03", date_source="source",
                    summary="要約。", body="東京のニュース。")
    write(site / "content" / "gamma.md", record_to_text(record))
    out = site / "public"
    articles = [(p.relative_to(out).as_posix(), p.read_text(encoding="utf-8"))
                for p in sorted((out / "articles").glob("*/index.html"))]
    articles.append(("articles/gamma/index.html", page("<p>東京のニュース。</p>", lang="ja", article=True)))
    write(out / articles[-1][0], articles[-1][1])
    shutil.rmtree(out / "pagefind")
    writer = Writer(out, None)
    for path, content in index_articles(articles, SilentReporter()).files:
        writer.write(path, content, "the search index")
    write_data_export(site, writer)
    assert not errors_of(run_check(site))


def test_a_sitemap_listing_more_urls_than_one_file_may_is_reported(site):
    sitemap = site / "public" / "sitemap.xml"
    entries = "".join(f"<url><loc>https://example.org/a{n}/</loc></url>" for n in range(50_001))
    sitemap.write_text('<?xml version="1.0" encoding="utf-8"?>'
                       f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>')
    [error] = errors_of(run_check(site))
    assert error.startswith("public/sitemap.xml: ") and "50,001 URLs" in error and "50,000" in error


def test_a_sitemap_index_and_its_parts_pass(site):
    ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
    (site / "public" / "sitemap.xml").write_text(
        f'<?xml version="1.0" encoding="utf-8"?><sitemapindex xmlns="{ns}">'
        '<sitemap><loc>https://example.org/sitemap-1.xml</loc></sitemap></sitemapindex>')
    (site / "public" / "sitemap-1.xml").write_text(SITEMAP)
    assert errors_of(run_check(site)) == []
    (site / "public" / "sitemap-1.xml").write_text(f'<sitemapindex xmlns="{ns}"/>')  # a part is a urlset
    [error] = errors_of(run_check(site))
    assert "sitemap-1.xml" in error and "<urlset>" in error
