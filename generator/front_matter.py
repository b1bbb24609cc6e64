"""Front matter read safely: where it ends, and YAML that cannot explode.

Front matter comes from scraped seeds and hand-edited records. It is split
from the body at YAML's own document markers, then parsed by a loader that
refuses, before anything is expanded, what no record needs: aliases, tags
other than plain values', documents that are not a mapping, duplicate keys,
values over a limit. records.py checks the fields of what this returns.
"""
from __future__ import annotations

import reprlib
from pathlib import Path
from typing import Any

import yaml

from generator.errors import RecordError, escaped

# libyaml's parser when PyYAML has it: the same data, about 10× faster at 10,000 records
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAML_TAG = "tag:yaml.org,2002:"


def split_front_matter(text: str, path: Path | str) -> tuple[str, str, int]:
    """(front matter, body, line of the body's first line).

    The front matter ends at the first line that is '---' or '...' from its
    first column, as YAML's own document markers are: an indented one is part
    of a value (a multi-line summary holding such a line is written indented)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise RecordError("no front matter: the file must start with a line '---'", path, 1)
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    raise RecordError("front matter is not closed: add a line '---' after it", path, 1)


# ---------------------------------------------------------------- bounded YAML
#
# Front matter comes from scraped seeds and hand-edited records, so the YAML
# is checked before it is turned into Python values: libyaml composes the
# node tree (linear in the text, aliases shared, not copied), a walk of that
# tree refuses what no record needs and what could make later work explode,
# and only then is the tree constructed.

# Limits far above any record (a front matter is about 1 KB; 10,000 entity
# tags about 300 KB; a summary is cut at about 300 characters), low enough
# that the largest allowed front matter parses in a fraction of a second.
# record_to_text checks them too: ingest never writes what it cannot read.
MAX_FRONT_MATTER = 1_000_000  # characters
MAX_VALUE = 100_000  # characters of one value (a title, a URL, a removed line …)
# the tags libyaml gives plain values and lists and mappings; anything else
# (!!python/…, !!binary, !!set, a merge key '<<', a local !tag) is refused
_PLAIN_TAGS = frozenset(YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))
_FIRST_LINE = 2  # the file's line of the front matter's first line (after '---')


def cut(value: Any, limit: int = 80) -> str:
    """A value as an error message shows it: its repr, never longer than `limit`."""
    return cut_text(_SHORT_REPR.repr(value), limit)


def cut_text(text: str, limit: int = 80) -> str:
    """Text as an error message shows it: at most `limit` characters, '…'
    where cut; escaped when it holds a line break or another invisible
    character (a key could otherwise forge lines of the output)."""
    text = escaped(text[: limit * 2])
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = 100
_SHORT_REPR.maxlist = _SHORT_REPR.maxdict = _SHORT_REPR.maxset = 6


def _compose_and_construct(front: str, path: Path | str) -> tuple[Any, yaml.Node | None]:
    """(data, node tree) of bounded YAML text: the tree gives the keys' lines.
    RecordError naming the line for anything `_check_tree` refuses."""
    if len(front) > MAX_FRONT_MATTER:
        raise RecordError(f"front matter too large: {len(front):,} characters "
                          f"(the limit is {MAX_FRONT_MATTER:,})", path, _FIRST_LINE)
    loader = _Loader(front)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_tree(node, front, path)
        return loader.construct_document(node), node
    except RecursionError:  # PyYAML's own parser, without libyaml's limit of 1,000 levels
        raise RecordError("front matter nested too deeply", path, _FIRST_LINE) from None
    finally:
        loader.dispose()


def _check_tree(root: yaml.Node, front: str, path: Path | str) -> None:
    """Refuse, before anything is constructed: a document that is not a
    mapping, an alias, a tag other than plain YAML's, a key given twice and a
    value over MAX_VALUE. Iterative, in document order, each node once; the
    messages are made only on failure (this runs on every record read)."""
    if not isinstance(root, yaml.MappingNode):
        raise _NotAMapping("front matter must be a mapping of fields (lines 'key: value')", path, _FIRST_LINE)
    # an alias needs a '*' and a value longer than MAX_VALUE a longer text
    # (a scalar's value is never longer than its YAML): skip what cannot be
    may_alias, may_be_large = "*" in front, len(front) > MAX_VALUE
    seen: set[int] = set()
    stack: list[yaml.Node] = [root]
    while stack:
        node = stack.pop()
        if may_alias:
            if id(node) in seen:  # the composer shares an aliased node: the only way to meet one twice
                raise RecordError("anchors and aliases (&name, *name) are not allowed in front matter: "
                                  "write the value out", path, _first_alias_line(front))
            seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            _refuse(node, root, path, f"the tag {cut(node.tag.replace(YAML_TAG, '!!'))} is not allowed "
                                      "in front matter: only plain text, numbers, dates, lists and mappings")
        value = node.value
        if type(value) is str:
            if may_be_large and len(value) > MAX_VALUE:
                _refuse(node, root, path, f"value too large: {len(value):,} characters (the limit is {MAX_VALUE:,})")
        elif isinstance(node, yaml.MappingNode):
            _check_keys(node, path)
            stack.extend(n for pair in reversed(value) for n in reversed(pair))
        else:
            stack.extend(reversed(value))


def _refuse(node: yaml.Node, root: yaml.MappingNode, path: Path | str, problem: str):
    """RecordError at the node's line, naming the field it is in."""
    line = node.start_mark.line
    fields = [key for key, _ in root.value if key.start_mark.line <= line and isinstance(key.value, str)]
    where = f"field '{cut_text(fields[-1].value, 40)}': " if fields else ""
    raise RecordError(where + problem, path, line + _FIRST_LINE)


def _check_keys(node: yaml.MappingNode, path: Path | str) -> None:
    """A key given twice is an error naming both lines, not the last one winning."""
    keys = [(key.tag, key.value) if type(key.value) is str else id(key) for key, _ in node.value]
    if len(set(keys)) == len(keys):
        return
    first_line: dict = {}
    for key_node, key in zip((k for k, _ in node.value), keys):
        line = key_node.start_mark.line + _FIRST_LINE
        if key in first_line:
            raise RecordError(f"{cut_text(key_node.value)}: defined twice, lines {first_line[key]} and {line}",
                              path, line)
        first_line[key] = line


def _first_alias_line(front: str) -> int | None:
    """The file's line of the first alias (*name): events are read, never expanded."""
    loader = _Loader(front)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line + _FIRST_LINE
    finally:
        loader.dispose()
    return None


class _NotAMapping(RecordError):
    """Front matter that is a list or a single value (read as empty by the lenient reader)."""


def load_mapping(front: str, path: Path | str) -> tuple[dict, dict[str, int]]:
    """Parse YAML; also return the line of each top-level key."""
    try:
        data, node = _compose_and_construct(front, path)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + _FIRST_LINE if mark else None
        raise RecordError(f"front matter is not valid YAML: {cut_text(exc.problem or str(exc), 200)}", path, line) from None
    except ValueError as exc:  # e.g. an impossible date such as 2020-02-30
        key, line = _failing_scalar(front)
        raise RecordError(f"field '{cut_text(key, 40)}': impossible value ({cut_text(str(exc), 120)})", path, line) from None
    if data is None:
        return {}, {}
    return data, _key_lines(node)


def _key_lines(node: yaml.MappingNode) -> dict[str, int]:
    """The line of each top-level key ('source'), and of the keys of the
    mappings just under it ('source.url', 'versions.0.url')."""
    lines = {}
    for key_node, value in node.value:
        key = str(key_node.value)
        lines[key] = key_node.start_mark.line + _FIRST_LINE
        if isinstance(value, yaml.MappingNode):
            children = [(key, value)]
        elif isinstance(value, yaml.SequenceNode):
            children = [(f"{key}.{i}", item) for i, item in enumerate(value.value)]
        else:
            children = []
        for prefix, child in children:
            if isinstance(child, yaml.MappingNode):
                lines.update((f"{prefix}.{k.value}", k.start_mark.line + _FIRST_LINE) for k, _ in child.value)
    return lines


def _failing_scalar(front: str) -> tuple[str, int | None]:
    """The key and line of the value YAML could not construct."""
    loader = yaml.SafeLoader(front)
    try:
        root = loader.get_single_node()
        stack = [("?", root)]
        while stack:
            key, node = stack.pop(0)
            if isinstance(node, yaml.MappingNode):
                stack.extend((str(k.value), v) for k, v in node.value)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend((key, v) for v in node.value)
            else:
                try:
                    loader.construct_object(node, deep=True)
                except ValueError:
                    return key, node.start_mark.line + 2
    finally:
        loader.dispose()
    return "?", None


def load_front_matter(front: str, path: Path | str) -> dict:
    """The front matter as a mapping; errors name file:line."""
    return load_mapping(front, path)[0]


def read_front_matter_leniently(text: str, path: Path | str) -> tuple[dict, str]:
    """(front matter, body) of a record's text, no field checked: what ingest
    needs to know of a record a person may have edited. Front matter that is
    not a mapping reads as empty; RecordError when there is none or it is
    not YAML."""
    front, body, _ = split_front_matter(text, path)
    try:
        data = _compose_and_construct(front, path)[0]
    except _NotAMapping:
        data = {}
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        raise RecordError(f"front matter is not valid YAML: {cut_text(str(exc), 200)}", path) from None
    return (data if isinstance(data, dict) else {}), body
