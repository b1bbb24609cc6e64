"""Browser-test support: Debian's chromium through Playwright, and a static
server that serves a folder under a sub-path, like GitHub Pages does.

Playwright never downloads a browser here: it launches /usr/bin/chromium
(`executable_path`). Without chromium the browser tests are skipped with
the reason, except in CI (CI=true), where a missing browser is a failure.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def find_chromium() -> str | None:
    """Path of the system chromium, or None."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), *CHROMIUM_CANDIDATES, shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def require_chromium() -> str:
    """The chromium path; skip (or fail under CI=true) when there is none."""
    path = find_chromium()
    if path is None:
        reason = "chromium is not installed (/usr/bin/chromium): apt-get install chromium"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} — browser tests must run in CI", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def browser():
    """A headless chromium for all the browser tests (starting one costs about a second).

    One for the session, registered by conftest.py: test modules must not
    import this fixture, as each module that does gets its own instance, and
    two Playwright instances cannot run at once in one thread. A live one
    leaves an event loop running in the main thread that other tests
    (asyncio.run) would trip on: conftest.py runs the browser tests last.
    """
    executable = require_chromium()
    # never let Playwright fetch a browser of its own
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page in its own context (no storage shared between tests)."""
    context = browser.new_context()
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` at `prefix` only; anything outside the prefix is a 404."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        # a path outside the prefix maps to a file that cannot exist
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(self.prefix):
            return str(Path(self.directory) / ".outside-the-sub-path" / "404")
        return super().translate_path("/" + clean[len(self.prefix):])

    def log_message(self, format, *args):  # keep test output quiet
        pass


@contextmanager
def serve_folder(folder: Path, sub_path: str = "/sub/path/") -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (free port) under `sub_path`; yields the site URL."""
    prefix = "/" + sub_path.strip("/") + "/" if sub_path.strip("/") else "/"
    handler = type("Handler", (_SubPathHandler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    # shutdown() waits until serve_forever looks again: every 0.05 s, not the default 0.5 s
    thread = threading.Thread(target=functools.partial(server.serve_forever, poll_interval=0.05),
                              name="static-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
