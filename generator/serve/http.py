"""The preview's HTTP server: serves the site's pages and nothing else.

- Pages come from a PageSource (pages.py: the built folder by default); a
  URL becomes a site path here, a folder's URL its index.html.
- Only site paths, whatever the request: `..` (plain, percent-encoded or
  double-encoded), backslashes, NUL and absolute-form targets are refused
  with a 4xx; the built folder reads no symlink pointing outside (a 404).
- Only requests addressed to this server by a loopback name or address (or,
  when bound to another interface, by this machine's names or an IP
  literal): a page on another site that rebinds its DNS name to 127.0.0.1
  gets a 403 (DNS rebinding).
- HTML responses get the live-reload script injected in memory; the files
  on disk stay byte-identical to `gazette build`'s.
- The 404 page's `<base href>` (the path of base_url, for static hosts) is
  changed to `/`, where this server serves the site, so its stylesheet and
  links work at any missing address.
- A file is opened before it is read (pages.py), so a request that started
  before a build swapped the output folder still completes with the old bytes.
- Each tab's event stream says which page it shows: it is told to reload
  only when that page changed (tabs.py).
- A bad request never stops the server: each request runs in its own
  thread and every error ends as a response or a closed connection.
- No client can keep others waiting: connections, the time and size of a
  request's head and the live-reload streams are bounded (limits.py).
"""
from __future__ import annotations

import ipaddress
import mimetypes
import re
import socket
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from generator.serve import limits, livereload, tabs
from generator.serve.livereload import LiveState
from generator.serve.pages import NOT_FOUND_PAGE, PageSource, UnsafePath, file_inside, site_path_of

# the output folder is missing for an instant while a build swaps it in
_SWAP_GRACE_SECONDS = 2.0
_KEEPALIVE_SECONDS = 15.0
_NOTHING_BUILT_PAGE = b"<!doctype html><html><head><meta charset=utf-8><title>Not found</title></head>" \
    b"<body><p>Not found: nothing was built at this address.</p></body></html>\n"
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
}


# the first <base href="…"> of the 404 page (views.not_found_page)
_BASE_HREF = re.compile(rb'(<base\s+href=")[^"]*(")', re.IGNORECASE)


def at_root(page: bytes) -> bytes:
    """The 404 page with its <base href> at `/`: this server serves the site there,
    whatever path base_url has (the page as built resolves its links from base_url's path)."""
    return _BASE_HREF.sub(rb"\1/\2", page, count=1)


class Refused(Exception):
    """A request the server will not answer with a file."""

    def __init__(self, status: HTTPStatus, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def site_file(root: Path, target: str) -> Path:
    """The path inside `root` a request target names (it may not exist).

    Raises Refused for anything that could reach outside `root`.
    """
    path = file_inside(root, _site_path(target))
    if path is None:
        raise Refused(HTTPStatus.FORBIDDEN, "the path leads outside the site")
    return path


def _site_path(target: str) -> str:
    try:
        return site_path_of(target)
    except UnsafePath as unsafe:
        raise Refused(HTTPStatus.BAD_REQUEST, str(unsafe)) from None


def find_page(pages: PageSource, path: str, as_folder: bool) -> tuple[HTTPStatus, str, bytes | None]:
    """(status, site path, bytes) of what a request for `path` gets: a folder's
    index.html, a redirect to the folder's URL with its `/`, or the 404 page
    (None when there is none either)."""
    if as_folder or not path:
        index = f"{path}/index.html" if path else "index.html"
        body = pages.read(index)
        if body is not None:
            return HTTPStatus.OK, index, body
    else:
        body = pages.read(path)
        if body is not None:
            return HTTPStatus.OK, path, body
        if pages.read(f"{path}/index.html") is not None:
            return HTTPStatus.MOVED_PERMANENTLY, path, None
    return HTTPStatus.NOT_FOUND, NOT_FOUND_PAGE, pages.read(NOT_FOUND_PAGE)


def find_page_steadily(pages: PageSource, live: LiveState, path: str, as_folder: bool,
                       grace: float = _SWAP_GRACE_SECONDS) -> tuple[HTTPStatus, str, bytes | None]:
    """find_page, with a "not found" met while a build runs looked at again.
    While a build swaps its output in, the folder is missing for an instant
    (no 404 page either), and find_page's reads may straddle the swap (the
    page read before it, missing; the 404 page after it, found). So during a
    build a 404 counts only when found twice in a row with its 404 page, and
    within `grace` seconds."""
    deadline = time.monotonic() + grace
    previous = None
    while True:
        # read before the pages and after: a build that starts or ends while they are read counts
        before = live.status
        answer = find_page(pages, path, as_folder)
        after = live.status
        building = before.building or after.building or before.generation != after.generation
        status, _, body = answer
        steady = not building or (body is not None and answer == previous)
        if status != HTTPStatus.NOT_FOUND or steady or time.monotonic() > deadline:
            return answer
        previous = answer
        time.sleep(0.01)


def _split_host(header: str) -> str:
    """The host name of a Host header, without port, brackets or final dot."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        name = header[1:end] if end > 0 else ""
    elif header.count(":") == 1:
        name = header.split(":", 1)[0]
    else:
        name = header
    return name.rstrip(".")


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """True for loopback addresses and names (localhost and *.localhost, RFC 6761)."""
    ip = _ip(host.strip("[]"))
    if ip is not None:
        return ip.is_loopback
    host = host.lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


@dataclass(frozen=True)
class HostPolicy:
    """Which Host headers this server answers."""

    bound_to_loopback: bool
    own_names: frozenset[str]  # this machine's names, when exposed on another interface

    @classmethod
    def for_bind(cls, host: str) -> "HostPolicy":
        if is_loopback(host):
            return cls(True, frozenset())
        names = {host.lower(), socket.gethostname().lower(), socket.getfqdn().lower()}
        return cls(False, frozenset(n.rstrip(".") for n in names if n))

    def allows(self, header: str | None) -> bool:
        if not header:
            return False
        name = _split_host(header)
        if not name:
            return False
        if is_loopback(name):
            return True
        if self.bound_to_loopback:
            return False
        # an IP literal cannot be rebound by an attacker's DNS; names must be ours
        return _ip(name) is not None or name in self.own_names


class PreviewServer(ThreadingHTTPServer):
    """Serves the pages of `pages` with live reload."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = limits.LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], pages: PageSource, live: LiveState):
        self.pages = pages
        self.live = live
        self.host_policy = HostPolicy.for_bind(address[0])
        self.connections = threading.BoundedSemaphore(limits.MAX_CONNECTIONS)
        self.event_streams = threading.BoundedSemaphore(limits.MAX_EVENT_STREAMS)
        self._stopping = threading.Event()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, PreviewHandler)

    def handle_error(self, request, client_address) -> None:
        # a broken request must not print a traceback or stop anything
        pass

    def process_request(self, request, client_address) -> None:
        """A thread for the connection, once fewer than MAX_CONNECTIONS are
        served; meanwhile the next ones wait in the listen queue."""
        while not self.connections.acquire(timeout=0.1):
            if self._stopping.is_set():
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except BaseException:  # no thread started: nothing will give the place back
            self.connections.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.connections.release()

    def shutdown(self) -> None:
        self._stopping.set()  # a connection waiting for a place does not hold the stop up
        super().shutdown()


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "GazettePreview"
    sys_version = ""
    timeout = limits.SEND_SECONDS  # for a write; reading the head has its own deadline
    rfile: limits.HeadReader

    def log_message(self, format: str, *args) -> None:  # the terminal is for builds and errors
        pass

    def setup(self) -> None:
        super().setup()
        self.rfile.close()
        self.rfile = limits.HeadReader(self.connection)

    def handle_one_request(self) -> None:
        self.rfile.begin_head()
        try:
            super().handle_one_request()
        except limits.HeadTooLarge as too_large:
            self._refuse_head(too_large)

    def parse_request(self) -> bool:
        try:
            return super().parse_request()
        finally:
            self.rfile.end_head()  # the head is read: what follows is answered without a deadline

    def _refuse_head(self, too_large: limits.HeadTooLarge) -> None:
        self.rfile.end_head()
        self.close_connection = True
        self.requestline = self.request_version = self.command = ""  # as http.server does for 414
        self.send_error(too_large.status, explain=too_large.explain)
        limits.drain(self.connection)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        try:
            if not self.server.host_policy.allows(self.headers.get("Host")):
                raise Refused(HTTPStatus.FORBIDDEN, "unknown Host: this preview answers only to its own address")
            route = self.path.split("?", 1)[0]
            if route == livereload.EVENTS_URL and send_body:
                self._stream_events()
            elif route == livereload.SCRIPT_URL:
                self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", livereload.SCRIPT.encode(), send_body)
            elif route == livereload.STATUS_URL:
                body = self.server.live.status.to_json().encode()
                self._send(HTTPStatus.OK, "application/json", body, send_body)
            else:
                self._serve_file(send_body)
        except Refused as refused:
            self._send_plain(refused.status, refused.reason, send_body)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True
        except Exception as exc:  # never let one request take the server down
            self.close_connection = True
            try:
                self._send_plain(HTTPStatus.INTERNAL_SERVER_ERROR, f"{type(exc).__name__}: {exc}", send_body)
            except OSError:
                pass

    def _serve_file(self, send_body: bool) -> None:
        target = self.path.split("?", 1)[0]
        wanted = _site_path(self.path)
        status, served, body = find_page_steadily(self.server.pages, self.server.live, wanted,
                                                  as_folder=target.endswith("/"))
        if status == HTTPStatus.MOVED_PERMANENTLY:
            self._redirect(target + "/" + self.path[len(target):])
            return
        if body is None:
            # no page and no 404.html (e.g. the first build failed): still a page
            # with the overlay and the script, so that it recovers by itself
            body = _NOTHING_BUILT_PAGE
        suffix = Path(served).suffix.lower()
        content_type = _TYPES.get(suffix) or mimetypes.guess_type(served)[0] or "application/octet-stream"
        if status == HTTPStatus.NOT_FOUND:
            body = at_root(body)
        if content_type.startswith("text/html"):
            body = livereload.inject(body, self.server.live.status, missing=status == HTTPStatus.NOT_FOUND)
        self._send(status, content_type, body, send_body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _stream_events(self) -> None:
        """Server-Sent Events: the build status now and after every change;
        beyond MAX_EVENT_STREAMS, the status now and when to ask again."""
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        tab = tabs.tab_of(self.path.partition("?")[2])
        if not self.server.event_streams.acquire(blocking=False):
            status = self.server.live.status
            reload = tabs.needs_reload(tab, status, self.server.live.history)
            self.wfile.write(f"retry: {limits.EVENT_RETRY_MS}\n\ndata: {status.to_json(reload=reload)}\n\n".encode())
            return
        try:
            self._send_events(tab)
        finally:
            self.server.event_streams.release()

    def _send_events(self, tab: tabs.Tab) -> None:
        """Every status, with whether this tab reloads for it (tabs.py)."""
        self.wfile.write(b"retry: 500\n\n")
        live = self.server.live
        seen = None
        while True:
            status = live.wait_for_change(seen, _KEEPALIVE_SECONDS)
            if status is None:
                return
            if status == seen:
                self.wfile.write(b": keep-alive\n\n")
            else:
                reload = tabs.needs_reload(tab, status, live.history)
                if not reload:
                    tab = tabs.heard(tab, status)
                self.wfile.write(f"data: {status.to_json(reload=reload)}\n\n".encode())
                seen = status
            self.wfile.flush()

    def _send(self, status: HTTPStatus, content_type: str, body: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _send_plain(self, status: HTTPStatus, message: str, send_body: bool) -> None:
        self.close_connection = True
        self._send(status, "text/plain; charset=utf-8", f"{status.value} {status.phrase}: {message}\n".encode(), send_body)
