"""Pictures (issue 14): the entity chart, the maps and the chronology's
histogram — their values (charts.py, maps.py, places.py) and the HTML of
the sample site: each SVG with its text alternative, every bar link leading
to an archive page, places without coordinates listed but not drawn."""
from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.site import charts, maps
from generator.site.places import country_centroids

# ---------------------------------------------------------------- values


def test_a_short_span_is_drawn_by_month_with_empty_months_and_undated_apart():
    chart = charts.mentions_chart("Paris", ["2020-01-05", "2020-03-02T10:00:00", "2020-03-30", None, None], "fr")
    assert chart["unit"] == "month"
    assert [(b["period"], b["count"]) for b in chart["bars"]] == [("2020-01", 1), ("2020-02", 0), ("2020-03", 2)]
    assert chart["undated"] == 2 and chart["undated_text"] == "2 articles sans date"
    assert chart["first"] == "janvier 2020" and chart["last"] == "mars 2020"
    assert "mars 2020 (2 articles)" in chart["desc"] and "2 articles sans date" in chart["desc"]
    assert [b["period"] for b in chart["listed"]] == ["2020-01", "2020-03"]  # the table lists counted periods
    tallest = max(chart["bars"], key=lambda b: b["height"])
    assert tallest["y"] + tallest["height"] == chart["height"] and tallest["y"] < 2


def test_a_long_span_is_drawn_by_year():
    dates = ["2015-06-01", "2016-01-01", "2019-12-31"]
    chart = charts.mentions_chart("X", dates, "en")
    assert chart["unit"] == "year"
    assert [(b["period"], b["count"]) for b in chart["bars"]] == [
        ("2015", 1), ("2016", 1), ("2017", 0), ("2018", 0), ("2019", 1)]
    assert chart["width"] == 5 * charts.BAR


def test_the_monthly_rule_stops_at_its_span():
    first = "2018-01-01"
    last_monthly = f"{2018 + (charts.MONTHLY_SPAN - 1) // 12}-{(charts.MONTHLY_SPAN - 1) % 12 + 1:02d}-01"
    assert charts.mentions_chart("X", [first, last_monthly], "en")["unit"] == "month"
    assert len(charts.mentions_chart("X", [first, last_monthly], "en")["bars"]) == charts.MONTHLY_SPAN
    assert charts.mentions_chart("X", [first, "2021-01-01"], "en")["unit"] == "year"


def test_an_entity_of_undated_articles_only_has_no_bars_but_its_count():
    chart = charts.mentions_chart("X", [None], "en")
    assert chart["bars"] == [] and chart["undated_text"] == "1 undated article"


def test_timeline_bars_link_years_and_months_that_have_mentions():
    chart = charts.timeline_charts({"2019-05-02": ("a", "b"), "2021-01-09": ("a",)}, {"2019-05": ("c", "a")}, "fr")
    years = chart["years"]["bars"]
    assert [(b["period"], b["count"], b["url"]) for b in years] == [
        ("2019", 3, "archive/2019/"), ("2020", 0, None), ("2021", 1, "archive/2021/")]
    may = chart["months"]["2019"]["bars"][4]
    assert (may["count"], may["url"]) == (3, "archive/2019/05/")
    assert chart["months"]["2019"]["bars"][0]["url"] is None  # no mention: no link
    assert set(chart["months"]) == {"2019", "2021"}
    january = chart["months"]["2021"]["bars"][0]  # one article, drawn on the scale of May 2019's three
    assert january["count"] == 1 and january["height"] == pytest.approx(may["height"] / 3, abs=0.1)
    assert charts.timeline_charts({}, {}, "fr") is None


def test_the_projection_puts_known_places_where_the_outline_has_them():
    assert maps.project(0, 0) == (180, maps.TOP)
    assert maps.project(84, -180) == (0, 0)
    assert maps.project(-90, 180) == (360, maps.HEIGHT)  # beyond the outline: on its edge
    latitude, longitude = country_centroids()["FR"]
    assert 44 < latitude < 49 and 0 < longitude < 5
    assert -10 < country_centroids()["US"][1] + 100 < 10


def test_the_outline_is_a_small_static_file_with_its_licence():
    root = Path(__file__).resolve().parent.parent
    outline = root / "themes" / "default" / "static" / maps.OUTLINE
    assert outline.stat().st_size < 100_000
    assert f'viewBox="0 0 {maps.WIDTH} {maps.HEIGHT:g}"' in outline.read_text(encoding="utf-8")
    assert "Natural Earth" in (root / "generator" / "data" / "world" / "LICENSE").read_text(encoding="utf-8")


# ---------------------------------------------------------------- the sample site


class Tags(HTMLParser):
    """Start tags with their attributes, and the text inside every <title>."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.titles: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.titles.append(data)


def parse(path: Path) -> Tags:
    tags = Tags()
    tags.feed(path.read_text(encoding="utf-8"))
    return tags


def svg_block(html: str, css_class: str) -> str:
    match = re.search(rf'<svg class="{css_class}".*?</svg>', html, re.S)
    assert match, f"no <svg class={css_class}>"
    return match.group(0)


def assert_labelled(svg: str) -> None:
    """role=img named by its <title> and described by its <desc>, both non-empty."""
    assert 'role="img"' in svg
    ids = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    for element, ident in zip(("title", "desc"), ids):
        assert re.search(rf'<{element} id="{ident}">[^<]+</{element}>', svg), element


def test_every_entity_page_has_its_chart_and_its_table(built_sample):
    public = built_sample / "public"
    pages = [p for kind in ("people", "places", "organizations") for p in (public / kind).glob("*/index.html")]
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        svg = svg_block(html, "bars")
        assert_labelled(svg)
        assert "<rect" in svg
        assert re.search(r'<table class="visually-hidden">.*?<td>\d+</td>', html, re.S), page
        assert "Première mention" in html and "Dernière mention" in html


def test_an_entity_with_an_undated_article_counts_it_apart(built_sample):
    public = built_sample / "public"
    undated = [p for p in public.glob("*/*/index.html") if "sans date</span>" in p.read_text(encoding="utf-8")]
    # the sample's undated article (une-lettre-de-lecteur-sans-date) tags entities: their pages say so
    assert undated
    assert any("1 article sans date" in p.read_text(encoding="utf-8") for p in undated)


def test_a_place_with_coordinates_has_its_map(built_sample):
    html = (built_sample / "public" / "places" / "paris" / "index.html").read_text(encoding="utf-8")
    svg = svg_block(html, "world-map")
    assert_labelled(svg)
    assert '<image href="../../static/world.svg"' in svg
    circles = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="[\d.]+"><title>Paris — ', svg)
    assert len(circles) == 1
    x, y = map(float, circles[0])
    assert 180 < x < 185 and 34 < y < 37  # 2.35° E, 48.86° N
    assert (built_sample / "public" / "static" / "world.svg").is_file()


def test_a_country_is_drawn_at_its_centroid_and_a_region_is_not_drawn(built_sample):
    public = built_sample / "public"
    assert "<circle" in svg_block((public / "places" / "france" / "index.html").read_text(encoding="utf-8"),
                                  "world-map")
    html = (public / "places" / "moyen-orient" / "index.html").read_text(encoding="utf-8")
    assert 'class="world-map"' not in html and 'class="bars"' in html


def test_the_places_page_draws_the_located_and_lists_every_place(built_sample):
    public = built_sample / "public"
    html = (public / "places" / "index.html").read_text(encoding="utf-8")
    svg = svg_block(html, "world-map")
    assert_labelled(svg)
    drawn = {t.split(" — ")[0] for t in re.findall(r"<circle [^>]*><title>([^<]+)</title>", svg)}
    located, unlocated = html.split('id="located"')[1].split("</section>")[0], \
        html.split('id="unlocated"')[1].split("</section>")[0]
    listed = set(re.findall(r'<li><a href="[^"]+">([^<]+)</a>', located))
    not_drawn = set(re.findall(r'<li><a href="[^"]+">([^<]+)</a>', unlocated))
    assert {"Paris", "France", "Bagdad", "Washington"} <= drawn
    assert drawn == listed  # the text list is the alternative: every drawn point, with its link
    assert {"Moyen-Orient", "Île de la Cité"} <= not_drawn and not not_drawn & drawn
    every_place = {p.parent.name for p in (public / "places").glob("*/index.html")}
    links = set(re.findall(r'<li><a href="([^"/]+)/">', located + unlocated))
    assert links == every_place
    # bigger for more articles: Paris (most cited) over Zurich (one article)
    radius = dict((t.split(" — ")[0], float(r)) for r, t in re.findall(r'r="([\d.]+)"><title>([^<]+)</title>', svg))
    assert radius["Paris"] > radius["Zurich"]


def test_timeline_histogram_bars_link_to_archive_pages(built_sample):
    public = built_sample / "public"
    page = public / "dates" / "index.html"
    html = page.read_text(encoding="utf-8")
    years = svg_block(html, "bars")
    assert 'role="group"' in years and re.search(r"<title id=[^>]+>[^<]+</title>", years)
    tags = parse(page)
    links = [a["href"] for tag, a in tags.tags if tag == "a" and "aria-label" in a and "href" in a]
    assert any(re.fullmatch(r"\.\./archive/\d{4}/", h) for h in links)
    assert any(re.fullmatch(r"\.\./archive/\d{4}/\d\d/", h) for h in links)
    for href in links:
        target = posixpath.normpath(posixpath.join("dates", urlsplit(href).path))
        assert (public / target / "index.html").is_file(), href
    assert re.search(r'<table class="visually-hidden">.*?<th scope="row">\d{4}</th><td>\d+</td>', html, re.S)


def test_a_cold_cache_builds_the_gazetteer_in_a_worker_and_locates_cities_and_countries(tmp_path, monkeypatch):
    from generator.report import SilentReporter
    from generator.site import places
    from generator.site.library import load_library, scan_content

    monkeypatch.setenv("GAZETTE_CACHE_HOME", str(tmp_path / "machine"))  # a machine that never built it
    sample = Path(__file__).parent / "fixtures" / "sample-site"
    library = load_library(scan_content(sample / "content"), tmp_path, SilentReporter())
    locate = places.start_locating("fr", tmp_path)
    located = locate(library)
    assert (tmp_path / "machine" / "gazetteer-fr.pickle").is_file()  # written by the worker, read here
    latitude, longitude = located[("place", "paris")]
    assert round(latitude) == 49 and round(longitude) == 2
    assert located[("place", "france")] == country_centroids()["FR"]
    assert ("place", "moyen-orient") not in located and ("place", "ile-de-la-cite") not in located
