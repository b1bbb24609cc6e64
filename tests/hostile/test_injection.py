"""Hostile input, injection: what a record or a seed says never runs as script
on the archive's pages, and never breaks a feed (issue 12, class 1: safe URLs
and markup everywhere)."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import pytest
from click.testing import CliRunner
from markupsafe import Markup

from conftest import copy_sample_source
from fakes import FakeEnricher
from generator.cli import main
from generator.records import parse_record

ATOM = "{http://www.w3.org/2005/Atom}"
# source URLs that would run script, or lead off the archive, if they became a link
HOSTILE_URLS = {
    "url-plain": r"javascript:alert(1)",
    "url-mixed-case-after-spaces": r"  JaVaScRiPt:alert(1)",
    "url-after-a-tab": r"\tjavascript:alert(1)",
    "url-tab-inside": r"java\tscript:alert(1)",
    "url-line-break-inside": r"java\nscript:alert(1)",
    "url-after-a-control-character": r"\x01javascript:alert(1)",
    "url-upper-case": r"JAVASCRIPT:alert(1)",
    "url-data": r"data:text/html,<script>alert(1)</script>",
    "url-vbscript": r"vbscript:msgbox(1)",
    "url-protocol-relative": r"//evil.example/page",
}
# a title that closes or comments out a <script>, and control characters XML forbids
HOSTILE_TITLE = r"<!--<script>alert(1)//\x01\x0b\uffff</script><script>alert(2)</script> fin"
HOSTILE = "titre-hostile"


def _record_text(slug: str, *, title: str = "Un article", url: str = "https://example.org/a",
                 summary: str = "Un résumé.", people: tuple[str, ...] = (), body: str = "Un corps.") -> str:
    """A record as a person could write it; strings in double quotes, so that
    YAML reads their backslash escapes ("\\x01")."""
    person = "".join(f'    "{name}": 1\n' for name in people) or "    {}\n"
    return (f'---\ntitle: "{title}"\nslug: {slug}\nlang: fr\ndate: \'2021-03-04\'\ndate_source: source\n'
            f'summary: "{summary}"\nentities:\n  person:\n{person}source:\n'
            f'  path: seeds/{slug}.txt\n  sha256: null\n  url: "{url}"\n---\n{body}\n')


def _built(site: Path, records: dict[str, str]) -> tuple[Path, str]:
    """The site with these records (slug → text) added, built: (site, what the build printed)."""
    for slug, text in records.items():
        (site / "content" / f"{slug}.md").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--site", str(site)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return site, result.stderr


@pytest.fixture(scope="module")
def url_site(tmp_path_factory) -> tuple[Path, str]:
    """The sample site and a record for each hostile source URL, and one good one, built."""
    records = {slug: _record_text(slug, url=url) for slug, url in HOSTILE_URLS.items()}
    records["url-good-with-spaces"] = _record_text("url-good-with-spaces", url=r"  https://example.org/source\t")
    return _built(copy_sample_source(tmp_path_factory.mktemp("urls") / "site"), records)


@pytest.fixture(scope="module")
def markup_site(tmp_path_factory) -> tuple[Path, str]:
    """The sample site and a record whose title, summary, body and entity names
    hold markup and control characters, built."""
    hostile = _record_text(
        HOSTILE, title=HOSTILE_TITLE, url=r" JaVaScRiPt:alert(1)",
        summary=r"R\x01\x0bésumé </script><!-- \u2028 fin",
        people=(r"Jean\x01 Dupont", r"<script>alert(3)</script>", "Donald Trump"),
        body="Corps \x01 et \x0b avec <script>alert(4)</script> et [lien](javascript:alert(5)).")
    return _built(copy_sample_source(tmp_path_factory.mktemp("markup") / "site"),
                  {HOSTILE: hostile, "ordinary": _record_text("ordinary")})


class _Page(HTMLParser):
    """What a browser would run or follow on a page: its <script> elements and links."""

    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []  # attributes and text of each <script>
        self.links: list[str] = []  # every href and src
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.links += [value for name, value in attrs if name in ("href", "src") and value is not None]
        if tag == "script":
            self._script = {"type": attributes.get("type"), "src": attributes.get("src"), "text": ""}
            self.scripts.append(self._script)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data


def _page(public: Path, slug: str) -> _Page:
    page = _Page()
    page.feed((public / "articles" / slug / "index.html").read_text(encoding="utf-8"))
    page.close()
    return page


def _as_a_browser_reads(href: str):
    """The parts of a link as a browser reads it: C0 controls and spaces at the
    ends stripped, tabs and line breaks anywhere dropped."""
    return urlsplit(re.sub(r"[\t\n\r]", "", href.strip("".join(map(chr, range(0x21))))))


def _safe_link(href: str) -> bool:
    """A link inside the archive (relative, no host) or an http(s) address."""
    parts = _as_a_browser_reads(href)
    if not parts.scheme and not parts.netloc:
        return True
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def test_no_hostile_source_url_becomes_a_link(url_site):
    site, _ = url_site
    for slug in HOSTILE_URLS:
        page = _page(site / "public", slug)
        unsafe = [href for href in page.links if not _safe_link(href)]
        assert not unsafe, f"{slug}: {unsafe}"
    assert "https://example.org/source" in _page(site / "public", "url-good-with-spaces").links


def test_each_dropped_url_is_a_warning_naming_the_file_and_line(url_site):
    site, printed = url_site
    for slug in HOSTILE_URLS:
        text = (site / "content" / f"{slug}.md").read_text(encoding="utf-8")
        line = 1 + next(i for i, row in enumerate(text.split("\n")) if row.startswith("  url:"))
        assert re.search(rf"warning: content/{slug}\.md:{line}: .*source\.url", printed), (slug, printed)
    assert "url-good-with-spaces" not in printed


def test_a_title_cannot_close_or_comment_out_the_json_ld_script_nor_inject_one(markup_site):
    site, _ = markup_site
    public = site / "public"
    normal = _page(public, "ordinary").scripts  # the theme's own scripts on an article page
    page = _page(public, HOSTILE)
    assert [(s["type"], s["src"]) for s in page.scripts] == [(s["type"], s["src"]) for s in normal]
    assert not any("alert" in s["text"] for s in page.scripts if s["type"] != "application/ld+json")
    record = parse_record((site / "content" / f"{HOSTILE}.md").read_text(encoding="utf-8"), HOSTILE)
    (jsonld,) = [json.loads(s["text"]) for s in page.scripts if s["type"] == "application/ld+json"]
    assert jsonld["headline"] == record.title and jsonld["description"] == record.summary
    assert "isBasedOn" not in jsonld  # the javascript: source URL was left out
    assert all(_safe_link(href) for href in page.links), page.links  # its body has a javascript: link too


def test_every_feed_and_the_sitemap_parse_as_xml(markup_site):
    site, _ = markup_site
    public = site / "public"
    files = sorted(public.rglob("*.xml"))
    assert public / "feed.xml" in files and public / "sitemap.xml" in files
    for path in files:
        try:
            ET.parse(path)
        except ET.ParseError as exc:
            raise AssertionError(f"{path.relative_to(public)}: {exc}") from None
    titles = [e.findtext(f"{ATOM}title") for e in ET.parse(public / "feed.xml").getroot().iter(f"{ATOM}entry")]
    assert "<!--<script>alert(1)//</script><script>alert(2)</script> fin" in titles  # as text, not markup


def test_ingest_writes_no_hostile_url_into_a_record(tmp_path):
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    (site / "site.toml").write_text('title = "Test"\nlanguage = "fr"\n', encoding="utf-8")
    (site / "seeds" / "article.md").write_text(
        _record_text("article", url=r" JaVaScRiPt:alert(1)", body="Un corps assez long pour un article."),
        encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", "--site", str(site)], obj={"enricher": FakeEnricher()},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert re.search(r"warning: .*seeds/article\.md.*source\.url", result.stderr), result.stderr
    (record_file,) = (site / "content").glob("*.md")
    text = record_file.read_text(encoding="utf-8")
    assert "script" not in text.lower()
    assert parse_record(text, record_file).source_url is None


class _Safe:
    def __html__(self):
        return "<b>already safe</b>"


@pytest.mark.parametrize("value, shown", [
    ('<script>alert("x")</script> & l\'accord', "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; l&#39;accord"),
    (Markup("<em>kept</em>"), "<em>kept</em>"),
    (_Safe(), "<b>already safe</b>"),
    (3, "3"),
    (["<a>"], "[&#39;&lt;a&gt;&#39;]"),
])
def test_every_value_a_template_prints_is_escaped_unless_marked_safe(value, shown):
    """Whatever its type, a value a theme prints with {{ }} is escaped as
    markupsafe escapes it (the build escapes plain text its own quicker way),
    directly, inside a macro and inside a block set."""
    from generator.site.render import make_environment

    templates = {"page.html": "{% macro box(x) %}[{{ x }}]{% endmacro %}{% set kept %}({{ value }}){% endset %}"
                              "{{ value }}|{{ box(value) }}|{{ kept }}"}
    env = make_environment(None, loader=jinja2.DictLoader(templates))
    assert env.get_template("page.html").render(value=value) == f"{shown}|[{shown}]|({shown})"


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "<!-- a", "R&D", "line\u2028break\u2029end",
                                  "« l’accord » <<>>&&", "nothing to escape", ""])
def test_inline_json_has_no_character_that_could_end_its_script_and_reads_back_the_same(text):
    from generator.site.page_values import json_script

    inline = json_script({"headline": text, "about": [text, 1]})
    assert not set("<>&\u2028\u2029") & set(inline)
    assert json.loads(inline) == {"headline": text, "about": [text, 1]}
