"""spaCy at the edge: load a language's model with only what NER needs and
turn texts of any length into raw entity mentions, in batches.

spaCy is imported inside the functions that need it: importing it costs
about a second, and a fully cached run must not pay that.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import itertools
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

from generator.enrich.pieces import PIECE_CHARS, pieces

# In the spaCy news models the NER component has its own tok2vec layer (it
# listens to no shared one), so it runs alone; the rest only costs time.
_NOT_NEEDED_FOR_NER = ("tok2vec", "morphologizer", "tagger", "parser", "senter",
                       "attribute_ruler", "trainable_lemmatizer")
# The rule-based lemmatizer is loaded but never run: its word lists tell a
# capitalised common noun ("État", "Lutte") from a name.
_LOADED_NOT_RUN = ("lemmatizer",)


@dataclass(frozen=True)
class Mention:
    """One entity span as the model found it."""

    text: str
    label: str  # the model's label: PER, LOC, ORG, MISC, …
    start: int  # character offsets into the analysed text
    end: int


@dataclass(frozen=True)
class ModelInfo:
    name: str
    version: str


def installed_model(name: str) -> ModelInfo | None:
    """The installed model package and its version, without importing spaCy."""
    if not name.isidentifier() or importlib.util.find_spec(name) is None:
        return None
    try:
        version = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return ModelInfo(name, version)


def load_model(name: str) -> Any:
    """Load a spaCy pipeline keeping only the NER component (and the tokenizer)."""
    import spacy

    nlp = spacy.load(name, exclude=list(_NOT_NEEDED_FOR_NER), disable=list(_LOADED_NOT_RUN))
    if "ner" not in nlp.pipe_names:
        raise ValueError(f"model '{name}' has no 'ner' component")
    if _ner_needs_shared_tok2vec(nlp):
        # A pipeline whose NER listens to a shared tok2vec needs it back.
        nlp = spacy.load(name, exclude=[c for c in _NOT_NEEDED_FOR_NER if c != "tok2vec"],
                         disable=list(_LOADED_NOT_RUN))
    return nlp


def _ner_needs_shared_tok2vec(nlp: Any) -> bool:
    tok2vec = nlp.config["components"]["ner"]["model"].get("tok2vec", {})
    return "Listener" in str(tok2vec.get("@architectures", ""))


def stop_words(nlp: Any) -> frozenset[str]:
    return frozenset(nlp.Defaults.stop_words)


def common_words(nlp: Any) -> frozenset[str]:
    """The language's common nouns, adjectives, verbs and adverbs (lower case, base
    forms) from the lemmatizer's tables; empty when the model has none."""
    if "lemmatizer" not in nlp.component_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    return frozenset(word for key in index.keys() for word in index[key])


# What the model holds at once: a batch of at most this many texts (or
# pieces) and characters. Measured on a 5 MB article (bench/long_article.py):
# the batch's characters, not the text's length, set the peak memory.
BATCH_TEXTS = 64
BATCH_CHARS = 200_000


def find_mentions(nlp: Any, texts: Sequence[str]) -> Iterator[tuple[Mention, ...]]:
    """The model's entity spans for each text, in order, as they come. A long
    text is read in pieces (pieces.py) and its spans are put back at their
    place in the whole text."""
    limit = min(PIECE_CHARS, nlp.max_length)
    numbered = ((piece, (number, offset)) for number, text in enumerate(texts)
                for offset, piece in pieces(text, limit))
    docs = (done for batch in _batches(numbered)
            for done in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)))
    for _, parts in itertools.groupby(docs, key=lambda done: done[1][0]):
        yield tuple(Mention(e.text, e.label_, offset + e.start_char, offset + e.end_char)
                    for doc, (_, offset) in parts for e in doc.ents)


def _batches(numbered: Iterable[tuple[str, Any]]) -> Iterator[list[tuple[str, Any]]]:
    """Consecutive (text, context) pairs, BATCH_TEXTS and BATCH_CHARS at most
    a batch (a longer text alone)."""
    batch: list[tuple[str, Any]] = []
    chars = 0
    for pair in numbered:
        if batch and (len(batch) == BATCH_TEXTS or chars + len(pair[0]) > BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(pair)
        chars += len(pair[0])
    if batch:
        yield batch
