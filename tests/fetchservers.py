"""Real local servers for the fetcher's tests, and a record of every socket connect().

Nothing here mocks httpx or sockets. Servers are real listeners on 127.0.0.1, 127.0.0.2 or
::1 with ephemeral ports, each in its own thread:

- :class:`LocalServer`: an ``http.server`` with a table of routes (path -> function), counting
  the connections it accepted and the requests it saw; optionally TLS.
- :class:`Sinkhole`: a listener that only counts who connected. A refused vector aimed at it
  must leave its count unchanged. ``settle()`` makes that count exact without sleeping: it
  connects once itself and waits until the sinkhole has accepted that probe, so every earlier
  connection (the listen queue is first in, first out) has been counted too.
- :func:`connects`: the ``socket.connect`` targets of the code inside the ``with`` block, from
  Python's audit hooks (PEP 578) — an observation of the real call, not a replacement for it.
"""

from __future__ import annotations

import select
import socket
import ssl
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# --- socket.connect targets, observed ---------------------------------------------------------

_recording: list[list[tuple[str, int]]] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.connect" and _recording:
        address = args[1]
        if isinstance(address, tuple):
            _recording[-1].append((str(address[0]), int(address[1])))


sys.addaudithook(_audit)


@contextmanager
def connects() -> Iterator[list[tuple[str, int]]]:
    """Every (host, port) any thread passes to ``socket.connect`` inside the block."""
    seen: list[tuple[str, int]] = []
    _recording.append(seen)
    try:
        yield seen
    finally:
        _recording.remove(seen)


# --- a listener that only counts ---------------------------------------------------------------


class Sinkhole:
    """Accepts and immediately closes connections, remembering each client address."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._sock = socket.socket(family, socket.SOCK_STREAM)
        self._sock.bind((host, port))
        self._sock.listen(64)
        self.host, self.port = host, int(self._sock.getsockname()[1])
        self._peers: list[tuple[Any, ...]] = []
        self._probes: set[tuple[Any, ...]] = set()
        self._changed = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._accept_loop, daemon=True,
                                        name=f"sinkhole {host}:{self.port}")
        self._thread.start()

    def _accept_loop(self) -> None:
        while True:
            try:
                conn, peer = self._sock.accept()
            except OSError:
                return
            conn.close()
            with self._changed:
                self._peers.append(peer)
                self._changed.notify_all()
            if self._stopping:
                return

    def settle(self) -> int:
        """How many connections (other than this class's own probes) were accepted so far."""
        with socket.create_connection((self.host, self.port), timeout=5) as probe:
            mine = probe.getsockname()
            with self._changed:
                self._probes.add(mine)
                if not self._changed.wait_for(lambda: mine in self._peers, timeout=5):
                    raise AssertionError(f"the sinkhole on port {self.port} stopped accepting")
                return sum(1 for peer in self._peers if peer not in self._probes)

    def close(self) -> None:
        self._stopping = True
        socket.create_connection((self.host, self.port), timeout=5).close()  # wakes accept()
        self._thread.join(timeout=5)
        self._sock.close()


# --- an HTTP server with a table of routes -----------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    path: str
    host_header: str | None
    peer: str


class Handler(BaseHTTPRequestHandler):
    """Dispatches GET to the server's routes; HTTP/1.1 so that connections are kept alive."""

    protocol_version = "HTTP/1.1"
    server: LocalServer

    def setup(self) -> None:
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(5)
            self.request.do_handshake()  # in this thread, so a failing client blocks nothing
        super().setup()

    def do_GET(self) -> None:
        self.server.seen.append(Seen(self.path, self.headers.get("Host"), self.client_address[0]))
        route = self.server.routes.get(urlsplit(self.path).path)
        if route is None:
            self.send_body(404, b"no such page", reason="Not Found")
        else:
            route(self)

    def send_body(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
                  headers: Mapping[str, str] | None = None, reason: str | None = None) -> None:
        self.send_response(status, reason)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def query(self) -> dict[str, str]:
        return {key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()}

    def client_gone(self, wait: float) -> bool:
        """True once the client closed its end (or the server is stopping); waits up to
        ``wait`` seconds otherwise. Lets never-ending routes end with their test."""
        if self.server.stopping.is_set():
            return True
        readable, _, _ = select.select([self.connection], [], [], wait)
        if not readable:
            return self.server.stopping.is_set()
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests assert on ``server.seen`` instead."""


Route = Callable[[Handler], None]


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, routes: Mapping[str, Route], port: int = 0,
                 tls: ssl.SSLContext | None = None) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.routes, self.tls = dict(routes), tls
        self.seen: list[Seen] = []
        self.accepted = 0
        self.errors: list[BaseException] = []
        self.stopping = threading.Event()
        super().__init__((host, port), Handler)
        self.host, self.port = host, int(self.server_address[1])

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, peer = super().get_request()
        self.accepted += 1
        if self.tls is not None:
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, peer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Recorded, not printed: a failed TLS handshake is what some tests expect."""
        self.errors.append(sys.exc_info()[1] or RuntimeError("unknown error"))

    def url(self, path: str = "/", scheme: str = "http", host: str | None = None) -> str:
        shown = host or (f"[{self.host}]" if ":" in self.host else self.host)
        return f"{scheme}://{shown}:{self.port}{path}"


@contextmanager
def serve(routes: Mapping[str, Route], host: str = "127.0.0.1", port: int = 0,
          tls: ssl.SSLContext | None = None) -> Iterator[LocalServer]:
    server = LocalServer(host, routes, port, tls)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True, name=f"server {host}:{server.port}")
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def sinkhole(host: str = "127.0.0.1", port: int = 0) -> Iterator[Sinkhole]:
    hole = Sinkhole(host, port)
    try:
        yield hole
    finally:
        hole.close()


def ipv6_loopback_works() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


# --- routes shared by both test files -----------------------------------------------------------


def page_route(body: bytes, content_type: str = "text/html; charset=utf-8",
               headers: Mapping[str, str] | None = None) -> Route:
    def route(handler: Handler) -> None:
        handler.send_body(200, body, content_type, headers)
    return route


def redirect_route(handler: Handler) -> None:
    """``/to?status=302&location=URL``: a redirect anywhere the test says."""
    query = handler.query()
    status = int(query.get("status", "302"))
    close = {"Connection": "close"} if query.get("close") else {}
    handler.send_body(status, b"", "text/plain", {"Location": query["location"], **close})


def chain_route(handler: Handler) -> None:
    """``/chain?left=N``: N more redirects on this server, then ``/page``."""
    left = int(handler.query()["left"])
    location = f"/chain?left={left - 1}" if left > 1 else "/page"
    handler.send_body(302, b"", "text/plain", {"Location": location})


def loop_route(handler: Handler) -> None:
    handler.send_body(302, b"", "text/plain", {"Location": "/loop"})


SMALL_PAGE = (b"<!doctype html><html><head><title>Local page</title></head><body>"
              b"<p>Vitamin C does not cure the common cold.</p></body></html>")
