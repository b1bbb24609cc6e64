"""Boilerplate rules: the shipped ones (generator/data/boilerplate.toml)
plus a site's own from site.toml, compiled once per run."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

import regex

from generator.errors import ConfigError

SHIPPED = "boilerplate.toml"


@dataclass(frozen=True)
class Rule:
    name: str
    langs: frozenset[str]  # "*" = any language
    pattern: regex.Pattern

    def matches(self, line: str) -> bool:
        return self.pattern.fullmatch(line) is not None


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]

    def match(self, line: str) -> str | None:
        """The name of the first rule that matches the whole line, if any.

        Every language's rules apply to every article: a French page often
        carries an English "Advertisement" and language detection is done on
        the cleaned text, after this step.
        """
        folded = " ".join(line.split())
        for rule in self.rules:
            if rule.matches(folded):
                return rule.name
        return None


def _compile(pattern: str, where: str) -> regex.Pattern:
    try:
        return regex.compile(pattern, regex.IGNORECASE | regex.VERSION1)
    except regex.error as exc:
        raise ConfigError(f"bad boilerplate pattern {pattern!r}: {exc}", where) from None


def load_rules(site_patterns: tuple[str, ...] = ()) -> RuleSet:
    data = tomllib.loads(resources.files("generator.data").joinpath(SHIPPED).read_text(encoding="utf-8"))
    rules = [
        Rule(entry["name"], frozenset(entry["lang"]), _compile(p, f"generator/data/{SHIPPED}"))
        for entry in data["rule"]
        for p in entry["patterns"]
    ]
    # site rules are searched anywhere in the line unless anchored, as users write them ("^Abonnez-vous")
    rules += [Rule(f"site:{p}", frozenset("*"), _compile(f"(?:{p}).*" if p.startswith("^") else f".*(?:{p}).*", "site.toml"))
              for p in site_patterns]
    return RuleSet(tuple(rules))
