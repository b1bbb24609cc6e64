"""The preview serves pages from a PageSource, and reloads only the tabs whose
page changed: the sources (BuiltFolder, LayeredSource), what a URL asks of
them, the history of changed paths and, per tab, whether it reloads."""
from __future__ import annotations

import http.client
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path

import pytest

from generator.serve.history import KEPT_GENERATIONS, ChangeHistory
from generator.serve.http import find_page, find_page_steadily
from generator.serve.livereload import BuildStatus, LiveState, inject
from generator.serve.pages import BuiltFolder, LayeredSource, UnsafePath, page_of, site_path_of
from generator.serve.tabs import Tab, heard, needs_reload, shown_paths, tab_of
from test_serve import running, small_site  # noqa: F401 (a fixture)


@dataclass
class MemoryPages:
    """A PageSource over a dict, counting what it was asked."""

    files: dict[str, bytes]
    asked: list[str] = field(default_factory=list)

    def read(self, site_path: str) -> bytes | None:
        self.asked.append(site_path)
        return self.files.get(site_path)


# -- BuiltFolder: the output folder, with all of the server's safety ------------------

@pytest.fixture
def public(tmp_path) -> Path:
    root = tmp_path / "public"
    (root / "articles" / "x").mkdir(parents=True)
    (root / "articles" / "x" / "index.html").write_bytes(b"<p>x</p>")
    (root / "feed.xml").write_bytes(b"<feed/>")
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    return root


def test_built_folder_reads_the_bytes_of_the_built_files(public):
    pages = BuiltFolder(lambda: public)
    assert pages.read("articles/x/index.html") == b"<p>x</p>"
    assert pages.read("feed.xml") == b"<feed/>"
    assert pages.read("nothing.html") is None
    assert pages.read("articles/x") is None  # a folder is not a page


def test_built_folder_asks_for_its_root_on_every_read(public, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "feed.xml").write_bytes(b"<feed>new</feed>")
    roots = [public]
    pages = BuiltFolder(lambda: roots[-1])
    assert pages.read("feed.xml") == b"<feed/>"
    roots.append(other)
    assert pages.read("feed.xml") == b"<feed>new</feed>"


def test_built_folder_never_reads_outside_its_root(public, tmp_path):
    (public / "escape").symlink_to(tmp_path)
    (public / "escape-file").symlink_to(tmp_path / "secret.txt")
    pages = BuiltFolder(lambda: public)
    for path in ("../secret.txt", "articles/../../secret.txt", "escape/secret.txt", "escape-file",
                 str(tmp_path / "secret.txt"), "/secret.txt", "..\\secret.txt", "feed.xml\x00", "./feed.xml",
                 "articles//x/index.html", ""):
        assert pages.read(path) is None, path


def test_a_fifo_in_the_output_never_blocks_a_read(public):
    os.mkfifo(public / "pipe.html")
    result = []
    reader = threading.Thread(target=lambda: result.append(BuiltFolder(lambda: public).read("pipe.html")), daemon=True)
    reader.start()
    reader.join(timeout=2)
    assert not reader.is_alive() and result == [None]


# -- LayeredSource ---------------------------------------------------------------------

def test_layered_source_prefers_the_first_and_falls_back_to_the_second(public):
    model = MemoryPages({"articles/x/index.html": b"<p>from the model</p>"})
    pages = LayeredSource(model, BuiltFolder(lambda: public))
    assert pages.read("articles/x/index.html") == b"<p>from the model</p>"
    assert pages.read("feed.xml") == b"<feed/>"  # only in the built folder
    assert pages.read("nothing.html") is None


def test_layered_source_never_asks_anyone_for_an_unsafe_path():
    first, then = MemoryPages({"../x": b"no"}), MemoryPages({"../x": b"no"})
    assert LayeredSource(first, then).read("../x") is None
    assert first.asked == [] and then.asked == []


# -- URLs → site paths, and what a request gets -------------------------------------

def test_a_url_names_a_site_path_and_a_folder_url_its_index():
    assert site_path_of("/articles/x/?q=1#top") == "articles/x"
    assert site_path_of("/articles/%C3%A9t%C3%A9/") == "articles/été"
    assert page_of("/articles/x/") == "articles/x/index.html"
    assert page_of("/") == "index.html"
    assert page_of("/feed.xml") == "feed.xml"
    assert page_of("/articles/x/index.html") == "articles/x/index.html"
    for bad in ("/../secret.txt", "/%2e%2e/secret.txt", "/%252e%252e/x", "/a\\b", "/%00", "//etc", "http://x/"):
        with pytest.raises(UnsafePath):
            site_path_of(bad)


def test_find_page_serves_indexes_redirects_folders_and_falls_back_to_the_404_page():
    pages = MemoryPages({"index.html": b"home", "articles/x/index.html": b"x", "feed.xml": b"feed",
                         "404.html": b"missing"})
    assert find_page(pages, "", as_folder=True) == (HTTPStatus.OK, "index.html", b"home")
    assert find_page(pages, "articles/x", as_folder=True) == (HTTPStatus.OK, "articles/x/index.html", b"x")
    assert find_page(pages, "articles/x", as_folder=False)[0] == HTTPStatus.MOVED_PERMANENTLY
    assert find_page(pages, "feed.xml", as_folder=False) == (HTTPStatus.OK, "feed.xml", b"feed")
    assert find_page(pages, "articles/y", as_folder=True) == (HTTPStatus.NOT_FOUND, "404.html", b"missing")
    assert find_page(MemoryPages({}), "articles/y", as_folder=True) == (HTTPStatus.NOT_FOUND, "404.html", None)


class SwappingPages:
    """The output folder as a build swaps it in, one state per round of reads:
    `rounds` lists, per find_page, the folder each of its reads sees."""

    def __init__(self, rounds: list[list[dict[str, bytes]]]):
        self.rounds = rounds
        self.round = -1
        self.reads = 0

    def start_round(self) -> None:
        self.round = min(self.round + 1, len(self.rounds) - 1)
        self.reads = 0

    def read(self, site_path: str) -> bytes | None:
        if self.reads == 0:
            self.start_round()
        folders = self.rounds[self.round]
        folder = folders[min(self.reads, len(folders) - 1)]
        self.reads = (self.reads + 1) % 2  # find_page reads the page, then the 404 page
        return folder.get(site_path)


NEW = {"articles/x/index.html": b"new x", "404.html": b"missing"}


def test_a_page_read_across_a_build_swapping_its_folder_in_is_found():
    missing: dict[str, bytes] = {}
    live = LiveState()
    live.update(building=True)
    # missing folder; then the page read before the swap and the 404 page after; then steady
    pages = SwappingPages([[missing, missing], [missing, NEW], [NEW]])
    assert find_page_steadily(pages, live, "articles/x", as_folder=True) == \
        (HTTPStatus.OK, "articles/x/index.html", b"new x")


def test_a_missing_page_is_answered_at_once_between_builds_and_soon_during_one():
    live = LiveState()
    pages = MemoryPages(NEW)
    assert find_page_steadily(pages, live, "articles/y", as_folder=True)[0] == HTTPStatus.NOT_FOUND
    assert pages.asked == ["articles/y/index.html", "404.html"]
    live.update(building=True)
    pages.asked.clear()
    assert find_page_steadily(pages, live, "articles/y", as_folder=True, grace=30)[0] == HTTPStatus.NOT_FOUND
    assert len(pages.asked) == 4  # twice the same "not found", well before the grace


def test_a_folder_missing_during_a_build_is_waited_for_within_the_grace():
    live = LiveState()
    live.update(building=True)
    pages = MemoryPages({})
    started = time.monotonic()
    assert find_page_steadily(pages, live, "articles/x", as_folder=True, grace=0.5) == \
        (HTTPStatus.NOT_FOUND, "404.html", None)
    assert time.monotonic() - started >= 0.5 and len(pages.asked) >= 4  # looked again until the grace ran out


# -- which generations changed what -----------------------------------------------------

def test_the_history_unions_the_paths_changed_since_a_generation():
    history = ChangeHistory().add(1, None).add(2, frozenset({"a.html"})).add(3, frozenset({"b.html"}))
    assert history.between(1, 3) == {"a.html", "b.html"}
    assert history.between(2, 3) == {"b.html"}
    assert history.between(3, 3) == frozenset()
    assert history.between(0, 3) is None  # generation 1 changed everything


def test_the_history_forgets_old_generations_and_then_says_everything():
    history = ChangeHistory()
    for generation in range(1, KEPT_GENERATIONS + 11):
        history = history.add(generation, frozenset({f"p{generation}.html"}))
    assert len(history.entries) == KEPT_GENERATIONS
    assert history.between(5, 20) is None
    assert history.between(KEPT_GENERATIONS + 5, KEPT_GENERATIONS + 10) == {
        f"p{g}.html" for g in range(KEPT_GENERATIONS + 6, KEPT_GENERATIONS + 11)}


def test_live_state_publishes_generations_with_what_they_changed():
    live = LiveState()
    first = live.publish(None)
    second = live.publish(frozenset({"articles/a/index.html"}), errors=())
    assert (first.generation, second.generation) == (1, 2)
    assert second.changed == {"articles/a/index.html"} and second.server == first.server != ""
    assert live.history.between(1, 2) == {"articles/a/index.html"}
    shown = json.loads(second.to_json(reload=True))
    assert "changed" not in shown and shown["reload"] is True and shown["search_pending"] is False


# -- per tab: reload only when its page changed -----------------------------------------

def _live_with(*changes: frozenset[str] | None) -> tuple[LiveState, BuildStatus]:
    live = LiveState()
    status = live.status
    for changed in changes:
        status = live.publish(changed)
    return live, status


def test_only_the_tab_whose_page_changed_reloads_and_the_other_one_later():
    live, status = _live_with(None, frozenset({"articles/a/index.html", "pagefind/x.pf"}))
    tab_a = tab_of(f"page=/articles/a/&generation=1&server={status.server}")
    tab_b = tab_of(f"page=/articles/b/&generation=1&server={status.server}")
    assert needs_reload(tab_a, status, live.history)
    assert not needs_reload(tab_b, status, live.history)
    tab_b = heard(tab_b, status)
    assert tab_b.generation == 2
    later = live.publish(frozenset({"articles/b/index.html"}))
    assert needs_reload(tab_b, later, live.history)


def test_a_tab_that_missed_several_generations_reloads_if_any_changed_its_page():
    live, status = _live_with(None, frozenset({"articles/b/index.html"}), frozenset({"feed.xml"}))
    hidden = Tab(shown_paths("/articles/b/", missing=False), 1, status.server)
    assert needs_reload(hidden, status, live.history)
    other = Tab(shown_paths("/articles/c/", missing=False), 1, status.server)
    assert not needs_reload(other, status, live.history)


def test_a_tab_on_the_404_page_reloads_when_its_page_appears_or_the_404_page_changes():
    live, status = _live_with(None, frozenset({"articles/new/index.html"}))
    lost = tab_of(f"page=/articles/new/&generation=1&server={status.server}&missing=1")
    assert lost.shows == {"articles/new/index.html", "404.html"}
    assert needs_reload(lost, status, live.history)
    elsewhere = tab_of(f"page=/articles/other/&generation=1&server={status.server}&missing=1")
    assert not needs_reload(elsewhere, status, live.history)
    restyled = live.publish(frozenset({"404.html"}))
    assert needs_reload(heard(elsewhere, status), restyled, live.history)


def test_a_changed_stylesheet_or_everything_reloads_every_tab():
    live, status = _live_with(None, frozenset({"static/style.css"}))
    tab = Tab(frozenset({"index.html"}), 1, status.server)
    assert needs_reload(tab, status, live.history)
    everything = live.publish(None)
    assert needs_reload(heard(Tab(frozenset({"index.html"}), 2, status.server), status), everything, live.history)


def test_a_restarted_server_reloads_the_tab_but_never_mid_build_or_before_a_first_good_build():
    live, status = _live_with(None, frozenset({"a.html"}))
    from_before = Tab(frozenset({"b.html"}), 2, "another-server")
    assert needs_reload(from_before, status, live.history)
    older_script = Tab(frozenset({"b.html"}), 7, "")  # no server said: a lower generation means a restart
    assert needs_reload(older_script, status, live.history)
    building = live.update(building=True)
    assert not needs_reload(from_before, building, live.history)
    assert not needs_reload(from_before, LiveState().status, LiveState().history)  # generation 0


def test_a_stream_without_a_page_reloads_on_every_new_generation():
    live, status = _live_with(None)
    tab = tab_of("")
    assert not needs_reload(tab, status, live.history)  # its first status is where it stands
    tab = heard(tab, status)
    assert needs_reload(tab, live.publish(frozenset({"x.html"})), live.history)


# -- the served page tells its script what it shows ---------------------------------------

def test_the_injected_script_says_the_404_and_the_notice_in_the_page_language():
    status = BuildStatus(generation=4, server="abc")
    french = inject(b'<html lang="fr"><body><div id="search"></div></body></html>', status)
    assert b"livereload.js?generation=4&server=abc" in french
    assert "Les résultats de recherche n’incluent peut-être pas".encode() in french
    english = inject(b'<html lang="en-GB"><body></body></html>', status, missing=True)
    assert b"missing=1" in english and b"Search results may not include your latest changes yet." in english


# -- over HTTP: two streams, two pages ------------------------------------------------------

def _stream(preview, query: str):
    conn = http.client.HTTPConnection("127.0.0.1", preview.server.server_address[1], timeout=10)
    conn.request("GET", "/__gazette__/events?" + query)
    response = conn.getresponse()

    def next_status() -> dict:
        while True:
            line = response.fp.readline()
            if line.startswith(b"data: "):
                return json.loads(line[6:])

    return conn, next_status


def test_each_event_stream_hears_whether_its_own_page_changed(small_site):
    with running(small_site) as preview:
        start = preview.status
        assert start.generation == 1 and start.changed is None  # a whole build changed everything
        streams = {}
        for name in ("alpha", "beta"):
            conn, next_status = _stream(preview, f"page=/articles/{name}/&generation=1&server={start.server}")
            assert next_status()["reload"] is False
            streams[name] = (conn, next_status)
        preview.publish(frozenset({"articles/alpha/index.html"}))
        heard_a = streams["alpha"][1]()
        assert heard_a["generation"] == 2 and heard_a["reload"] is True
        next_b = streams["beta"][1]
        heard_b = next_b()
        assert heard_b["generation"] == 2 and heard_b["reload"] is False
        preview.publish(frozenset({"articles/beta/index.html"}))
        assert next_b()["reload"] is True
        preview.set_search_pending(True)
        for conn, _ in streams.values():
            conn.close()
        assert json.loads(_status(preview))["search_pending"] is True


def _status(preview) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", preview.server.server_address[1], timeout=10)
    conn.request("GET", "/__gazette__/status")
    body = conn.getresponse().read()
    conn.close()
    return body
