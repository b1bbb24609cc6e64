"""Rendering: the theme's Jinja2 environment and markdown-it-py.

A site overrides its theme file by file: <site>/themes/<theme>/templates/x
shadows the shipped themes/<theme>/templates/x (static/ likewise). Jinja2
runs with StrictUndefined and autoescape; any template error becomes a
BuildError naming template:line. Article bodies are rendered once per body
text and memoised by content hash in the cache folder.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import re
import site
import sys
import sysconfig
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping

import jinja2
import markdown_it
from markdown_it import MarkdownIt

from generator import lifetime, urls
from generator.cache import Entry
from generator.errors import BuildError
from generator.site.i18n import strings
from generator.site.library import Library

# bodies to render before a worker process pays for its start (about 0.4 s)
BODY_WORKER_FROM = 1000

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


def make_environment(theme: Theme, loader: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    """The theme's environment; `loader`: its templates from elsewhere than its
    folders (a cluster worker gets them as text: site/cluster_render.py)."""
    return jinja2.Environment(
        loader=loader or jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
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

    def link(target: str) -> str:
        return urls.relative(here, target)

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


def bodies_cache(cache_dir: Path) -> Entry:
    """Rendered bodies by the SHA-256 of their text, valid for this markdown-it and these options."""
    extra = f"markdown-it {markdown_it.__version__} {_MARKDOWN_OPTIONS} {' '.join(_MARKDOWN_RULES)}"
    return Entry(cache_dir, "bodies", code="generator.site.render", extra=extra)


def start_rendering_bodies(library: Library, cache_dir: Path) -> Callable[[], Mapping[str, str]]:
    """Start rendering the article bodies — memoised by the SHA-256 of their
    text; the ones the cache lacks in a worker process when there are many, so
    that the caller can compute something else meanwhile — and return the
    function that waits for them: article slug → body HTML."""
    cache = bodies_cache(cache_dir)
    cached = cache.read(default={})
    digests = {r.slug: hashlib.sha256(r.body.encode("utf-8")).hexdigest() for r in library.articles}
    missing = {digest: r.body for r in library.articles if (digest := digests[r.slug]) not in cached}
    pending = None
    if len(missing) >= BODY_WORKER_FROM:
        # spawned, not forked: a fork would copy the whole Library
        pool = ProcessPoolExecutor(1, multiprocessing.get_context("spawn"),
                                   initializer=lifetime.die_with_parent, initargs=(lifetime.lifeline(),))
        pending = pool.submit(_render_markdown, missing)
        pool.shutdown(wait=False)  # the submitted work still runs; the worker exits after it

    def finish() -> Mapping[str, str]:
        rendered = pending.result() if pending is not None else _render_markdown(missing)
        fresh = {digest: cached.get(digest) or rendered[digest] for digest in set(digests.values())}
        if fresh != cached:
            cache.write(fresh)
        return MappingProxyType({slug: fresh[digest] for slug, digest in digests.items()})

    return finish


class BodiesOnDemand(Mapping[str, str]):
    """slug → body HTML of one Library, rendered when a page asks (the
    preview and the one-change build plan few pages); `rendered` is a memo by
    the SHA-256 of the Markdown, which may outlive this Library."""

    def __init__(self, library: Library, rendered: dict[str, str] | None = None):
        self._library = library
        self._rendered = {} if rendered is None else rendered
        self._md = markdown_renderer()

    def __getitem__(self, slug: str) -> str:
        body = self._library.article(slug).body
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        found = self._rendered.get(digest)
        if found is None:
            found = self._rendered[digest] = self._md.render(body)
        return found

    def __iter__(self):
        return iter(self._library.position)

    def __len__(self) -> int:
        return len(self._library.position)


def _render_markdown(bodies: Mapping[str, str]) -> dict[str, str]:
    md = markdown_renderer()
    return {key: md.render(body) for key, body in bodies.items()}


def theme_fingerprint(theme: Theme) -> str:
    """Changes whenever a template or static file of the theme (or its site override) changes."""
    digest = hashlib.sha256(theme.name.encode())
    for folder in theme.template_dirs + theme.static_dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
