"""Wire copies: one record per story, the other copies listed in its `versions`.

The copies are found by near_duplicates.py among the seeds of this run and
the records already in content/. Each group keeps one record, chosen by a
rule that does not depend on the order seeds are read:

1. a record already in content/ stays the story's page (its URL and text
   do not change when a copy arrives later);
2. otherwise the earliest dated copy (the first to be published), then the
   longest (the fullest text), then the first seed path.

The others are not written as records of their own; they are listed in the
kept record's `versions` ({source, date, url}), with the versions it had.

A person's word wins: a record edited by hand is not rewritten, so a copy
joins it only if its `versions` already lists that copy. To split a wrong
group, delete the copy from `versions` (the record is then edited by hand,
and the copy is written as its own record on the next ingest); to join a
copy the detection missed, add it there.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Hashable

from generator.config import SiteConfig, site_relative
from generator.errors import GazetteError
from generator.ingest.index import KnownRecord
from generator.ingest.near_duplicates import Pair, body_signature, copy_pairs, groups, shingles
from generator.ingest.prepare import Candidate
from generator.model import RawArticle, Version
from generator.records import parse_record, read_record_text
from generator.report import Reporter


@dataclass(frozen=True)
class Member:
    """One copy of a story: a seed of this run (`candidate`), or a record of
    content/ that this run does not read again (`candidate` None)."""

    candidate: Candidate | None
    file: Path | None  # its record in content/, when it has one

    def order(self) -> tuple:
        """The rule above: a record already written first, then the earliest
        dated, the longest, the first seed path."""
        if self.candidate is None:
            return (0, 0, "", 0, self.file.name)
        record = self.candidate.record
        return (0 if self.file else 1, record.date is None, record.date or "", -len(record.body),
                record.source_path or "")

    def version(self) -> Version:
        record = self.candidate.record
        return Version(record.source_path or "", record.date, record.source_url)


def merge_copies(config: SiteConfig, candidates: list[Candidate], existing: dict[Path, KnownRecord],
                 force: bool, reporter: Reporter) -> tuple[list[Candidate], int]:
    """The candidates to write: one per story, with its versions (and the
    records of content/ that gain a version). Returns them and how many
    copies joined another record."""
    merger = _Merger(config, candidates, existing, force, reporter)
    return merger.run()


class _Merger:
    def __init__(self, config: SiteConfig, candidates: list[Candidate], existing: dict[Path, KnownRecord],
                 force: bool, reporter: Reporter):
        self.config, self.candidates, self.existing = config, candidates, existing
        self.force, self.reporter = force, reporter
        self.file_of = {known.source_path: path for path, known in existing.items() if known.source_path}
        self.joined = 0

    def run(self) -> tuple[list[Candidate], int]:
        found = groups(self._pairs())
        grouped = {key for group in found for key in group}
        out = [cand for number, cand in enumerate(self.candidates) if ("seed", number) not in grouped]
        for group in found:
            out += self._settle(self._members(group))
        order = {cand.record.source_path: number for number, cand in enumerate(self.candidates)}
        out.sort(key=lambda cand: order.get(cand.record.source_path, -1))  # the seeds' order; records of content/ first
        return out, self.joined

    # ------------------------------------------------------------ finding

    def _pairs(self) -> list[Pair]:
        """Copies by their words, and copies a person listed in a record's versions."""
        in_run = {cand.record.source_path for cand in self.candidates}
        # a record whose seed is in this run is that seed: its old words are about to be replaced
        signatures: dict[Hashable, bytes] = {("record", path): known.signature
                                             for path, known in self.existing.items()
                                             if known.signature and known.source_path not in in_run}
        probes = []
        for number, cand in enumerate(self.candidates):
            signatures[("seed", number)] = body_signature(cand.record.body)
            probes.append(("seed", number))
        pairs = copy_pairs(signatures, probes, self._shingles)
        listed = {v.source: path for path, known in self.existing.items() for v in known.versions}
        for number, cand in enumerate(self.candidates):
            if cand.record.source_path in listed:
                pairs.append(Pair(("seed", number), ("record", listed[cand.record.source_path]), 1.0))
        return pairs

    def _shingles(self, key: Hashable) -> frozenset[int]:
        kind, value = key
        if kind == "seed":
            return shingles(self.candidates[value].record.body)
        try:
            return shingles(parse_record(read_record_text(value), value).body)
        except GazetteError:
            return frozenset()

    def _members(self, group: set[Hashable]) -> list[Member]:
        """The group's copies; a record of content/ whose seed is in this run is that seed."""
        seeds = [self.candidates[number] for kind, number in group if kind == "seed"]
        files = {self.file_of.get(cand.record.source_path) for cand in seeds}
        members = [Member(cand, self.file_of.get(cand.record.source_path)) for cand in seeds]
        members += [Member(None, path) for kind, path in group if kind == "record" and path not in files]
        return sorted(members, key=Member.order)

    # ------------------------------------------------------------ settling

    def _settle(self, members: list[Member]) -> list[Candidate]:
        """The records to write for one group of copies (sorted by the rule)."""
        if len(members) == 1:
            return [members[0].candidate] if members[0].candidate else []
        kept, copies = members[0], members[1:]
        new_copies = [m for m in copies if m.candidate is not None and m.file is None]
        self._note_older_records(kept, [m for m in copies if m not in new_copies])
        known = self.existing.get(kept.file) if kept.file else None
        if known is not None and known.hand_edited and not self.force:
            return self._join_hand_edited(kept, known, new_copies)
        record = self._kept_record(kept)
        if record is None:
            return self._settle(new_copies) + ([kept.candidate] if kept.candidate else [])
        versions = _merged_versions(record.record.source_path, known.versions if known else (),
                                    [m.version() for m in new_copies])
        for member in new_copies:
            self._joined(member, kept, known)
        return [replace(record, record=replace(record.record, versions=versions))]

    def _join_hand_edited(self, kept: Member, known: KnownRecord, copies: list[Member]) -> list[Candidate]:
        """A record edited by hand is not rewritten: the copies it lists are
        versions already; the others are stories of their own."""
        listed = {v.source for v in known.versions}
        for member in copies:
            if member.candidate.record.source_path in listed:
                self._joined(member, kept, known)
        rest = [m for m in copies if m.candidate.record.source_path not in listed]
        for member in rest:
            self.reporter.info(f"{member.candidate.record.source_path}: looks like a copy of "
                               f"{self._shown(kept.file)}, which was edited by hand and does not list it in "
                               "its versions; written as its own record")
        out = [kept.candidate] if kept.candidate else []
        return out + self._settle_apart(rest)

    def _settle_apart(self, members: list[Member]) -> list[Candidate]:
        return self._settle(sorted(members, key=Member.order)) if members else []

    def _kept_record(self, kept: Member) -> Candidate | None:
        """The kept copy as a candidate: the seed's, or the record read from
        content/ (None when it cannot be read: then it is left alone)."""
        if kept.candidate is not None:
            return kept.candidate
        try:
            record = parse_record(read_record_text(kept.file), kept.file)
        except GazetteError:
            return None
        known = self.existing[kept.file]
        raw = RawArticle(kept.file, "", record.source_sha256 or "")
        return Candidate(raw, replace(record, slug=kept.file.stem), known.text_hash, enrich=False)

    def _note_older_records(self, kept: Member, others: list[Member]) -> None:
        """Records of content/ that are copies of the kept one (written before
        copies were grouped) are left as they are, with a word."""
        for member in others:
            if member.file is not None:
                self.reporter.info(f"{self._shown(member.file)}: the same story as {self._name(kept)}; "
                                   "left as it is (delete it, or list it in the other's versions)")

    def _joined(self, member: Member, kept: Member, known: KnownRecord | None) -> None:
        """Counted and told; only debug when the record listed it already (every re-ingest)."""
        source = member.candidate.record.source_path
        message = f"{source}: a copy of {self._name(kept)}; listed in its versions"
        if known is not None and any(v.source == source for v in known.versions):
            self.reporter.debug(message)
            return
        self.joined += 1
        self.reporter.info(message)

    def _name(self, member: Member) -> str:
        if member.file is not None:
            return self._shown(member.file)
        return member.candidate.record.source_path or "?"

    def _shown(self, path: Path) -> str:
        return site_relative(path, self.config.root)


def _merged_versions(own_source: str | None, had: tuple[Version, ...], new: list[Version]) -> tuple[Version, ...]:
    """The versions a record had and the new ones, once each (by source),
    earliest first, never the record's own source."""
    by_source = {v.source: v for v in had}
    by_source.update({v.source: v for v in new})
    by_source.pop(own_source, None)
    return tuple(sorted(by_source.values(), key=lambda v: (v.date is None, v.date or "", v.source)))
