"""The Pagefind index: one entry per article, article bodies only, filters,
date sort, one index per language with its own stemmer."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from generator.errors import BuildError
from generator.report import SilentReporter
from generator.site.output import Writer
from generator.site.search import SearchReport, index_articles, page_url

SIGNATURE = b"pagefind_dcd"


def article_html(lang, title, body, *, people=(), places=(), orgs=(), date=None):
    """An article page carrying the Pagefind attributes of the contract."""
    tags = "".join(
        f'<span hidden data-pagefind-filter="{kind}">{name}</span>'
        for kind, names in (("person", people), ("place", places), ("organization", orgs))
        for name in names
    )
    dated = (
        f'<meta data-pagefind-filter="year[content]" content="{date[:4]}">'
        f'<meta data-pagefind-sort="date[content]" content="{date}">'
        f'<meta data-pagefind-meta="date[content]" content="{date}">'
        if date else ""
    )
    return (
        f'<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body>'
        '<nav><a href="../../">Navigation du site partout</a></nav>'
        f'<main><article data-pagefind-body><h1 data-pagefind-meta="title">{title}</h1>{tags}{dated}'
        f'<meta data-pagefind-filter="language[content]" content="{lang}">'
        f"<p>{body}</p></article>"
        '<aside><h2>Articles liés</h2><p>Pieddepage</p></aside></main></body></html>'
    )


PAGES = [
    ("articles/greve/index.html", article_html(
        "fr", "La grève des cheminots", "Les cheminots nationaux manifestaient dimanche à Paris.",
        people=("Édouard Philippe",), places=("Paris",), orgs=("SNCF",), date="2019-12-05")),
    ("articles/elections/index.html", article_html(
        "fr", "Les élections municipales", "Les électeurs ont voté à Lyon et à Paris.",
        people=("Gérard Collomb",), places=("Lyon", "Paris"), date="2020-03-15")),
    ("articles/brexit/index.html", article_html(
        "en", "Brexit deal", "Negotiators were running out of time in Brussels.",
        people=("Boris Johnson",), places=("Brussels",), orgs=("European Union",), date="2020-12-24")),
    ("articles/lettre/index.html", article_html(
        "fr", "Une lettre sans date", "Une correspondance retrouvée.", people=("Victor Hugo",))),
]


def write_search_index(site: Path, pages, reporter, **options) -> SearchReport:
    """Index the pages and write the bundles into `site` as a build does."""
    index = index_articles(pages, reporter, **options)
    writer = Writer(site, None)
    for path, content in index.files:
        writer.write(path, content, "the search index")
    return index.report


def decode(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(SIGNATURE)
    return data[len(SIGNATURE):]


def fragments(bundle: Path) -> dict[str, dict]:
    """Every indexed page, by URL, as Pagefind stores it for the results."""
    out = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        fragment = json.loads(decode(path))
        out[fragment["url"]] = fragment
    return out


def cbor_word(word: str) -> bytes:
    """A short word as a CBOR text string (how the word index stores it)."""
    raw = word.encode()
    assert len(raw) < 24
    return bytes([0x60 + len(raw)]) + raw


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    report = write_search_index(site, PAGES, SilentReporter())
    return site, report


def test_one_entry_per_article_per_language(built):
    site, report = built
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == {"fr": 3, "en": 1}
    assert report.pages == 4 and dict(report.languages) == {"fr": 3, "en": 1}
    assert report.output == Path("pagefind")
    # the UI the search page loads is part of the bundle
    for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js", "wasm.fr.pagefind", "wasm.en.pagefind"):
        assert (site / "pagefind" / name).is_file(), name


def test_results_link_to_article_urls_and_carry_title_and_date(built):
    site, _ = built
    found = fragments(site / "pagefind")
    assert set(found) == {"/articles/greve/", "/articles/elections/", "/articles/brexit/", "/articles/lettre/"}
    assert found["/articles/greve/"]["meta"]["title"] == "La grève des cheminots"
    assert found["/articles/greve/"]["meta"]["date"] == "2019-12-05"
    assert "date" not in found["/articles/lettre/"]["meta"]


def test_only_the_article_body_is_indexed(built):
    site, _ = built
    for fragment in fragments(site / "pagefind").values():
        assert "Navigation du site" not in fragment["content"]
        assert "Pieddepage" not in fragment["content"]
    assert "cheminots nationaux" in fragments(site / "pagefind")["/articles/greve/"]["content"]


def test_filters_person_place_organization_year_language(built):
    site, _ = built
    found = fragments(site / "pagefind")
    assert found["/articles/elections/"]["filters"] == {
        "person": ["Gérard Collomb"], "place": ["Lyon", "Paris"], "year": ["2020"], "language": ["fr"],
    }
    assert found["/articles/greve/"]["filters"]["organization"] == ["SNCF"]
    assert found["/articles/brexit/"]["filters"]["language"] == ["en"]
    # an undated article has no year to filter on
    assert "year" not in found["/articles/lettre/"]["filters"]
    # the filter index of each language lists its filter names
    fr_filters = b"".join(decode(p) for p in (site / "pagefind" / "filter").glob("fr_*.pf_filter"))
    for name in ("person", "place", "organization", "year", "language"):
        assert cbor_word(name) in fr_filters


def test_date_is_a_sort_key(built):
    site, _ = built
    metas = {p.name.split(".")[1].split("_")[0]: decode(p) for p in (site / "pagefind").glob("*.pf_meta")}
    assert cbor_word("date") in metas["fr"] and cbor_word("date") in metas["en"]


def test_french_pages_get_a_french_index_with_french_stems(built):
    site, _ = built
    fr_words = b"".join(decode(p) for p in (site / "pagefind" / "index").glob("fr_*.pf_index"))
    en_words = b"".join(decode(p) for p in (site / "pagefind" / "index").glob("en_*.pf_index"))
    # French Snowball: nationaux → national, dimanche → dimanch; English would keep them
    assert cbor_word("national") in fr_words and cbor_word("dimanch") in fr_words
    assert cbor_word("nationaux") not in fr_words
    # the English page is in its own index, stemmed in English (running → run)
    assert cbor_word("run") in en_words and cbor_word("negoti") in en_words
    assert cbor_word("cheminot") not in en_words


def test_page_urls_are_root_relative_folders():
    assert page_url("articles/x/index.html") == "/articles/x/"
    assert page_url("index.html") == "/"
    assert page_url("a/b.html") == "/a/b.html"


def test_a_page_without_pagefind_body_fails_naming_it(tmp_path):
    bad = ("articles/nue/index.html", '<html lang="fr"><body><p>Rien</p></body></html>')
    with pytest.raises(BuildError) as caught:
        write_search_index(tmp_path, [PAGES[0], bad], SilentReporter())
    assert caught.value.path == "articles/nue/index.html"
    assert "data-pagefind-body" in caught.value.message


@pytest.mark.parametrize("workers_from", [500, 0], ids=["in-process", "worker-processes"])
def test_pagefind_failure_is_a_build_error(tmp_path, monkeypatch, workers_from):
    import generator.site.search

    monkeypatch.setattr(generator.site.search, "WORKERS_FROM", workers_from)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(BuildError) as caught:
        write_search_index(tmp_path / "site", PAGES[:1], SilentReporter())
    assert "Pagefind" in caught.value.message and caught.value.path == "pagefind"
    assert not (tmp_path / "site" / "pagefind" / "pagefind-entry.json").exists()


def test_an_empty_site_gets_an_empty_index_and_the_ui(tmp_path):
    report = write_search_index(tmp_path, [], SilentReporter())
    assert report.pages == 0
    assert (tmp_path / "pagefind" / "pagefind-ui.js").is_file()


def test_pages_without_lang_are_indexed_with_a_warning(tmp_path):
    page = ("articles/x/index.html", "<html><body><article data-pagefind-body><h1>Titre</h1><p>mot</p></article></body></html>")
    reporter = SilentReporter()
    report = write_search_index(tmp_path, [page], reporter)
    assert report.pages == 1
    assert any("<html lang>" in w.message for w in reporter.warnings)


# ---------------------------------------------------------------- shards

def test_a_large_archive_is_indexed_in_shards_dealt_in_date_order(tmp_path):
    report = write_search_index(tmp_path, PAGES, SilentReporter(), shard_size=2)  # PAGES: oldest first
    assert report.shards == 2 and report.pages == len(PAGES)
    first, second = tmp_path / "pagefind", tmp_path / "pagefind" / "shard-2"
    assert sorted(fragments(first)) == ["/articles/brexit/", "/articles/greve/"]  # 1st and 3rd oldest
    assert sorted(fragments(second)) == ["/articles/elections/", "/articles/lettre/"]
    # the search page loads the interface from the first shard only
    assert (first / "pagefind-ui.js").is_file() and not (second / "pagefind-ui.js").exists()
    assert (second / "pagefind.js").is_file() and (second / "pagefind-entry.json").is_file()


def test_an_unchanged_shard_is_taken_from_the_cache(tmp_path, monkeypatch):
    import generator.site.search

    monkeypatch.setattr(generator.site.search, "WORKERS_FROM", 0)  # fed from worker processes, as a large site is
    cache = tmp_path / "cache"
    first = index_articles(PAGES, SilentReporter(), shard_size=2, cache_dir=cache)
    assert first.report.shards_reused == 0
    edited = list(PAGES)
    edited[1] = (PAGES[1][0], PAGES[1][1].replace("Lyon", "Lille"))  # in the second shard
    second = index_articles(edited, SilentReporter(), shard_size=2, cache_dir=cache)
    assert second.report.shards_reused == 1

    def shard(index, folder):
        return {name: data for name, data in index.files if name.rsplit("/", 1)[0] == folder or
                (name.startswith(folder + "/") and "/shard-" not in name[len(folder):])}

    assert shard(second, "pagefind") == shard(first, "pagefind")
    assert shard(second, "pagefind/shard-2") != shard(first, "pagefind/shard-2")
    # nothing changed: Pagefind does not even run
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    third = index_articles(edited, SilentReporter(), shard_size=2, cache_dir=cache)
    assert third.report.shards_reused == 2 and third.files == second.files
    assert len(list((cache / "search").rglob("*.pickle"))) == 2  # the replaced shard is forgotten


# ---------------------------------------------------------------- the sample site, built for real

SAMPLE = Path(__file__).parent / "fixtures" / "sample-site"


@pytest.fixture
def sample_build(built_sample):
    """The output of the sample site, built once for the session (conftest.py): read only."""
    return built_sample / "public"


def test_sample_site_index_has_one_entry_per_article(sample_build):
    articles = sorted(p.parent.name for p in (sample_build / "articles").glob("*/index.html"))
    assert len(articles) >= 30
    found = fragments(sample_build / "pagefind")
    assert sorted(found) == sorted(f"/articles/{slug}/" for slug in articles)
    entry = json.loads((sample_build / "pagefind" / "pagefind-entry.json").read_text())
    counts = {lang: info["page_count"] for lang, info in entry["languages"].items()}
    assert sum(counts.values()) == len(articles)
    assert counts["fr"] > counts["en"] > 0  # one index per language


def test_sample_site_fragments_carry_the_record_filters(sample_build):
    from generator.records import read_record

    found = fragments(sample_build / "pagefind")
    for path in sorted((SAMPLE / "content").glob("*.md")):
        record = read_record(path)
        fragment = found[f"/articles/{record.slug}/"]
        for kind in ("person", "place", "organization"):
            names = sorted(tag.name for tag in record.entities.of(kind))
            assert sorted(fragment["filters"].get(kind, [])) == names, (record.slug, kind)
        assert fragment["filters"]["language"] == [record.lang]
        assert fragment["filters"].get("year") == ([record.date[:4]] if record.date else None)
        assert fragment["meta"]["title"] == record.title
        # navigation, related lists and the interface's own words are not indexed
        assert "Articles liés" not in fragment["content"] and "Entités citées" not in fragment["content"]


def test_only_article_pages_are_indexed(sample_build):
    pages = [p for p in sample_build.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert pages and all(p.relative_to(sample_build).parts[0] == "articles" for p in pages)


# ---------------------------------------------------------------- French elisions

def test_split_elisions_changes_text_only():
    from generator.site.search import split_elisions

    html = ('<h1 data-pagefind-meta="title">L’accord</h1><p>Le rejet de l’accord qu’il d&#39;Irak, '
            'aujourd’hui <a data-pagefind-filter="place">Côte d’Ivoire</a> l’été</p>'
            '<meta data-pagefind-filter="year[content]" content="2020"><p title="l’idée">jusqu’à</p>')
    assert split_elisions(html) == (
        '<h1 data-pagefind-meta="title">L’accord</h1><p>Le rejet de l’ accord qu’ il d&#39; Irak, '
        'aujourd’hui <a data-pagefind-filter="place">Côte d’Ivoire</a> l’ été</p>'
        '<meta data-pagefind-filter="year[content]" content="2020"><p title="l’idée">jusqu’ à</p>')


@pytest.mark.parametrize("html, expected", [
    # every elided word and apostrophe, whatever the case
    ("Lorsqu’il presqu&rsquo;île QU&#39;elle d&#x27;abord jusqu'au",
     "Lorsqu’ il presqu&rsquo; île QU&#39; elle d&#x27; abord jusqu' au"),
    # not inside a word, not before a space, an accent or the end
    ("alorsqu’il aujourd’hui l’ été é’a l’", "alorsqu’il aujourd’hui l’ été é’a l’"),
    # text only: not in a comment nor in an attribute, in any case of tag
    ('<p>l\'a</p><!-- l’a --><img alt="l’a">m’b<P TITLE=\'d’x\'>',
     '<p>l\' a</p><!-- l’a --><img alt="l’a">m’ b<P TITLE=\'d’x\'>'),
    # a filter value or result field is kept up to its end tag; an empty or void one keeps nothing
    ('<span data-pagefind-filter="person">Jeanne d’Arc</span> d’Arc <b data-pagefind-meta="x" /> l’a '
     '<meta data-pagefind-filter="y">s’il',
     '<span data-pagefind-filter="person">Jeanne d’Arc</span> d’ Arc <b data-pagefind-meta="x" /> l’ a '
     '<meta data-pagefind-filter="y">s’ il'),
    ('<A data-pagefind-filter="place">l’Île</A > l’Île <h1 data-pagefind-meta="title">qu’il <i>l’a</i> dit</h1> qu’il',
     '<A data-pagefind-filter="place">l’Île</A > l’ Île <h1 data-pagefind-meta="title">qu’il <i>l’a</i> dit</h1> qu’ il'),
])
def test_split_elisions_splits_elided_words_in_text_and_nothing_else(html, expected):
    from generator.site.search import split_elisions

    assert split_elisions(html) == expected


def test_elided_words_are_found_by_their_own_name(tmp_path):
    page = ("articles/climat/index.html", article_html(
        "fr", "Le climat", "Les États-Unis réintègrent l’accord de Paris et l’Organisation d’Afrique.",
        places=("Côte d’Ivoire",), date="2021-02-19"))
    write_search_index(tmp_path, [page], SilentReporter())
    words = b"".join(decode(p) for p in (tmp_path / "pagefind" / "index").glob("fr_*.pf_index"))
    assert cbor_word("accord") in words and cbor_word("afriqu") in words
    fragment = fragments(tmp_path / "pagefind")["/articles/climat/"]
    assert fragment["filters"]["place"] == ["Côte d’Ivoire"]  # filter values stay as written
    assert fragment["meta"]["title"] == "Le climat"


def test_shards_hold_shard_size_articles_until_there_would_be_too_many():
    from generator.site.search import deal
    assert [len(s) for s in deal(list(range(1200)), 500, 40)] == [400, 400, 400]  # three shards of 500 at most
    assert len(deal(list(range(100_000)), 500, 40)) == 40  # then larger shards: a search loads every one
    assert deal([], 500, 40) == [[]]


def test_what_pagefind_reads_of_a_page_is_its_language_and_its_pagefind_body():
    from generator.site.search import indexed_page
    page = ('<html lang="fr"><head><title>Titre</title><script type="application/ld+json">{{}}</script></head>'
            '<body><nav>Menu</nav><article data-pagefind-body><h1>Titre</h1>'
            '<p>Texte <br> &amp; suite</p><meta data-pagefind-filter="year[content]" content="2019"></article>'
            '<aside>Articles liés : {}</aside></body></html>')
    assert indexed_page(page.format("un")) == indexed_page(page.format("deux"))  # outside: not indexed
    assert "Menu" not in indexed_page(page) and "<title>Titre</title>" in indexed_page(page)
    assert indexed_page(page.format("un")) != indexed_page(page.replace("Texte", "Autre").format("un"))
    assert indexed_page(page.format("un")) != indexed_page(page.replace('content="2019"', 'content="2020"'))
    assert indexed_page(page) != indexed_page(page.replace('lang="fr"', 'lang="en"'))


@pytest.mark.parametrize("page", [
    # something Pagefind reads outside the marked element: a filter, a heading it may take as the title
    '<html><head><meta data-pagefind-filter="site[content]" content="A"></head><body><main data-pagefind-body>x</main></body></html>',
    '<html><body><h1>Titre</h1><main data-pagefind-body>x</main></body></html>',
    '<html><body><main data-pagefind-body>x</main><img src="a.png"></body></html>',
    # two marked elements, an element that never ends, a tag that may be text
    '<html><body><div data-pagefind-body>x</div><div data-pagefind-body>y</div></body></html>',
    '<html><body><div data-pagefind-body><div>x</div></body></html>',
    '<html><body><div data-pagefind-body><!-- </div> -->x</div><p>y</p></body></html>',
    '<html><body><div data-pagefind-body><script>"</div>"</script>x</div><p>y</p></body></html>',
])
def test_a_page_whose_rest_may_count_goes_to_pagefind_whole(page):
    from generator.site.search import indexed_page
    assert indexed_page(page) == page


@pytest.mark.parametrize("page", [
    '<body><div data-pagefind-body>x</div></body>',
    '<body><div class="a" id=b data-pagefind-body="">x</div></body>',
    '<body><div title="a<b" data-pagefind-body>x</div></body>',  # a '<' before it in the same tag
    '<body><p>about data-pagefind-body</p><div>x</div></body>',  # in text only
    '<body><p>data-pagefind-body</p><div data-pagefind-body>x</div></body>',  # in text and on a tag
    '<body><div data-pagefind-body>x</div><span data-pagefind-body>y</span></body>',
    '<body><div data-pagefind-bodyguard>x</div></body>',  # another attribute
    '<body><div data-pagefind-body',  # a tag that never ends
])
def test_the_marked_element_is_found_as_by_scanning_every_tag(page):
    from generator.site.search import _BODY_MARK, _only_body_mark
    marks = list(_BODY_MARK.finditer(page))
    expected = marks[0].span() if len(marks) == 1 else None
    found = _only_body_mark(page)
    assert (found.span() if found else None) == expected


def test_pagefind_finds_the_same_in_the_part_it_is_given_as_in_the_whole_page(tmp_path, monkeypatch):
    """Anchors (counted by Pagefind from the top of the page), the title taken
    from the first heading, the image after it, filters, sort and text."""
    from generator.site import search
    page = ('<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Le site</title></head><body>'
            '<a id="haut" href="#main">Aller au contenu</a><header id="entete"><p>Le site</p></header>'
            '<main id="main"><article class="a" data-pagefind-body><h1>La grève</h1><img src="/g.png" alt="Grève">'
            '<p id="p1">Les cheminots <em id="e">manifestaient</em> à Paris.</p><article><p>Encadré</p></article>'
            '<h2 id="suite">Suite</h2><p>Le lendemain.</p>'
            '<span hidden data-pagefind-filter="place">Paris</span>'
            '<meta data-pagefind-sort="date[content]" content="2019-12-05"></article>'
            '<aside><p>Articles liés</p></aside></main><footer id="pied">Pied</footer></body></html>')
    assert "Articles liés" not in search.indexed_page(page)
    part = fragments_of(tmp_path / "part", [("articles/greve/index.html", page)])
    monkeypatch.setattr(search, "indexed_page", lambda html: html)
    whole = fragments_of(tmp_path / "whole", [("articles/greve/index.html", page)])
    assert part == whole
    assert part["/articles/greve/"]["meta"]["title"] == "La grève"
    assert [a["id"] for a in part["/articles/greve/"]["anchors"]] == ["p1", "e", "suite"]


def fragments_of(site: Path, pages) -> dict[str, dict]:
    write_search_index(site, pages, SilentReporter())
    return fragments(site / "pagefind")


def test_large_shards_are_indexed_one_at_a_time_small_ones_two():
    """Pagefind holds each shard's pages in memory: the pages of the shards
    indexed at once stay within PAGES_IN_FLIGHT unless one shard alone is larger."""
    from generator.site.search import PAGES_IN_FLIGHT, parallel_shards

    assert parallel_shards(500, 40) == 2
    assert parallel_shards(500, 1) == 1
    assert parallel_shards(2500, 40) == 1  # 100,000 articles in 40 shards
    for shard_pages in (1, 100, 1000, 2000, 2001, 3000, 10_000):
        in_flight = parallel_shards(shard_pages, 40) * shard_pages
        assert in_flight <= max(PAGES_IN_FLIGHT, shard_pages)


def test_once_the_pages_are_written_large_shards_are_indexed_two_at_a_time_writing_in_turns():
    """After the rendering, a second Pagefind takes the idle core; the memory
    stays within PAGES_IN_FLIGHT because their index writes take turns (one
    writing, holding a whole page's worth per page, the other adding)."""
    from generator.site.search import (_ADDING_SHARE, PAGES_IN_FLIGHT, parallel_shards,
                                       parallel_shards_after_rendering, writes_in_turns)

    assert parallel_shards_after_rendering(2500, 40) == 2  # 100,000 articles
    assert writes_in_turns(2500, 40)
    assert parallel_shards_after_rendering(500, 40) == 2 and not writes_in_turns(500, 40)
    assert parallel_shards_after_rendering(2500, 1) == 1
    for shard_pages in (1, 100, 1000, 2000, 2500, 3000, 3500, 5000, 10_000):
        n = parallel_shards_after_rendering(shard_pages, 40)
        assert n >= parallel_shards(shard_pages, 40)
        held = shard_pages * (1 + (n - 1) * _ADDING_SHARE) if writes_in_turns(shard_pages, 40) else n * shard_pages
        assert held <= max(PAGES_IN_FLIGHT, shard_pages)


def test_shards_run_one_at_a_time_while_pages_render_and_two_after_in_order(monkeypatch):
    """The indexer hands a shard to its workers only while fewer than allowed
    run: one at a time for large shards while the pages render, two once
    finish() says they are written; the bundles are taken in shard order."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from generator.site import search

    running, most = [0], {"rendering": 0, "after": 0}
    phase = ["rendering"]
    lock = threading.Lock()

    def fake_index(pages, folder):
        with lock:
            running[0] += 1
            most[phase[0]] = max(most[phase[0]], running[0])
        time.sleep(0.1)  # Pagefind is slower than the rendering
        with lock:
            running[0] -= 1
        entry = {"languages": {"fr": {"page_count": len(pages)}}}
        return [(search.ENTRY_FILE, json.dumps(entry).encode()), (f"{pages[0][0]}.pf", b"x")]

    def threads_instead(self, shard_pages):  # the same hand-out logic, without spawning processes
        return ThreadPoolExecutor(self._after_rendering)

    monkeypatch.setattr(search, "_index_shard", fake_index)
    monkeypatch.setattr(search.ShardIndexer, "_start_workers", threads_instead)
    written = []
    shards = [[(f"s{n}-{i}", "<html>") for i in range(2500)] for n in range(8)]
    with search.ShardIndexer(len(shards), 20_000, SilentReporter(), write=lambda p, b: written.append(p)) as indexer:
        for shard in shards:
            indexer.add(shard)
            time.sleep(0.02)  # the next shard's pages render
        phase[0] = "after"
        indexer.finish()
    assert most == {"rendering": 1, "after": 2}
    names = [p for p in written if p.endswith(".pf")]
    assert names == [f"{search.search_shard_folder(n + 1)}/s{n}-0.pf" for n in range(8)]
