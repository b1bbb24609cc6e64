"""Build the committed sample site and check what a reader would get."""
from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.site.build import build_site
from generator.config import load_config
from generator.errors import BuildError, ProblemsFound
from generator.report import SilentReporter
from generator.site.output import MARKER, build_lock

SAMPLE = Path(__file__).parent / "fixtures" / "sample-site"
BASE = "https://example.org/archives/"
ATOM = "{http://www.w3.org/2005/Atom}"
SOLEIMANI = "le-general-qassem-soleimani-tue-par-une-frappe-americaine-a-bagdad"
TROOPS = "apres-les-tensions-avec-liran-les-usa-vont-reduire-leurs-troupes-en-irak"
MISSILES = "liran-tire-des-missiles-sur-des-bases-abritant-des-soldats-americains-en-irak"
UNDATED = "une-lettre-de-lecteur-sans-date"


def copy_sample(dest: Path) -> Path:
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns(".gazette", "public"))
    return dest


def build(site: Path, **options):
    reporter = options.pop("reporter", None) or SilentReporter()
    return build_site(load_config(site), reporter=reporter, **options), reporter


@pytest.fixture
def built(built_sample) -> Path:
    """The output of the sample site, built once for the session (conftest.py): read only."""
    return built_sample / "public"


def read(public: Path, url: str) -> str:
    path = public / url
    return (path / "index.html" if url.endswith("/") or url == "" else path).read_text(encoding="utf-8")


def snapshot(folder: Path, *, rebuilt: bool = False) -> dict[str, tuple[str, int]]:
    """Every file's bytes (hash) and mtime. `rebuilt`: leave out what every build
    writes afresh (the marker, and Pagefind's index whose file names vary)."""
    return {
        str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not (rebuilt and (p.name == MARKER or p.relative_to(folder).parts[0] == "pagefind"))
    }


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str, dict]] = []  # (tag, url, attrs)
        self.ids: set[str] = set()
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                self.links.append((tag, attrs[name], attrs))
        self._in_jsonld = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld.append(data)

    def handle_endtag(self, tag):
        self._in_jsonld = False


def parse(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


# ---------------------------------------------------------------- pages

def test_every_page_of_the_sample_site_is_there(built):
    articles = sorted(p.name for p in (built / "articles").iterdir())
    assert len(articles) == 32 and SOLEIMANI in articles
    for url in ("", "page/2/", "page/4/", "entities/", "archive/", "archive/2020/", "archive/2020/01/",
                "dates/", "dates/2020-01-03/", "search/", "people/emmanuel-macron/", "people/emmanuel-macron/page/2/",
                "places/bagdad/", "organizations/pentagone/"):
        assert (built / url / "index.html").is_file(), url
    for name in ("feed.xml", "sitemap.xml", "robots.txt", "404.html", "static/style.css", MARKER,
                 "pagefind/pagefind-entry.json"):
        assert (built / name).is_file(), name
    assert not (built / "page" / "5").exists()  # 32 articles, 10 a page


def test_home_lists_newest_first_and_paginates(built):
    home = read(built, "")
    assert home.index("Notre-Dame rouvre ses portes au public") < home.index("Emmanuel Macron réélu face à Marine Le Pen")
    assert 'href="page/2/"' in home and "Page 1 sur 4" in home
    last = read(built, "page/4/")
    assert "Une lettre de lecteur sans date" in last  # undated articles come last
    assert 'rel="prev" href="../3/"' in last


def test_article_page_has_tags_dates_source_and_related_with_reasons(built):
    page = read(built, f"articles/{SOLEIMANI}/")
    assert '<html lang="fr">' in page
    assert "Publié le" in page and "3 janvier 2020" in page
    assert 'href="../../people/qassem-soleimani/" data-pagefind-filter="person">Qassem Soleimani</a>' in page
    assert 'href="../../places/bagdad/" data-pagefind-filter="place">Bagdad</a>' in page
    assert 'href="../../dates/2020-01-03/"' in page
    assert "https://journal.example/" + SOLEIMANI in page
    # everything related to the 3 January strike came after it: follow-ups, no earlier context
    assert "Suites : après cet article" in page and "Contexte : avant cet article" not in page
    later = page.split("Suites : après cet article", 1)[1]
    assert f'href="../{MISSILES}/"' in later
    assert "7 entités en commun : Gardiens de la révolution, Pentagone, Ali Khamenei, Iran, Irak, …" in later
    assert later.count('class="card"') == 4  # related = 4 in the sample's site.toml
    troops = read(built, f"articles/{TROOPS}/")
    earlier = troops.split("Contexte : avant cet article", 1)[1]
    assert f'href="../{SOLEIMANI}/"' in earlier and "6 entités en commun" in earlier


def test_article_carries_json_ld_opengraph_and_search_attributes(built):
    page = read(built, f"articles/{SOLEIMANI}/")
    parsed = parse(page)
    data = json.loads(parsed.jsonld[0])
    assert data["@type"] == "NewsArticle" and data["datePublished"] == "2020-01-03"
    assert {"@type": "Person", "name": "Qassem Soleimani", "url": BASE + "people/qassem-soleimani/"} in data["mentions"]
    assert {m["@type"] for m in data["mentions"]} == {"Person", "Place", "Organization"}
    assert f'<meta property="og:url" content="{BASE}articles/{SOLEIMANI}/">' in page
    assert '<meta property="og:type" content="article">' in page
    assert page.count("data-pagefind-body") == 1
    assert '<meta data-pagefind-filter="year[content]" content="2020">' in page
    assert '<meta data-pagefind-sort="date[content]" content="2020-01-03">' in page
    assert '<meta data-pagefind-filter="language[content]" content="fr">' in page
    for listing in ("", "people/donald-trump/", "dates/2020-01-03/", "search/", "entities/"):
        assert "data-pagefind-body" not in read(built, listing)


def test_article_without_date_says_so_and_stays_out_of_the_archives(built):
    page = read(built, f"articles/{UNDATED}/")
    assert "date inconnue" in page and "data-pagefind-filter=\"year" not in page
    # untrusted text is escaped, never run
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    archive_pages = [p for p in (built / "archive").rglob("index.html")
                     if p.parent != built / "archive" and "undated" not in p.parts]
    assert archive_pages and all(UNDATED not in p.read_text() for p in archive_pages)
    # listed apart, on the undated archive the archive links to with its count
    assert '<a href="undated/">Articles sans date</a> <span class="count">1</span>' in read(built, "archive/")
    undated = read(built, "archive/undated/")
    assert UNDATED in undated and "date inconnue" not in undated
    assert "Dernière date citée : <time datetime=\"2019-04-15\">15 avril 2019</time>" in undated


def test_english_article_has_its_language(built):
    page = read(built, "articles/brexit-britain-and-the-eu-strike-a-last-minute-trade-deal/")
    assert '<html lang="en">' in page
    assert '<header class="site-header" lang="fr">' in page  # the interface stays in the site's language
    assert "24 décembre 2020" in page


def test_entity_page_lists_articles_newest_first_with_companions_and_feed(built):
    page = read(built, "people/emmanuel-macron/")
    assert "11 articles" in page and "Page 1 sur 2" in page
    assert "Première mention : <time datetime=\"2017-05-07\">7 mai 2017</time>" in page
    assert "Dernière mention : <time datetime=\"2024-12-08\">" in page
    assert page.index("Notre-Dame rouvre ses portes") < page.index("Un deuxième confinement")
    companions = page.split("Souvent cité avec", 1)[1]
    assert companions.index(">Paris</a>") < companions.index(">Édouard Philippe</a>")
    assert 'href="feed.xml"' in page
    second = read(built, "people/emmanuel-macron/page/2/")
    assert "Emmanuel Macron élu président de la République" in second


def test_entity_index_counts_by_kind(built):
    page = read(built, "entities/")
    people = page.split('id="person-title"', 1)[1].split('id="place-title"', 1)[0]
    assert '<a href="../people/emmanuel-macron/">Emmanuel Macron</a> <span class="count">11</span>' in people
    assert people.index("Emmanuel Macron") < people.index("Donald Trump")  # more articles first


def test_day_page_lists_articles_published_and_mentioning_that_day(built):
    page = read(built, "dates/2020-01-03/")
    # published that day and mentioning it: listed once, first, with both roles
    assert page.count(f"../../articles/{SOLEIMANI}/") == 1
    assert page.index(SOLEIMANI) < min(page.index(slug) for slug in (TROOPS, MISSILES))
    for slug in (TROOPS, MISSILES, "le-parlement-irakien-vote-le-depart-des-troupes-etrangeres"):
        assert page.count(f"../../articles/{slug}/") == 1
    # a day only mentioned (nothing published then) still has its page
    assert "2019-03-29" in read(built, "dates/")
    assert (built / "dates" / "2019-03-29" / "index.html").is_file()


def test_archive_by_year_and_month(built):
    assert 'href="2020/01/"' in read(built, "archive/")
    month = read(built, "archive/2020/01/")
    assert "6 articles" in month and SOLEIMANI in month
    assert "janvier 2020" in read(built, "archive/2020/")


def test_feeds_and_sitemap_are_well_formed_with_absolute_urls(built):
    feed = ET.parse(built / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert feed.tag == f"{ATOM}feed" and len(entries) == 31  # the undated letter has no entry
    assert entries[0].find(f"{ATOM}link").get("href") == BASE + "articles/notre-dame-rouvre-ses-portes-au-public/"
    for entity_feed in built.glob("*/*/feed.xml"):
        root = ET.parse(entity_feed).getroot()
        assert root.find(f"{ATOM}id").text.startswith(BASE)
    trump = ET.parse(built / "people" / "donald-trump" / "feed.xml").getroot()
    assert len(trump.findall(f"{ATOM}entry")) == 7
    sitemap = ET.parse(built / "sitemap.xml").getroot()
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert BASE + f"articles/{SOLEIMANI}/" in locs and BASE in locs and all(l.startswith(BASE) for l in locs)
    assert f"Sitemap: {BASE}sitemap.xml" in (built / "robots.txt").read_text()


def test_every_internal_link_resolves_and_none_is_absolute(built):
    checked = 0
    for page in built.rglob("*.html"):
        rel = page.relative_to(built).as_posix()
        if rel.startswith("pagefind/"):
            continue
        parsed = parse(page.read_text(encoding="utf-8"))
        base = page.parent
        if rel == "404.html":
            assert '<base href="/archives/">' in page.read_text()  # links resolve from the site root
            base = built
        for tag, url, attrs in parsed.links:
            if tag == "base":
                continue
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                # the only absolute links: canonical (required absolute) and the article's source
                assert attrs.get("rel") == "canonical" or not url.startswith(BASE), (rel, url)
                continue
            assert not url.startswith("/"), (rel, url)
            if not parts.path:
                assert not parts.fragment or parts.fragment in parsed.ids, (rel, url)
                continue
            target = (base / unquote(parts.path)).resolve()
            if url.endswith("/") or target.is_dir():
                target = target / "index.html"
            assert target.is_file() and target.is_relative_to(built.resolve()), (rel, url)
            checked += 1
    assert checked > 2000


# ---------------------------------------------------------------- options, rebuilds

def test_base_url_option_changes_only_absolute_urls(tmp_path):
    site = copy_sample(tmp_path / "site")
    build(site, output=tmp_path / "out", base_url="https://news.example.net/sub/path")
    feed = (tmp_path / "out" / "feed.xml").read_text()
    assert "https://news.example.net/sub/path/articles/" in feed and "example.org" not in feed
    assert '<base href="/sub/path/">' in (tmp_path / "out" / "404.html").read_text()


def test_unchanged_rebuild_keeps_every_file_and_its_mtime(tmp_path):
    site = copy_sample(tmp_path / "site")
    first, _ = build(site)
    public = site / "public"
    before = snapshot(public, rebuilt=True)
    second, _ = build(site)
    assert second.pages_written == 0 and second.files_unchanged == first.pages_written
    assert snapshot(public, rebuilt=True) == before
    # an edit rewrites the article and the pages that list it, nothing else
    record = site / "content" / f"{SOLEIMANI}.md"
    record.write_text(record.read_text().replace("trois jours de deuil", "trois jours de deuil national"))
    third, _ = build(site)
    after = snapshot(public, rebuilt=True)
    pages_changed = [path for path in after if after[path] != before.get(path)]
    assert 0 < len(pages_changed) < 10 and third.pages_written > len(pages_changed)  # and the search index
    assert "deuil national" in read(public, f"articles/{SOLEIMANI}/")


def test_strict_turns_warnings_into_failure_and_keeps_the_output(built_sample_copy):
    site = built_sample_copy
    build(site)  # up to date: the copy comes with its cache
    before = snapshot(site / "public")
    with pytest.raises(ProblemsFound):
        _, reporter = build(site, strict=True, reporter=(reporter := SilentReporter()))
    assert any(UNDATED in str(p.path) and "no publication date" in p.message for p in reporter.errors)
    assert snapshot(site / "public") == before


def test_site_overrides_a_theme_file(tmp_path):
    site = copy_sample(tmp_path / "site")
    (site / "themes" / "default" / "static").mkdir(parents=True)
    (site / "themes" / "default" / "static" / "style.css").write_text("body { color: teal; }\n")
    (site / "themes" / "default" / "templates").mkdir()
    (site / "themes" / "default" / "templates" / "year.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Année {{ year.year }} (thème du site)</h1>{% endblock %}')
    build(site)
    assert (site / "public" / "static" / "style.css").read_text() == "body { color: teal; }\n"
    assert "Année 2020 (thème du site)" in read(site / "public", "archive/2020/")
    assert "Publié ce jour-là" in read(site / "public", "dates/2020-01-03/")  # the rest still shipped


def test_english_site_has_english_interface(tmp_path):
    site = copy_sample(tmp_path / "site")
    toml = site / "site.toml"
    toml.write_text(toml.read_text().replace('language = "fr"', 'language = "en"'))
    build(site)
    page = read(site / "public", f"articles/{SOLEIMANI}/")
    assert "Follow-ups: after this article" in page and "7 shared entities:" in page
    assert "Published <a" in page and "January 3, 2020" in page
    assert "Reading time: " in page and "Cite this article" in page and ",\u201d journal.example, January 3, 2020. Archives de test, " in page
    assert "1 article published that day" in read(site / "public", "dates/2020-01-03/")
    people = read(site / "public", "entities/people/")
    assert "Filter names" in people and "Most mentioned" in people and "names" in people


# ---------------------------------------------------------------- failures leave public/ alone

def test_broken_template_names_template_and_line_and_keeps_previous_output(built_sample_copy):
    site = built_sample_copy
    build(site)  # up to date: the copy comes with its cache
    before = snapshot(site / "public")
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "day.html").write_text('{% extends "base.html" %}\n{% block main %}\n{{ day.nope }}\n{% endblock %}\n')
    with pytest.raises(BuildError) as caught:
        build(site)
    assert str(caught.value.path).endswith("day.html") and caught.value.line == 3
    assert "nope" in caught.value.message
    (templates / "day.html").write_text('{% extends "base.html" %}\n{% block main %}\n{% if %}\n{% endblock %}\n')
    with pytest.raises(BuildError) as caught:
        build(site)
    assert str(caught.value.path).endswith("day.html") and caught.value.line == 3
    assert snapshot(site / "public") == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".public")] == []  # no staging left behind


def test_broken_records_are_all_reported_with_file_and_line(built_sample_copy):
    site = built_sample_copy
    build(site)  # up to date: the copy comes with its cache
    before = snapshot(site / "public")
    content = site / "content"
    (content / "casse.md").write_text("---\ntitle: Cassé\nslug: casse\ndate: 2020-02-30\n---\nTexte\n")
    (content / "type.md").write_text("---\ntitle: Faux\nslug: faux\nlang: fr\nsummary: 012\n---\nTexte\n")
    (content / "yaml.md").write_text("---\ntitle: [oops\nslug: yaml\n---\nTexte\n")
    with pytest.raises(ProblemsFound):
        build(site, reporter=(reporter := SilentReporter()))
    shown = sorted(str(p) for p in reporter.errors)
    assert any(s.startswith("content/casse.md:4:") and "date" in s for s in shown), shown
    assert any(s.startswith("content/type.md:5:") and "summary" in s for s in shown), shown
    assert any(s.startswith("content/yaml.md:") for s in shown), shown
    assert snapshot(site / "public") == before


def test_two_records_with_one_slug_is_an_error_naming_both(tmp_path):
    site = copy_sample(tmp_path / "site")
    original = site / "content" / f"{SOLEIMANI}.md"
    shutil.copy(original, site / "content" / "copie.md")
    with pytest.raises(ProblemsFound):
        build(site, reporter=(reporter := SilentReporter()))
    [error] = reporter.errors
    assert f"content/{SOLEIMANI}.md" in str(error) and "content/copie.md" in str(error)
    assert not (site / "public").exists()


def test_output_folder_refusals(tmp_path):
    site = copy_sample(tmp_path / "site")
    for bad in (site, site / "content", site / "themes", tmp_path, site / "content" / "public"):
        with pytest.raises(BuildError, match="refusing"):
            build(site, output=bad)
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "vacances.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(BuildError, match="did not create"):
        build(site, output=foreign)
    assert (foreign / "vacances.jpg").read_bytes() == b"\xff\xd8"
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(BuildError, match="symbolic link"):
        build(site, output=tmp_path / "link")
    assert list((tmp_path / "elsewhere").iterdir()) == []
    empty = tmp_path / "empty"
    empty.mkdir()
    report, _ = build(site, output=empty)  # an empty folder is fine
    assert report.articles == 32 and (empty / MARKER).is_file()


def test_a_second_build_at_the_same_time_stops_with_a_clear_message(tmp_path):
    site = copy_sample(tmp_path / "site")
    config = load_config(site)
    with build_lock(config.cache_dir):
        with pytest.raises(BuildError, match="another build of this site is running"):
            build(site)
    assert not (site / "public").exists()
    build(site)  # the lock is free again


def test_build_recovers_from_a_build_killed_mid_swap(built_sample_copy):
    site = built_sample_copy
    build(site)  # up to date: the copy comes with its cache
    public = site / "public"
    before = snapshot(public, rebuilt=True)
    os.rename(public, site / f".public.old-99999")  # killed between the two renames
    (site / ".public.staging-99999").mkdir()
    (site / ".public.staging-99999" / MARKER).write_text("")
    report, _ = build(site)
    assert report.pages_written == 0  # the previous output was found again and reused
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".public")) == []
    assert snapshot(public, rebuilt=True) == before


def test_rebuild_after_a_template_or_setting_change_renders_again(built_sample_copy):
    site = built_sample_copy
    build(site)  # up to date: the copy comes with its cache
    public = site / "public"
    index_inode = (public / "pagefind" / "pagefind-entry.json").stat().st_ino
    # a template that no article uses: listings change, the search index is kept as it was
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "year.html").write_text('{% extends "base.html" %}{% block main %}<h1>An {{ year.year }}</h1>{% endblock %}')
    report, _ = build(site)
    assert not report.up_to_date and 0 < report.pages_written < 20
    assert "<h1>An 2020</h1>" in read(public, "archive/2020/")
    assert (public / "pagefind" / "pagefind-entry.json").stat().st_ino == index_inode
    # a setting every page shows: every page is rendered again
    toml = site / "site.toml"
    toml.write_text(toml.read_text().replace('title = "Archives de test"', 'title = "Nouvelles archives"'))
    report, _ = build(site)
    assert report.pages_written > 250
    assert "Nouvelles archives" in read(public, f"articles/{SOLEIMANI}/")
    # deleting a record removes its page and its search entry
    (site / "content" / f"{UNDATED}.md").unlink()
    report, _ = build(site)
    assert report.articles == 31 and not (public / "articles" / UNDATED).exists()
    entry = json.loads((public / "pagefind" / "pagefind-entry.json").read_text())
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == 31


def test_a_search_failure_or_an_interruption_leaves_the_previous_output(built_sample_copy, monkeypatch):
    import generator.site.build
    import generator.site.search

    site = built_sample_copy
    build(site)  # up to date: the copy comes with its cache
    before = snapshot(site / "public")
    record = site / "content" / f"{SOLEIMANI}.md"
    record.write_text(record.read_text().replace("trois jours de deuil", "trois jours de deuil national"))

    def failing_index(pages, folder):
        raise BuildError("search index failed: Pagefind said: boom", folder)

    monkeypatch.setattr(generator.site.search, "_index_shard", failing_index)
    with pytest.raises(BuildError, match="boom"):
        build(site)
    assert snapshot(site / "public") == before
    monkeypatch.undo()

    def interrupted(*args):  # Ctrl-C while the changed article page renders
        raise KeyboardInterrupt

    import generator.site.build_update
    import generator.site.page_writer
    monkeypatch.setattr(generator.site.page_writer, "page_bytes", interrupted)
    monkeypatch.setattr(generator.site.build_update, "page_bytes", interrupted)  # the one-change build's
    with pytest.raises(KeyboardInterrupt):
        build(site)
    assert snapshot(site / "public") == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".public")] == []
    monkeypatch.undo()
    build(site)
    assert "deuil national" in read(site / "public", f"articles/{SOLEIMANI}/")


def test_long_listings_link_the_first_last_and_nearby_pages(tmp_path):
    site = copy_sample(tmp_path / "site")
    toml = site / "site.toml"
    toml.write_text(toml.read_text().replace("per_page = 10", "per_page = 2"))  # 32 articles: 16 home pages
    build(site)
    public = site / "public"

    def pager(url):
        nav = read(public, url).split('<nav class="pagination"', 1)[1].split("</nav>", 1)[0]
        return re.findall(r'>(\d+|…)</(?:a|li)>', nav)

    assert pager("page/8/") == ["1", "…", "6", "7", "8", "9", "10", "…", "16"]
    assert pager("") == ["1", "2", "3", "…", "16"]
    assert pager("page/16/") == ["1", "…", "14", "15", "16"]
    # every page can still be reached: follow the "next" links from the first
    url, seen = "", []
    while url is not None:
        seen.append(url)
        nxt = re.search(r'<a rel="next" href="([^"]+)"', read(public, url))
        url = posixpath.normpath(posixpath.join(url or ".", nxt.group(1))) + "/" if nxt else None
    assert len(seen) == 16 and seen[-1] == "page/16/"


def test_the_rendered_bodies_memo_is_only_a_memo_a_broken_one_is_made_anew(built_sample_copy):
    site = built_sample_copy
    public = site / "public"
    before = {path: digest for path, (digest, _) in snapshot(public, rebuilt=True).items()}
    (site / ".gazette" / "bodies.sqlite").write_bytes(b"not a database")
    shutil.rmtree(public)  # every page rendered again, each body from its record file
    report, _ = build(site)
    assert report.pages_written > 250
    assert {path: digest for path, (digest, _) in snapshot(public, rebuilt=True).items()} == before
    assert (site / ".gazette" / "bodies.sqlite").read_bytes().startswith(b"SQLite format 3")
