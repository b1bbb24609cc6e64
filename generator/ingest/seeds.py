"""Seeds → RawArticle: the only place that reads seed files.

Bytes are decoded (UTF-8, UTF-8 with BOM, or a legacy encoding found by
charset-normalizer), normalised to NFC and LF, and stripped of NUL and
control characters. HTML goes through trafilatura for the main text and the
metadata; Markdown with front matter is already a record.
"""
from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import charset_normalizer
import regex

from generator.files import read_regular
from generator.errors import InputError
from generator.ingest.html_dates import html_update_date
from generator.ingest.title import normalised
from generator.model import RawArticle, Removal, SourceMeta

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")
SUPPORTED = TEXT_SUFFIXES + HTML_SUFFIXES + MARKDOWN_SUFFIXES

# C0/C1 controls except tab and newline, plus invisible format characters
# that only break words (BOM, zero-width space); ZWJ/ZWNJ are kept for scripts that need them
_CONTROL = regex.compile(r"[\p{Cc}\u200b\u2060\ufeff](?<![\t\n])")
_MAX_CHAOS = 0.2  # charset-normalizer's "mess" ratio above which bytes are not text


def decode(data: bytes, path: Path) -> str:
    """Bytes → text, or InputError when they are not text."""
    if not data.strip():
        raise InputError("empty file", path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if _looks_binary(data[:8192]):
        raise InputError("binary file, not text", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        best = _best_legacy_match(data)
        if best is None:
            raise InputError(
                "undecodable bytes: neither UTF-8 nor a legacy encoding that gives readable text", path
            ) from None
        text = str(best)
    return normalise_text(text)


# charset-normalizer ranks equally clean decodings arbitrarily on short
# western texts (cp1250 "Aprčs" beside cp1252 "Après"); among the cleanest,
# prefer the encodings most web pages in legacy encodings actually use
_PREFERRED = ("cp1252", "iso8859_15", "latin_1", "cp1250", "cp1251", "iso8859_2", "koi8_r")


def _best_legacy_match(data: bytes):
    matches = [m for m in charset_normalizer.from_bytes(data) if m.chaos <= _MAX_CHAOS]
    if not matches:
        return None
    cleanest = min(m.chaos for m in matches)
    close = [m for m in matches if m.chaos <= cleanest + 0.1]
    rank = {name: i for i, name in enumerate(_PREFERRED)}
    return min(close, key=lambda m: (rank.get(m.encoding, len(rank) + m.encoding.startswith("mac")), m.chaos))


_BINARY_BYTES = bytes(range(0, 9)) + bytes(range(14, 27)) + bytes(range(28, 32))


def _looks_binary(head: bytes) -> bool:
    """Text has a stray control byte at most (it is removed); a binary file has many."""
    controls = sum(head.count(b) for b in _BINARY_BYTES)
    return controls > max(4, len(head) // 50)


def normalise_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_seed(path: Path, max_bytes: int | None = None) -> RawArticle:
    """Read one seed file, refusing one larger than `max_bytes` before
    reading it. Raises InputError naming the file."""
    return seed_from_bytes(path, seed_bytes(path, max_bytes))


def seed_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of one seed file of a type Gazette reads, refusing one larger
    than `max_bytes` before reading it. Raises InputError naming the file."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(f"unsupported file type '{path.suffix or path.name}' — Gazette reads {', '.join(SUPPORTED)}", path)
    try:
        _check_size(path, max_bytes)
        return read_regular(path)  # a FIFO or device is never read (it would block)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None


def seed_from_bytes(path: Path, data: bytes) -> RawArticle:
    """A seed from its bytes (`path`: where they were read, for its type and
    messages); a cluster worker gets them from the client. Raises InputError
    naming the file."""
    suffix = path.suffix.lower()
    text = decode(data, path)
    digest = sha256_of(data)
    if suffix in HTML_SUFFIXES:
        return _from_html(path, text, digest)
    if suffix in MARKDOWN_SUFFIXES:
        return _from_markdown(path, text, digest)
    return RawArticle(path=path, text=text, sha256=digest)


def _check_size(path: Path, max_bytes: int | None) -> None:
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise InputError(f"too large to be an article: {size:,} bytes, over the limit of {max_bytes:,} "
                         f"([ingest] max_bytes in site.toml) — not read", path)


def _from_html(path: Path, html: str, digest: str) -> RawArticle:
    import trafilatura  # slow to import; only HTML seeds need it

    # no "extensive" date search: a date guessed from the page's text or
    # links would be invented, not read
    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_formatting=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None or not (doc.text or "").strip():
        raise InputError("no article text found in this HTML page", path)
    lang = (doc.language or "").split("-")[0].lower() or None
    meta = SourceMeta(
        title=normalise_text(doc.title).strip() if doc.title else None,
        date=doc.date or None,
        updated=html_update_date(html, doc.date, doc.url),
        url=doc.url or None,
        lang=lang,
    )
    text = normalise_text(doc.text)
    return RawArticle(path=path, text=text, sha256=digest, meta=meta, removed=extractor_removals(html, text))


def _from_markdown(path: Path, text: str, digest: str) -> RawArticle:
    from generator.errors import RecordError
    from generator.front_matter import load_front_matter, split_front_matter

    try:
        front, body, _ = split_front_matter(text, path)
        data = load_front_matter(front, path)
    except RecordError as exc:
        raise InputError(exc.message, path, exc.line) from None
    return RawArticle(path=path, text=body, sha256=digest, front_matter=data)


EXTRACTOR_RULE = "html-extractor"
# what is recorded of the page's text the extractor left out: runs of
# consecutive blocks (a menu, a footer), each cut, and at most so many
_REMOVED_RUNS = 40
_REMOVED_RUN_CHARS = 300


def extractor_removals(html: str, kept_text: str) -> tuple[Removal, ...]:
    """The page's text blocks (as jusText segments them) that the extracted
    article does not contain, as runs of consecutive blocks; bounded in size,
    with a digest of everything left out."""
    # jusText's segmentation only: its classification would be a second extractor
    from justext.core import ParagraphMaker, html_to_dom, preprocessor
    from lxml.etree import ParserError

    try:
        paragraphs = ParagraphMaker.make_paragraphs(preprocessor(html_to_dom(html)))
    except (ParserError, ValueError):  # trafilatura read it, lxml alone cannot: nothing to list
        return ()
    kept = _Kept(kept_text)
    runs: list[list[str]] = [[]]
    for paragraph in paragraphs:
        text = normalise_text(" ".join(paragraph.text.split()))
        if kept.holds(text):
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(text)
    return _bounded([" | ".join(run) for run in runs if run])


class _Kept:
    """Whether a block of the page is in the extracted text. jusText drops the
    spaces between inline elements ("<a>A</a> <a>B</a>" gives "AB"), so
    blocks are compared without spaces: a long one anywhere in the text, a
    short one only with a whole line of it (a menu's "Sport" is not kept
    because an article mentions sport)."""

    _SHORT = 20

    def __init__(self, text: str):
        self.lines = {_packed(line) for line in text.split("\n")}
        self.text = _packed(text)

    def holds(self, block: str) -> bool:
        packed = _packed(block)
        if len(packed) < self._SHORT:
            return not packed or packed in self.lines
        return packed in self.text


def _packed(text: str) -> str:
    return normalised(text).replace(" ", "")


def _bounded(runs: list[str]) -> tuple[Removal, ...]:
    shown = [Removal(_cut_run(run), EXTRACTOR_RULE) for run in runs[:_REMOVED_RUNS]]
    if len(runs) > _REMOVED_RUNS:
        rest = "\n".join(runs[_REMOVED_RUNS:])
        shown.append(Removal(f"[{len(runs) - _REMOVED_RUNS} more block(s), {len(rest)} characters, "
                             f"sha256 {sha256_of(rest.encode('utf-8'))[:16]}]", EXTRACTOR_RULE))
    return tuple(shown)


def _cut_run(run: str) -> str:
    if len(run) <= _REMOVED_RUN_CHARS:
        return run
    rest = run[_REMOVED_RUN_CHARS:]
    return f"{run[:_REMOVED_RUN_CHARS]} [… {len(rest)} more characters, sha256 {sha256_of(rest.encode('utf-8'))[:16]}]"
