"""Issue 12, class 7: a preview server that stays up.

The preview runs on people's laptops, where any page in the browser (or any
program) can open connections to it. Whatever they do — a burst of
requests, sockets left open, headers sent one byte at a time, huge
headers, a crowd of live-reload streams — the next page request is
answered at once. Loopback only; every test is bounded in time and stops
its server (tests/test_serve.py's `running`).
"""
from __future__ import annotations

import http.client
import selectors
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

from test_serve import running, small_site  # noqa: F401  (small_site is a fixture)

BURST = 200
IDLE = 10
CLIENT_TIMEOUT = 10.0  # seconds a test client waits on one socket operation


def _port(preview) -> int:
    return preview.server.server_address[1]


def _get(port: int, path: str = "/") -> int | str:
    """The status of one GET, or what went wrong (never raises)."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT)
        conn.request("GET", path, headers={"Host": "localhost"})
        response = conn.getresponse()
        response.read()
        conn.close()
        return response.status
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"


def _idle_sockets(stack: ExitStack, port: int, count: int) -> list[socket.socket]:
    """Slowloris: half say nothing, half stop in the middle of the request line."""
    sockets = []
    for number in range(count):
        sock = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=CLIENT_TIMEOUT))
        if number % 2:
            sock.sendall(b"GET /articles/al")
        sockets.append(sock)
    return sockets


def _read_until_closed(sock: socket.socket, seconds: float) -> tuple[bytes, bool]:
    """What the server sends until it closes the connection (True) or `seconds` pass (False)."""
    deadline = time.monotonic() + seconds
    chunks = []
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        except ConnectionResetError:
            return b"".join(chunks), True
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)
    return b"".join(chunks), False


def _status_of(answer: bytes) -> int | None:
    parts = answer.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and answer.startswith(b"HTTP/") and parts[1].isdigit() else None


def test_a_burst_of_200_requests_with_idle_sockets_open_is_answered_within_seconds(small_site):
    with running(small_site) as preview, ExitStack() as stack:
        port = _port(preview)
        _idle_sockets(stack, port, IDLE)
        answers, seconds = _burst(stack, port, BURST, within=10)
    statuses = [_status_of(answer) for answer in answers]
    failed = [status for status in statuses if status != 200]
    assert not failed, f"{len(failed)} of {BURST} requests not answered 200 within 10 s: {failed[:5]}"
    assert seconds < 10, f"the burst took {seconds:.1f} s"


def _burst(stack: ExitStack, port: int, count: int, within: float) -> tuple[list[bytes], float]:
    """`count` GET requests connected all at once (non-blocking, as a crowd of
    clients would), their answers as far as they came within `within` seconds,
    and the seconds until the last one ended."""
    sockets = []
    for _ in range(count):
        sock = stack.enter_context(socket.socket())
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        sockets.append(sock)
    started = time.monotonic()
    request = b"GET /articles/alpha/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    received = {sock: b"" for sock in sockets}
    with selectors.DefaultSelector() as selector:
        for sock in sockets:
            selector.register(sock, selectors.EVENT_WRITE)
        while selector.get_map() and (left := started + within - time.monotonic()) > 0:
            for key, events in selector.select(left):
                sock = key.fileobj
                if events & selectors.EVENT_WRITE:
                    try:
                        sock.sendall(request)  # a few bytes: the socket buffer takes them at once
                        selector.modify(sock, selectors.EVENT_READ)
                    except OSError:
                        selector.unregister(sock)
                    continue
                try:
                    chunk = sock.recv(65536)
                except OSError:
                    chunk = b""
                received[sock] += chunk
                if not chunk:
                    selector.unregister(sock)
    return [received[sock] for sock in sockets], time.monotonic() - started


def test_more_connections_than_are_served_at_once_only_delay_a_page(small_site):
    # the server serves a few hundred connections at a time (limits.py); the
    # next ones wait their turn in the listen queue instead of being refused
    with running(small_site) as preview, ExitStack() as stack:
        port = _port(preview)
        _idle_sockets(stack, port, 300)
        started = time.monotonic()
        status = _get(port, "/articles/alpha/")
        seconds = time.monotonic() - started
    assert status == 200
    assert seconds < 9, f"the page waited {seconds:.1f} s behind idle connections"


def test_a_client_sending_nothing_is_dropped_within_seconds(small_site):
    with running(small_site) as preview:
        with socket.create_connection(("127.0.0.1", _port(preview)), timeout=CLIENT_TIMEOUT) as sock:
            started = time.monotonic()
            _, closed = _read_until_closed(sock, 15)
            seconds = time.monotonic() - started
    assert closed and seconds < 8, f"an idle client was kept for {seconds:.1f} s (closed: {closed})"


def test_a_client_sending_its_headers_byte_by_byte_is_cut_off_within_seconds(small_site):
    head = b"GET / HTTP/1.1\r\nHost: localhost\r\n" + b"".join(b"X-Slow-%d: yes\r\n" % n for n in range(100))
    with running(small_site) as preview:
        with socket.create_connection(("127.0.0.1", _port(preview)), timeout=CLIENT_TIMEOUT) as sock:
            started = time.monotonic()
            cut = False
            for byte in head:  # one byte every 0.1 s: never 30 s of silence, but 5 minutes in all
                if time.monotonic() - started > 15:
                    break
                try:
                    sock.sendall(bytes([byte]))
                except (BrokenPipeError, ConnectionResetError):
                    cut = True
                    break
                if _readable(sock, 0.1):  # the server answered (408) or closed
                    _, cut = _read_until_closed(sock, 1)
                    if cut:
                        break
            seconds = time.monotonic() - started
        assert _get(_port(preview)) == 200  # and the server still answers others
    assert cut and seconds < 8, f"a client trickling its headers was kept for {seconds:.1f} s (cut: {cut})"


def _readable(sock: socket.socket, seconds: float) -> bool:
    with selectors.DefaultSelector() as selector:
        selector.register(sock, selectors.EVENT_READ)
        return bool(selector.select(seconds))


def _raw(port: int, head: bytes) -> int | None:
    """The status the server answers to this request head (None if it answers none)."""
    with socket.create_connection(("127.0.0.1", port), timeout=CLIENT_TIMEOUT) as sock:
        try:
            sock.sendall(head)
        except (BrokenPipeError, ConnectionResetError):
            pass  # it may answer and close before reading everything
        answer, _ = _read_until_closed(sock, CLIENT_TIMEOUT)
    return _status_of(answer)


def test_oversized_heads_get_431_or_414_and_other_clients_are_still_answered(small_site):
    big_header = b"GET / HTTP/1.0\r\nHost: localhost\r\nX-Big: " + b"a" * 10_000 + b"\r\n\r\n"
    many_headers = b"GET / HTTP/1.0\r\nHost: localhost\r\n" + b"".join(
        b"X-Many-%d: " % n + b"b" * 1000 + b"\r\n" for n in range(60)) + b"\r\n"
    long_target = b"GET /" + b"c" * 10_000 + b" HTTP/1.0\r\nHost: localhost\r\n\r\n"
    with running(small_site) as preview:
        port = _port(preview)
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda head: _raw(port, head), [big_header, many_headers, long_target]))
            others = list(pool.map(lambda _: _get(port), range(20)))
    assert answers == [431, 431, 414]
    assert others == [200] * 20


def test_a_crowd_of_event_streams_is_capped_and_pages_are_still_answered(small_site):
    streams = 100
    with running(small_site) as preview, ExitStack() as stack:
        port = _port(preview)
        sockets = []
        for _ in range(streams):
            sock = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=CLIENT_TIMEOUT))
            sock.sendall(b"GET /__gazette__/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
            sockets.append(sock)
        assert _get(port, "/articles/alpha/") == 200
        # the streams beyond the cap are told to come back later, and closed
        answers = _answers_within(sockets, seconds=3)
    closed = [answer for answer, done in answers if done]
    assert len(closed) >= streams - 32, f"the server holds {streams - len(closed)} event streams open"
    assert all(_status_of(a) == 200 and b"retry:" in a for a in closed), closed[:1]


def _answers_within(sockets: list[socket.socket], seconds: float) -> list[tuple[bytes, bool]]:
    """(bytes received, closed by the server) per socket, reading all at once for `seconds`."""
    received = {sock: [b"", False] for sock in sockets}
    deadline = time.monotonic() + seconds
    with selectors.DefaultSelector() as selector:
        for sock in sockets:
            selector.register(sock, selectors.EVENT_READ)
        while selector.get_map() and (left := deadline - time.monotonic()) > 0:
            for key, _ in selector.select(left):
                try:
                    chunk = key.fileobj.recv(65536)
                except ConnectionResetError:
                    chunk = b""
                if chunk:
                    received[key.fileobj][0] += chunk
                else:
                    received[key.fileobj][1] = True
                    selector.unregister(key.fileobj)
    return [tuple(received[sock]) for sock in sockets]
