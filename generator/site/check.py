"""`gazette check`: validate every record and the built site, writing nothing.

Reports each problem as `path:line: message` through the reporter:
- every record in content/ parses (front matter, types, dates) and slugs are unique;
- every internal link and anchor (#id) of every HTML page resolves to a file
  (and an element) of the output; no link starts with '/' (it would break
  the site under a sub-path);
- every XML file (site feed, entity feeds, sitemap) is well-formed;
- the Pagefind index is present and holds one entry per article page;
- the data export (data/) parses, has the format version, one line per
  article page, and every page it names exists.
"""
from __future__ import annotations

import csv
import json
import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

from generator.config import SiteConfig, site_relative
from generator.errors import BuildError, Problem
from generator.enrich.aliases import load_aliases
from generator.site.library import index_records, kinds_fixed_by, read_records, scan_content
from generator.report import Reporter
from generator import urls
from generator.urls import SEARCH_INDEX_DIR, article_url, file_path
from generator.site.search import ENTRY_FILE, indexed_pages, read_entry
from generator.site import export

# attributes holding a URL, by tag
_URL_ATTRS = {
    "a": ("href",), "area": ("href",), "link": ("href",),
    "img": ("src",), "script": ("src",), "iframe": ("src",), "source": ("src",),
    "audio": ("src",), "video": ("src", "poster"), "track": ("src",), "form": ("action",),
}
_ATOM = "{http://www.w3.org/2005/Atom}"
_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass(frozen=True)
class Link:
    url: str
    line: int
    tag: str


@dataclass(frozen=True)
class HtmlPage:
    """What check needs from one HTML file: its links and its element ids."""

    links: tuple[Link, ...]
    ids: frozenset[str]


class _PageScanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        line = self.getpos()[0]
        for attr in _URL_ATTRS.get(tag, ()):
            if values.get(attr) is not None:
                self.links.append(Link(values[attr].strip(), line, tag))

    handle_startendtag = handle_starttag


def scan_html(text: str) -> HtmlPage:
    """Links (with their line) and ids of an HTML document."""
    scanner = _PageScanner()
    scanner.feed(text)
    scanner.close()
    return HtmlPage(tuple(scanner.links), frozenset(scanner.ids))


def _is_internal(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("//")


def resolve_link(page: str, url: str) -> tuple[str | None, str]:
    """(site path of the file the link points to, fragment) for a relative link
    from the page at site path `page` ('articles/x/index.html').

    The file is None when the link climbs above the site root.
    """
    parts = urlsplit(url)
    fragment = unquote(parts.fragment)
    if not parts.path:
        return page, fragment
    joined = posixpath.join(posixpath.dirname(page), unquote(parts.path))
    target = posixpath.normpath(joined)
    if target == ".":
        target = ""
    if target.startswith("../") or target == "..":
        return None, fragment
    if parts.path.endswith("/") or target == "":
        target = posixpath.join(target, "index.html")
    return target, fragment


def _site_files(output: Path) -> Iterator[Path]:
    for path in sorted(output.rglob("*")):
        if path.is_file() and not path.relative_to(output).parts[0] == SEARCH_INDEX_DIR:
            yield path


def check_records(config: SiteConfig, reporter: Reporter) -> int:
    """Parse every record of content/ and index them as the build does (slug
    collisions, empty or undated articles), without touching the record cache.
    Returns the number of articles the site should have."""
    content = config.content_dir
    if not content.is_dir():
        reporter.error(Problem(content, "no content folder — run gazette ingest first"))
        return 0
    library, problems = index_records(read_records(scan_content(content, config.root, reporter), reporter),
                                      kinds_fixed_by(load_aliases(config.entities_file, config.language)))
    for problem in problems:
        (reporter.error if problem.level == "error" else reporter.warn)(problem)
    return len(library.articles)


def check_links(output: Path, html_files: list[Path], reporter: Reporter, root: Path | None = None,
                base_url: str | None = None) -> None:
    # one listing of the output instead of a stat per link
    existing = {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()}
    pages: dict[str, HtmlPage] = {}
    for path in html_files:
        site_path = path.relative_to(output).as_posix()
        try:
            pages[site_path] = scan_html(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            reporter.error(Problem(_shown(path, root), "not UTF-8 text"))
    for site_path, page in pages.items():
        shown = _shown(output / site_path, root)
        for link in page.links:
            url = link.url
            if base_url and link.tag == "a" and url.startswith(base_url):
                # it works only once deployed there, not in a preview or under another path
                reporter.warn(Problem(shown, f"link '{url}' points to the site by its absolute address — "
                                             "use a relative link", link.line))
                continue
            if not url or not _is_internal(url):
                continue
            if url.startswith("/"):
                reporter.error(Problem(shown, f"link '{url}' starts with '/': it breaks when the site is served "
                                              "under a sub-path — use a relative link", link.line))
                continue
            target, fragment = resolve_link(site_path, url)
            if target is None:
                reporter.error(Problem(shown, f"link '{url}' points above the site root", link.line))
                continue
            if target not in existing and f"{target}/index.html" in existing:
                target = f"{target}/index.html"  # a folder link without its '/'
            if target not in existing:
                reporter.error(Problem(shown, f"broken link '{url}': {target} does not exist", link.line))
                continue
            if fragment and target in pages and fragment not in pages[target].ids:
                reporter.error(Problem(shown, f"broken anchor '{url}': {target} has no element with id '{fragment}'",
                                       link.line))


def check_xml(xml_files: list[Path], reporter: Reporter, root: Path | None = None) -> None:
    for file in xml_files:
        path = _shown(file, root)
        try:
            tree_root = ET.parse(file).getroot()
        except ET.ParseError as exc:
            line = exc.position[0] if exc.position else None
            reporter.error(Problem(path, f"not well-formed XML: {exc}", line))
            continue
        if path.name == urls.SITEMAP or urls.is_sitemap_part(path.name):
            _check_sitemap(path, tree_root, reporter)
        elif path.name == "feed.xml" and tree_root.tag != f"{_ATOM}feed":
            reporter.error(Problem(path, f"an Atom feed must have a <feed> root in the Atom namespace, not {tree_root.tag}"))


def _check_sitemap(path: Path, tree_root: ET.Element, reporter: Reporter) -> None:
    """sitemap.xml: a <urlset>, or the <sitemapindex> of its parts; a part: a
    <urlset>; none listing more URLs than the protocol allows in one file."""
    roots = (f"{_SITEMAP}urlset", f"{_SITEMAP}sitemapindex") if path.name == urls.SITEMAP else (f"{_SITEMAP}urlset",)
    if tree_root.tag not in roots:
        wanted = " or ".join(f"<{root.removeprefix(_SITEMAP)}>" for root in roots)
        reporter.error(Problem(path, f"a sitemap must have a {wanted} root in the sitemap namespace, not {tree_root.tag}"))
        return
    listed = sum(1 for _ in tree_root.iter(f"{_SITEMAP}loc"))
    if tree_root.tag == f"{_SITEMAP}urlset" and listed > urls.SITEMAP_URLS:
        reporter.error(Problem(path, f"a sitemap lists {listed:,} URLs; one file may list at most "
                                     f"{urls.SITEMAP_URLS:,} (sitemaps.org): build again to split it"))


def check_search_index(output: Path, articles: int, reporter: Reporter, root: Path | None = None) -> None:
    """The search index: every shard's entry and files, one entry per article over all of them."""
    first = output / SEARCH_INDEX_DIR
    shards = [first] + sorted((p for p in first.glob("shard-*") if p.is_dir()), key=lambda p: p.name)
    total = 0
    for real_bundle in shards:
        bundle = _shown(real_bundle, root)
        try:
            entry = read_entry(real_bundle)
        except BuildError as exc:
            reporter.error(Problem(_shown(Path(exc.path), root), f"{exc.message} — run gazette build"))
            return
        total += sum(indexed_pages(entry).values())
        for lang, info in entry["languages"].items():
            # a language Pagefind has no stemmer for (ja, ko, …) has no wasm file of its own
            wasm = [f"wasm.{info['wasm']}.pagefind"] if info.get("wasm") else []
            for name in [f"pagefind.{info.get('hash')}.pf_meta", *wasm]:
                if not (real_bundle / name).is_file():
                    reporter.error(Problem(bundle / name, f"missing from the search index (language '{lang}')"))
        for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css") if real_bundle == first else ("pagefind.js",):
            if not (real_bundle / name).is_file():
                reporter.error(Problem(bundle / name, "missing: the search page cannot load"))
    if total != articles:
        reporter.error(Problem(_shown(first, root) / ENTRY_FILE, f"the search index holds {total} page(s) but the "
                                                                 f"site has {articles} article page(s) — rebuild the site"))


def check_data_export(output: Path, articles: int, reporter: Reporter, root: Path | None = None) -> None:
    """data/: every file parses and has the format version; articles.jsonl has
    one line per article page; every page a line or an entity names exists."""
    def problem(site_path: str, message: str, line: int | None = None) -> None:
        reporter.error(Problem(_shown(output / site_path, root), message, line))

    def named_page(site_path: str, where: str, item: dict, line: int | None) -> None:
        path = item.get("path")
        if not isinstance(path, str) or not (output / file_path(path)).is_file():
            shown = file_path(path) if isinstance(path, str) else repr(path)
            problem(site_path, f"{where} names a page that is not there: {shown} does not exist — rebuild the site",
                    line)

    try:
        index = json.loads((output / export.INDEX).read_text(encoding="utf-8"))
        entities = json.loads((output / export.ENTITIES_JSON).read_text(encoding="utf-8"))
        lines = (output / export.ARTICLES).read_text(encoding="utf-8").splitlines()
        with (output / export.ENTITIES_CSV).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError as exc:
        reporter.error(Problem(_shown(Path(exc.filename), root), "missing from the data export — run gazette build"))
        return
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
        reporter.error(Problem(_shown(output / export.INDEX, root).parent, f"the data export does not parse: {exc}"))
        return
    for site_path, data in ((export.INDEX, index), (export.ENTITIES_JSON, entities)):
        if not isinstance(data, dict) or data.get("version") != export.FORMAT_VERSION:
            problem(site_path, f"format version {export.FORMAT_VERSION} expected")
    if len(lines) != articles:
        problem(export.ARTICLES, f"{len(lines)} line(s) for {articles} article page(s) — rebuild the site")
    for number, text in enumerate(lines, 1):
        try:
            item = json.loads(text)
        except ValueError as exc:
            problem(export.ARTICLES, f"not a JSON object: {exc}", number)
            continue
        if not isinstance(item, dict) or item.get("format_version") != export.FORMAT_VERSION:
            problem(export.ARTICLES, f"format_version {export.FORMAT_VERSION} expected", number)
            continue
        named_page(export.ARTICLES, "the article", item, number)
    listed = entities.get("entities") if isinstance(entities, dict) else None
    for item in listed if isinstance(listed, list) else ():
        named_page(export.ENTITIES_JSON, f"the entity {item.get('name')!r}", item, None)
    if not rows or tuple(rows[0]) != export.ENTITY_COLUMNS:
        problem(export.ENTITIES_CSV, f"the header must be {','.join(export.ENTITY_COLUMNS)}", 1)
    elif isinstance(listed, list) and len(rows) - 1 != len(listed):
        problem(export.ENTITIES_CSV, f"{len(rows) - 1} row(s) but entities.json has {len(listed)} entities")


def check_site(config: SiteConfig, *, output: Path | None, reporter: Reporter) -> None:
    """Validate every record and the built site; problems go to the reporter."""
    records = check_records(config, reporter)
    output = (Path(output) if output is not None else config.output_dir).resolve()
    if not output.is_dir():
        reporter.error(Problem(output, "there is no built site here — run gazette build first"))
        return
    files = list(_site_files(output))
    html_files = [p for p in files if p.suffix == ".html"]
    xml_files = [p for p in files if p.suffix == ".xml"]
    check_links(output, html_files, reporter, config.root, config.base_url)
    check_xml(xml_files, reporter, config.root)
    articles = sum(1 for _ in output.glob(file_path(article_url("*"))))
    check_search_index(output, articles, reporter, config.root)
    check_data_export(output, articles, reporter, config.root)
    if articles != records:
        reporter.warn(Problem(_shown(output, config.root), f"the site has {articles} article page(s) but content/ holds {records} "
                                      "record(s) — run gazette build"))
    errors = len(reporter.errors)
    reporter.result(f"checked {records} record(s), {len(html_files)} page(s), {len(xml_files)} feed/sitemap file(s): "
                    + ("no problems" if not errors else f"{errors} problem(s)"))


def _shown(path: Path, root: Path | None) -> Path:
    return path if root is None else Path(site_relative(path, root))
