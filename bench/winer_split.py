"""The one split of the WiNER-fr 2016 development set, by document.

Held back: the documents whose id hashes (SHA-256) into the lowest 30 of 100
buckets. Rules are tuned on the other part ("tune") only; figures on the
held-back part ("heldout") say whether a rule generalises. The split was
fixed before any rule of issue 13 was looked at, and does not depend on
the documents' content.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared/corpora/winer-fr-2016/winer-fr-2016.jsonl"
HELD_BACK_PERCENT = 30
PARTS = ("tune", "heldout")


def part_of(doc_id: str) -> str:
    bucket = int.from_bytes(hashlib.sha256(doc_id.encode()).digest()[:4], "big") % 100
    return "heldout" if bucket < HELD_BACK_PERCENT else "tune"


def load(path: Path = CORPUS, part: str | None = None) -> list[dict]:
    """The corpus documents, all or one part ("tune" or "heldout")."""
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [d for d in docs if part is None or part_of(d["id"]) == part]
