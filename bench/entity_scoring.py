"""One lenient, document-level matcher for entity tags, the same for every
system scored (raw spaCy models and Gazette), so that their figures compare.

For each article, the gold is the set of distinct (kind, name) of its
annotated mentions, and a system's prediction the set of distinct (kind,
name) it tags. A predicted name matches a gold name of the same kind, in the
same article, when
- their keys are equal: case, accents, hyphens, dots, apostrophe style and
  surrounding punctuation ignored, a leading elided article or determiner
  ("l’", "la", "the") removed;
- the shorter one's words are a run of the longer one's words: a surname
  and a full name ("Macron" / "Emmanuel Macron"), a short and a long form
  ("Rio" / "Rio de Janeiro", "Nations unies" / "Organisation des Nations
  unies");
- one is an acronym of the other: its letters are the initials of the
  other's words, function words left out ("ONU" / "Organisation des Nations
  unies", "UE" / "Union européenne").
Precision: share of predicted names that match some gold name of the
article; recall: share of gold names that some predicted name matches.
Nothing here knows Gazette's rules or alias tables.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.enrich.aliases import match_key  # noqa: E402

KINDS = ("person", "place", "organization")
Item = tuple[str, str]  # (kind, name)

_LEADING = re.compile(r"^(?:(?:l|d|qu)'\s*|(?:le|la|les|du|des|de la|de l'|au|aux|the|a|an) )", re.I)


def key(name: str) -> str:
    k = match_key(name.strip(" ,;:.!?«»\"“”()[]'’"))
    for _ in range(2):
        k = _LEADING.sub("", k)
    return k.strip(" '")


_FUNCTION_WORDS = frozenset("de des du la le les l d et en pour sur au aux à of the and for in on".split())


def _initials(name: str) -> str:
    words = re.findall(r"[^\W\d_]+", name)
    return "".join(w[0] for w in words if w.casefold() not in _FUNCTION_WORDS).casefold()


def _acronym_of(short: str, long: str) -> bool:
    letters = re.sub(r"[\s.&-]", "", short)
    if not (2 <= len(letters) <= 8 and letters.isupper() and letters.isalpha()) or " " not in long.strip():
        return False
    return letters.casefold() == _initials(long)


def matches(kind_a: str, a: str, kind_b: str, b: str) -> bool:
    if kind_a != kind_b:
        return False
    ka, kb = key(a), key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    wa, wb = ka.split(), kb.split()
    short, long = (wa, wb) if len(wa) < len(wb) else (wb, wa)
    if any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1)):
        return True
    return _acronym_of(a, b) or _acronym_of(b, a)


@dataclass(frozen=True)
class Score:
    predicted: int
    correct_predicted: int
    gold: int
    found_gold: int

    @property
    def precision(self) -> float:
        return self.correct_predicted / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: Sequence[Iterable[Item]], predicted: Sequence[Iterable[Item]]) -> dict[str, Score]:
    """kind (and "all") → Score, over parallel lists of per-article sets."""
    counts = {k: [0, 0, 0, 0] for k in (*KINDS, "all")}  # predicted, right, gold, found
    for g, p in zip(gold, predicted):
        g, p = set(g), set(p)
        _count(counts, p, g, 0)  # a prediction is right when it matches some gold name
        _count(counts, g, p, 2)  # a gold name is found when some prediction matches it
    return {k: Score(*v) for k, v in counts.items()}


def _count(counts: dict[str, list[int]], items: set[Item], others: set[Item], at: int) -> None:
    for kind, name in items:
        hit = any(matches(kind, name, k, n) for k, n in others)
        for k in (kind, "all"):
            if k in counts:
                counts[k][at] += 1
                counts[k][at + 1] += hit


def errors(gold: Sequence[Iterable[Item]], predicted: Sequence[Iterable[Item]]) -> tuple[list[Item], list[Item]]:
    """(wrong predictions, missed gold), one entry per article where it happens."""
    wrong, missed = [], []
    for g, p in zip(gold, predicted):
        g, p = set(g), set(p)
        wrong += [x for x in p if not any(matches(*x, *y) for y in g)]
        missed += [y for y in g if not any(matches(*x, *y) for x in p)]
    return wrong, missed
