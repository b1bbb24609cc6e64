"""Articles without a publication date: where they stand, how they read, what
their feed says (pure; used by library.py and views.py).

Real scraped archives are often undated, wholly or in part. An undated
article is never given a publication date, but the dates its record does
state place it roughly in time:

- **order**: in every listing, dated articles come first, newest first; then
  the undated ones, by the *latest date the record states* — its update date
  ("mis à jour le …") or a day or month it mentions — newest first; then
  those that state no date at all, by title (case-folded), then slug. Every
  key comes from the record's own text, so the order is the same on every
  clone and every build (a file's time or the order of ingest is not), and
  it is better than the alphabet: an article that cites March 2020 was
  written in March 2020 or after, and most news cite recent days.
- **card**: an undated card does not say "date inconnue" (on an undated
  archive, every card would); it shows the latest date the record states,
  labelled as such ("dernière date citée : 15 avril 2019"), or nothing.
- **feed**: a feed holds dated articles; a feed with none (an archive, or an
  entity, with no dated article) lists the undated ones in listing order,
  each marked with `<category term="undated">` and without `<published>`;
  its `<updated>` is the latest date its record states, else the latest
  date any record of that feed states. Only when not one of them states
  any date is the time the day of the build (UTC midnight, or the day of
  SOURCE_DATE_EPOCH when it is set, for reproducible builds): the day the
  feed was made, never an invented 1970.
"""
from __future__ import annotations

import datetime as dt
import os
from typing import Any, Iterable, Mapping, Sequence

from generator.model import Record
from generator.site.i18n import format_date

UNDATED_TERM = "undated"  # the Atom category of an entry with no publication date


def latest_stated(record: Record) -> str | None:
    """The latest date the record states besides a publication date: its
    update date or a mentioned day (YYYY-MM-DD) or month (YYYY-MM); None."""
    dates = [m.date for m in record.mentioned_dates]
    if record.updated:
        dates.append(record.updated[:10])
    return max(dates) if dates else None


def undated_order(records: Iterable[Record]) -> list[Record]:
    """Undated records in listing order: by the latest date they state, newest
    first (a month before the days of that month), then those that state none,
    by title and slug."""
    hinted, unhinted = [], []
    for record in records:
        latest = latest_stated(record)
        (hinted if latest else unhinted).append((latest, record))
    # newest first, ties by title and slug in reading order: two stable sorts
    hinted.sort(key=lambda pair: (pair[1].title.casefold(), pair[1].slug))
    hinted.sort(key=lambda pair: pair[0], reverse=True)
    unhinted.sort(key=lambda pair: (pair[1].title.casefold(), pair[1].slug))
    return [record for _, record in hinted + unhinted]


def mark_cards(cards: Mapping[str, dict], records: Iterable[Record], lang: str) -> None:
    """Undated cards: no "date inconnue" (`date_text` None) but `latest_stated`,
    the latest date the record states ({date, date_text, updated: whether it
    is the update date}), or None."""
    for record in records:
        card = cards[record.slug]
        card["latest_stated"] = None
        if not record.date:
            latest = latest_stated(record)
            card["date_text"] = None
            if latest:  # said as an update when it is the record's update date, else as a date cited
                card["latest_stated"] = {"date": latest, "date_text": format_date(latest, lang),
                                         "updated": bool(record.updated) and record.updated[:10] == latest}


def _atom_day(date: str) -> str:
    """A stated day or month as an Atom time: a month is its first day."""
    return f"{date}-01T00:00:00Z" if len(date) == 7 else f"{date[:10]}T00:00:00Z"


def feed_entries(records: Sequence[Record], limit: int, entry) -> list[dict[str, Any]]:
    """Feed entries for the undated records (in the given order, at most
    `limit`): `entry(record, updated)` makes one, marked `undated`."""
    chosen = [r for r in records if not r.date][:limit]
    stated = [latest_stated(r) for r in chosen]
    fallback = feed_time(chosen, stated)
    return [dict(entry(record, _atom_day(latest) if latest else fallback), undated=True)
            for record, latest in zip(chosen, stated)]


def feed_time(records: Sequence[Record], stated: Sequence[str | None] | None = None) -> str:
    """The time of a feed that has no dated entry: the latest date its records
    state (publication, update or mention), else the day of the build."""
    if stated is None:
        stated = [latest_stated(r) for r in records]
    dates = [d for d in stated if d] + [r.date[:10] for r in records if r.date]
    return _atom_day(max(dates)) if dates else build_day()


def build_day() -> str:
    """Midnight UTC of today, or of SOURCE_DATE_EPOCH (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch.isdigit()
              else dt.datetime.now(dt.timezone.utc))
    return f"{moment.date().isoformat()}T00:00:00Z"
