"""Records → Library: every record of content/ parsed and validated, with the
indexes the pages need (entities, publication days, mentioned days and months).

Loading is the edge that reads content/; everything it returns is frozen.
The Library holds each article without its body (an `Article`: the
record's fields, and what pages need of the body — its SHA-256, reading
time, whether it is empty or starts with the summary): at 100,000 articles
the bodies alone are some 600 MB, and only the article's own page reads
one, from the record file when it is rendered (render.py). Parsed records
are memoised (without bodies) by the SHA-256 of the file's bytes in the
cache folder, so an unchanged rebuild does not re-parse YAML. All problems are
reported before the build gives up: errors through the reporter, warnings
(empty article, unknown date, entity slug collision) returned in
`Library.warnings` for the build to report (or to fail on with --strict).
"""
from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import multiprocessing
import os
import stat
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Iterable, Mapping

from generator import lifetime
from generator.cache import Entry
from generator.config import site_relative
from generator.enrich.aliases import AliasTable
from generator.enrich.normalise import comparable
from generator.errors import GazetteError, Problem, ProblemsFound
from generator.files import not_regular, read_regular
from generator.front_matter import split_front_matter
from generator.model import ENTITY_KINDS, Entities, EntityTag, MentionedDate, Record, Removal, Version
from generator.records import parse_record
from generator.report import Reporter
from generator.site.citation import reading_minutes
from generator.site.undated import undated_order
from generator.urls import slugify

EntityKey = tuple[str, str]  # (kind, entity slug)
FixedKind = Callable[[str], "str | None"]  # entity name → the kind entities.toml fixes, or None
# records to parse before worker processes pay for their start (about a second)
PARSE_WORKERS_FROM = 2000
PARSE_CHUNK = 250  # records a worker parses per task: a small share of the whole, a few MB back

ParsedRecord = tuple[Record, str, str]  # (record, its file as messages name it, SHA-256 of the file)


@dataclass(frozen=True, slots=True)
class BodyFacts:
    """What the site needs of an article's body besides its HTML."""
    sha256: str  # of the Markdown (UTF-8): the key of its rendered HTML (render.py); changes with every edit
    empty: bool
    reading_minutes: int
    repeats_summary: bool  # the summary is only the body's start (the page does not show it twice)


@dataclass(frozen=True)
class Article(Record):
    """A record as the Library keeps it: `body` (and `removed`) empty, `text` says what pages need of the body."""
    text: BodyFacts | None = None


def body_key(body: str) -> str:
    """The key of a body's rendered HTML (render.BodyStore): the SHA-256 of its Markdown."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def without_body(record: Record) -> Article:
    """The record as the Library keeps it. An Article with a body (a test's
    dataclasses.replace) is taken as a record with that body."""
    if isinstance(record, Article) and not record.body:
        return record
    body = record.body
    facts = BodyFacts(body_key(body), not body.strip(), reading_minutes(body),
                      repeats_summary(record.summary, body))
    fields = {f.name: getattr(record, f.name) for f in dataclasses.fields(Record)}
    # what cleaning removed is no page's business; the names most records repeat are kept once
    fields.update(body="", removed=(), lang=sys.intern(record.lang), date_source=sys.intern(record.date_source),
                  title_source=sys.intern(record.title_source), entities=_interned(record.entities))
    return Article(**fields, text=facts)


def _entity_tag(name: str, mentions: int) -> EntityTag:
    return EntityTag(sys.intern(name), mentions)


def _interned(entities: Entities) -> Entities:
    """The same tags, each name one string for the whole archive (100 MB at 100,000 articles)."""
    return Entities(**{kind: tuple(_entity_tag(tag.name, tag.mentions) for tag in entities.of(kind))
                       for kind in ENTITY_KINDS})


def _pickled_by_fields(cls: type) -> None:
    """Pickle `cls` by its fields' values, not by its __dict__: reading an
    instance's __dict__ makes CPython 3.11 build one for good, 64 bytes more
    for each of the millions of values the records memo and the kept model
    hold (about 150 MB at 100,000 articles)."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    copyreg.pickle(cls, lambda value: (cls, tuple(getattr(value, name) for name in names)))


for _value_class in (Article, Record, Entities, MentionedDate, Version, Removal):
    _pickled_by_fields(_value_class)


# a tag's name unpickled is the archive's one string for it, as _interned made it:
# records parsed by worker processes come back in pieces that share no strings
copyreg.pickle(EntityTag, lambda tag: (_entity_tag, (tag.name, tag.mentions)))


def repeats_summary(summary: str, body: str) -> bool:
    """True when the summary is just the start of the body (then it is not shown twice)."""
    words = " ".join(summary.replace("…", " ").split())
    return not words or " ".join(body[: len(summary) * 2 + 200].split()).startswith(words)


@dataclass(frozen=True, slots=True)
class Entity:
    kind: str
    name: str  # the spelling most records use
    slug: str
    articles: tuple[str, ...]  # article slugs, newest first
    mentions: int  # over all articles


@dataclass(frozen=True)
class Library:
    articles: tuple[Article, ...]  # newest first, undated last
    position: Mapping[str, int]  # article slug → index in `articles`
    files: Mapping[str, str]  # article slug → record file (relative to the site)
    hashes: Mapping[str, str]  # article slug → SHA-256 of the record file
    entities: Mapping[EntityKey, Entity]
    tags: Mapping[str, tuple[EntityKey, ...]]  # article slug → its entities, in record order
    published: Mapping[str, tuple[str, ...]]  # YYYY-MM-DD → article slugs published that day
    mentioned: Mapping[str, tuple[str, ...]]  # YYYY-MM-DD → article slugs that mention it
    # YYYY-MM → article slugs that mention the month as a whole ("en mai 2019")
    mentioned_months: Mapping[str, tuple[str, ...]]
    warnings: tuple[Problem, ...]

    def article(self, slug: str) -> Article:
        return self.articles[self.position[slug]]

    def __reduce__(self):
        """Pickled with plain dicts (a mapping proxy does not pickle): the
        site model is kept between builds (model.py)."""
        fields = [getattr(self, f.name) for f in dataclasses.fields(self)]
        return (_library_of, tuple(dict(v) if isinstance(v, MappingProxyType) else v for v in fields))


def _library_of(*fields) -> Library:
    return Library(*(MappingProxyType(v) if isinstance(v, dict) else v for v in fields))


def entity_slug(name: str) -> str:
    """A readable slug, or a stable one for names with no Latin letters."""
    slug = slugify(name, fallback="")
    return slug or "e-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


def day_of(date: str | None) -> str | None:
    """The YYYY-MM-DD day of an ISO date or datetime; None for a month alone."""
    return date[:10] if date and len(date) >= 10 else None


# ---------------------------------------------------------------- loading (edge)

@dataclass(frozen=True)
class ContentFile:
    """One record file of content/: its SHA-256, and its bytes when they were read."""

    location: Path | str  # the file (a string from the scan: Path objects for 100,000 files take a second)
    shown: str  # how messages name it: relative to the site when it is inside
    sha256: str
    read_data: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def data(self) -> bytes:
        """The file's bytes: read now unless given (the scan keeps none: at
        100,000 records they would be 400 MB held through the build); a file
        whose bytes are no longer the scanned ones raises FileChanged."""
        if self.read_data is not None:
            return self.read_data
        data = read_record_file(self.path) or b""
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise FileChanged(self.shown)
        return data


def read_body(path: Path, shown: str, sha256: str) -> str:
    """The body (Markdown) of the record file at `path`, as parse_record reads
    it; FileChanged when the file is no longer the one of SHA-256 `sha256`
    that the Library was made from. (The Library keeps no body: an article's
    page reads it here, when the rendered body is not in the memo.)"""
    data = ContentFile(path, shown, sha256).data
    return split_front_matter(data.decode("utf-8"), shown)[1].strip("\n")


class FileChanged(GazetteError):
    def __init__(self, shown: str):
        super().__init__("the file changed while the build read it — build again", shown)


# (mtime, ctime, size, inode) of a record file: the same as at the last scan means the same bytes.
# ctime changes on every write and cannot be set back, unlike mtime (touch -r, rsync -t)
_Stat = tuple[int, int, int, int]
_SETTLED_NS = 2_000_000_000  # a file changed this recently is read again at the next scan


def scan_content(content_dir: Path, site_root: Path | None = None,
                 reporter: Reporter | None = None, cache_dir: Path | None = None) -> tuple[ContentFile, ...]:
    """Every content/**/*.md (hidden files and folders left out), sorted by name.
    A FIFO, device or dangling link is never opened: skipped with a warning naming it.

    With `cache_dir`, a file whose stat is the one it had at the last scan
    is not read again: its SHA-256 is taken from then (a memo in the cache)."""
    if not content_dir.is_dir():
        raise GazetteError("no content folder: run `gazette ingest` first", content_dir)
    memo = Entry(cache_dir, "scan", code=__name__) if cache_dir is not None else None
    known: dict[str, tuple[_Stat, str]] = memo.read(default={}) if memo is not None else {}
    seen: dict[str, tuple[_Stat, str]] = {}
    started = time.time_ns()
    files = []
    for name, shown in _record_files(content_dir, site_root):
        stat_now = _stat(name)
        before = known.get(name)
        if stat_now is not None and before is not None and before[0] == stat_now:
            files.append(ContentFile(name, shown, before[1]))
            seen[name] = before
            continue
        try:
            data = read_record_file(Path(name))
        except OSError as exc:
            if reporter is not None:
                reporter.warn(Problem(shown, f"{exc.strerror or exc}; skipped"))
            continue
        if data is None:
            continue
        digest = hashlib.sha256(data).hexdigest()
        files.append(ContentFile(name, shown, digest))
        # trusted next time only when it was not written while read, nor just before
        # (a write in the same clock tick as the scan would leave its stat unchanged)
        if stat_now is not None and stat_now == _stat(name) and stat_now[1] < started - _SETTLED_NS:
            seen[name] = (stat_now, digest)
    if memo is not None and seen != known:
        memo.write(seen)
    return tuple(files)


def _record_files(content_dir: Path, site_root: Path | None) -> list[tuple[str, str]]:
    """(file, as messages show it) of every *.md under content_dir but hidden
    ones, sorted by file. Strings, not Paths, and the shown name made from
    the folder's: at 100,000 records pathlib alone took seconds of a rebuild
    with nothing to do."""
    top = str(content_dir)
    shown_top = site_relative(top, site_root) if site_root else top
    by_folder = site_root is None or os.path.abspath(top) != os.path.abspath(site_root)
    found = []
    for folder, subfolders, names in os.walk(top):  # links to folders are not entered, as rglob does not
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        inner = folder[len(top):].lstrip(os.sep)
        for name in names:
            if name.endswith(".md") and not name.startswith("."):
                path = os.path.join(folder, name)
                relative = f"{inner}/{name}".replace(os.sep, "/").lstrip("/")
                found.append((path, f"{shown_top}/{relative}" if by_folder else site_relative(path, site_root)))
    found.sort()
    return found


def _stat(path: str) -> _Stat | None:
    """The stat of a regular file (links followed, as reading does); None for anything else."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)


def read_record_file(path: Path) -> bytes | None:
    """Its bytes; None for a folder named *.md; OSError saying what else it is."""
    kind = not_regular(path)
    if kind == "a folder":
        return None
    if kind is not None:
        raise OSError(f"{kind}, not a record file")
    return read_regular(path)


def content_fingerprint(files: tuple[ContentFile, ...]) -> str:
    """Changes whenever a record file is added, removed, renamed or edited."""
    return hashlib.sha256("".join(f"{f.shown}\0{f.sha256}\n" for f in files).encode()).hexdigest()


def read_records(files: Iterable[ContentFile], reporter: Reporter,
                 known: Mapping[str, Article] = MappingProxyType({}), *, with_bodies: bool = False
                 ) -> list[ParsedRecord]:
    """The record of every file, without its body (an Article) — from `known`
    (by the file's SHA-256), else parsed (by worker processes when there are
    many); a file that does not parse is reported and left out.
    `with_bodies`: parsed records keep their body (the Library drops it when
    it takes them in)."""
    files = list(files)
    missing = [file for file in files if file.sha256 not in known]
    if len(missing) >= PARSE_WORKERS_FROM and not with_bodies:
        fresh = _parse_in_workers(missing, reporter)
    else:
        fresh = {file.sha256: _parse(file, with_bodies)
                 for file in reporter.progress(missing, len(missing), "reading records")}
    parsed: list[ParsedRecord] = []
    for file in files:
        record = known[file.sha256] if file.sha256 in known else fresh[file.sha256]
        if isinstance(record, Problem):
            reporter.error(record)
        else:
            parsed.append((record, file.shown, file.sha256))
    return parsed


def _parse(file: ContentFile, with_body: bool = False) -> Record | Problem:
    """The file's record, or the problem that keeps it out."""
    try:
        record = parse_record(file.data.decode("utf-8"), file.shown)
        return record if with_body else without_body(record)
    except UnicodeDecodeError as exc:
        return Problem(file.shown, f"not UTF-8 text (byte {exc.start}) — save the file as UTF-8")
    except GazetteError as exc:
        return exc.problem
    except OSError as exc:  # gone, or made unreadable, since the scan
        return Problem(file.shown, f"{exc.strerror or exc} — build again")


def _parse_in_workers(files: list[ContentFile], reporter: Reporter) -> dict[str, Article | Problem]:
    """_parse of each file, in chunks, by as many processes as there are
    cores: parsing YAML is most of a cold build's first minute. Spawned,
    not forked: the build runs threads (the gazetteer loads meanwhile)."""
    chunks = [[(str(f.location), f.shown, f.sha256) for f in files[i:i + PARSE_CHUNK]]
              for i in range(0, len(files), PARSE_CHUNK)]
    workers = max(1, min(len(os.sched_getaffinity(0)), len(chunks)))
    parsed: dict[str, Article | Problem] = {}
    with ProcessPoolExecutor(workers, multiprocessing.get_context("spawn"), initializer=lifetime.die_with_parent,
                             initargs=(lifetime.lifeline(),)) as pool:
        for results in reporter.progress(pool.map(_parse_chunk, chunks), len(chunks), "reading records", 2):
            parsed.update(results)
    return parsed


def _parse_chunk(files: list[tuple[str, str, str]]) -> list[tuple[str, Article | Problem]]:
    return [(sha256, _parse(ContentFile(location, shown, sha256))) for location, shown, sha256 in files]


def load_library(files: tuple[ContentFile, ...], cache_dir: Path, reporter: Reporter,
                 fixed_kind: FixedKind = lambda name: None) -> Library:
    """Parse every record (or take it from the cache); report every error, then raise ProblemsFound if any."""
    parsed = load_parsed(files, cache_dir, reporter)
    library, problems = index_records(parsed, fixed_kind)
    report_errors(problems, reporter, complete=len(parsed) == len(files))
    return library


def load_parsed(files: tuple[ContentFile, ...], cache_dir: Path, reporter: Reporter) -> list[ParsedRecord]:
    """Every record that parses (or is in the cache); one that does not is
    reported and left out (the caller raises, once it found every problem)."""
    cache = records_cache(cache_dir)
    cached = cache.read(default={})
    parsed = read_records(files, reporter, cached)
    fresh = {digest: record for record, _, digest in parsed}
    if len(parsed) == len(files) and fresh.keys() != cached.keys():
        cache.write(fresh)
    return parsed


def records_cache(cache_dir: Path) -> Entry:
    """Parsed records (Articles) by the SHA-256 of their file, valid for the code that parsed them."""
    return Entry(cache_dir, "records", code=("generator.records", __name__))


def report_errors(problems: Iterable[Problem], reporter: Reporter, *, complete: bool = True) -> None:
    """Report the errors among `problems`; raise ProblemsFound if there was one,
    or if a record did not parse (`complete` False: it was reported already)."""
    errors = [problem for problem in problems if problem.level == "error"]
    for problem in errors:
        reporter.error(problem)
    if errors or not complete:
        raise ProblemsFound(reporter.errors)


def kinds_fixed_by(table: AliasTable) -> FixedKind:
    """The kinds the alias tables (the site's entities.toml over the shipped
    ones) give names."""
    return lambda name: alias.kind if (alias := table.lookup(name)) else None


# ---------------------------------------------------------------- indexing (pure)

def index_records(parsed: list[ParsedRecord], fixed_kind: FixedKind = lambda name: None,
                  spelling: dict[EntityKey, Problem] | None = None) -> tuple[Library, list[Problem]]:
    """(record, file, hash) → Library, and the problems found (errors and warnings).
    `fixed_kind`: the kind the site's entities.toml gives a name, if any;
    `spelling`, when given, is filled with each entity's spelling warning (model.py keeps them)."""
    by_slug, problems = _one_per_slug(parsed)
    articles = newest_first([record for record, _, _ in by_slug.values()])
    files = {slug: shown for slug, (_, shown, _) in by_slug.items()}
    tags, tallies = _tally_entities(articles, files, fixed_kind)
    entities, spelling_problems = _name_entities(tallies)
    problems += spelling_problems.values()
    if spelling is not None:
        spelling.update(spelling_problems)
    library = Library(
        articles=tuple(articles),
        position=MappingProxyType({r.slug: i for i, r in enumerate(articles)}),
        files=MappingProxyType(files),
        hashes=MappingProxyType({slug: digest for slug, (_, _, digest) in by_slug.items()}),
        entities=MappingProxyType(entities),
        tags=MappingProxyType(tags),
        published=MappingProxyType(_published_days(articles)),
        mentioned=MappingProxyType(_mentioned_days(articles)),
        mentioned_months=MappingProxyType(_mentioned_months(articles)),
        warnings=tuple(p for p in problems if p.level == "warning"),
    )
    return library, problems


def _one_per_slug(parsed: list[ParsedRecord]) -> tuple[dict[str, ParsedRecord], list[Problem]]:
    """The first record of each slug, and in file order an error for every
    other one, a warning for each empty or undated article."""
    by_slug: dict[str, ParsedRecord] = {}
    problems: list[Problem] = []
    for record, shown, digest in parsed:
        record = without_body(record)
        if record.slug in by_slug:
            other = by_slug[record.slug][1]
            problems.append(slug_clash(shown, record.slug, other))
            continue
        by_slug[record.slug] = (record, shown, digest)
        problems += article_warnings(record, shown)
    return by_slug, problems


def slug_clash(shown: str, slug: str, other: str) -> Problem:
    """The error of a record whose slug an earlier file (in file order) has."""
    return Problem(shown, f"slug '{slug}' is also the slug of {other} — two articles cannot share one URL; "
                          "change one slug", 1)


def article_warnings(record: Article, shown: str) -> list[Problem]:
    # what parsing left out; named by this file (a cached record may have had another name)
    warnings = [Problem(shown, p.message, p.line, "warning") for p in record.warnings]
    if record.text.empty:
        warnings.append(Problem(shown, "empty article: the record has no body text", None, "warning"))
    if not record.date:
        warnings.append(Problem(shown, "no publication date: the article is listed after the dated ones "
                                       "and left out of the date archives — set 'date' to fix", None, "warning"))
    return warnings


def newest_first(records: list[Record]) -> list[Record]:
    """Dated newest first, then undated in the order of undated.py (by the latest date they state)."""
    dated = sorted((r for r in records if r.date), key=lambda r: (r.date, r.slug), reverse=True)
    return dated + undated_order(r for r in records if not r.date)


@dataclass
class Tally:
    """What the articles say of one entity (one kind and slug): different
    spellings with one slug are one entity."""

    spellings: Counter = field(default_factory=Counter)  # name → how many tags spell it so
    first_file: dict[str, str] = field(default_factory=dict)  # name → the first record file spelling it so
    articles: list[str] = field(default_factory=list)  # article slugs, newest first
    mentions: int = 0


def _tally_entities(articles: list[Record], files: Mapping[str, str], fixed_kind: FixedKind
                    ) -> tuple[dict[str, tuple[EntityKey, ...]], dict[EntityKey, Tally]]:
    """Each article's entities in record order, and what all articles say of each entity."""
    tags: dict[str, tuple[EntityKey, ...]] = {}
    tallies: dict[EntityKey, Tally] = defaultdict(Tally)
    slugs: dict[str, str] = {}  # most names recur across articles: slugify each once
    kinds = _one_kind_per_name(articles, slugs, fixed_kind)
    for record in articles:
        keys: dict[EntityKey, None] = {}  # in record order; a dict, as a list's `in` is slow for 10,000 tags
        for _, tag in record.entities:
            slug = slugs[tag.name]
            key = (kinds[slug], slug)
            tally = tallies[key]
            tally.spellings[tag.name] += 1
            tally.first_file.setdefault(tag.name, files[record.slug])
            tally.mentions += tag.mentions
            if key not in keys:
                keys[key] = None
                tally.articles.append(record.slug)
        tags[record.slug] = tuple(keys)
    return tags, tallies


def _one_kind_per_name(articles: list[Record], slugs: dict[str, str], fixed_kind: FixedKind) -> dict[str, str]:
    """Entity slug → its one kind across the archive: the one entities.toml
    gives it, else the one its mentions over all articles most often have
    (one article's model may call a person a place; the archive outvotes
    it), on a tie the first of ENTITY_KINDS. Fills `slugs` (name → slug)."""
    votes: dict[str, Counter] = defaultdict(Counter)
    fixed: dict[str, str] = {}
    for record in articles:
        for kind, tag in record.entities:
            slug = slugs.get(tag.name)
            if slug is None:
                slug = slugs[tag.name] = entity_slug(tag.name)
                given = fixed_kind(tag.name)
                if given is not None:
                    fixed.setdefault(slug, given)
            votes[slug][kind] += tag.mentions
    return {slug: kind_by_vote(counts, fixed.get(slug)) for slug, counts in votes.items()}


def kind_by_vote(votes: Counter, fixed: str | None) -> str:
    """A name's one kind: the one entities.toml fixes, else the commonest, on a tie the first of ENTITY_KINDS."""
    return fixed or max(votes, key=lambda k: (votes[k], -ENTITY_KINDS.index(k)))


def _name_entities(tallies: Mapping[EntityKey, Tally]
                   ) -> tuple[dict[EntityKey, Entity], dict[EntityKey, Problem]]:
    """Every entity under the spelling most tags use, and a warning for each one spelled several ways."""
    entities: dict[EntityKey, Entity] = {}
    problems: dict[EntityKey, Problem] = {}
    for key in sorted(tallies):
        entities[key], warning = name_entity(key, tallies[key])
        if warning is not None:
            problems[key] = warning
    return entities, problems


def name_entity(key: EntityKey, tally: "Tally") -> tuple[Entity, Problem | None]:
    """The entity under the spelling most tags use, and a warning when it is spelled several ways."""
    names = tally.spellings
    # the commonest spelling, one without invisible characters first, then a stable choice
    name = max(names, key=lambda n: (names[n], comparable(n) == n, n))
    warning = _spelling_warning(key, name, tally) if len(names) > 1 else None
    return Entity(key[0], name, key[1], tuple(tally.articles), tally.mentions), warning


def _spelling_warning(key: EntityKey, name: str, tally: Tally) -> Problem:
    others = sorted(n for n in tally.spellings if n != name)
    where = ", ".join(f"'{n}' ({tally.first_file[n]})" for n in others)
    return Problem(None, f"{key[0]} names {where} and '{name}' share the slug '{key[1]}': "
                         f"shown together as '{name}' — spell them the same way, or apart", None, "warning")


def _published_days(articles: list[Record]) -> dict[str, tuple[str, ...]]:
    """YYYY-MM-DD → the articles published that day, newest first."""
    published: dict[str, list[str]] = defaultdict(list)
    for record in articles:
        day = day_of(record.date)
        if day:
            published[day].append(record.slug)
    return {day: tuple(slugs) for day, slugs in sorted(published.items())}


def _mentioned_days(articles: list[Record]) -> dict[str, tuple[str, ...]]:
    """YYYY-MM-DD → the articles that mention that day (a month alone has no day)."""
    mentioned: dict[str, dict[str, None]] = defaultdict(dict)  # slugs in order, each once
    for record in articles:
        for mention in record.mentioned_dates:
            day = day_of(mention.date)
            if day:
                mentioned[day][record.slug] = None
    return {day: tuple(slugs) for day, slugs in sorted(mentioned.items())}


def _mentioned_months(articles: list[Record]) -> dict[str, tuple[str, ...]]:
    """YYYY-MM → the articles that mention that month as a whole (a month tag,
    not a day of it), newest first."""
    mentioned: dict[str, dict[str, None]] = defaultdict(dict)
    for record in articles:
        for mention in record.mentioned_dates:
            if len(mention.date) == 7:
                mentioned[mention.date][record.slug] = None
    return {month: tuple(slugs) for month, slugs in sorted(mentioned.items())}
