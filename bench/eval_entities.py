"""Entity tags against the gold annotations of WiNER-fr 2016 (571 articles).

    .venv/bin/python bench/eval_entities.py [--corpus PATH] [--model NAME] [--errors N]

Document-level, typed: for each article the gold set holds, per type
(Person → person, Location → place, Organization → organization), the
canonical form of every gold mention; the predicted set holds the tags.
A tag counts when it equals one of those gold forms, of the same type, in
the same article. Precision and recall per type and overall (micro).

Two systems, side by side:
- raw spaCy: the model's spans with minimal normalisation (whitespace,
  apostrophe style, surrounding punctuation), LOC/PER/ORG mapped to the
  three kinds, MISC dropped; scored against the gold mentions normalised
  the same minimal way;
- Gazette: the tags of the enrichment stage (Enricher.enrich on the whole
  corpus as one batch, fresh cache), scored against the gold mentions put
  through the same canonicaliser: title and elision stripping and the
  shipped alias tables, the gold's own type kept (an alias never retypes
  gold), surnames joined to a full name of the same article's gold, then of
  the corpus' gold, as Gazette does for its tags. Names compare exactly
  after the minimal normalisation (accents and case count).

--errors N prints the N most frequent wrong tags and missed gold forms.
Skips with a message when the corpus is absent.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.config import load_config  # noqa: E402
from generator.enrich import EnrichInput, Enricher, analysed_text  # noqa: E402
from generator.enrich.aliases import load_aliases, typographic  # noqa: E402
from generator.enrich.canonical import (KIND_OF_LABEL, Tag, clean_words, is_sentence_initial,  # noqa: E402
                                        join_across, join_surnames)
from generator.enrich.entities import find_mentions, load_model  # noqa: E402
from generator.model import ENTITY_KINDS  # noqa: E402
from generator.report import SilentReporter  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/corpora/winer-fr-2016/winer-fr-2016.jsonl"
GOLD_KIND = {"Person": "person", "Location": "place", "Organization": "organization"}
GOLD_LABEL = {"Person": "PER", "Location": "LOC", "Organization": "ORG"}

Item = tuple[str, str]  # (kind, name)


def minimal(name: str) -> str:
    """Whitespace, apostrophe style and surrounding punctuation only."""
    name = typographic(re.sub(r"\s+", " ", name)).strip(" ,;:.!?«»\"“”()[]")
    return name


def load_corpus(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def as_input(doc: dict) -> EnrichInput:
    title, _, body = doc["text"].partition("\n\n")
    import datetime as dt
    return EnrichInput(title=title, body=body, lang="fr", published=dt.date.fromisoformat(doc["date"]))


def gold_raw(doc: dict) -> set[Item]:
    return {(GOLD_KIND[e["type"]], minimal(e["text"])) for e in doc["entities"] if e["type"] in GOLD_KIND}


def gold_canonical_tags(doc: dict, aliases) -> list[Tag]:
    """The gold mentions through Gazette's canonicaliser, keeping the gold type."""
    text = doc["text"]
    tags: dict[Item, Tag] = {}
    for e in doc["entities"]:
        kind = GOLD_KIND.get(e["type"])
        if kind is None:
            continue
        name = clean_words(e["text"], is_sentence_initial(text, e["start"]), GOLD_LABEL[e["type"]])
        alias = aliases.lookup(name) or aliases.lookup(e["text"])
        name = minimal(alias.name if alias else name)
        if not name:
            continue
        old = tags.get((kind, name))
        tags[(kind, name)] = Tag(kind, name, (old.mentions if old else 0) + 1,
                                 min(old.first, e["start"]) if old else e["start"], alias is not None)
    return join_surnames(list(tags.values()))


def score(gold: list[set[Item]], pred: list[set[Item]]) -> dict[str, tuple[float, float, int, int]]:
    """kind (and 'all') → (precision, recall, predicted, gold)."""
    out = {}
    for kind in (*ENTITY_KINDS, "all"):
        tp = fp = fn = 0
        for g, p in zip(gold, pred):
            g = {x for x in g if kind in ("all", x[0])}
            p = {x for x in p if kind in ("all", x[0])}
            tp += len(g & p)
            fp += len(p - g)
            fn += len(g - p)
        out[kind] = (tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0, tp + fp, tp + fn)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--model", default="fr_core_news_sm")
    parser.add_argument("--errors", type=int, default=0, help="show the N most frequent errors")
    args = parser.parse_args()
    if not args.corpus.is_file():
        print(f"skipped: corpus not found at {args.corpus} (it lives in the shared folder, not in the project)")
        return 0
    docs = load_corpus(args.corpus)
    inputs = [as_input(d) for d in docs]

    # raw spaCy
    nlp = load_model(args.model)
    raw_pred = []
    for mentions in find_mentions(nlp, [analysed_text(i) for i in inputs]):
        raw_pred.append({(KIND_OF_LABEL[m.label], minimal(m.text)) for m in mentions
                         if m.label in KIND_OF_LABEL and minimal(m.text)})
    raw_gold = [gold_raw(d) for d in docs]

    # Gazette, on a throwaway site so the cache starts empty
    with tempfile.TemporaryDirectory() as site:
        config = replace(load_config(site), nlp_models=MappingProxyType({"fr": args.model}))
        results = Enricher(config, SilentReporter()).enrich(inputs)
        aliases = load_aliases(None)
    pred = [{(kind, minimal(tag.name)) for kind, tag in r.entities} for r in results]
    gold_tags = join_across([gold_canonical_tags(d, aliases) for d in docs])
    gold = [{(t.kind, t.name) for t in tags} for tags in gold_tags]

    raw_scores, our_scores = score(raw_gold, raw_pred), score(gold, pred)
    print(f"WiNER-fr 2016, {len(docs)} articles, model {args.model} — document-level typed tags")
    print(f"{'':14}{'raw spaCy':>26}{'Gazette':>26}")
    print(f"{'':14}{'P':>8}{'R':>8}{'tags':>10}{'P':>8}{'R':>8}{'tags':>10}{'gold':>8}")
    for kind in (*ENTITY_KINDS, "all"):
        rp, rr, rn, _ = raw_scores[kind]
        p, r, n, g = our_scores[kind]
        print(f"{kind:14}{rp:8.3f}{rr:8.3f}{rn:10}{p:8.3f}{r:8.3f}{n:10}{g:8}")
    if args.errors:
        wrong = Counter(x for g, p in zip(gold, pred) for x in p - g)
        missed = Counter(x for g, p in zip(gold, pred) for x in g - p)
        print(f"\nmost frequent wrong tags: {wrong.most_common(args.errors)}")
        print(f"\nmost frequent missed gold: {missed.most_common(args.errors)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
