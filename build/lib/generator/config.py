"""site.toml → a frozen SiteConfig. Unknown keys and wrong types are errors
that name the key and its line."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from generator.errors import ConfigError

CONFIG_NAME = "site.toml"
CACHE_NAME = ".gazette"

# key -> (type, default); nested tables are dicts of the same shape
_SCHEMA: dict[str, Any] = {
    "title": (str, "Archives"),
    "description": (str, ""),
    "language": (str, "fr"),
    "base_url": (str, "http://localhost:8000/"),
    "theme": (str, "default"),
    "build": {
        "output": (str, "public"),
        "per_page": (int, 20),
        "related": (int, 6),
        "feed_items": (int, 50),
        "search_shard_size": (int, 2500),
    },
    "ingest": {
        "boilerplate": (list, []),
    },
    "nlp": {
        "models": (dict, {"fr": "fr_core_news_sm"}),
    },
}


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    title: str = "Archives"
    description: str = ""
    language: str = "fr"
    base_url: str = "http://localhost:8000/"
    theme: str = "default"
    output: str = "public"
    per_page: int = 20
    related: int = 6
    feed_items: int = 50
    search_shard_size: int = 2500  # articles per search index (search.py)
    boilerplate: tuple[str, ...] = ()
    nlp_models: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({"fr": "fr_core_news_sm"}))

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


def _line_of(text: str, key: str) -> int | None:
    """Best-effort line of `key` in TOML text (tomllib gives no positions)."""
    pattern = re.compile(rf"^\s*(\[\s*)?[\"']?{re.escape(key)}[\"']?\s*[=\]]", re.M)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _check(table: dict, schema: dict, prefix: str, text: str, path: Path) -> dict:
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if key not in schema:
            known = ", ".join(sorted(schema))
            raise ConfigError(f"unknown key '{name}' — known keys here: {known}", path, _line_of(text, key))
        spec = schema[key]
        if isinstance(spec, dict):
            if not isinstance(value, dict):
                raise ConfigError(f"'{name}' must be a table", path, _line_of(text, key))
            out.update(_check(value, spec, f"{name}.", text, path))
            continue
        kind, _ = spec
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            raise ConfigError(
                f"'{name}' must be {kind.__name__}, not {type(value).__name__}", path, _line_of(text, key)
            )
        out[name] = value
    return out


def load_config(root: Path | str = ".") -> SiteConfig:
    """Read `root/site.toml` (missing file: defaults)."""
    root = Path(root).resolve()
    if not root.is_dir():
        raise ConfigError("site folder does not exist", root)
    path = root / CONFIG_NAME
    values: dict[str, Any] = {}
    if path.exists():
        text = path.read_text(encoding="utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            m = re.search(r"line (\d+)", str(exc))
            raise ConfigError(f"not valid TOML: {exc}", path, int(m.group(1)) if m else None) from None
        values = _check(data, _SCHEMA, "", text, path)
        for rule in values.get("ingest.boilerplate", []):
            if not isinstance(rule, str):
                raise ConfigError("'ingest.boilerplate' must list regular expressions (strings)", path, _line_of(text, "boilerplate"))
            try:
                re.compile(rule)
            except re.error as exc:
                raise ConfigError(f"bad boilerplate rule {rule!r}: {exc}", path, _line_of(text, "boilerplate")) from None
        for lang, model in values.get("nlp.models", {}).items():
            if not isinstance(model, str):
                raise ConfigError(f"'nlp.models.{lang}' must be a model name", path, _line_of(text, lang))
        for key in ("build.per_page", "build.related", "build.feed_items", "build.search_shard_size"):
            if key in values and values[key] < (1 if key in ("build.per_page", "build.search_shard_size") else 0):
                raise ConfigError(f"'{key}' is too small: {values[key]}", path, _line_of(text, key.split('.')[-1]))
    base_url = values.get("base_url", "http://localhost:8000/")
    if not base_url.endswith("/"):
        base_url += "/"
    return SiteConfig(
        root=root,
        title=values.get("title", "Archives"),
        description=values.get("description", ""),
        language=values.get("language", "fr"),
        base_url=base_url,
        theme=values.get("theme", "default"),
        output=values.get("build.output", "public"),
        per_page=values.get("build.per_page", 20),
        related=values.get("build.related", 6),
        feed_items=values.get("build.feed_items", 50),
        search_shard_size=values.get("build.search_shard_size", 2500),
        boilerplate=tuple(values.get("ingest.boilerplate", ())),
        nlp_models=MappingProxyType(dict(values.get("nlp.models", {"fr": "fr_core_news_sm"}))),
    )
