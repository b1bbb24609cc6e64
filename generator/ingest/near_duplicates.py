"""Near-duplicate texts: the same story in several copies (a wire dispatch
republished with another byline, a "© AFP" line, a sentence changed).

A text is the set of its shingles: runs of SHINGLE_WORDS words of its words
normalised as `text_hash` normalises them (Markdown marks and case gone,
white space collapsed). datasketch's MinHash signatures and MinHashLSH find
the pairs whose estimated Jaccard similarity is near THRESHOLD or above
without comparing every pair; each candidate pair is then checked on the
exact shingle sets, so that an estimate never merges two stories. Copies
form groups through the pairs that pass (a copy of a copy joins the group).

THRESHOLD and SHINGLE_WORDS were chosen on the development half of
bench/eval_near_duplicates.py's labelled sample, for the best F0.5
(precision weighs more than recall: a wrong group hides an article, a
missed one only lists a story twice); on the held-back half they give a
pair precision of 0.99 and a recall of 0.97.
"""
from __future__ import annotations

import functools
import zlib
from dataclasses import dataclass
from typing import Callable, Hashable, Iterable, Sequence

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from generator.ingest.markdown_text import plain_text

SHINGLE_WORDS = 5
THRESHOLD = 0.5  # exact Jaccard similarity of the shingle sets
NUM_PERM = 128
_SCHEME = "affine32"  # datasketch's hashing scheme; signatures are stored, so it is fixed
_SEED = 1
_MULTIPLIER = np.uint64(0x01000193)  # FNV's prime: any odd number spreads the words of a run
_MASK32 = np.uint64(0xFFFFFFFF)
_LSH_MARGIN = 0.15  # the LSH looks below THRESHOLD, so that estimates a little low still get checked


def words(markdown_body: str) -> list[str]:
    """The words of a record body, normalised as text_hash normalises them."""
    return plain_text(markdown_body).casefold().split()


def shingles(markdown_body: str) -> frozenset[int]:
    """The text's runs of SHINGLE_WORDS words (a shorter text: its words as one
    run), each as a 32-bit hash: a polynomial of its words' CRC-32s, computed
    for all runs at once (hashing each run's bytes cost more than the rest of
    the detection)."""
    found = words(markdown_body)
    if not found:
        return frozenset()
    hashes = np.fromiter((zlib.crc32(word.encode("utf-8")) for word in found), dtype=np.uint64, count=len(found))
    width = min(SHINGLE_WORDS, len(found))
    runs = np.zeros(len(found) - width + 1, dtype=np.uint64)
    for offset in range(width):
        runs = (runs * _MULTIPLIER + hashes[offset:offset + len(runs)]) & _MASK32
    return frozenset(runs.tolist())


def signature(shingle_set: Iterable[int]) -> bytes:
    """The MinHash signature of a shingle set, as bytes to keep in the ingest index."""
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=int, permutations=_permutations(), scheme=_SCHEME)
    minhash.update_batch(list(shingle_set))
    return minhash.hashvalues.astype(np.uint32).tobytes()


@functools.lru_cache(maxsize=4096)
def body_signature(markdown_body: str) -> bytes:
    """signature(shingles(body)), remembered: ingest needs it to group a
    record and again to index it."""
    return signature(shingles(markdown_body))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class Pair:
    """Two texts found to be copies, and how alike they are (exact Jaccard)."""

    first: Hashable
    second: Hashable
    similarity: float


def copy_pairs(signatures: dict[Hashable, bytes], probes: Sequence[Hashable],
               shingles_of: Callable[[Hashable], frozenset[int]]) -> list[Pair]:
    """Every pair (probe, other) whose texts are copies. `signatures`: every
    text that may be copied (the new ones and the archive's), by key;
    `probes`: the keys to look for copies of; `shingles_of(key)`: the exact
    shingle set, asked for candidates only (it may read a file)."""
    lsh = MinHashLSH(threshold=max(0.1, THRESHOLD - _LSH_MARGIN), num_perm=NUM_PERM)
    minhashes = {key: _minhash(value) for key, value in signatures.items() if value}
    for key, minhash in minhashes.items():
        lsh.insert(key, minhash, check_duplication=False)
    cache: dict[Hashable, frozenset[int]] = {}
    pairs: dict[frozenset, Pair] = {}
    for probe in probes:
        if probe not in minhashes:
            continue
        for other in lsh.query(minhashes[probe]):
            key = frozenset((probe, other))
            if other == probe or key in pairs:
                continue
            similarity = jaccard(_cached(cache, probe, shingles_of), _cached(cache, other, shingles_of))
            if similarity >= THRESHOLD:
                pairs[key] = Pair(probe, other, similarity)
    return list(pairs.values())


def groups(pairs: Iterable[Pair]) -> list[set[Hashable]]:
    """The groups of copies the pairs join (union-find): each a set of keys."""
    parent: dict[Hashable, Hashable] = {}

    def root(key: Hashable) -> Hashable:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for pair in pairs:
        parent[root(pair.first)] = root(pair.second)
    found: dict[Hashable, set[Hashable]] = {}
    for key in parent:
        found.setdefault(root(key), set()).add(key)
    return list(found.values())


@functools.cache
def _permutations():
    """The seed's permutations, drawn once (drawing them costs more than hashing a text)."""
    return MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=int, scheme=_SCHEME).permutations


def _minhash(value: bytes) -> LeanMinHash:
    """A stored signature, ready for the LSH (a LeanMinHash draws no permutations)."""
    return LeanMinHash(seed=_SEED, hashvalues=np.frombuffer(value, dtype=np.uint32), scheme=_SCHEME)


def _cached(cache: dict, key: Hashable, shingles_of: Callable[[Hashable], frozenset[int]]) -> frozenset[int]:
    if key not in cache:
        cache[key] = shingles_of(key)
    return cache[key]

