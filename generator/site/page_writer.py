"""One page → its file in the staging folder, or its previous file kept.

A page whose key (its template inputs: URL, template, language, kind and
context) is the one it had in the previous output is not rendered again:
its previous file is hard-linked instead. The keys of every page written
are kept for the next build to compare with.
"""
from __future__ import annotations

import hashlib
import pickle

import jinja2

from generator import urls
from generator.site.output import Writer
from generator.site.page_values import OutputPage, Site
from generator.site.render import Theme, page_bytes


class PageRenderer:
    """Renders pages into the Writer; a page whose key is the one it had in the
    previous output keeps its previous file instead."""

    def __init__(self, writer: Writer, env: jinja2.Environment, theme: Theme, language: str, site: Site,
                 previous_keys: dict[str, str]):
        self.writer = writer
        self.env = env
        self.theme = theme
        self.language = language
        self.site = site
        self.previous_keys = previous_keys
        self.keys: dict[str, str] = {}  # site path -> page key, for the next build
        self.pages = 0  # pages written or kept

    def keep(self, page: OutputPage) -> tuple[str, bool]:
        """The page's site path, and whether its previous file was kept (its key is the same)."""
        path = urls.file_path(page.url)
        key = page_key(page)
        self.keys[path] = key
        self.pages += 1
        return path, self.previous_keys.get(path) == key and self.writer.keep(path, page.source)

    def write(self, page: OutputPage) -> str:
        """Render and write one page, or keep it; its site path."""
        path, kept = self.keep(page)
        if not kept:
            self.writer.write(path, page_bytes(page, self.env, self.theme, self.language, self.site), page.source)
        return path


def page_key(page: OutputPage) -> str:
    data = pickle.dumps((page.url, page.template, page.lang, page.kind, page.context), protocol=5)
    return hashlib.blake2b(data, digest_size=16).hexdigest()
