"""`gazette ingest`: seeds → records in content/.

Reads top to bottom: find the seed files, read and clean each one (a bad
seed is reported and the others go on), drop articles scraped twice, give
each record its file, enrich them in one batch, then write each record —
unless its bytes would not change, or a person edited it by hand (kept
unless --force). Records are read and written only through records.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from generator.config import SiteConfig, site_relative
from generator.enrich import EnrichBatch, Enricher, EnrichInput
from generator.errors import GazetteError, Problem, RecordError
from generator.ingest.boilerplate import RuleSet, load_rules
from generator.ingest.index import KnownRecord, scan_content
from generator.ingest.markdown_text import plain_text
from generator.ingest.prepare import Candidate, prepare
from generator.ingest.seeds import read_seed
from generator.model import Record
from generator.records import is_hand_edited, read_record_text, record_to_text, write_record_text
from generator.report import Reporter


@dataclass(frozen=True)
class IngestReport:
    written: tuple[Path, ...] = ()
    unchanged: int = 0
    kept: tuple[Path, ...] = ()  # hand-edited, not overwritten
    duplicates: int = 0
    problems: int = 0


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


# ---------------------------------------------------------------- the command

def ingest(config: SiteConfig, paths: list[Path], *, date: str | None = None, force: bool = False,
           reporter: Reporter, enricher: Enricher | None = None) -> IngestReport:
    """`enricher`: the one to tag the articles with (one that outlives this
    run, or a test's); by default a new Enricher for the site."""
    rules = load_rules(config.boilerplate)
    seeds = find_seeds(paths, reporter)
    batch = (enricher if enricher is not None else Enricher(config, reporter)).batch(len(seeds))
    try:
        return _ingest(config, seeds, rules, date, force, reporter, batch)
    finally:
        batch.close()


def _ingest(config: SiteConfig, seeds: list[Path], rules: RuleSet, date: str | None, force: bool,
            reporter: Reporter, batch: EnrichBatch) -> IngestReport:
    candidates = _read_and_clean(config, seeds, rules, date, reporter, batch)
    existing = scan_content(config)
    unique, duplicates = _drop_duplicates(config, candidates, existing, reporter)
    targets = _assign_files(config, unique, existing, reporter)
    known_people = _archive_people(targets, existing, force)
    records = _enriched([cand for cand, _ in targets], batch, known_people)
    written, kept, unchanged = _write(config, targets, records, force, reporter)
    return _summary(written, unchanged, kept, duplicates, reporter)


def _read_and_clean(config: SiteConfig, seeds: list[Path], rules: RuleSet, date: str | None,
                    reporter: Reporter, batch: EnrichBatch) -> list[Candidate]:
    """Every seed read and cleaned (a bad one is reported, the others go on),
    and handed to enrichment at once: the model's work on a large batch
    starts in worker processes while the other seeds are read."""
    candidates: list[Candidate] = []
    for path in reporter.progress(seeds, len(seeds), "reading"):
        try:
            cand = prepare(read_seed(path), config, rules, date)
        except GazetteError as exc:
            reporter.error(exc.problem)
            continue
        if cand.enrich:
            cand = replace(cand, number=batch.add(_enrich_input(cand.record)))
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
            slug = cand.record.slug
            if slug in taken and taken[slug] != cand.record.source_path:
                new_slug = f"{slug[:70]}-{cand.raw.sha256[:8]}"
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
    return EnrichInput(title=record.title, body=plain_text(record.body), lang=record.lang, published=published)


def _enriched(candidates: list[Candidate], batch: EnrichBatch, known_people: list[str]) -> list[Record]:
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


def _write(config: SiteConfig, targets: list[tuple[Candidate, Path]], records: list[Record], force: bool,
           reporter: Reporter) -> tuple[list[Path], list[Path], int]:
    """Write each record whose bytes change and that no person edited (unless
    `force`); then tell the index about the new files. Returns (written,
    kept, how many were unchanged)."""
    written, kept, unchanged = [], [], 0
    described: dict[str, KnownRecord] = {}  # what the index needs of each file written
    for (cand, path), record in zip(targets, records):
        try:
            text = record_to_text(record)
        except RecordError as exc:  # over the limits reading enforces: this seed reported, the others written
            reporter.error(Problem(cand.raw.path, exc.message))
            continue
        if path.exists():
            current = _current_text(path)
            if current == text:
                unchanged += 1
                continue
            if (current is None or is_hand_edited(current)) and not force:
                reporter.info(f"{site_relative(path, config.root)}: edited by hand, kept (use --force to overwrite)")
                kept.append(path)
                continue
        write_record_text(path, text)
        written.append(path)
        described[path.name] = KnownRecord(record.source_path, cand.text_hash,
                                           tuple(t.name for t in record.entities.person))
        reporter.result(f"wrote {site_relative(path, config.root)}")
    if written:
        scan_content(config, described)  # the new files' stats, without reading them back
    return written, kept, unchanged


def _current_text(path: Path) -> str | None:
    """The record file's text; None when it is not UTF-8 (a person's doing)."""
    try:
        return read_record_text(path)
    except RecordError:
        return None


def _summary(written: list[Path], unchanged: int, kept: list[Path], duplicates: int,
             reporter: Reporter) -> IngestReport:
    problems = len(reporter.errors)
    summary = f"{len(written)} written, {unchanged} unchanged, {len(kept)} kept (edited by hand), {duplicates} duplicate(s)"
    if problems:
        summary += f", {problems} problem(s)"
    reporter.info(summary)
    return IngestReport(tuple(written), unchanged, tuple(kept), duplicates, problems)
