"""Rendering: the theme's Jinja2 environment and markdown-it-py.

A site overrides its theme file by file: <site>/themes/<theme>/templates/x
shadows the shipped themes/<theme>/templates/x (static/ likewise). Jinja2
runs with StrictUndefined and autoescape; any template error becomes a
BuildError naming template:line. Article bodies are rendered once per body
text and memoised by content hash in the cache folder (BodyStore).
"""
from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import re
import site
import sqlite3
import sys
import sysconfig
import threading
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping

import jinja2
import markdown_it
import markupsafe
from markdown_it import MarkdownIt

from generator import lifetime, urls
from generator.cache import code_version
from generator.errors import BuildError, GazetteError
from generator.site.i18n import strings
from generator.site.library import Library, body_key, read_body

# bodies to render before a worker process pays for its start (about 0.4 s)
BODY_WORKER_FROM = 1000
# bodies stored per transaction, at most (by the worker, and by the pages that
# render their own): each transaction writes and deletes a journal file
_ROWS_PER_TRANSACTION = 500

def _shipped_themes() -> Path:
    """Where Gazette's own themes are: the repository's themes/ in a checkout (and an
    editable install), else the copy a wheel installs under <prefix>/share/gazette/themes
    (pyproject.toml, [tool.setuptools.data-files])."""
    checkout = Path(__file__).resolve().parents[2] / "themes"
    installed = [Path(sysconfig.get_path("data")), Path(sys.prefix), Path(site.getuserbase())]
    for folder in [checkout] + [prefix / "share" / "gazette" / "themes" for prefix in installed]:
        if (folder / "default").is_dir():
            return folder
    return checkout


SHIPPED_THEMES = _shipped_themes()


@dataclass(frozen=True)
class Theme:
    name: str
    template_dirs: tuple[Path, ...]  # the site's own first, then the shipped one
    static_dirs: tuple[Path, ...]


def load_theme(site_themes: Path, name: str) -> Theme:
    folders = [d / name for d in (site_themes, SHIPPED_THEMES) if (d / name).is_dir()]
    folders = list(dict.fromkeys(f.resolve() for f in folders))
    if not folders:
        shipped = sorted(p.name for p in SHIPPED_THEMES.iterdir() if p.is_dir()) if SHIPPED_THEMES.is_dir() else []
        raise BuildError(f"theme '{name}' not found in {site_themes} nor among Gazette's themes "
                         f"({', '.join(shipped) or 'none installed'})")
    return Theme(
        name=name,
        template_dirs=tuple(f / "templates" for f in folders if (f / "templates").is_dir()),
        static_dirs=tuple(f / "static" for f in folders if (f / "static").is_dir()),
    )


def static_files(theme: Theme) -> list[tuple[str, Path]]:
    """(path under static/, file) for every static file, the site's copy winning."""
    chosen: dict[str, Path] = {}
    for folder in reversed(theme.static_dirs):  # shipped first, so the site's copy overrides
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
                chosen[path.relative_to(folder).as_posix()] = path
    return sorted(chosen.items())


try:  # markupsafe's own escaping of a str, without the Markup around it (a private name)
    from markupsafe import _escape_inner as _escape_text
except ImportError:  # another version of markupsafe: through the public function
    def _escape_text(text: str) -> str:
        return str(markupsafe.escape(text))

# the attributes of a plain dict and of a read-only view of one (the interface strings):
# any other name a template reads off them can only be a key
_MAPPING_ATTRIBUTES = {dict: frozenset(dir(dict)), MappingProxyType: frozenset(dir(MappingProxyType))}


def _escape_output(value: Any) -> str:
    """`{{ value }}` in an autoescaped template: the text markupsafe.escape
    gives, as a plain str when the value is one. Jinja only joins the pieces
    of output (and marks a macro's or block's whole result safe), so making a
    Markup of each — two Python-level calls — was a tenth of rendering."""
    if type(value) is str:
        return _escape_text(value)
    return markupsafe.escape(value)


class _Template(jinja2.Template):
    """A template whose output pieces are escaped by _escape_output."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):
        if "escape" in namespace:  # the name the compiled template's output calls
            namespace["escape"] = _escape_output
        return super()._from_namespace(environment, namespace, globals)


class _Environment(jinja2.Environment):
    """Jinja2's environment, reading `page.title` off a dict without a failed
    attribute lookup first. Jinja tries getattr(), then the key; a plain
    dict's only attributes are dict's own, so for any other name the key is
    what Jinja would find, and taking it first gives the same value without
    raising and catching an AttributeError: page values are dicts, and their
    fields are read millions of times per build (a fifth of rendering)."""

    template_class = _Template

    def getattr(self, obj, attribute):
        own = _MAPPING_ATTRIBUTES.get(type(obj))
        if own is not None and attribute not in own:
            try:
                return obj[attribute]
            except KeyError:  # Jinja's own lookup says it is undefined
                pass
        return super().getattr(obj, attribute)


def make_environment(theme: Theme, loader: jinja2.BaseLoader | None = None, *,
                     auto_reload: bool = True) -> jinja2.Environment:
    """The theme's environment; `loader`: its templates from elsewhere than its
    folders (a cluster worker gets them as text: site/cluster_render.py).
    `auto_reload` False: each template is read once (a build renders from the
    templates as they were when it began, without a stat per page); the
    preview keeps it, to see a template edited while it runs."""
    return _Environment(
        loader=loader or jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
        auto_reload=auto_reload,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _template_location(exc: BaseException, theme: Theme) -> tuple[str | None, int | None]:
    """The template file and line where a rendering error happened."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename or exc.name, exc.lineno
    roots = tuple(str(d) for d in theme.template_dirs)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.startswith(roots):
            return frame.filename, frame.lineno
    return None, None


# characters XML 1.0 forbids: C0 controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF
_NOT_XML = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """A rendered XML file without the characters XML forbids: one of them,
    from a record's title or an entity's name, and no feed reader can parse
    the feed. Escaping cannot help (&#1; is forbidden too): they are removed."""
    return _NOT_XML.sub("", text)


def render_template(env: jinja2.Environment, theme: Theme, template: str, context: Mapping[str, Any]) -> str:
    """The page; a template named *.xml (feeds, sitemap) gives a file XML can parse."""
    try:
        text = env.get_template(template).render(context)
        return xml_text(text) if template.endswith(".xml") else text
    except jinja2.TemplateNotFound as exc:
        raise BuildError(f"template '{exc.name}' not found in {', '.join(map(str, theme.template_dirs))}") from None
    except Exception as exc:  # any error inside a template is the template's
        path, line = _template_location(exc, theme)
        if path is None:
            raise
        message = getattr(exc, "message", None) or str(exc)
        raise BuildError(f"template error: {message}", path, line) from None


def page_bytes(page, env: jinja2.Environment, theme: Theme, language: str, site_values) -> bytes:
    """The bytes of one planned page (a views.OutputPage of a views.Site):
    what `gazette build` writes, and what `gazette serve` answers."""
    here = page.url
    link = urls.linker(here)
    context = {
        "site": site_values,
        "page": {"url": here, "lang": page.lang, "kind": page.kind},
        "t": strings(language),
        "link": link,
        "asset": lambda name: link(urls.static_url(name)),
        "urls": urls,
        **page.context,
    }
    return render_template(env, theme, page.template, context).encode("utf-8")


# ---------------------------------------------------------------- Markdown

# html off: records come from scraped, untrusted sources
_MARKDOWN_OPTIONS = {"html": False, "typographer": False}
_MARKDOWN_RULES = ("table", "strikethrough")  # enabled on top of CommonMark


def markdown_renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", _MARKDOWN_OPTIONS).enable(list(_MARKDOWN_RULES))


class BodyStore:
    """Rendered bodies by the SHA-256 of their Markdown, in the cache folder
    (SQLite: one row per body), valid for this markdown-it and these options.

    A database rather than one pickled dict: pages read their body one at a
    time, so a build never holds every body (some 600 MB at 100,000
    articles), and the worker that renders the missing ones writes them as
    it goes. A store that cannot be opened or written only costs time: the
    bodies are then kept in memory for this run."""

    def __init__(self, cache_dir: Path):
        self.path = Path(cache_dir) / "bodies.sqlite"
        extra = f"markdown-it {markdown_it.__version__} {_MARKDOWN_OPTIONS} {' '.join(_MARKDOWN_RULES)}"
        self.version = code_version("generator.site.render", extra=extra)
        self._lock = threading.Lock()  # the preview reads from several threads
        self._db: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            try:
                self._db = self._open(str(self.path))
            except sqlite3.OperationalError:  # read-only, locked too long: this run keeps its bodies in memory
                self._db = self._open(":memory:")
            except sqlite3.DatabaseError:  # not a database (a truncated or foreign file): made anew
                try:
                    self.path.unlink(missing_ok=True)
                    self._db = self._open(str(self.path))
                except (OSError, sqlite3.Error):
                    self._db = self._open(":memory:")
            except (OSError, sqlite3.Error):
                self._db = self._open(":memory:")
        return self._db

    def _open(self, where: str) -> sqlite3.Connection:
        if where != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # autocommit (isolation_level None): writes say BEGIN themselves; a reader waits
        # for a writer's commit (milliseconds) rather than leave WAL files beside the store
        db = sqlite3.connect(where, timeout=60, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA synchronous=OFF")  # a memo: a body lost in a crash is rendered again
        db.execute("CREATE TABLE IF NOT EXISTS version (code TEXT NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS bodies (sha256 TEXT PRIMARY KEY, html TEXT NOT NULL) WITHOUT ROWID")
        if db.execute("SELECT code FROM version").fetchall() != [(self.version,)]:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM bodies")
            db.execute("DELETE FROM version")
            db.execute("INSERT INTO version VALUES (?)", (self.version,))
            db.execute("COMMIT")
        return db

    def get(self, sha256: str) -> str | None:
        with self._lock:
            row = self._connection().execute("SELECT html FROM bodies WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def put(self, rows: Iterable[tuple[str, str]]) -> None:
        """(SHA-256 of the Markdown, HTML) pairs, in one transaction."""
        with self._lock:
            db = self._connection()
            try:
                db.execute("BEGIN IMMEDIATE")
                db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?)", rows)
                db.execute("COMMIT")
            except sqlite3.Error:  # a full disk, a read-only folder: the bodies are rendered again next time
                if db.in_transaction:
                    db.execute("ROLLBACK")

    def known(self) -> set[str]:
        """The SHA-256 of every body the store holds."""
        with self._lock:
            return {row[0] for row in self._connection().execute("SELECT sha256 FROM bodies")}

    def keep_only(self, wanted: set[str]) -> None:
        """Delete the bodies no article has any more (a clean build's memo is of its archive)."""
        with self._lock:
            db = self._connection()
            try:
                db.execute("BEGIN IMMEDIATE")
                db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (sha256 TEXT PRIMARY KEY) WITHOUT ROWID")
                db.execute("DELETE FROM wanted")
                db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((d,) for d in wanted))
                db.execute("DELETE FROM bodies WHERE sha256 NOT IN (SELECT sha256 FROM wanted)")
                db.execute("DELETE FROM wanted")
                db.execute("COMMIT")
            except sqlite3.Error:
                if db.in_transaction:
                    db.execute("ROLLBACK")

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def start_rendering_bodies(library: Library, root: Path, store: BodyStore,
                           order: Iterable[str] = ()) -> "BodiesOnDemand":
    """Start rendering the article bodies the store lacks — in a worker
    process when there are many, which reads them from their record files,
    so that the caller computes something else meanwhile — and return them:
    article slug → body HTML, read from the store when a page asks
    (BodiesOnDemand), rendered there when the store lacks it.

    `order`: the slugs in the order the pages will ask for their bodies
    (the rest after them). The worker takes them from the last, the pages
    from the first: a page whose body is not rendered yet renders it itself
    instead of waiting, and the worker stops where the pages have got to."""
    known = store.known()
    wanted = {r.text.sha256 for r in library.articles}
    missing: dict[str, tuple[str, str, str]] = {}  # body SHA-256 → (record file, as shown, file SHA-256)
    for slug in itertools.chain(order, library.position):
        record = library.article(slug)
        if record.text.sha256 not in known and record.text.sha256 not in missing:
            missing[record.text.sha256] = (str(root / library.files[slug]), library.files[slug], library.hashes[slug])
    reached = None
    if len(missing) >= BODY_WORKER_FROM:
        context = multiprocessing.get_context("spawn")  # not forked: a fork would copy the whole Library
        reached = context.Value("q", 0, lock=False)  # bodies the pages have asked for, in `missing` order
        pool = ProcessPoolExecutor(1, context, initializer=_start_body_worker,
                                   initargs=(lifetime.lifeline(), reached))
        pool.submit(_render_into_store, store.path.parent, list(missing.items()))
        pool.shutdown(wait=False)  # the submitted work still runs; the worker exits after it
    # (fewer: each is rendered when its page asks for it)
    if len(known) > len(wanted) or not known <= wanted:
        store.keep_only(wanted)
    places = {digest: i for i, digest in enumerate(missing)} if reached is not None else {}

    def asked(digest: str) -> None:  # tell the worker how far the pages have got
        at = places.get(digest)
        if at is not None and at >= reached.value:
            reached.value = at + 1

    return BodiesOnDemand(library, root, store, asked if reached is not None else None, batch=_ROWS_PER_TRANSACTION)


_pages_reached = None  # in the body worker: the build's count of the bodies its pages asked for


def _start_body_worker(lifeline, reached) -> None:
    global _pages_reached
    lifetime.die_with_parent(lifeline)
    _pages_reached = reached


def _render_into_store(cache_dir: Path, missing: list[tuple[str, tuple[str, str, str]]]) -> None:
    """Render bodies from their record files into the store, from the last
    one back, until the pages have asked for the one it is at (they render
    the rest themselves), a few dozen per transaction. A file changed since
    it was read is left out: its page reads it again (and says it changed)."""
    store, md = BodyStore(cache_dir), markdown_renderer()
    rows: list[tuple[str, str]] = []
    for at in range(len(missing) - 1, -1, -1):
        if _pages_reached is not None and _pages_reached.value > at:
            break
        digest, (path, shown, file_sha256) = missing[at]
        try:
            rows.append((digest, md.render(read_body(Path(path), shown, file_sha256))))
        except (OSError, GazetteError, UnicodeDecodeError):
            continue
        # stored a few hundred at a time, fewer as the pages come near: what
        # it holds when they reach it is rendered twice
        ahead = at - (_pages_reached.value if _pages_reached is not None else 0)
        if len(rows) >= min(_ROWS_PER_TRANSACTION, max(1, ahead // 8)):
            store.put(rows)
            rows = []
    store.put(rows)
    store.close()


def store_bodies(store: BodyStore, records: Iterable) -> None:
    """Render into the store the bodies of records just read (model.Record),
    those it lacks: their pages then take them from there and never read
    the record file again — which may have been saved once more meanwhile."""
    md: MarkdownIt | None = None
    rows: dict[str, str] = {}
    for record in records:
        key = body_key(record.body)
        if key not in rows and store.get(key) is None:
            md = md or markdown_renderer()
            rows[key] = md.render(record.body)
    if rows:
        store.put(rows.items())


class BodiesOnDemand(Mapping[str, str]):
    """slug → body HTML of one Library: from the store, else read from the
    record file (checked to be the one the Library was made from), rendered
    and put in the store."""

    def __init__(self, library: Library, root: Path, store: BodyStore,
                 asked: Callable[[str], None] | None = None, *, batch: int = 1):
        """`asked(body SHA-256)`: told of each body asked for (start_rendering_bodies).
        `batch`: bodies rendered here are stored that many at a time (flush()
        stores the last ones): a build renders thousands."""
        self._library = library
        self._root = root
        self._store = store
        self._asked = asked
        self._batch = batch
        self._unstored: dict[str, str] = {}
        self._md: MarkdownIt | None = None

    def __getitem__(self, slug: str) -> str:
        record = self._library.article(slug)
        digest = record.text.sha256
        if self._asked is not None:
            self._asked(digest)
        found = self._unstored.get(digest)
        if found is None:
            found = self._store.get(digest)
        if found is None:
            shown = self._library.files[slug]
            body = read_body(self._root / shown, shown, self._library.hashes[slug])
            self._md = self._md or markdown_renderer()
            found = self._unstored[digest] = self._md.render(body)
            if len(self._unstored) >= self._batch:
                self.flush()
        return found

    def flush(self) -> None:
        """Store the bodies rendered here and not stored yet."""
        if self._unstored:
            self._store.put(self._unstored.items())
            self._unstored = {}

    def __iter__(self):
        return iter(self._library.position)

    def __len__(self) -> int:
        return len(self._library.position)


class BodyKeys(Mapping[str, str]):
    """slug → a stand-in for the body HTML that is equal exactly when the
    HTML is (the SHA-256 of the Markdown): for planning pages only to compare
    them with others (build_update.py: the pages before a change, whose
    record files may be edited since)."""

    def __init__(self, library: Library):
        self._library = library

    def __getitem__(self, slug: str) -> str:
        return f"<!-- body {self._library.article(slug).text.sha256} -->"

    def __iter__(self):
        return iter(self._library.position)

    def __len__(self) -> int:
        return len(self._library.position)


def theme_fingerprint(theme: Theme) -> str:
    """Changes whenever a template or static file of the theme (or its site override) changes."""
    digest = hashlib.sha256(theme.name.encode())
    for folder in theme.template_dirs + theme.static_dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
