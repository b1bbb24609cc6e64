"""Which site paths each recent generation of the preview changed, so that a
tab can learn whether *its* page changed since the generation it shows."""
from __future__ import annotations

from dataclasses import dataclass

# a tab older than this many generations (a hidden tab, shown again much
# later) reloads whatever changed: the history stays small
KEPT_GENERATIONS = 64


@dataclass(frozen=True)
class ChangeHistory:
    """(generation, changed site paths or None for everything), oldest first."""

    entries: tuple[tuple[int, frozenset[str] | None], ...] = ()

    def add(self, generation: int, changed: frozenset[str] | None) -> "ChangeHistory":
        return ChangeHistory((self.entries + ((generation, changed),))[-KEPT_GENERATIONS:])

    def between(self, after: int, upto: int) -> frozenset[str] | None:
        """The site paths changed by generations after `after`, up to `upto`;
        None when that is everything or not known any more."""
        kept = dict(self.entries)
        changed: set[str] = set()
        for generation in range(after + 1, upto + 1):
            paths = kept.get(generation)
            if paths is None:  # everything changed, or forgotten
                return None
            changed |= paths
        return frozenset(changed)
