"""Near-identical names: pairs of match keys one typo apart, found without
comparing every pair in Python.

Two spellings that differ only by case, accents, hyphens, dots or invisible
characters already share a match key (aliases.match_key); this module finds
the keys that are one edit apart — a letter added, dropped, changed, or two
neighbours swapped (optimal string alignment distance 1) — such as
"emmanuel macron" and "emmanuel macorn".

Blocking: one edit changes one place of a name (two neighbours for a swap),
so two keys of five characters or more one edit apart share their first two
characters or their last two, and their lengths differ by at most one. The
keys are put in blocks by their first two characters and, again, by their
last two; within a block, the keys of length L are compared with those of
length L and L+1 by rapidfuzz's `cdist` (C++, a score cutoff of one edit,
one thread: the blocks are small, and threads only added their start-up).
bench/entity_review.py measures it on 50,000 generated names (0.3 s, 1.4%
of all pairs compared) and checks that it finds every pair that comparing
all of them finds.
"""
from __future__ import annotations

import itertools
import re
from collections import defaultdict
from typing import Iterable, Iterator

import numpy as np
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist

# keys shorter than this are left out of typo pairs: "lyon"/"lion",
# "paul"/"saul" are other names far more often than typos
MIN_TYPO_LENGTH = 5
_DIGITS = re.compile(r"\d")
_CHUNK = 2000


def typo_pairs(keys: Iterable[str], workers: int = 1) -> Iterator[tuple[str, str]]:
    """Every pair of distinct keys one edit apart (each pair once, in a stable
    order), but for short keys and keys that differ only by a number
    ("airbus a320", "airbus a321")."""
    distinct = sorted({k for k in keys if len(k) >= MIN_TYPO_LENGTH})
    seen: set[tuple[str, str]] = set()
    for block in itertools.chain(_blocks(distinct, lambda k: k[:2]), _blocks(distinct, lambda k: k[-2:])):
        for first, second in _pairs_in_block(block, workers):
            pair = (first, second) if first < second else (second, first)
            if pair in seen or _DIGITS.sub("", first) == _DIGITS.sub("", second):
                continue
            seen.add(pair)
    yield from sorted(seen)


def _blocks(keys: list[str], block_of) -> Iterator[dict[int, list[str]]]:
    """The keys by block, each block as length → keys."""
    blocks: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for key in keys:
        blocks[block_of(key)][len(key)].append(key)
    for name in sorted(blocks):
        yield blocks[name]


def _pairs_in_block(by_length: dict[int, list[str]], workers: int) -> Iterator[tuple[str, str]]:
    for length in sorted(by_length):
        rows = by_length[length]
        same = _close(rows, rows, workers)
        yield from ((rows[i], rows[j]) for i, j in same if i < j)
        longer = by_length.get(length + 1)
        if longer:
            yield from ((rows[i], longer[j]) for i, j in _close(rows, longer, workers))


def _close(rows: list[str], columns: list[str], workers: int) -> Iterator[tuple[int, int]]:
    """(row, column) of the pairs at most one edit apart; the rows by chunks,
    so that a matrix holds at most _CHUNK × len(columns) bytes."""
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start:start + _CHUNK]
        matrix = cdist(chunk, columns, scorer=OSA.distance, score_cutoff=1, dtype=np.uint8, workers=workers)
        for i, j in np.argwhere(matrix <= 1):
            if chunk[i] != columns[j]:
                yield start + int(i), int(j)
