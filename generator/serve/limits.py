"""The bounds that keep the preview answering whatever its clients do: a
crowd of connections, sockets left open, a request head sent one byte at a
time, huge heads, more live-reload streams than any browser opens.

http.server already gives each connection its own thread (http.py); what it
lacks are these limits. Its own are a listen queue of 5, 64 KiB a line and
100 header lines, and only a per-read timeout, which a client sending a
byte every few seconds never reaches.
"""
from __future__ import annotations

import io
import socket
import time
from http import HTTPStatus

LISTEN_BACKLOG = 1024  # connections the kernel holds until they are accepted (capped by somaxconn)
HEAD_SECONDS = 5.0  # from connecting to the end of the headers: browsers send them at once
SEND_SECONDS = 10.0  # a write to a client that does not read; once the head is read
MAX_LINE = 8 * 1024  # bytes of the request line, or of one header line (as Apache and nginx)
MAX_HEAD = 32 * 1024  # bytes of the request line and all the headers together
MAX_CONNECTIONS = 256  # connections served at a time; more wait in the listen queue
MAX_EVENT_STREAMS = 16  # live-reload streams held open; a browser opens at most 6
EVENT_RETRY_MS = 10_000  # when a stream turned away asks again

_DRAIN_BYTES = 64 * 1024
_DRAIN_SECONDS = 1.0


class HeadTooLarge(Exception):
    """The request line or the headers exceed MAX_LINE or MAX_HEAD."""

    def __init__(self, status: HTTPStatus, explain: str):
        super().__init__(explain)
        self.status = status
        self.explain = explain


class _TimedSocketIO(socket.SocketIO):
    """The connection's bytes; while `deadline` is set, no read waits past it."""

    deadline: float | None = None

    def readinto(self, buffer) -> int | None:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request head took too long")
            self._sock.settimeout(left)
        return super().readinto(buffer)


class HeadReader(io.BufferedReader):
    """A handler's rfile: between begin_head() and end_head(), reading the
    request line and the headers (http.server reads both with readline) is
    bounded in time (HEAD_SECONDS in all) and in size (MAX_LINE, MAX_HEAD)."""

    def __init__(self, connection: socket.socket):
        self._connection = connection
        self._raw = _TimedSocketIO(connection, "rb")
        super().__init__(self._raw)
        self._left: int | None = None  # bytes the head may still take
        self._lines = 0

    def begin_head(self) -> None:
        self._raw.deadline = time.monotonic() + HEAD_SECONDS
        self._left, self._lines = MAX_HEAD, 0

    def end_head(self) -> None:
        self._raw.deadline = self._left = None
        self._connection.settimeout(SEND_SECONDS)

    def readline(self, size: int | None = -1) -> bytes:
        if self._left is None:
            return super().readline(size)
        cap = min(MAX_LINE, self._left)
        line = super().readline(cap + 1)  # one byte more tells a line that is too long
        self._lines += 1
        if len(line) > cap:
            raise self._too_large(line_too_long=cap == MAX_LINE)
        self._left -= len(line)
        return line

    def _too_large(self, line_too_long: bool) -> HeadTooLarge:
        if self._lines == 1:
            return HeadTooLarge(HTTPStatus.REQUEST_URI_TOO_LONG, f"the request line may take at most {MAX_LINE} bytes")
        if line_too_long:
            return HeadTooLarge(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                                f"a header line may take at most {MAX_LINE} bytes")
        return HeadTooLarge(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                            f"the request line and headers may take at most {MAX_HEAD} bytes")


def drain(connection: socket.socket) -> None:
    """Once an answer is sent, read (a bounded amount of) what the client still
    sends: closing a socket with unread bytes resets the connection, and the
    client could lose the answer before reading it."""
    try:
        connection.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + _DRAIN_SECONDS
        drained = 0
        while drained < _DRAIN_BYTES and (left := deadline - time.monotonic()) > 0:
            connection.settimeout(left)
            chunk = connection.recv(16 * 1024)
            if not chunk:
                return
            drained += len(chunk)
    except OSError:
        pass
