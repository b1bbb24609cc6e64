"""The enrichment stage: entity tags and mentioned dates for a batch of
articles.

    enricher = Enricher(config, reporter)
    results = enricher.enrich([EnrichInput(title, body, lang, published), ...])

Entity tags are cached on disk (see cache.py); the NLP model of a language
is loaded only when an article of that language misses the cache, once per
Enricher. A language with no configured or no installed model gets one
warning and no entity tags. Dates are cheap and computed every time.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from generator.config import SiteConfig
from generator.enrich.aliases import AliasTable, load_aliases
from generator.enrich.cache import CacheKeyParts, EnrichCache, cache_key
from generator.enrich.canonical import RULES_VERSION, Lexicon, Tag, article_tags, merge_across, to_entities, without_lone_surnames
from generator.enrich.dates import find_dates
from generator.enrich.entities import ModelInfo, common_words, find_mentions, installed_model, load_model, stop_words
from generator.errors import Problem
from generator.model import Entities, MentionedDate
from generator.report import Reporter

# Below this many texts to analyse, a second process costs more than it saves
# (each worker starts from a copy of the model). Measured in
# bench/ingest_throughput.py: 1.6x on an idle 2-core machine, 0.9x when other
# work keeps both cores busy — the gain is worth the small loss, and the choice
# does not depend on what else the machine happens to run.
PARALLEL_FROM = 200


@dataclass(frozen=True)
class EnrichInput:
    title: str
    body: str  # cleaned body, plain text or Markdown with '## ' headings
    lang: str
    published: dt.date | None


@dataclass(frozen=True)
class Enrichment:
    entities: Entities
    mentioned_dates: tuple[MentionedDate, ...]


def analysed_text(item: EnrichInput) -> str:
    """What the model reads: the title, then the body."""
    return f"{item.title}\n\n{item.body}" if item.title else item.body


@dataclass
class _Model:
    info: ModelInfo
    nlp: Any
    lexicon: Lexicon


class Enricher:
    def __init__(self, config: SiteConfig, reporter: Reporter, processes: int | None = None):
        self.config = config
        self.reporter = reporter
        self.cache = EnrichCache(config.cache_dir / "enrich")
        # None: two processes for large batches on a machine with two cores or more
        self.processes = processes
        self._aliases: AliasTable | None = None
        self._infos: dict[str, ModelInfo | None] = {}  # per language
        self._models: dict[str, _Model | None] = {}  # loaded on first miss, per language
        self._warned: set[str] = set()
        self.models_loaded = 0  # how many times a model was loaded (the cache's tests read it)

    def enrich(self, items: Sequence[EnrichInput], known_people: Iterable[str] = ()) -> list[Enrichment]:
        """`known_people`: the people the archive already names; a surname alone
        joins one of them as it joins a full name of the batch. The cache holds
        each article's own tags, before this joining, so it never depends on
        the archive."""
        aliases = self._alias_table()
        tags: list[tuple[Tag, ...]] = [()] * len(items)
        misses: dict[str, list[tuple[int, str]]] = {}
        for i, item in enumerate(items):
            info = self._model_info(item.lang)
            if info is None:
                continue
            key = cache_key(item.title, item.body, item.lang,
                            item.published.isoformat() if item.published else None,
                            CacheKeyParts(info.name, info.version, RULES_VERSION, aliases.fingerprint))
            cached = self.cache.load(key)
            if cached is None:
                misses.setdefault(item.lang, []).append((i, key))
            else:
                tags[i] = cached
        dates: list[tuple[MentionedDate, ...] | None] = [None] * len(items)
        for lang, todo in misses.items():
            model = self._model(lang)
            if model is None:
                continue
            texts = [analysed_text(items[i]) for i, _ in todo]
            found = find_mentions(model.nlp, texts, n_process=self._processes(len(texts)))
            # the model's results arrive one by one: this process's own work
            # (canonical tags, dates) runs while the NLP workers go on
            for (i, key), text, mentions in zip(todo, texts, found):
                tags[i] = article_tags(text, mentions, aliases, model.lexicon)
                self.cache.store(key, tags[i])
                dates[i] = find_dates(text, items[i].lang, items[i].published)
        merged = merge_across(tags, known_people)
        return [Enrichment(to_entities(without_lone_surnames(t)),
                           d if d is not None else find_dates(analysed_text(item), item.lang, item.published))
                for item, t, d in zip(items, merged, dates)]

    def _alias_table(self) -> AliasTable:
        if self._aliases is None:
            self._aliases = load_aliases(self.config.entities_file)
        return self._aliases

    def _processes(self, count: int) -> int:
        if self.processes is not None:
            return self.processes
        return 2 if count >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2 else 1

    def _model_info(self, lang: str) -> ModelInfo | None:
        if lang not in self._infos:
            name = self.config.nlp_models.get(lang)
            self._infos[lang] = installed_model(name) if name else None
            if self._infos[lang] is None:
                self._warn_once(lang, name, "not installed" if name else "not configured")
        return self._infos[lang]

    def _model(self, lang: str) -> _Model | None:
        if lang not in self._models:
            info = self._model_info(lang)
            try:
                nlp = load_model(info.name)
            except Exception as exc:  # a broken model package must not stop the run
                self._warn_once(lang, info.name, f"cannot be loaded ({exc})")
                self._models[lang] = None
            else:
                self.models_loaded += 1
                self._models[lang] = _Model(info, nlp, Lexicon(stop_words(nlp), common_words(nlp)))
        return self._models[lang]

    def _warn_once(self, lang: str, name: str | None, why: str) -> None:
        if lang in self._warned:
            return
        self._warned.add(lang)
        if name:
            message = (f"the NLP model '{name}' for language '{lang}' is {why} — articles in '{lang}' "
                       f"get no entity tags; install it (pip install {name.replace('_', '-')}) "
                       f"or change [nlp.models] in site.toml")
        else:
            message = (f"no NLP model is configured for language '{lang}' — articles in '{lang}' "
                       f"get no entity tags; add one under [nlp.models] in site.toml")
        self.reporter.warn(Problem(self.config.config_file, message, level="warning"))
