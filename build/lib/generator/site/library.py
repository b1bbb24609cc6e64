"""Records → Library: every record of content/ parsed and validated, with the
indexes the pages need (entities, publication days, mentioned days).

Loading is the edge that reads content/; everything it returns is frozen.
Parsed records are memoised by the SHA-256 of the file's bytes in the cache
folder, so an unchanged rebuild does not re-parse YAML. All problems are
reported before the build gives up: errors through the reporter, warnings
(empty article, unknown date, entity slug collision) returned in
`Library.warnings` for the build to report (or to fail on with --strict).
"""
from __future__ import annotations

import hashlib
import os
import pickle
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import generator.model
import generator.records
from generator.errors import GazetteError, Problem, ProblemsFound
from generator.model import Record
from generator.records import parse_record
from generator.report import Reporter
from generator.urls import slugify

EntityKey = tuple[str, str]  # (kind, entity slug)


@dataclass(frozen=True)
class Entity:
    kind: str
    name: str  # the spelling most records use
    slug: str
    articles: tuple[str, ...]  # article slugs, newest first
    mentions: int  # over all articles


@dataclass(frozen=True)
class Library:
    articles: tuple[Record, ...]  # newest first, undated last
    position: Mapping[str, int]  # article slug → index in `articles`
    files: Mapping[str, str]  # article slug → record file (relative to the site)
    hashes: Mapping[str, str]  # article slug → SHA-256 of the record file
    entities: Mapping[EntityKey, Entity]
    tags: Mapping[str, tuple[EntityKey, ...]]  # article slug → its entities, in record order
    published: Mapping[str, tuple[str, ...]]  # YYYY-MM-DD → article slugs published that day
    mentioned: Mapping[str, tuple[str, ...]]  # YYYY-MM-DD → article slugs that mention it
    warnings: tuple[Problem, ...]

    def article(self, slug: str) -> Record:
        return self.articles[self.position[slug]]


def entity_slug(name: str) -> str:
    """A readable slug, or a stable one for names with no Latin letters."""
    slug = slugify(name, fallback="")
    return slug or "e-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


def day_of(date: str | None) -> str | None:
    """The YYYY-MM-DD day of an ISO date or datetime; None for a month alone."""
    return date[:10] if date and len(date) >= 10 else None


# ---------------------------------------------------------------- loading (edge)

def _cache_version() -> str:
    """Cached records are only valid for the code that parsed them."""
    digest = hashlib.sha256()
    for module in (generator.model, generator.records):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def _read_cache(path: Path, version: str) -> dict[str, Record]:
    try:
        with path.open("rb") as handle:
            stored_version, records = pickle.load(handle)
        return records if stored_version == version else {}
    except Exception:  # missing, truncated or from another version: just re-parse
        return {}


def _write_cache(path: Path, version: str, records: dict[str, Record]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as handle:
        pickle.dump((version, records), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


@dataclass(frozen=True)
class ContentFile:
    """One record file as read from content/."""

    path: Path
    shown: str  # how messages name it: relative to the site when it is inside
    data: bytes
    sha256: str


def scan_content(content_dir: Path, site_root: Path | None = None) -> tuple[ContentFile, ...]:
    """Read every content/**/*.md (hidden files and folders left out), sorted by name."""
    if not content_dir.is_dir():
        raise GazetteError("no content folder: run `gazette ingest` first", content_dir)
    prefix = f"{site_root}{os.sep}" if site_root else None
    files = []
    for name in sorted(str(p) for p in content_dir.rglob("*.md")):
        if f"{os.sep}." in name[len(str(content_dir)):]:
            continue
        path = Path(name)
        if not path.is_file():
            continue
        data = path.read_bytes()
        shown = name[len(prefix):] if prefix and name.startswith(prefix) else name
        files.append(ContentFile(path, shown, data, hashlib.sha256(data).hexdigest()))
    return tuple(files)


def content_fingerprint(files: tuple[ContentFile, ...]) -> str:
    """Changes whenever a record file is added, removed, renamed or edited."""
    return hashlib.sha256("".join(f"{f.shown}\0{f.sha256}\n" for f in files).encode()).hexdigest()


def load_library(files: tuple[ContentFile, ...], cache_dir: Path, reporter: Reporter) -> Library:
    """Parse every record (or take it from the cache); report every error, then raise ProblemsFound if any."""
    cache_file = cache_dir / "records.pickle"
    version = _cache_version()
    cached = _read_cache(cache_file, version)
    fresh: dict[str, Record] = {}
    parsed: list[tuple[Record, str, str]] = []  # (record, shown path, hash)
    errors = 0
    for file in reporter.progress(files, len(files), "reading records"):
        record = cached.get(file.sha256)
        if record is None:
            try:
                record = parse_record(file.data.decode("utf-8"), file.shown)
            except UnicodeDecodeError as exc:
                reporter.error(Problem(file.shown, f"not UTF-8 text (byte {exc.start}) — save the file as UTF-8"))
                errors += 1
                continue
            except GazetteError as exc:
                reporter.error(exc.problem)
                errors += 1
                continue
        fresh[file.sha256] = record
        parsed.append((record, file.shown, file.sha256))
    library, problems = index_records(parsed)
    for problem in problems:
        if problem.level == "error":
            reporter.error(problem)
            errors += 1
    if errors:
        raise ProblemsFound(reporter.errors)
    if fresh.keys() != cached.keys():
        _write_cache(cache_file, version, fresh)
    return library


# ---------------------------------------------------------------- indexing (pure)

def _newest_first(records: list[Record]) -> list[Record]:
    dated = sorted((r for r in records if r.date), key=lambda r: (r.date, r.slug), reverse=True)
    undated = sorted((r for r in records if not r.date), key=lambda r: (r.title.casefold(), r.slug))
    return dated + undated


def index_records(parsed: list[tuple[Record, str, str]]) -> tuple[Library, list[Problem]]:
    """(record, file, hash) → Library, and the problems found (errors and warnings)."""
    problems: list[Problem] = []
    by_slug: dict[str, tuple[Record, str, str]] = {}
    for record, shown, digest in parsed:
        if record.slug in by_slug:
            other = by_slug[record.slug][1]
            problems.append(Problem(shown, f"slug '{record.slug}' is also the slug of {other} — "
                                           "two articles cannot share one URL; change one slug", 1))
            continue
        by_slug[record.slug] = (record, shown, digest)
        if not record.body.strip():
            problems.append(Problem(shown, "empty article: the record has no body text", None, "warning"))
        if not record.date:
            problems.append(Problem(shown, "no publication date: the article is listed as 'date inconnue' "
                                           "and left out of the date archives — set 'date' to fix", None, "warning"))

    articles = _newest_first([r for r, _, _ in by_slug.values()])
    position = {r.slug: i for i, r in enumerate(articles)}

    # entities: one per (kind, slug); different spellings with one slug are merged
    spellings: dict[EntityKey, Counter] = defaultdict(Counter)
    members: dict[EntityKey, list[str]] = defaultdict(list)
    mentions: Counter = Counter()
    tags: dict[str, tuple[EntityKey, ...]] = {}
    first_file: dict[tuple[EntityKey, str], str] = {}
    slugs: dict[str, str] = {}  # most names recur across articles: slugify each once
    for record in articles:
        keys: list[EntityKey] = []
        for kind, tag in record.entities:
            slug = slugs.get(tag.name)
            if slug is None:
                slug = slugs[tag.name] = entity_slug(tag.name)
            key = (kind, slug)
            spellings[key][tag.name] += 1
            first_file.setdefault((key, tag.name), by_slug[record.slug][1])
            mentions[key] += tag.mentions
            if key not in keys:
                keys.append(key)
                members[key].append(record.slug)
        tags[record.slug] = tuple(keys)
    entities: dict[EntityKey, Entity] = {}
    for key in sorted(members):
        names = spellings[key]
        name = max(names, key=lambda n: (names[n], n))  # the commonest spelling, then a stable choice
        if len(names) > 1:
            others = sorted(n for n in names if n != name)
            where = ", ".join(f"'{n}' ({first_file[(key, n)]})" for n in others)
            problems.append(Problem(None, f"{key[0]} names {where} and '{name}' share the slug '{key[1]}': "
                                          f"shown together as '{name}' — spell them the same way, or apart", None, "warning"))
        entities[key] = Entity(key[0], name, key[1], tuple(members[key]), mentions[key])

    published: dict[str, list[str]] = defaultdict(list)
    mentioned: dict[str, list[str]] = defaultdict(list)
    for record in articles:
        day = day_of(record.date)
        if day:
            published[day].append(record.slug)
        for mention in record.mentioned_dates:
            mday = day_of(mention.date)
            if mday and record.slug not in mentioned[mday]:
                mentioned[mday].append(record.slug)

    library = Library(
        articles=tuple(articles),
        position=MappingProxyType(position),
        files=MappingProxyType({s: v[1] for s, v in by_slug.items()}),
        hashes=MappingProxyType({s: v[2] for s, v in by_slug.items()}),
        entities=MappingProxyType(entities),
        tags=MappingProxyType(tags),
        published=MappingProxyType({d: tuple(v) for d, v in sorted(published.items())}),
        mentioned=MappingProxyType({d: tuple(v) for d, v in sorted(mentioned.items())}),
        warnings=tuple(p for p in problems if p.level == "warning"),
    )
    return library, problems
