"""`gazette ingest`: seeds → records in content/.

Reads top to bottom: find the seed files, read and clean each one (a bad
seed is reported and the others go on), drop articles scraped twice, enrich
them in one batch, then write each record — unless its bytes would not
change, or a person edited it by hand (kept unless --force).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from generator.ingest.boilerplate import load_rules
from generator.ingest.clean import clean
from generator.config import SiteConfig
from generator.errors import GazetteError, InputError, Problem
from generator.ingest.language import detect_language
from generator.ingest.markdown_text import blocks_to_markdown, plain_text, summary_of
from generator.model import RawArticle, Record
from generator.ingest.seeds import SUPPORTED, read_seed
from generator.records import is_hand_edited, record_to_text, split_front_matter
from generator.report import Reporter
from generator.urls import slugify

# a date in a file name: 2020-01-26, 2020_01_26, 20200126 — not inside a longer run of letters/digits (hashes)
_FILENAME_DATE = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?![0-9A-Za-z])")
_INDEX_NAME = "ingest-index.json"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it: same data, ~10× faster


@dataclass(frozen=True)
class IngestReport:
    written: tuple[Path, ...] = ()
    unchanged: int = 0
    kept: tuple[Path, ...] = ()  # hand-edited, not overwritten
    duplicates: int = 0
    problems: int = 0


@dataclass(frozen=True)
class _Candidate:
    """A seed read and cleaned, waiting for enrichment and a slug."""

    raw: RawArticle
    record: Record  # entities and mentioned dates still empty
    text_hash: str
    enrich: bool  # False when the seed was a record with its own tags
    number: int = -1  # its number in the enrichment batch, when it has one


@dataclass(frozen=True)
class _Existing:
    """What ingest needs to know of a record already in content/."""

    path: Path
    source_path: str | None
    text_hash: str
    people: tuple[str, ...] = ()  # the person tags' names, for surname joining
    hand_edited: bool = False


# ---------------------------------------------------------------- helpers

def find_seeds(paths: list[Path], reporter: Reporter) -> list[Path]:
    """Every seed file under `paths`, sorted; missing paths are reported."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            reporter.error(Problem(path, "no such file or folder"))
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    if child.name.lower() == "readme.md":
                        reporter.debug(f"{child}: skipped (a folder's README, not an article)")
                        continue
                    found.append(child)
        else:
            found.append(path)
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return unique


def text_hash(markdown_body: str) -> str:
    """Same article ⇔ same words, whatever the white space or case."""
    words = " ".join(plain_text(markdown_body).casefold().split())
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


def _display_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value).strip()
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return text


def _published(date: str | None) -> dt.date | None:
    return dt.date.fromisoformat(date[:10]) if date else None


def _filename_date(path: Path) -> str | None:
    m = _FILENAME_DATE.search(path.stem)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


# ---------------------------------------------------------------- read + clean

def prepare(raw: RawArticle, config: SiteConfig, rules, option_date: str | None) -> _Candidate:
    """A cleaned record without tags, from one decoded seed."""
    source_path = _display_path(raw.path, config.root)
    fm = raw.front_matter
    if fm is not None:
        return _prepare_markdown(raw, fm, source_path, config)
    article = clean(raw, rules)
    body = blocks_to_markdown(article.blocks)
    lang = detect_language(f"{article.title}\n{article.body_text}", hint=raw.meta.lang, default=config.language)
    date, date_source = None, "unknown"
    for value, origin in ((_iso(raw.meta.date), "html-meta"), (_filename_date(raw.path), "filename")):
        if value:
            date, date_source = value, origin
            break
    if date is None:
        line = _dateline(article.body_text, lang)
        if line:
            date, date_source = line, "dateline"
    if date is None and option_date:
        date, date_source = option_date, "option"
    record = Record(
        title=article.title,
        slug=slugify(article.title, fallback=f"article-{raw.sha256[:8]}"),
        lang=lang,
        date=date,
        date_source=date_source,
        summary=summary_of(article.blocks),
        body=body,
        source_path=source_path,
        source_sha256=raw.sha256,
        source_url=raw.meta.url,
        removed=article.removed,
    )
    return _Candidate(raw, record, text_hash(body), enrich=True)


def _dateline(body_text: str, lang: str) -> str | None:
    from generator.enrich.dates import find_dateline

    found = find_dateline(body_text, lang)
    return found[0] if found else None


def _prepare_markdown(raw: RawArticle, fm: dict, source_path: str, config: SiteConfig) -> _Candidate:
    """A .md seed is already a record: validate its fields and fill in the rest."""
    from generator.records import parse_record

    body = raw.text.strip("\n")
    if not body.strip():
        raise InputError("nothing left after cleaning: the record has no body", raw.path)
    title = fm.get("title")
    if title is None:
        m = re.search(r"^#\s+(.+)$", body, re.M)
        title = m.group(1).strip() if m else None
    if not isinstance(title, str) or not title.strip():
        raise InputError("field 'title': missing — a record needs a title", raw.path, 2)
    lang = fm.get("lang") if isinstance(fm.get("lang"), str) else detect_language(f"{title}\n{body}", default=config.language)
    date = fm.get("date")
    full = {
        "title": title.strip(),
        "slug": fm.get("slug") or slugify(title),
        "lang": lang,
        "date": date,
        "date_source": fm.get("date_source") or ("source" if date else "unknown"),
        "summary": fm.get("summary") or "",
        "entities": fm.get("entities") or {},
        "mentioned_dates": fm.get("mentioned_dates") or [],
        "tags": fm.get("tags") or [],
        "source": {"path": source_path, "sha256": raw.sha256, "url": (fm.get("source") or {}).get("url") if isinstance(fm.get("source"), dict) else None},
        "cleaning": fm.get("cleaning") or {"removed": []},
    }
    text = "---\n" + yaml.safe_dump(full, sort_keys=False, allow_unicode=True) + "---\n" + body + "\n"
    try:
        record = parse_record(text, raw.path)
    except GazetteError as exc:
        raise InputError(exc.message, raw.path) from None
    if not record.summary:
        first = next((p.strip() for p in plain_text(body).split("\n\n") if p.strip() and not p.startswith("#")), "")
        record = replace(record, summary=first[:300])
    has_tags = bool(fm.get("entities")) or bool(fm.get("mentioned_dates"))
    return _Candidate(raw, record, text_hash(body), enrich=not has_tags)


# ---------------------------------------------------------------- existing records

def _scan_existing(config: SiteConfig, written: dict[str, tuple] | None = None) -> dict[Path, _Existing]:
    """The records in content/, read through a small index in the cache
    folder so that a large archive is not re-parsed on every ingest.
    `written`: file name → (source path, text hash, people, False) of the
    records this run has just written, known without reading them back."""
    index_path = config.cache_dir / _INDEX_NAME
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        index = {}
    written = written or {}
    existing: dict[Path, _Existing] = {}
    fresh: dict[str, list] = {}
    if config.content_dir.is_dir():
        for path in sorted(config.content_dir.glob("*.md")):
            stat = path.stat()
            key = path.name
            entry = index.get(key)
            if key in written:
                entry = [stat.st_mtime_ns, stat.st_size, *written[key]]
            elif not entry or len(entry) != 6 or entry[0] != stat.st_mtime_ns or entry[1] != stat.st_size:
                entry = [stat.st_mtime_ns, stat.st_size, *_describe(path)]
            entry[4] = list(entry[4])
            fresh[key] = entry
            existing[path] = _Existing(path, entry[2], entry[3], tuple(entry[4]), entry[5])
    if fresh != index:
        _write_atomic(index_path, json.dumps(fresh, sort_keys=True))
    return existing


def _describe(path: Path) -> tuple[str | None, str, list[str], bool]:
    """(source path, text hash, people, edited by hand) of a record; an
    unreadable record gets none of the first three."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None, "", [], True
    try:
        front, body, _ = split_front_matter(text, path)
        data = yaml.load(front, Loader=_Loader) or {}
    except (GazetteError, yaml.YAMLError, ValueError, TypeError):
        return None, "", [], is_hand_edited(text)
    data = data if isinstance(data, dict) else {}
    source = data.get("source")
    source_path = source.get("path") if isinstance(source, dict) else None
    return ((source_path if isinstance(source_path, str) else None), text_hash(body), _people(data),
            is_hand_edited(text))


def _people(front_matter: dict) -> list[str]:
    """The person names of a record's front matter: a mapping name → mentions
    as ingest writes it, or a plain list as a person may write it."""
    entities = front_matter.get("entities")
    people = entities.get("person") if isinstance(entities, dict) else None
    names = people.keys() if isinstance(people, dict) else people if isinstance(people, list) else ()
    return [name.strip() for name in names if isinstance(name, str) and name.strip()]


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # as a plain open() would, not mkstemp's 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- the command

def ingest(config: SiteConfig, paths: list[Path], *, date: str | None = None, force: bool = False,
           reporter: Reporter) -> IngestReport:
    rules = load_rules(config.boilerplate)
    seeds = find_seeds(paths, reporter)

    from generator.enrich import Enricher

    batch = Enricher(config, reporter).batch(len(seeds))
    try:
        return _ingest(config, seeds, rules, date, force, reporter, batch)
    finally:
        batch.close()


def _ingest(config: SiteConfig, seeds: list[Path], rules, date: str | None, force: bool, reporter: Reporter,
            batch) -> IngestReport:
    # 1. read and clean every seed (a bad one is reported, the others go on)
    #    and hand it to enrichment at once: the model's work on a large batch
    #    starts in worker processes while the other seeds are read
    candidates: list[_Candidate] = []
    for path in reporter.progress(seeds, len(seeds), "reading"):
        if path.suffix.lower() not in SUPPORTED:
            reporter.error(Problem(path, f"unsupported file type '{path.suffix or path.name}' — Gazette reads {', '.join(SUPPORTED)}"))
            continue
        try:
            cand = prepare(read_seed(path), config, rules, date)
        except GazetteError as exc:
            reporter.error(exc.problem)
            continue
        if cand.enrich:
            cand = replace(cand, number=batch.add(_enrich_input(cand.record)))
        candidates.append(cand)

    # 2. one record per article: drop a seed whose words another seed or record already has
    existing = _scan_existing(config)
    by_source = {e.source_path: e for e in existing.values() if e.source_path}
    by_text = {e.text_hash: e for e in existing.values() if e.text_hash}
    seen: dict[str, _Candidate] = {}
    unique: list[_Candidate] = []
    duplicates = 0
    for cand in candidates:
        twin = seen.get(cand.text_hash)
        owner = by_text.get(cand.text_hash)
        if twin is not None:
            reporter.info(f"{cand.record.source_path}: same article as {twin.record.source_path}; one record kept")
            duplicates += 1
            continue
        if owner is not None and owner.source_path != cand.record.source_path:
            reporter.info(f"{cand.record.source_path}: same article as {_display_path(owner.path, config.root)}; not written again")
            duplicates += 1
            continue
        seen[cand.text_hash] = cand
        unique.append(cand)

    # 3. slugs: a record keeps the file it already has (stable URLs); a new
    #    one whose slug is taken gets a deterministic suffix from its source
    taken = {p.stem: e.source_path for p, e in existing.items()}
    targets: list[tuple[_Candidate, Path]] = []
    for cand in unique:
        mine = by_source.get(cand.record.source_path)
        if mine is not None:
            slug = mine.path.stem
        else:
            slug = cand.record.slug
            if slug in taken and taken[slug] != cand.record.source_path:
                new_slug = f"{slug[:70]}-{cand.raw.sha256[:8]}"
                reporter.warn(Problem(cand.raw.path, f"slug '{slug}' is taken by another article; using '{new_slug}'"))
                slug = new_slug
        taken[slug] = cand.record.source_path
        targets.append((replace(cand, record=replace(cand.record, slug=slug)), config.content_dir / f"{slug}.md"))

    # 4. enrich in one batch (cached), then write what changed; a surname
    #    alone also joins a full name of the archive: the records this run
    #    does not rewrite (it rewrites the others from their seeds)
    rewritten = {path for _, path in targets if not (path in existing and existing[path].hand_edited and not force)}
    known_people = {name for path, e in existing.items() if path not in rewritten for name in e.people}
    known_people.update(t.name for c, _ in targets if not c.enrich for t in c.record.entities.person)
    records = _enriched([c for c, _ in targets], batch, sorted(known_people))
    written, kept, unchanged = [], [], 0
    described: dict[str, tuple] = {}  # what the index needs of each file written
    for (cand, path), record in zip(targets, records):
        text = record_to_text(record)
        if path.exists():
            current = path.read_text(encoding="utf-8", errors="replace")
            if current == text:
                unchanged += 1
                continue
            if is_hand_edited(current) and not force:
                reporter.info(f"{_display_path(path, config.root)}: edited by hand, kept (use --force to overwrite)")
                kept.append(path)
                continue
        _write_atomic(path, text)
        written.append(path)
        described[path.name] = (record.source_path, cand.text_hash, [t.name for t in record.entities.person], False)
        reporter.result(f"wrote {_display_path(path, config.root)}")
    if written:
        _scan_existing(config, described)  # refresh the index with the new files' stats, without re-reading them

    problems = len(reporter.errors)
    summary = f"{len(written)} written, {unchanged} unchanged, {len(kept)} kept (edited by hand), {duplicates} duplicate(s)"
    if problems:
        summary += f", {problems} problem(s)"
    reporter.info(summary)
    return IngestReport(tuple(written), unchanged, tuple(kept), duplicates, problems)


def _enrich_input(record: Record):
    from generator.enrich import EnrichInput

    return EnrichInput(title=record.title, body=plain_text(record.body), lang=record.lang,
                       published=_published(record.date))


def _enriched(candidates: list[_Candidate], batch, known_people: list[str]) -> list[Record]:
    """Entities and mentioned dates for every candidate that needs them (merged
    across these candidates only); `known_people`: the full names the archive
    has, for surname joining."""
    found = iter(batch.results([c.number for c in candidates if c.enrich], known_people))
    out = []
    for cand in candidates:
        if not cand.enrich:
            out.append(cand.record)
            continue
        result = next(found)
        out.append(replace(cand.record, entities=result.entities, mentioned_dates=result.mentioned_dates))
    return out
