"""Where the chronology's pages look things up (pure): the days and months
that have a page, what was published in a month and what mentions it —
each worked out for the month asked about, from the Library's day indexes,
and kept. The sorted lists of days are made once (they grow with the
number of days, not of articles) and searched by bisection."""
from __future__ import annotations

import bisect
from collections import defaultdict
from functools import cached_property

from generator.model import Record
from generator.site.library import Library


def archive_months(library: Library) -> dict[str, list[str]]:
    """YYYY → its months (YYYY-MM) with a page, newest first; years newest
    first: a month has a page when an article was published in it, or
    mentions it or one of its days."""
    months = {day[:7] for day in library.published} | set(library.mentioned_months) | \
        {day[:7] for day in library.mentioned}
    by_year: dict[str, list[str]] = defaultdict(list)
    for month in sorted(months, reverse=True):
        by_year[month[:4]].append(month)
    return dict(by_year)


def _within(days: list[str], prefix: str) -> list[str]:
    """The sorted days that start with `prefix` (a YYYY-MM- month)."""
    return days[bisect.bisect_left(days, prefix):bisect.bisect_right(days, prefix + "\x7f")]


class ArchiveIndex:
    """One Library's chronology, looked up a month or a day at a time."""

    def __init__(self, library: Library):
        self.library = library
        self._mentions: dict[str, dict[str, set[str]]] = {}
        self._mentioning: dict[str, list[str]] = {}

    @cached_property
    def months_by_year(self) -> dict[str, list[str]]:
        return archive_months(self.library)

    @cached_property
    def published_days(self) -> list[str]:
        return sorted(self.library.published)

    @cached_property
    def mentioned_days(self) -> list[str]:
        return sorted(self.library.mentioned)

    @cached_property
    def days(self) -> list[str]:
        """Every day with a page: published or mentioned, oldest first."""
        return sorted(set(self.library.published) | set(self.library.mentioned))

    def neighbours(self, day: str) -> tuple[str | None, str | None]:
        """The days with a page just before and just after `day` (one of them)."""
        i = bisect.bisect_left(self.days, day)
        return (self.days[i - 1] if i > 0 else None), (self.days[i + 1] if i + 1 < len(self.days) else None)

    @cached_property
    def undated(self) -> tuple[Record, ...]:
        """The articles without a publication date, in listing order: the Library lists them last."""
        articles = self.library.articles
        start = len(articles)
        while start and not articles[start - 1].date:
            start -= 1
        return articles[start:]

    def published(self, month: str) -> list[str]:
        """The articles published in the month (YYYY-MM), newest first."""
        return [slug for day in reversed(_within(self.published_days, month + "-"))
                for slug in self.library.published[day]]

    def days_mentioned_in(self, month: str) -> list[str]:
        return _within(self.mentioned_days, month + "-")

    def mentions(self, month: str) -> dict[str, set[str]]:
        """article slug → the dates of the month it mentions (the month itself
        as YYYY-MM, its days as YYYY-MM-DD)."""
        found = self._mentions.get(month)
        if found is None:
            found = defaultdict(set)
            for slug in self.library.mentioned_months.get(month, ()):
                found[slug].add(month)
            for day in self.days_mentioned_in(month):
                for slug in self.library.mentioned[day]:
                    found[slug].add(day)
            self._mentions[month] = found = dict(found)
        return found

    def mentioning(self, month: str) -> list[str]:
        """The articles of other months that mention the month or its days,
        newest first. An article published in the month is no "other
        month's"; an undated one stays out of the archive pages (the day
        pages of the days it mentions list it)."""
        found = self._mentioning.get(month)
        if found is None:
            article = self.library.article
            found = self._mentioning[month] = sorted(
                (slug for slug in self.mentions(month) if (date := article(slug).date) and date[:7] != month),
                key=self.library.position.__getitem__)
        return found
