"""Keeping the non-overlapping ones among matches found by several patterns."""
from __future__ import annotations

import bisect
from typing import Iterable, Protocol, TypeVar


class Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Span)


def disjoint(spans: Iterable[S]) -> tuple[S, ...]:
    """The spans that overlap no span before them in the given (priority)
    order, returned in text order. O(n log n)."""
    starts: list[int] = []  # of the kept spans, sorted; they never overlap
    kept: dict[int, S] = {}
    for span in spans:
        if span.end <= span.start:
            continue
        i = bisect.bisect_right(starts, span.start)
        if i and kept[starts[i - 1]].end > span.start:
            continue  # overlaps the kept span that starts before it
        if i < len(starts) and starts[i] < span.end:
            continue  # overlaps the kept span that starts after it
        starts.insert(i, span.start)
        kept[span.start] = span
    return tuple(kept[start] for start in starts)
