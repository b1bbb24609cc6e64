"""Entity tags against the gold annotations of WiNER-fr 2016, on the part
rules were tuned on and on the part held back (bench/winer_split.py).

    .venv/bin/python bench/eval_entities.py [--corpus PATH] [--ablate] [--errors N]

Systems, each scored by the same lenient document-level matcher
(bench/entity_scoring.py): the raw spaCy models fr_core_news_sm and
fr_core_news_md (their PER/LOC/ORG spans, MISC dropped) and Gazette on top
of each (the enrichment stage's rules: generator.enrich.canonical, the
shipped alias tables, the batch-level merging, exactly as ingest runs them
on one batch of the whole part). Gold: Person → person, Location → place,
Organization → organization; Event and Product are not tagged kinds.

--ablate switches each rule off in turn (RULES below) and prints what it
adds to Gazette's precision, recall and F1 on both parts: a rule stays only
if it helps on the held-back part. --errors N prints the N most frequent
wrong and missed names — of the tuning part only: the held-back part is
never looked at. The models' spans are computed once per model and kept in
a cache under the system's temporary folder. Skips with a message when the
corpus is absent.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import pickle
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import entity_scoring  # noqa: E402
import winer_split  # noqa: E402
from generator.enrich import EnrichInput, analysed_text  # noqa: E402
from generator.enrich import canonical  # noqa: E402
from generator.enrich import aliases as aliases_module  # noqa: E402
from generator.enrich.aliases import load_aliases  # noqa: E402
from generator.enrich.gazetteer import gazetteer  # noqa: E402
from generator.enrich.entities import common_words, find_mentions, installed_model, load_model, stop_words  # noqa: E402
from generator.enrich.normalise import comparable  # noqa: E402

MODELS = ("fr_core_news_sm", "fr_core_news_md")
GOLD_KIND = {"Person": "person", "Location": "place", "Organization": "organization"}
KINDS = (*entity_scoring.KINDS, "all")


def _off(value):
    return lambda *args, **kwargs: value


def _without_table(file_name: str) -> Callable:
    """The shipped alias tables but one."""
    shipped = aliases_module._shipped_files
    return lambda language="fr": [(name, text) for name, text in shipped(language) if not name.endswith("/" + file_name)]


# rule name → (attribute of generator.enrich.canonical, what replaces it to switch the rule off);
# "aliases:" rules switch off one shipped alias table
RULES: dict[str, tuple[str, Callable]] = {
    "gazetteer: known places protected": ("_known_place", _off(False)),
    "gazetteer: places inside other names": ("_nested_places", lambda mentions, places: []),
    "head noun kept (ministère de …)": ("_with_head_noun", lambda text, mention, language: mention),
    "head noun kept in cleaning": ("_head_of_name", _off(False)),
    "groups are not people": ("_people_or_group", _off("person")),
    "not-a-name (noise shapes)": ("_not_a_name", _off(False)),
    "capitalised common word": ("_capitalised_common_word", _off(False)),
    "heading word": ("_common_word_heading", _off(False)),
    "kind from the words": ("_kind_cue", _off(None)),
    "MISC votes (events, works)": ("_OTHER", None),
    "kind vote across the batch": ("vote_kinds", lambda articles: [tuple(a) for a in articles]),
    "surname joins a full name (batch)": ("join_across", lambda articles, known=(): [tuple(a) for a in articles]),
    "lone surnames dropped when a place has the name": ("_contradicted", _off(False)),
    "instead: drop every unvouched lone surname": ("_contradicted", _off(True)),
    **{f"aliases: {path.name}": ("aliases:_shipped_files", _without_table(path.name))
       for path in sorted((Path(__file__).resolve().parents[1] / "generator/data/aliases").glob("**/*.toml"))},
}


def as_input(doc: dict) -> EnrichInput:
    title, _, body = doc["text"].partition("\n\n")
    return EnrichInput(title=title, body=body, lang="fr", published=dt.date.fromisoformat(doc["date"]))


def gold_of(doc: dict) -> set[tuple[str, str]]:
    return {(GOLD_KIND[e["type"]], e["text"]) for e in doc["entities"] if e["type"] in GOLD_KIND}


class Model:
    """A loaded model, its lexicon, and its spans of the corpus (computed once, cached)."""

    def __init__(self, name: str, docs: list[dict]):
        info = installed_model(name)
        if info is None:
            raise SystemExit(f"model {name} is not installed")
        self.name = name
        self.nlp = load_model(name)
        self.lexicon = canonical.Lexicon(stop_words(self.nlp), common_words(self.nlp))
        self.views = [comparable(analysed_text(as_input(d))) for d in docs]
        digest = hashlib.sha256("\0".join(self.views).encode()).hexdigest()[:16]
        store = Path(tempfile.gettempdir()) / f"gazette-eval-{name}-{info.version}-{digest}.pickle"
        if store.exists():
            self.mentions, self.seconds = pickle.loads(store.read_bytes())
        else:
            start = time.perf_counter()
            self.mentions = list(find_mentions(self.nlp, self.views))
            self.seconds = time.perf_counter() - start
            store.write_bytes(pickle.dumps((self.mentions, self.seconds)))

    def raw(self, numbers: list[int]) -> list[set[tuple[str, str]]]:
        return [{(canonical.KIND_OF_LABEL[m.label], m.text) for m in self.mentions[i]
                 if m.label in canonical.KIND_OF_LABEL} for i in numbers]

    def gazette(self, numbers: list[int]) -> list[set[tuple[str, str]]]:
        """Gazette's tags of these articles, analysed as one ingest batch."""
        aliases = load_aliases(None)
        places = gazetteer("fr", Path(tempfile.gettempdir()) / "gazette-eval-cache")
        tags = [canonical.article_tags(self.views[i], self.mentions[i], aliases, self.lexicon, places)
                for i in numbers]
        return [{(t.kind, t.name) for t in article} for article in canonical.finish_batch(tags, (), places)]


@contextlib.contextmanager
def switched_off(rule: str) -> Iterator[None]:
    attribute, replacement = RULES[rule]
    module = canonical
    if attribute.startswith("aliases:"):
        module, attribute = aliases_module, attribute.partition(":")[2]
    original = getattr(module, attribute)
    setattr(module, attribute, replacement)
    try:
        yield
    finally:
        setattr(module, attribute, original)


def table(title: str, rows: dict[str, dict[str, entity_scoring.Score]]) -> None:
    print(f"\n{title}")
    print(f"{'system':26}{'kind':14}{'P':>7}{'R':>7}{'F1':>7}{'tags':>7}{'gold':>7}")
    for system, scores in rows.items():
        for kind in KINDS:
            s = scores[kind]
            print(f"{system:26}{kind:14}{s.precision:7.3f}{s.recall:7.3f}{s.f1:7.3f}{s.predicted:7}{s.gold:7}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=winer_split.CORPUS)
    parser.add_argument("--ablate", action="store_true", help="measure each rule by switching it off")
    parser.add_argument("--errors", type=int, default=0, help="N most frequent errors, tuning part only")
    args = parser.parse_args()
    if not args.corpus.is_file():
        print(f"skipped: corpus not found at {args.corpus} (it lives in the shared folder, not in the project)")
        return 0
    docs = winer_split.load(args.corpus)
    parts = {part: [i for i, d in enumerate(docs) if winer_split.part_of(d["id"]) == part]
             for part in winer_split.PARTS}
    gold = [gold_of(d) for d in docs]
    models = {name: Model(name, docs) for name in MODELS}

    print(f"WiNER-fr 2016: {len(docs)} articles; tuning part {len(parts['tune'])}, "
          f"held-back part {len(parts['heldout'])} (bench/winer_split.py)")
    for name, model in models.items():
        print(f"{name}: NER {len(docs) / model.seconds:.0f} articles/s (one process, spans only)")
    results = {}
    for part, numbers in parts.items():
        g = [gold[i] for i in numbers]
        rows = {}
        for name, model in models.items():
            rows[f"raw {name}"] = entity_scoring.score(g, model.raw(numbers))
        for name, model in models.items():
            rows[f"Gazette + {name.rsplit('_', 1)[1]}"] = entity_scoring.score(g, model.gazette(numbers))
        results[part] = rows
        table(f"== {part} part ({len(numbers)} articles) ==", rows)

    default = load_default_model()
    for part in parts:
        best_raw = max((s["all"].f1, system) for system, s in results[part].items() if system.startswith("raw"))
        ours = results[part][f"Gazette + {default.rsplit('_', 1)[1]}"]["all"]
        print(f"{part}: Gazette ({default}) F1 {ours.f1:.3f} P {ours.precision:.3f} R {ours.recall:.3f}; "
              f"best raw model {best_raw[1]} F1 {best_raw[0]:.3f}; difference {ours.f1 - best_raw[0]:+.3f}")

    model = models[default]
    if args.ablate:
        print(f"\nWhat each rule adds to Gazette + {default} (score with the rule minus score without it)")
        print(f"{'rule':50}{'tune dP':>9}{'dR':>8}{'dF1':>8}{'held dP':>9}{'dR':>8}{'dF1':>8}")
        for rule in RULES:
            deltas = []
            for part, numbers in parts.items():
                g = [gold[i] for i in numbers]
                with switched_off(rule):
                    off = entity_scoring.score(g, model.gazette(numbers))["all"]
                on = results[part][f"Gazette + {default.rsplit('_', 1)[1]}"]["all"]
                deltas += [on.precision - off.precision, on.recall - off.recall, on.f1 - off.f1]
            print(f"{rule:50}" + "".join(f"{d:+9.3f}" if i % 3 == 0 else f"{d:+8.3f}" for i, d in enumerate(deltas)))
    if args.errors:
        numbers = parts["tune"]
        wrong, missed = entity_scoring.errors([gold[i] for i in numbers], model.gazette(numbers))
        print(f"\ntuning part, most frequent wrong tags: {Counter(wrong).most_common(args.errors)}")
        print(f"\ntuning part, most frequent missed gold: {Counter(missed).most_common(args.errors)}")
    return 0


def load_default_model() -> str:
    """The French model a new site uses (the config default)."""
    from generator.config import SiteConfig
    return SiteConfig.__dataclass_fields__["nlp_models"].default_factory()["fr"]


if __name__ == "__main__":
    sys.exit(main())
