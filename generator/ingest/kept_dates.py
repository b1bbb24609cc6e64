"""Dates a re-ingest keeps: one given by --date, one corrected by a person.

The seed is read again on every ingest, and a seed without a date of its
own gives none; the date that must not be lost is therefore read from the
record already in content/ (through the ingest index, which reads it from
the record: deleting .gazette/ loses nothing):

- a date a person wrote (the record's `date_source` says `hand`, or the
  record was edited by hand and its date is not the one the seed gives)
  is kept above every other, and marked `hand`;
- a date an earlier `--date` gave (`date_source: option`) is kept while
  the seed has no date of its own and no new `--date` is given.
"""
from __future__ import annotations

from dataclasses import replace

from generator.ingest.index import KnownRecord
from generator.ingest.prepare import Candidate


def keep_dates(cand: Candidate, known: KnownRecord | None) -> Candidate:
    """The candidate with the date its existing record must keep, if any."""
    if known is None:
        return cand
    record = cand.record
    if _corrected_by_hand(record.date, known):
        return replace(cand, record=replace(record, date=known.date, date_source="hand"))
    if record.date_source == "unknown" and known.date_source == "option" and known.date:
        return replace(cand, record=replace(record, date=known.date, date_source="option"))
    return cand


def _corrected_by_hand(seed_date: str | None, known: KnownRecord) -> bool:
    """Whether the record's date is a person's: marked so, or changed in a
    record edited by hand (a date an earlier --date gave is that option's)."""
    if known.date_source == "hand":
        return True
    # a date left empty is not taken for a correction: it may be one a newer
    # Gazette now reads in the seed
    changed = known.date is not None and known.date != seed_date
    return known.hand_edited and changed and known.date_source != "option"
