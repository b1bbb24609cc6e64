"""`gazette ingest`: seeds → records in content/.

Reads top to bottom: find the seed files, read and clean each one (a bad
seed is reported and the others go on), drop articles scraped twice, give
each record its file, enrich them in one batch, then write each record —
unless its bytes would not change, or a person edited it by hand (kept
unless --force). Records are read and written only through records.py.

One seed, one error: whatever goes wrong with one seed while it is read and
cleaned, enriched or written is one error line naming it — an internal
error (a bug) says so, its traceback shown with --debug — and the other
seeds go on. The defence is at those three stage boundaries, not around
each call inside them.
"""
from __future__ import annotations

import datetime as dt
import os
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config import SiteConfig, site_relative
from generator.enrich import EnrichBatch, Enricher, EnrichFailure, EnrichInput
from generator.errors import GazetteError, Problem, RecordError, one_line, shown_path
from generator.files import not_regular
from generator.ingest.boilerplate import RuleSet, load_rules
from generator.ingest.copies import merge_copies
from generator.ingest.index import KnownRecord, scan_content
from generator.ingest.kept_dates import keep_dates
from generator.ingest.markdown_text import plain_text
from generator.ingest.near_duplicates import body_signature
from generator.ingest.prepare import Candidate, PrepareFailure, prepared
from generator.model import Record
from generator.records import is_hand_edited, read_record_text, record_to_text, write_record_text
from generator.report import Reporter
from generator.urls import MAX_SLUG, cap_slug

if TYPE_CHECKING:
    from distributed import Client


@dataclass(frozen=True)
class IngestReport:
    written: tuple[Path, ...] = ()
    unchanged: int = 0
    kept: tuple[Path, ...] = ()  # hand-edited, not overwritten
    duplicates: int = 0
    problems: int = 0
    copies: int = 0  # wire copies listed in another record's versions


def find_seeds(paths: list[Path], reporter: Reporter, follow_links: bool = False) -> list[Path]:
    """Every seed file under `paths`, sorted; missing paths are reported.
    Only regular files are read: a FIFO, device or socket is skipped (never
    opened), and a symbolic link that leads out of the folder given is
    refused unless `follow_links`. Paths stay as found (links not resolved),
    so that a record never names the file a link points to."""
    found: list[Path] = []
    for path in paths:
        if not os.path.lexists(path):
            reporter.error(Problem(path, "no such file or folder"))
        elif path.is_dir():
            found.extend(_seeds_in(path, reporter, follow_links))
        elif _readable(path, reporter):
            found.append(path)
    by_file = {p.resolve(): p for p in reversed(found)}  # one seed read once, under its first name
    return [p for p in dict.fromkeys(found) if by_file[p.resolve()] == p]


def _seeds_in(folder: Path, reporter: Reporter, follow_links: bool) -> list[Path]:
    """The seeds of one folder given on the command line (links to folders not walked)."""
    inside = folder.resolve()
    seeds = []
    for child in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in child.relative_to(folder).parts):
            continue
        if child.is_symlink() and not follow_links and not child.resolve().is_relative_to(inside):
            reporter.error(Problem(child, "a symbolic link that leads out of the seed folder; refused "
                                          "(use --follow-links to read it)"))
            continue
        if child.is_dir():
            continue
        if child.name.lower() == "readme.md":
            reporter.debug(f"{shown_path(child)}: skipped (a folder's README, not an article)")
        elif _readable(child, reporter):
            seeds.append(child)
    return seeds


def _readable(path: Path, reporter: Reporter) -> bool:
    """Whether `path` is a regular file (or a link to one); else a warning naming it."""
    kind = not_regular(path)
    if kind is not None:
        reporter.warn(Problem(path, f"{kind}, not a file; skipped"))
    return kind is None


# ---------------------------------------------------------------- the command

def ingest(config: SiteConfig, paths: list[Path], *, date: str | None = None, force: bool = False,
           reporter: Reporter, enricher: Enricher | None = None, follow_links: bool = False,
           cluster: Client | None = None) -> IngestReport:
    """`enricher`: the one to tag the articles with (one that outlives this
    run, or a test's); by default a new Enricher for the site. `cluster`: a
    Dask client (generator.cluster.connect) whose workers read, clean and
    tag the seeds; this process still orders, drops copies and writes."""
    rules = load_rules(config.boilerplate)
    seeds = find_seeds(paths, reporter, follow_links)
    if cluster is not None:
        reporter.info(f"reading and tagging on the Dask cluster at {cluster.scheduler_info()['address']} "
                      f"({len(cluster.nthreads())} worker(s))")
    batch = (enricher if enricher is not None else Enricher(config, reporter, cluster=cluster)).batch(len(seeds))
    try:
        return _ingest(config, seeds, rules, date, force, reporter, batch, cluster)
    finally:
        batch.close()


def _ingest(config: SiteConfig, seeds: list[Path], rules: RuleSet, date: str | None, force: bool,
            reporter: Reporter, batch: EnrichBatch, cluster: Client | None) -> IngestReport:
    existing = scan_content(config)
    candidates = _read_and_clean(config, seeds, rules, date, reporter, batch, existing, cluster)
    unique, duplicates = _drop_duplicates(config, candidates, existing, reporter)
    stories, copies = merge_copies(config, unique, existing, force, reporter)
    targets = _assign_files(config, stories, existing, reporter)
    known_people = _archive_people(targets, existing, force)
    records = _enriched([cand for cand, _ in targets], batch, known_people, reporter)
    written, kept, unchanged = _write(config, targets, records, force, reporter)
    return _summary(written, unchanged, kept, duplicates, reporter, copies)


def _read_and_clean(config: SiteConfig, seeds: list[Path], rules: RuleSet, date: str | None,
                    reporter: Reporter, batch: EnrichBatch, existing: dict[Path, KnownRecord],
                    cluster: Client | None) -> list[Candidate]:
    """Every seed read and cleaned (a bad one is reported, the others go on),
    here or on the cluster's workers, with the date its record must keep,
    and handed to enrichment at once: the model's work on a large batch
    starts in worker processes while the other seeds are read."""
    by_source = {known.source_path: known for known in existing.values() if known.source_path}
    candidates: list[Candidate] = []
    if cluster is None:
        outcomes = ((path, prepared(path, config, rules, date)) for path in seeds)
    else:
        from generator.ingest.on_cluster import prepared_on_cluster

        outcomes = prepared_on_cluster(cluster, seeds, config, rules, date)
    for path, outcome in reporter.progress(outcomes, len(seeds), "reading"):
        if isinstance(outcome, Problem):
            reporter.error(outcome)
            continue
        if isinstance(outcome, PrepareFailure):
            reporter.bug(path, "reading and cleaning this seed", outcome.error, outcome.details)
            continue
        try:
            cand = keep_dates(outcome, by_source.get(outcome.record.source_path))
            to_enrich = _enrich_input(cand.record) if cand.enrich else None
        except GazetteError as exc:
            reporter.error(exc.problem)
            continue
        except Exception as exc:  # a bug, in Gazette or a library it calls: this seed only
            reporter.bug(path, "reading and cleaning this seed", one_line(exc), traceback.format_exc())
            continue
        if to_enrich is not None:  # outside: what fails here (entities.toml) fails for every seed
            cand = replace(cand, number=batch.add(to_enrich))
        for problem in cand.record.warnings:  # what the record leaves out (a URL that is not http/https)
            reporter.warn(problem)
        candidates.append(cand)
    return candidates


def _drop_duplicates(config: SiteConfig, candidates: list[Candidate], existing: dict[Path, KnownRecord],
                     reporter: Reporter) -> tuple[list[Candidate], int]:
    """One record per article: a seed whose words another seed or another
    record already has is dropped. Returns the others and how many were dropped."""
    by_text = {known.text_hash: (path, known) for path, known in existing.items() if known.text_hash}
    seen: dict[str, Candidate] = {}
    unique: list[Candidate] = []
    for cand in candidates:
        twin = seen.get(cand.text_hash)
        owner = by_text.get(cand.text_hash)
        if twin is not None:
            reporter.info(f"{cand.record.source_path}: same article as {twin.record.source_path}; one record kept")
        elif owner is not None and owner[1].source_path != cand.record.source_path:
            reporter.info(f"{cand.record.source_path}: same article as {site_relative(owner[0], config.root)}; not written again")
        else:
            seen[cand.text_hash] = cand
            unique.append(cand)
    return unique, len(candidates) - len(unique)


def _assign_files(config: SiteConfig, candidates: list[Candidate], existing: dict[Path, KnownRecord],
                  reporter: Reporter) -> list[tuple[Candidate, Path]]:
    """Each candidate with its slug and file: a record keeps the file it
    already has (stable URLs); a new one whose slug is taken gets a
    deterministic suffix from its source."""
    by_source = {known.source_path: path for path, known in existing.items() if known.source_path}
    taken = {path.stem: known.source_path for path, known in existing.items()}
    targets: list[tuple[Candidate, Path]] = []
    for cand in candidates:
        mine = by_source.get(cand.record.source_path)
        if mine is not None:
            slug = mine.stem
        else:
            slug = cap_slug(cand.record.slug)  # a seed's own slug too: file names have a limit
            if slug in taken and taken[slug] != cand.record.source_path:
                new_slug = f"{cap_slug(slug, MAX_SLUG - 9)}-{cand.raw.sha256[:8]}"
                reporter.warn(Problem(cand.raw.path, f"slug '{slug}' is taken by another article; using '{new_slug}'"))
                slug = new_slug
        taken[slug] = cand.record.source_path
        targets.append((replace(cand, record=replace(cand.record, slug=slug)), config.content_dir / f"{slug}.md"))
    return targets


def _archive_people(targets: list[tuple[Candidate, Path]], existing: dict[Path, KnownRecord],
                    force: bool) -> list[str]:
    """The full names a surname alone may join, besides those of the batch:
    the people of the records this run does not rewrite (it rewrites the
    others from their seeds), and of the seeds that came with their own tags."""
    rewritten = {path for _, path in targets if not (path in existing and existing[path].hand_edited and not force)}
    known = {name for path, record in existing.items() if path not in rewritten for name in record.people}
    known.update(tag.name for cand, _ in targets if not cand.enrich for tag in cand.record.entities.person)
    return sorted(known)


def _enrich_input(record: Record) -> EnrichInput:
    published = dt.date.fromisoformat(record.date[:10]) if record.date else None
    # a derived title is a cut of the body's lead sentence: reading it too would
    # count its names twice, and a name cut by the "…" as a name of its own
    title = "" if record.title_source == "derived" else record.title
    return EnrichInput(title=title, body=plain_text(record.body), lang=record.lang, published=published)


def _enriched(candidates: list[Candidate], batch: EnrichBatch, known_people: list[str],
              reporter: Reporter) -> list[Record | None]:
    """Entities and mentioned dates for every candidate that needs them (merged
    across these candidates only); `known_people`: the full names the archive
    has, for surname joining. None for a candidate whose enrichment failed
    (reported)."""
    found = iter(batch.results([c.number for c in candidates if c.enrich], known_people))
    out: list[Record | None] = []
    for cand in candidates:
        if not cand.enrich:
            out.append(cand.record)
            continue
        result = next(found)
        if isinstance(result, EnrichFailure) and not result.bug:  # the cluster lost its worker
            reporter.error(Problem(cand.raw.path, f"{result.error}; not tagged, not written"))
            out.append(None)
            continue
        if isinstance(result, EnrichFailure):
            reporter.bug(cand.raw.path, "tagging this seed", result.error, result.details)
            out.append(None)
            continue
        out.append(replace(cand.record, entities=result.entities, mentioned_dates=result.mentioned_dates))
    return out


def _write(config: SiteConfig, targets: list[tuple[Candidate, Path]], records: list[Record | None], force: bool,
           reporter: Reporter) -> tuple[list[Path], list[Path], int]:
    """Write each record whose bytes change and that no person edited (unless
    `force`); then tell the index about the new files. Returns (written,
    kept, how many were unchanged). A record that cannot be written is one
    error naming its seed; the others are written."""
    written, kept, unchanged = [], [], 0
    described: dict[str, KnownRecord] = {}  # what the index needs of each file written
    for (cand, path), record in zip(targets, records):
        if record is None:  # its enrichment failed, reported
            continue
        try:
            outcome = _write_one(path, record, force)
        except RecordError as exc:  # over the limits reading enforces: this seed reported, the others written
            reporter.error(Problem(cand.raw.path, exc.message))
            continue
        except OSError as exc:
            reporter.error(Problem(cand.raw.path, f"cannot write {site_relative(path, config.root)}: "
                                                  f"{exc.strerror or exc}"))
            continue
        except Exception as exc:  # a bug: this record only
            reporter.bug(cand.raw.path, f"writing {site_relative(path, config.root)}", one_line(exc),
                         traceback.format_exc())
            continue
        if outcome == "unchanged":
            unchanged += 1
            continue
        if outcome == "kept":
            reporter.info(f"{site_relative(path, config.root)}: edited by hand, kept (use --force to overwrite"
                          f"{_hand_date_note(record)})")
            kept.append(path)
            continue
        written.append(path)
        described[path.name] = KnownRecord(record.source_path, cand.text_hash,
                                           tuple(t.name for t in record.entities.person),
                                           date=record.date, date_source=record.date_source,
                                           signature=body_signature(record.body), versions=record.versions)
        reporter.result(f"wrote {site_relative(path, config.root)}")
    if written:
        scan_content(config, described)  # the new files' stats, without reading them back
    return written, kept, unchanged


def _hand_date_note(record: Record) -> str:
    """What --force would do with a date a person corrected: keep it."""
    if record.date_source != "hand":
        return ""
    return f"; its date {record.date or 'null'}, set by hand, is kept either way, as date_source: hand"


def _write_one(path: Path, record: Record, force: bool) -> str:
    """Write one record unless its bytes would not change or a person edited
    it (unless `force`): "written", "unchanged" or "kept"."""
    text = record_to_text(record)
    if path.exists():
        current = _current_text(path)
        if current == text:
            return "unchanged"
        if (current is None or is_hand_edited(current)) and not force:
            return "kept"
    write_record_text(path, text)
    return "written"


def _current_text(path: Path) -> str | None:
    """The record file's text; None when it is not UTF-8 (a person's doing)."""
    try:
        return read_record_text(path)
    except RecordError:
        return None


def _summary(written: list[Path], unchanged: int, kept: list[Path], duplicates: int,
             reporter: Reporter, copies: int = 0) -> IngestReport:
    problems = len(reporter.errors)
    summary = f"{len(written)} written, {unchanged} unchanged, {len(kept)} kept (edited by hand), {duplicates} duplicate(s)"
    if copies:
        summary += f", {copies} copy(ies) listed as versions"
    if problems:
        summary += f", {problems} problem(s)"
    reporter.info(summary)
    return IngestReport(tuple(written), unchanged, tuple(kept), duplicates, problems, copies)
