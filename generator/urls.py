"""The only URL scheme of a Gazette site, and slugify.

Every URL here is a site path relative to the site root, without a leading
slash ("articles/<slug>/"); templates turn it into a relative link from the
page being rendered, so the site works under any sub-path.
"""
from __future__ import annotations

import posixpath
import re
import unicodedata
from typing import Callable

_NON_WORD = re.compile(r"[^a-z0-9]+")
# letters that NFKD does not decompose into ASCII
_TRANSLIT = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O",
                           "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "ð": "d", "ı": "i"})
# slugs are ASCII, so characters are UTF-8 bytes: with a uniqueness suffix,
# "<slug>.md" and "articles/<slug>/" stay far below the 255 bytes a file name may have
MAX_SLUG = 80
# what a hand-written record may have: a page folder of 255 bytes fails on every filesystem
MAX_RECORD_SLUG = 200


def slugify(text: str, fallback: str = "article", max_length: int = MAX_SLUG) -> str:
    """Readable ASCII words joined by '-': never empty, never a path."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    # accents and invisible format characters (soft hyphen, zero-width…) go,
    # every other non-ASCII character (’ « — …) separates words
    ascii_text = "".join(
        c if c.isascii() else ("" if unicodedata.combining(c) or unicodedata.category(c) == "Cf" else " ")
        for c in decomposed
    )
    slug = _NON_WORD.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut[: max_length] else slug[:max_length]
        slug = slug.strip("-")
    return slug or fallback


def cap_slug(slug: str, max_length: int = MAX_SLUG) -> str:
    """A slug given by a seed or made longer for uniqueness, cut to `max_length` at a word boundary."""
    return slug if len(slug) <= max_length else slugify(slug, fallback=slug[:max_length], max_length=max_length)


# ---------------------------------------------------------------- the URL scheme

KIND_DIRS = {"person": "people", "place": "places", "organization": "organizations"}
HOME = ""
ENTITIES = "entities/"
ENTITY_INDEX_JSON = "entities/index.json"  # every entity's name, kind, slug and count, for the filter box
ARCHIVE = "archive/"
ARCHIVE_UNDATED = "archive/undated/"  # the articles without a publication date, paginated
TIMELINE = "dates/"
SEARCH = "search/"
PLACES_MAP = f"{KIND_DIRS['place']}/"  # the map of every place; no entity slug is empty
FEED = "feed.xml"
SITEMAP = "sitemap.xml"  # the sitemap; past SITEMAP_URLS, the index of its parts
SITEMAP_URLS = 50_000  # URLs one sitemap file may list (sitemaps.org)
ROBOTS = "robots.txt"
NOT_FOUND = "404.html"
STATIC = "static/"
DATA = "data/"  # the data export (site/export.py): articles.jsonl, entities.csv/.json, index.json
# the search index: one Pagefind bundle per shard, the first in this folder
SEARCH_INDEX_DIR = "pagefind"


def article_url(slug: str) -> str:
    return f"articles/{slug}/"


def entity_url(kind: str, slug: str) -> str:
    return f"{KIND_DIRS[kind]}/{slug}/"


def entity_kind_index_url(kind: str) -> str:
    """The index of one kind of entity: the most mentioned, and its letters."""
    return f"{ENTITIES}{KIND_DIRS[kind]}/"


def entity_letter_url(kind: str, letter: str) -> str:
    """The names of one kind that start with `letter` ('a'…'z', or 'other')."""
    return f"{entity_kind_index_url(kind)}{letter}/"


def entity_feed_url(kind: str, slug: str) -> str:
    return f"{entity_url(kind, slug)}feed.xml"


def year_url(year: str) -> str:
    return f"archive/{year}/"


def month_url(year: str, month: str) -> str:
    return f"archive/{year}/{month}/"


def day_url(day: str) -> str:
    """day: YYYY-MM-DD."""
    return f"dates/{day}/"


def page_url(first: str, number: int) -> str:
    """Page `number` (1-based) of a paginated listing whose first page is `first`."""
    return first if number <= 1 else f"{first}page/{number}/"


def static_url(name: str) -> str:
    return f"{STATIC}{name}"


def search_shard_count(articles: int, shard_size: int, max_shards: int) -> int:
    """How many shards the search index of `articles` articles has — one per
    `shard_size` articles, at most `max_shards`: the search page names each
    shard's folder, the indexer fills them."""
    return max(1, min(max_shards, -(-articles // max(1, shard_size))))


def search_shard_folder(number: int) -> str:
    """The site folder of search shard `number` (from 1): the first holds the interface too."""
    return SEARCH_INDEX_DIR if number == 1 else f"{SEARCH_INDEX_DIR}/shard-{number}"


def in_search_shard(site_path: str, number: int) -> bool:
    """Whether a site path is a file of search shard `number` (the first
    shard's folder holds the other shards' folders)."""
    if not site_path.startswith(search_shard_folder(number) + "/"):
        return False
    return number != 1 or not site_path.startswith(f"{SEARCH_INDEX_DIR}/shard-")


def file_path(url: str) -> str:
    """The file a site path is written to: directories get index.html."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url`, both site paths.

    Relative links keep the site working under any sub-path and from file://.
    """
    return linker(from_url)(to_url)


def linker(from_url: str) -> Callable[[str], str]:
    """relative(from_url, ·): the links of one page, its folders split once
    (a page makes dozens; a build, millions)."""
    if from_url == "" or from_url.endswith("/"):
        base = from_url
    else:
        folder = posixpath.dirname(from_url)
        base = folder + "/" if folder else ""
    base_parts = base.split("/")[:-1]
    to_root = "../" * len(base_parts)
    # a target outside the page's first folder shares none of its folders
    first_folder = base_parts[0] + "/" if base_parts else None

    def link(to_url: str) -> str:
        fragment = ""
        if "#" in to_url:
            to_url, fragment = to_url.split("#", 1)
            fragment = "#" + fragment
        if first_folder is None or not to_url.startswith(first_folder):
            return (to_root + to_url or "./") + fragment
        # drop the common leading directories
        to_parts = to_url.split("/")
        common = 0
        while common < len(base_parts) and common < len(to_parts) - 1 and base_parts[common] == to_parts[common]:
            common += 1
        up = "../" * (len(base_parts) - common)
        rest = "/".join(to_parts[common:])
        return (up + rest or "./") + fragment

    return link


def absolute(base_url: str, url: str) -> str:
    """An absolute URL for feeds, sitemap and canonical links (base_url ends with '/')."""
    return base_url + url


# ---------------------------------------------------------------- reading a site path back

_PAGED = re.compile(r"(.*)page/[1-9][0-9]*/")
_KIND_OF_DIR = {folder: kind for kind, folder in KIND_DIRS.items()}
_YEAR, _MONTH, _DAY = re.compile(r"[0-9]{4}"), re.compile(r"[0-9]{2}"), re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SITEMAP_PART = re.compile(r"sitemap-[1-9][0-9]*\.xml")


def first_page(url: str) -> str:
    """The first page of the listing that `url` is a page of (`page_url`'s
    inverse); any other site path is returned as it is."""
    paged = _PAGED.fullmatch(url)
    return paged.group(1) if paged else url


def _folders(url: str) -> list[str] | None:
    """The folder names of a folder's path ("a/b/" → ["a", "b"]); None for a file's."""
    return url[:-1].split("/") if url.endswith("/") else None


def article_of(url: str) -> str | None:
    """The slug of an article page's URL, else None."""
    parts = _folders(url)
    return parts[1] if parts and len(parts) == 2 and parts[0] == "articles" and parts[1] else None


def entity_of(url: str) -> tuple[str, str] | None:
    """(kind, slug) of a page of an entity's listing or of its feed, else None."""
    if url.endswith("/feed.xml"):
        url = url[:-len("feed.xml")]
    parts = _folders(first_page(url))
    if parts and len(parts) == 2 and parts[0] in _KIND_OF_DIR and parts[1]:
        return _KIND_OF_DIR[parts[0]], parts[1]
    return None


def archive_period_of(url: str) -> str | None:
    """"YYYY" for a year's archive page, "YYYY-MM" for a month's, else None."""
    parts = _folders(url)
    if not parts or parts[0] != "archive" or not 2 <= len(parts) <= 3 or not _YEAR.fullmatch(parts[1]):
        return None
    if len(parts) == 2:
        return parts[1]
    return f"{parts[1]}-{parts[2]}" if _MONTH.fullmatch(parts[2]) else None


def sitemap_part_url(number: int) -> str:
    """One part of a sitemap too long for one file: sitemap-1.xml, sitemap-2.xml, …"""
    return f"sitemap-{number}.xml"


def is_sitemap_part(url: str) -> bool:
    return _SITEMAP_PART.fullmatch(url) is not None


def day_of_url(url: str) -> str | None:
    """The YYYY-MM-DD of a day page's URL, else None."""
    parts = _folders(url)
    return parts[1] if parts and len(parts) == 2 and parts[0] == "dates" and _DAY.fullmatch(parts[1]) else None
