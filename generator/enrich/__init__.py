"""The enrichment stage: entity tags and mentioned dates for a batch of
articles.

    enricher = Enricher(config, reporter)
    results = enricher.enrich([EnrichInput(title, body, lang, published), ...])
    # or one article at a time, as ingest reads them:
    batch = enricher.batch(expected)
    numbers = [batch.add(item) for item in ...]
    results = batch.results(numbers, known_people)
    batch.close()

One Enricher serves any number of batches, one after the other (ingest
takes one handed in). Entity tags are cached on disk (see cache.py); the
NLP model of a language is loaded only when an article of that language
misses the cache, once per Enricher. A language with no configured or no
installed model gets one warning and no entity tags. Dates are cheap and
computed every time. A large batch is analysed by worker processes
(workers.py) that start at its first miss — at once when the cache is
empty — while the caller goes on; with a Dask cluster, every batch is
analysed by the cluster's workers (on_cluster.py), and the cache stays
with the caller.

The model reads the `comparable` view of a text (normalise.py: no soft
hyphens or zero-width characters inside names); dates are read from the
text as written, whose words they quote. An article whose analysis raises
gets an EnrichFailure in place of its Enrichment; the others are not
affected.
"""
from __future__ import annotations

import datetime as dt
import os
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence, Union

from generator.config import SiteConfig
from generator.enrich import workers
from generator.enrich.aliases import AliasTable, load_aliases
from generator.enrich.cache import CacheKeyParts, EnrichCache, cache_key
from generator.enrich.canonical import RULES_VERSION, Lexicon, Tag, article_tags, finish_batch, to_entities
from generator.enrich.dates import find_dates
from generator.enrich.gazetteer import Gazetteer, gazetteer
from generator.enrich.language import language_words
from generator.enrich.gazetteer import versions as gazetteer_versions
from generator.enrich.entities import Mention, ModelInfo, common_words, find_mentions, installed_model, load_model, stop_words
from generator.enrich.normalise import comparable
from generator.errors import Problem, one_line
from generator.model import Entities, MentionedDate
from generator.report import Reporter

if TYPE_CHECKING:
    from distributed import Client

# From this many articles in a batch, its cache misses go to two worker
# processes (workers.py); below, the model runs in this process. Measured in
# bench/ingest_throughput.py with spaCy's n_process: 1.6x on an idle 2-core
# machine, 0.9x when other work keeps both cores busy — the gain is worth the
# small loss, and the choice does not depend on what else the machine runs.
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


@dataclass(frozen=True)
class EnrichFailure:
    """The analysis of one article raised: a bug (or a broken worker), not bad
    input. Plain strings, so that it crosses from a worker process."""

    error: str  # "ValueError: …", one line
    details: str  # the traceback
    bug: bool = True  # False: the cluster lost the worker (error says so), no bug of Gazette

    @classmethod
    def of(cls, exc: BaseException) -> "EnrichFailure":
        """The failure of the exception being handled."""
        return cls(one_line(exc), traceback.format_exc())


class EnrichmentFailed(RuntimeError):
    """Enricher.enrich: an article of the list could not be analysed."""


# what the analysis of one article gives: its tags, or why there are none
Analysis = Union[tuple[Tag, ...], EnrichFailure]


# an article the cache did not have: (its number in the batch, cache key, analysed text, published)
Miss = tuple[int, str, str, "dt.date | None"]


def analysed_text(item: EnrichInput) -> str:
    """What the model reads: the title, then the body."""
    return f"{item.title}\n\n{item.body}" if item.title else item.body


@dataclass
class _Model:
    info: ModelInfo
    nlp: Any
    lexicon: Lexicon


class Enricher:
    """Entity tags and mentioned dates, through batches (`batch`, `enrich`).

    It holds what outlives a batch — the cache, the loaded models, the
    warnings already given — and offers a batch what it needs: an article's
    cache key, the analysis of cache misses here or in a worker process, and
    a worker's report that a model cannot be loaded.
    """

    def __init__(self, config: SiteConfig, reporter: Reporter, processes: int | None = None, *,
                 cluster: "Client | None" = None, aliases: AliasTable | None = None, keeps_cache: bool = True):
        """`cluster`: a Dask client whose workers analyse the cache misses;
        `aliases`, `keeps_cache=False`: what a cluster's worker is given (it
        cannot read the site's entities.toml; the client keeps the cache)."""
        self.config = config
        self.reporter = reporter
        self.cache = EnrichCache(config.cache_dir / "enrich") if keeps_cache else None
        # None: two processes for large batches on a machine with two cores or more
        self.processes = processes
        self.cluster = cluster
        self._aliases: AliasTable | None = aliases
        self._places: Gazetteer | None = None
        self._infos: dict[str, ModelInfo | None] = {}  # per language
        self._models: dict[str, _Model | None] = {}  # loaded on first miss, per language
        self._warned: set[str] = set()
        self._unavailable: dict[str, str] = {}  # why a language's model could not be loaded
        self.models_loaded = 0  # how many times this process loaded a model (the cache's tests read it)

    def enrich(self, items: Sequence[EnrichInput], known_people: Iterable[str] = ()) -> list[Enrichment]:
        """`known_people`: the people the archive already names; a surname alone
        joins one of them as it joins a full name of the batch. The cache holds
        each article's own tags, before this joining, so it never depends on
        the archive."""
        batch = self.batch(len(items))
        try:
            for item in items:
                batch.add(item)
            results = batch.results(range(len(items)), known_people)
        finally:
            batch.close()
        failure = next((r for r in results if isinstance(r, EnrichFailure)), None)
        if failure is not None:  # a list has no place for one article's failure: batch() has
            raise EnrichmentFailed(f"{failure.error}\n{failure.details}")
        return results

    def batch(self, expected: int) -> "EnrichBatch":
        """A batch fed one article at a time (see EnrichBatch); `expected`: about
        how many articles it will get, to choose worker processes or not."""
        return EnrichBatch(self, self._pool_starter(expected))

    # -- what a batch asks of the enricher --------------------------------------

    def cache_key_of(self, item: EnrichInput) -> str | None:
        """The key of the article's tags in the cache; None when its language
        has no model (it gets no entity tags)."""
        info = self._model_info(item.lang)
        if info is None:
            return None
        return cache_key(item.title, item.body, item.lang,
                         item.published.isoformat() if item.published else None,
                         CacheKeyParts(info.name, info.version, RULES_VERSION,
                                       f"{self._alias_table().fingerprint} {self.config.language} {gazetteer_versions()}"))

    def language_to_preload(self) -> str | None:
        """The site's language when nothing can hit the cache (it is empty)
        and the language's model is installed: workers may start loading it
        before the first article comes."""
        lang = self.config.language
        name = self.config.nlp_models.get(lang)
        if name and self.cache.is_empty() and installed_model(name) is not None:
            return lang
        return None

    def analyse(self, lang: str, todo: Sequence[Miss]) -> Iterator[tuple[int, Analysis]]:
        """(index, tags) of cache misses of one language, in this process; the
        model is loaded on first use, and one that cannot be loaded gets one
        warning and gives no tags."""
        if self._load(lang) is None:
            self.model_unavailable(lang, self._unavailable[lang])
            return iter(())
        return self._analyse(lang, todo)

    def analyse_in_worker(self, lang: str, todo: tuple[Miss, ...]) -> list[tuple[int, Analysis]]:
        """`analyse` as a worker process runs it (workers.Pool); its model is
        loaded once, and one that cannot be loaded raises workers.Unavailable."""
        if self._load(lang) is None:
            raise workers.Unavailable(self._unavailable[lang])
        return list(self._analyse(lang, todo))

    def model_unavailable(self, lang: str, why: str) -> None:
        """The language's model cannot be loaded (here or in a worker): one warning."""
        self._warn_once(lang, self._model_info(lang).name, why)

    # -- inside ------------------------------------------------------------------

    def _alias_table(self) -> AliasTable:
        if self._aliases is None:
            self._aliases = load_aliases(self.config.entities_file, self.config.language)
        return self._aliases

    def places(self) -> Gazetteer:
        """The gazetteer in the site's language (known places are named in it)."""
        if self._places is None:
            self._places = gazetteer(self.config.language, self.config.cache_dir)
        return self._places

    def _pool_starter(self, count: int) -> Callable[[str], Any] | None:
        """What starts the workers of a batch of about `count` articles, given
        the language of its first miss; None: the model runs in this process."""
        if self.cluster is not None:
            from generator.enrich.on_cluster import ClusterPool

            return lambda lang: ClusterPool(self.cluster, self.config, self._alias_table(), self.cache,
                                            self._model_info)
        processes = self._processes(count)
        if processes > 1:
            return lambda lang: workers.Pool(processes, lang, self.analyse_in_worker)
        return None

    def _processes(self, count: int) -> int:
        if self.processes is not None:
            return self.processes if workers.available() else 1
        return 2 if count >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2 and workers.available() else 1

    def _analyse(self, lang: str, todo: Sequence[Miss]) -> Iterator[tuple[int, Analysis]]:
        """The model's spans of the texts' comparable views, then the canonical
        tags, stored in the cache; an article whose analysis raises gets an
        EnrichFailure and the others go on."""
        model = self._models[lang]
        aliases = self._alias_table()
        views = [comparable(text) for _, _, text, _ in todo]
        for (i, key, _, _), view, mentions in zip(todo, views, _mentions_of_each(model.nlp, views)):
            if isinstance(mentions, EnrichFailure):
                yield i, mentions
                continue
            try:
                tags = article_tags(view, mentions, aliases, model.lexicon, self.places())
                if self.cache is not None:
                    self.cache.store(key, tags)
            except Exception as exc:
                yield i, EnrichFailure.of(exc)
            else:
                yield i, tags

    def _model_info(self, lang: str) -> ModelInfo | None:
        if lang not in self._infos:
            name = self.config.nlp_models.get(lang)
            self._infos[lang] = installed_model(name) if name else None
            if self._infos[lang] is None:
                self._warn_once(lang, name, "not installed" if name else "not configured")
        return self._infos[lang]

    def _load(self, lang: str) -> _Model | None:
        if lang not in self._models:
            info = self._model_info(lang)
            try:
                nlp = load_model(info.name)
            except Exception as exc:  # a broken model package must not stop the run
                self._unavailable[lang] = f"cannot be loaded ({exc})"
                self._models[lang] = None
            else:
                self.places()  # with the model: a worker forks the others once both are loaded
                self.models_loaded += 1
                self._models[lang] = _Model(info, nlp, Lexicon(stop_words(nlp), common_words(nlp), language_words(lang)))
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


def _mentions_of_each(nlp: Any, views: Sequence[str]) -> list[tuple[Mention, ...] | EnrichFailure]:
    """The model's spans of each text, in one batch; when the batch raises,
    of each text alone, so that only the one at fault fails."""
    try:
        return list(find_mentions(nlp, views))
    except Exception as exc:
        if len(views) == 1:
            return [EnrichFailure.of(exc)]
    return [_mentions_of_each(nlp, [view])[0] for view in views]


class EnrichBatch:
    """Articles given one by one (`add`), results for any of them at the end
    (`results`). A cache miss is analysed in this process at the end, or, for
    a large batch, sent at once to worker processes that start at the first
    miss and load the model while the caller goes on reading seeds."""

    def __init__(self, enricher: Enricher, start_pool: Callable[[str], Any] | None):
        """`start_pool(lang)`: the workers' pool (workers.Pool's interface),
        started with the language of the first miss; None: no workers."""
        self._enricher = enricher
        self._start_pool = start_pool
        self._items: list[EnrichInput] = []
        self._tags: list[tuple[Tag, ...]] = []
        self._failed: dict[int, EnrichFailure] = {}  # by number in the batch
        self._sent: set[int] = set()  # numbers sent to the workers, no result yet
        self._misses: dict[str, list[Miss]] = {}  # per language, not yet sent
        self._pool: Any = None  # workers.Pool, or on_cluster.ClusterPool
        lang = enricher.language_to_preload() if start_pool is not None else None
        if lang is not None:
            self._pool = start_pool(lang)

    def add(self, item: EnrichInput) -> int:
        """Take an article; returns its number in the batch."""
        i = len(self._items)
        self._items.append(item)
        self._tags.append(())
        key = self._enricher.cache_key_of(item)
        if key is None:
            return i
        cached = self._enricher.cache.load(key)
        if cached is not None:
            self._tags[i] = cached
            return i
        todo = self._misses.setdefault(item.lang, [])
        todo.append((i, key, analysed_text(item), item.published))
        if self._start_pool is not None:
            if self._pool is None:
                self._pool = self._start_pool(item.lang)
            if len(todo) >= workers.CHUNK:
                self._submit(item.lang, todo)
                self._misses[item.lang] = []
        return i

    def results(self, numbers: Iterable[int], known_people: Iterable[str] = ()) -> list[Enrichment | EnrichFailure]:
        """The enrichment of the articles `numbers`, in that order (called once),
        or the failure of one whose analysis raised; batch-level merging
        (kinds, surnames) runs over the others only."""
        numbers = list(numbers)
        self._send_misses()
        # the dates, in this process while the workers (if any) run the model
        dates = {n: self._dates(n) for n in numbers}
        self._analyse_misses()
        good = [n for n in numbers if n not in self._failed]
        merged = dict(zip(good, finish_batch([self._tags[n] for n in good], known_people, self._enricher.places())))
        return [self._failed[n] if n in self._failed else Enrichment(to_entities(merged[n]), dates[n])
                for n in numbers]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def _dates(self, number: int) -> tuple[MentionedDate, ...]:
        item = self._items[number]
        try:
            return find_dates(analysed_text(item), item.lang, item.published)
        except Exception as exc:
            self._failed[number] = EnrichFailure.of(exc)
            return ()

    def _submit(self, lang: str, todo: list[Miss]) -> None:
        self._pool.submit(lang, todo)
        self._sent.update(i for i, *_ in todo)

    def _send_misses(self) -> None:
        """The misses not yet sent to the workers, in chunks."""
        if self._pool is None:
            return
        misses, self._misses = self._misses, {}
        for lang, todo in misses.items():
            for start in range(0, len(todo), workers.CHUNK):
                self._submit(lang, todo[start:start + workers.CHUNK])

    def _analyse_misses(self) -> None:
        if self._pool is not None:
            self._collect_from_workers()
            return
        misses, self._misses = self._misses, {}
        for lang, todo in misses.items():
            for i, analysis in self._enricher.analyse(lang, todo):
                self._keep(i, analysis)

    def _collect_from_workers(self) -> None:
        """The workers' results; when the workers themselves fail (a process
        killed), the articles they still had fail, and the others are kept."""
        try:
            for status, payload in self._pool.results():
                if status == "unavailable":
                    self._enricher.model_unavailable(*payload)
                    continue
                for i, analysis in payload:
                    self._keep(i, analysis)
                    self._sent.discard(i)
        except RuntimeError as exc:
            failure = EnrichFailure(one_line(exc), str(exc))
            self._failed.update((i, failure) for i in self._sent)
        finally:
            self._pool.close()
            self._pool = None
            self._sent.clear()

    def _keep(self, number: int, analysis: Analysis) -> None:
        if isinstance(analysis, EnrichFailure):
            self._failed[number] = analysis
        else:
            self._tags[number] = analysis
