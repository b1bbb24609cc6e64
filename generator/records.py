"""Record ⇄ text: the Markdown file with YAML front matter in content/.

Writing is deterministic (fixed key order, `safe_dump`, no line folding) so
that the same record always gives the same bytes. Parsing checks every field
and names `file:line` and the field when something is wrong.

The last front-matter line is a fingerprint of everything else in the file
as ingest wrote it: when the text no longer matches it, a person edited the
record, and ingest leaves it alone unless forced.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from generator.errors import Problem, RecordError
from generator.front_matter import MAX_FRONT_MATTER, MAX_VALUE, YAML_TAG, cut, cut_text, load_mapping, split_front_matter
from generator.urls import MAX_RECORD_SLUG, MAX_SLUG
from generator.model import (
    ENTITY_KINDS,
    Entities,
    EntityTag,
    MentionedDate,
    TITLE_SOURCES,
    Record,
    Removal,
    Version,
)

DATE_SOURCES = ("source", "html-meta", "dateline", "filename", "option", "hand", "unknown")
_FINGERPRINT = re.compile(r"^fingerprint: .*\n", re.M)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_FIELDS = (
    "title", "slug", "lang", "date", "date_source", "summary", "entities",
    "mentioned_dates", "tags", "source", "title_source", "updated", "versions", "cleaning", "fingerprint",
)


# ---------------------------------------------------------------- writing

def record_to_text(record: Record) -> str:
    """The record as it is written to content/<slug>.md."""
    data: dict[str, Any] = {
        "title": record.title,
        "slug": record.slug,
        "lang": record.lang,
        "date": record.date,
        "date_source": record.date_source,
        "summary": record.summary,
        "entities": {
            kind: {t.name: t.mentions for t in record.entities.of(kind)} for kind in ENTITY_KINDS
        },
        "mentioned_dates": [{"date": d.date, "text": d.text} for d in record.mentioned_dates],
        "tags": list(record.tags),
        "source": {"path": record.source_path, "sha256": record.source_sha256, "url": record.source_url},
        "title_source": record.title_source,
        "updated": record.updated,
        "versions": [{"source": v.source, "date": v.date, "url": v.url} for v in record.versions],
        "cleaning": {"removed": [{"text": r.text, "rule": r.rule} for r in record.removed]},
    }
    front = dump_front_matter(data)
    _check_writable(data, front, record.source_path)
    body = record.body.strip("\n") + "\n"
    text = f"---\n{front}---\n{body}"
    return _with_fingerprint(text)


def _check_writable(data: dict[str, Any], front: str, source: str | None) -> None:
    """RecordError (naming the seed) for a record over the limits the reader
    enforces: ingest never writes a file that reading refuses."""
    if len(front) > MAX_FRONT_MATTER - 100:  # room for the fingerprint line
        raise RecordError(f"the record would be too large: {len(front):,} characters of front matter "
                          f"(the limit is {MAX_FRONT_MATTER:,})", source)
    for field, value in data.items():
        longest = max(map(len, _strings(value)), default=0)
        if longest > MAX_VALUE:
            raise RecordError(f"field '{field}': value too large to write: {longest:,} characters "
                              f"(the limit is {MAX_VALUE:,})", source)


def _strings(value: Any):
    """Every string of a front-matter value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


_DUMP_OPTIONS = {"sort_keys": False, "allow_unicode": True, "width": 10**9, "default_flow_style": False}
_CDumper = getattr(yaml, "CSafeDumper", None)
# libyaml's emitter writes the same bytes as PyYAML's own for the characters
# both call printable, but escapes others that PyYAML writes as they are
# (characters beyond U+FFFF such as emoji, U+0085) and may treat white space
# and line breaks differently. So it is used only when every string is made of
# printable characters without tab, line or paragraph separators, and every
# key is short (tests/test_records_dump.py compares the two on such strings).
_C_SAFE_TEXT = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")


class _RecordDumper(yaml.SafeDumper):
    """PyYAML's safe emitter, except for text holding a NEL (U+0085): written
    raw in a single-quoted scalar, YAML reads it back as a line break folded
    into a space, so such text is double-quoted, where it is escaped as \\N."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(YAML_TAG + "str", text, style='"' if "\x85" in text else None)


_RecordDumper.add_representer(str, _represent_text)


def dump_front_matter(data: dict[str, Any]) -> str:
    """The YAML of a record's front matter, always the bytes PyYAML's `safe_dump`
    writes (but for text with a NEL, see _RecordDumper); through libyaml (about
    3× faster) when that gives the same bytes."""
    if _CDumper is not None and _c_safe(data):
        return yaml.dump(data, Dumper=_CDumper, **_DUMP_OPTIONS)
    return yaml.dump(data, Dumper=_RecordDumper, **_DUMP_OPTIONS)


def _c_safe(value: Any) -> bool:
    if isinstance(value, str):
        return _C_SAFE_TEXT.fullmatch(value) is not None
    if isinstance(value, dict):
        return all(_c_safe_key(k) and _c_safe(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(_c_safe(v) for v in value)
    return value is None or isinstance(value, (bool, int))


def _c_safe_key(key: Any) -> bool:
    """PyYAML writes an empty key, or one of 128 characters or more, as "? key";
    libyaml counts bytes, not characters, and writes an empty key as "'':"."""
    if isinstance(key, str):
        return 0 < len(key.encode("utf-8")) < 128 and _c_safe(key)
    return _c_safe(key)


def _fingerprint(text_without_fingerprint: str) -> str:
    return hashlib.sha256(text_without_fingerprint.encode("utf-8")).hexdigest()[:16]


def _with_fingerprint(text: str) -> str:
    head, sep, body = text.partition("\n---\n")
    return f"{head}\nfingerprint: {_fingerprint(text)}{sep}{body}"


def is_hand_edited(text: str) -> bool:
    """True when the file no longer matches what ingest wrote (or has no fingerprint)."""
    m = _FINGERPRINT.search(text)
    if not m:
        return True
    stored = m.group(0).split(":", 1)[1].strip().strip("'\"")
    return stored != _fingerprint(text[: m.start()] + text[m.end():])


# ---------------------------------------------------------------- URLs

# what a browser strips from both ends of a URL (WHATWG: C0 controls and space)
_URL_ENDS = "".join(map(chr, range(0x21)))
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0, DEL and C1
WEB_SCHEMES = ("http", "https")


def web_url(value: str) -> str | None:
    """`value` (its ends stripped) when it is an absolute http or https URL,
    else None. A record's URLs become links on the archive's own origin:
    `javascript:`, `data:` or `vbscript:` would run script there, in any case
    and behind spaces or control characters (browsers strip those, and drop
    tabs and line breaks anywhere: "java<TAB>script:"), so a URL holding a
    control character is refused whole; a protocol-relative "//host" or a
    relative URL is refused too: the source of an article is elsewhere."""
    url = value.strip(_URL_ENDS)
    if _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed "[" in the host, for one
        return None
    return url if parts.scheme.lower() in WEB_SCHEMES and parts.netloc else None


def checked_url(value: str | None, field: str, path: Path | str,
                line: int | None = None) -> tuple[str | None, tuple[Problem, ...]]:
    """(the URL when it is a web address, else None and the warning that says so)."""
    if value is None:
        return None, ()
    url = web_url(value)
    if url is not None:
        return url, ()
    shown = value if len(value) <= 80 else value[:80] + "…"
    return None, (Problem(path, f"field '{field}': {shown!r} is not an http or https URL; left out", line, "warning"),)


# BCP 47 shape: language[-script][-region][-variant…]
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*",
                           re.IGNORECASE | re.ASCII)


def is_language_tag(value: str) -> bool:
    """`value` has the shape of a BCP 47 tag ('fr', 'de-CH', 'zh-Hant-TW', 'und')."""
    return _LANGUAGE_TAG.fullmatch(value) is not None


class _Fields:
    """Typed access to front-matter fields with errors at file:line."""

    def __init__(self, data: dict, lines: dict[str, int], path: Path | str):
        self.data, self.lines, self.path = data, lines, path
        self.warnings: list[Problem] = []  # for what is left out of the record

    def fail(self, field: str, message: str):
        raise RecordError(f"field '{cut_text(field, 40)}': {message}", self.path, self.lines.get(field.split(".")[0]))

    def url(self, field: str, value: str | None) -> str | None:
        """The URL when it is a web address; else None, and a warning."""
        url, warnings = checked_url(value, field, self.path, self.lines.get(field, self.lines.get(field.split(".")[0])))
        self.warnings += warnings
        return url

    def text(self, field: str, *, required: bool = False, default: str | None = None) -> str | None:
        value = self.data.get(field, default)
        if value is None:
            if required:
                self.fail(field, "is missing — every record needs it")
            return None
        if not isinstance(value, str):
            self.fail(field, f"expected text but YAML read {cut(value)} ({type(value).__name__}); put the value in quotes")
        return value

    def language_tag(self, field: str) -> str:
        """The BCP 47 tag (language[-script][-region][-variant]); 'und' with a
        warning when it is not one: a bad tag must not reach a path or Pagefind."""
        value = self.text(field, default="und") or "und"
        if is_language_tag(value):
            return value
        self.warnings.append(Problem(self.path, f"field '{field}': {cut(value)} is not a language tag "
                                     "(like 'fr', 'de-CH', 'zh-Hant-TW'); read as 'und' (undetermined)",
                                     self.lines.get(field), "warning"))
        return "und"

    def iso_date(self, field: str, value: Any, *, allow_month: bool = False) -> str | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if not isinstance(value, str):
            self.fail(field, f"expected an ISO date but YAML read {cut(value)}")
        try:
            if allow_month and _MONTH.match(value):
                dt.date.fromisoformat(value + "-01")
            elif _DAY.match(value):
                dt.date.fromisoformat(value)
            else:
                dt.datetime.fromisoformat(value)
        except ValueError:
            self.fail(field, f"{cut(value)} is not a real date (YYYY-MM-DD{' or YYYY-MM' if allow_month else ''})")
        return value


def _entities(f: _Fields) -> Entities:
    raw = f.data.get("entities") or {}
    if not isinstance(raw, dict):
        f.fail("entities", "must map person/place/organization to names")
    unknown = set(raw) - set(ENTITY_KINDS)
    if unknown:
        f.fail("entities", f"unknown kind {cut(sorted(map(str, unknown))[0])} (kinds: {', '.join(ENTITY_KINDS)})")
    kinds = {}
    for kind in ENTITY_KINDS:
        value = raw.get(kind) or []
        tags: list[EntityTag] = []
        # a mapping name -> mentions as ingest writes it, or a plain list of names
        items = value.items() if isinstance(value, dict) else ((v, 1) for v in value) if isinstance(value, list) else None
        if items is None:
            f.fail(f"entities.{kind}", "must be a list of names or a mapping name: mentions")
        for name, count in items:
            if not isinstance(name, str) or not name.strip():
                f.fail(f"entities.{kind}", f"{cut(name)} is not a name; put it in quotes")
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                f.fail(f"entities.{kind}", f"mentions of {cut(name)} must be a whole number ≥ 1")
            tags.append(EntityTag(name.strip(), count))
        kinds[kind] = tuple(tags)
    return Entities(**kinds)


def _mentioned_dates(f: _Fields) -> tuple[MentionedDate, ...]:
    raw = f.data.get("mentioned_dates") or []
    if not isinstance(raw, list):
        f.fail("mentioned_dates", "must be a list of {date, text}")
    out = []
    for item in raw:
        if not isinstance(item, dict) or "date" not in item:
            f.fail("mentioned_dates", f"{cut(item)} must be a mapping with 'date' and 'text'")
        date = f.iso_date("mentioned_dates", item["date"], allow_month=True)
        text = item.get("text", "")
        if not isinstance(text, str):
            f.fail("mentioned_dates", f"text {cut(text)} must be in quotes")
        out.append(MentionedDate(date, text))
    return tuple(out)


def parse_record(text: str, path: Path | str) -> Record:
    """Parse and validate the text of a record."""
    front, body, _ = split_front_matter(text, path)
    data, lines = load_mapping(front, path)
    return record_from_front_matter(data, body, path, lines)


def record_from_front_matter(data: dict, body: str, path: Path | str, lines: dict[str, int] | None = None) -> Record:
    """A record from its parsed front matter and its body, every field
    checked; errors name the file, and the field's line when `lines` has it."""
    f = _Fields(data, lines or {}, path)
    unknown = [k for k in data if k not in _FIELDS]
    if unknown:
        f.fail(str(unknown[0]), f"unknown field (known: {', '.join(_FIELDS)})")
    title = f.text("title", required=True)
    if not title.strip():
        f.fail("title", "is empty")
    slug = f.text("slug", required=True)
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        f.fail("slug", f"{cut(slug)} must be lower-case ASCII words joined by '-'")
    elif len(slug) > MAX_RECORD_SLUG:  # the page's folder name would be too long for a filesystem
        f.fail("slug", f"{cut(slug)} is longer than {MAX_RECORD_SLUG} characters (ingest writes {MAX_SLUG} at most)")
    date_source = f.text("date_source", default="unknown")
    if date_source not in DATE_SOURCES:
        f.fail("date_source", f"{cut(date_source)} is not one of {', '.join(DATE_SOURCES)}")
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        f.fail("tags", "must be a list of words in quotes")
    source = _source(f)
    removed = _removed(f)
    title_source = f.text("title_source", default="front-matter")
    if title_source not in TITLE_SOURCES:
        f.fail("title_source", f"{cut(title_source)} is not one of {', '.join(TITLE_SOURCES)}")
    source_url = f.url("source.url", source.get("url"))
    versions = _versions(f)
    return Record(
        title=title.strip(),
        slug=slug,
        lang=f.language_tag("lang"),
        date=f.iso_date("date", data.get("date")),
        date_source=date_source,
        summary=f.text("summary", default="") or "",
        body=body.strip("\n"),
        entities=_entities(f),
        mentioned_dates=_mentioned_dates(f),
        tags=tuple(tags),
        source_path=source.get("path"),
        source_sha256=source.get("sha256"),
        source_url=source_url,
        removed=removed,
        title_source=title_source,
        updated=f.iso_date("updated", data.get("updated")),
        versions=versions,
        warnings=tuple(f.warnings),
    )


def _source(f: _Fields) -> dict:
    source = f.data.get("source") or {}
    if not isinstance(source, dict):
        f.fail("source", "must be a mapping {path, sha256, url}")
    for key in ("path", "sha256", "url"):
        if source.get(key) is not None and not isinstance(source[key], str):
            f.fail("source", f"'{key}' must be text in quotes")
    return source


def _versions(f: _Fields) -> tuple[Version, ...]:
    raw = f.data.get("versions") or []
    if not isinstance(raw, list):
        f.fail("versions", "must be a list of {source, date, url}")
    versions = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("source"), str):
            f.fail("versions", f"{cut(item)} must be {{source, date, url}} with source in quotes")
        url = item.get("url")
        if url is not None and not isinstance(url, str):
            f.fail("versions", f"the url of {cut(item['source'])} must be text in quotes")
        url = f.url(f"versions.{len(versions)}.url", url)
        versions.append(Version(item["source"], f.iso_date("versions", item.get("date")), url))
    return tuple(versions)


def _removed(f: _Fields) -> tuple[Removal, ...]:
    cleaning = f.data.get("cleaning") or {}
    removed_raw = cleaning.get("removed", []) if isinstance(cleaning, dict) else None
    if not isinstance(removed_raw, list):
        f.fail("cleaning", "must be a mapping {removed: [{text, rule}]}")
    removed = []
    for item in removed_raw:
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            removed.append(Removal(item["text"], str(item.get("rule", ""))))
        elif isinstance(item, str):
            removed.append(Removal(item, ""))
        else:
            f.fail("cleaning", f"removed line {cut(item)} must be {{text, rule}}")
    return tuple(removed)


# ---------------------------------------------------------------- files

def read_record_text(path: Path) -> str:
    """The text of a record file; RecordError when it is not UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(f"not UTF-8 text (byte {exc.start})", path) from None


def read_record(path: Path) -> Record:
    return parse_record(read_record_text(path), path)


def write_record_text(path: Path, text: str) -> None:
    """Write a record file atomically: a reader (a build, an editor) sees the
    old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # as a plain open() would, not mkstemp's 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
