"""Fetch a web page for an audit without becoming a tool against the network the auditor runs on.

The guard sits where the socket is opened, not where the URL is parsed: httpx hands every
connection to :class:`GuardedBackend`, which resolves the host once, refuses the whole
request if *any* returned address is not allowed (:mod:`auditor.ingest.addresses`), and
connects to an address it checked — never to the name again, so DNS rebinding has no second
answer to give. Redirects are followed by hand, at most five, each new URL checked before its
connection. Proxies from the environment are ignored: a proxy would resolve names itself.

Everything is bounded: one total deadline for the whole fetch (per-read timeouts never trip on
a server that drips a byte every few seconds), a cap on the *decoded* body that stops a
compression bomb mid-inflate, one content encoding at most. TLS is always verified and a
failure is reported, never retried without verification.
"""

from __future__ import annotations

import re
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from ipaddress import IPv4Network, IPv6Network
from queue import Empty, Queue
from typing import Any

import httpcore
import httpx

from auditor import __version__
from auditor.errors import InputError
from auditor.ingest.addresses import IPAddress, address_problem, parse_address
from auditor.ingest.body import (
    BodyError,
    CappedDecoder,
    TooLarge,
    binary_kind,
    decode_text,
    media_type,
    size_text,
)

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 10 * 2**20
MAX_REDIRECTS = 5
WEB_PORTS = frozenset({80, 443, 8000, 8080, 8443})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown"})
_REDIRECT_BODY_BYTES = 64 * 1024  # a redirect's body is kept for the archive, up to this
_CHUNK = 64 * 1024

Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``getaddrinfo`` gives for ``host`` (it also reads numeric forms such as
    ``2130706433`` or ``0x7f.1`` as the addresses a browser would connect to)."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


@dataclass(frozen=True)
class FetchPolicy:
    """What a fetch may do.

    ``allow_private`` permits private and loopback targets for intranet use (the CLI's
    --allow-private also lifts the port list); link-local, metadata, multicast and reserved
    addresses stay refused. ``ports`` lists the ports a URL may name (None: any).
    ``resolver`` and ``allow_networks`` exist for tests that need names pointing at chosen
    addresses and one exact local server allowed."""

    allow_private: bool = False
    ports: frozenset[int] | None = WEB_PORTS
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    ca_bundle: str | None = None
    resolver: Resolver = system_resolver
    allow_networks: tuple[IPv4Network | IPv6Network, ...] = ()

    @classmethod
    def for_user(cls, allow_private: bool, **limits: Any) -> FetchPolicy:
        """The policy a user's ``--allow-private`` asks for: intranet pages sit on any port,
        so opening private addresses also lifts the web-port list."""
        return cls(allow_private=allow_private, ports=None if allow_private else WEB_PORTS,
                   **limits)

    def address_problem(self, address: IPAddress) -> str | None:
        if any(address in network for network in self.allow_networks):
            return None
        return address_problem(address, allow_private=self.allow_private)


class FetchError(InputError):
    """A URL could not be fetched; the message names the URL and the reason."""

    code = "E110"


class BlockedDestination(FetchError):
    """The URL points at an address the auditor refuses to connect to."""

    code = "E111"


@dataclass(frozen=True)
class Exchange:
    """One request and its response as they crossed the wire, kept for the evidence archive
    (the body still content-encoded, as received)."""

    url: str
    request_headers: tuple[tuple[bytes, bytes], ...]
    status: int
    reason: str
    http_version: str
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    peer: str | None


@dataclass(frozen=True)
class Page:
    """A fetched page: where it ended up, what was exchanged, and its decoded text."""

    url: str
    final_url: str
    exchanges: tuple[Exchange, ...]
    media_type: str
    text: str
    charset: str
    retrieved: str
    notes: tuple[str, ...] = field(default=())

    @property
    def is_html(self) -> bool:
        return self.media_type in HTML_TYPES


class _Refused(Exception):
    """Raised inside the transport; :func:`fetch` adds the URL and makes it a FetchError."""

    def __init__(self, reason: str, blocked: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.blocked = reason, blocked


def fetch(url: str, policy: FetchPolicy | None = None) -> Page:
    """Fetch ``url`` under ``policy``; every failure is a one-line :class:`FetchError`."""
    policy = policy or FetchPolicy()
    deadline = time.monotonic() + policy.timeout
    shown = _printable(url)
    try:
        return _fetch(url, policy, deadline)
    except _Refused as exc:
        kind = BlockedDestination if exc.blocked else FetchError
        raise kind(f"{shown}: {exc.reason}") from None
    except TooLarge as exc:
        raise FetchError(f"{shown}: {exc}; the auditor reads at most "
                         f"{size_text(policy.max_bytes)} of a page") from None
    except BodyError as exc:
        raise FetchError(f"{shown}: {exc}") from None
    except (httpcore.TimeoutException, httpx.TimeoutException):
        raise FetchError(f"{shown}: no complete answer within {policy.timeout:g} s (the total "
                         "deadline); try again later or raise --timeout") from None
    except (httpcore.ConnectError, httpx.ConnectError) as exc:
        raise FetchError(f"{shown}: {_connect_failure(exc)}") from None
    except (httpcore.NetworkError, httpcore.ProtocolError, httpx.TransportError) as exc:
        raise FetchError(f"{shown}: the connection failed ({_first_line(exc)})") from None


def _fetch(url: str, policy: FetchPolicy, deadline: float) -> Page:
    backend = GuardedBackend(policy, deadline)
    exchanges: list[Exchange] = []
    current = check_url(url, policy)
    with httpx.Client(transport=GuardedTransport(backend, policy), trust_env=False,
                      follow_redirects=False, headers=_REQUEST_HEADERS,
                      timeout=httpx.Timeout(policy.timeout, connect=min(5.0, policy.timeout))
                      ) as client:
        for hop in range(policy.max_redirects + 1):
            response = _send(client, current, redirected=hop > 0)
            try:
                if response.is_redirect:
                    exchanges.append(_exchange(response, _redirect_body(response, deadline)))
                    current = check_url(str(current.join(response.headers["location"])),
                                        policy, redirected=True)
                    continue
                return _page(url, response, policy, deadline, exchanges)
            finally:
                response.close()
    raise _Refused(f"more than {policy.max_redirects} redirects; open it in a browser to see "
                   "where it leads")


def _send(client: httpx.Client, url: httpx.URL, *, redirected: bool) -> httpx.Response:
    """One request, its body not yet read; a refusal says which redirect it concerns."""
    try:
        return client.send(client.build_request("GET", url), stream=True)
    except httpx.RemoteProtocolError as exc:
        # httpx parses a redirect's Location itself before handing the response over.
        prefix = "Invalid URL in location header: "
        if not str(exc).startswith(prefix):
            raise
        detail = _first_line(exc).removeprefix(prefix).rstrip(".")
        raise _Refused(f"redirects to an invalid URL ({detail})", blocked=True) from None
    except _Refused as exc:
        if not redirected:
            raise
        raise _Refused(f"redirects to {_printable(str(url))}, where {exc.reason}",
                       blocked=exc.blocked) from None


_REQUEST_HEADERS = {
    "User-Agent": f"health-claim-auditor/{__version__}",
    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
    # Only what CappedDecoder can inflate with a cap (no br, no zstd).
    "Accept-Encoding": "gzip, deflate",
}


def check_url(url: str, policy: FetchPolicy, *, redirected: bool = False) -> httpx.URL:
    """The URL parsed as httpx will use it, or :class:`_Refused` for what is never fetched
    (addresses are checked later, on what the name resolves to)."""
    where = "redirects to " + _printable(url) if redirected else "is"
    if any(ch in url for ch in "\x00\t\r\n"):
        raise _Refused(f"{where} not a valid URL (it holds a control character)", blocked=True)
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise _Refused(f"{where} not a valid URL ({_first_line(exc)})", blocked=True) from None
    if parsed.scheme not in ("http", "https"):
        scheme = f"{parsed.scheme}:" if parsed.scheme else "a URL without a scheme"
        raise _Refused(f"{'redirects to ' if redirected else ''}{scheme} is not fetched; "
                       "only http and https URLs are", blocked=True)
    if not parsed.host:
        raise _Refused(f"{where} a URL without a host", blocked=True)
    if parsed.userinfo:
        raise _Refused("URLs carrying a user name or password are not fetched", blocked=True)
    port = parsed.port if parsed.port is not None else (443 if parsed.scheme == "https" else 80)
    if not 0 < port < 65536:
        raise _Refused(f"port {port} is not a valid port", blocked=True)
    if policy.ports is not None and port not in policy.ports:
        raise _Refused(f"port {port} is not a web port; the auditor fetches from ports "
                       f"{', '.join(map(str, sorted(policy.ports)))}", blocked=True)
    return parsed


def _redirect_body(response: httpx.Response, deadline: float) -> bytes:
    kept = bytearray()
    for chunk in response.iter_raw(_CHUNK):
        _check_deadline(deadline)
        kept += chunk[: _REDIRECT_BODY_BYTES - len(kept)]
        if len(kept) >= _REDIRECT_BODY_BYTES:
            break
    return bytes(kept)


def _page(url: str, response: httpx.Response, policy: FetchPolicy, deadline: float,
          exchanges: list[Exchange]) -> Page:
    if response.status_code != 200:
        raise _Refused(f"the server answered HTTP {response.status_code} "
                       f"{response.reason_phrase}".rstrip())
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise TooLarge(f"the server announces {size_text(int(declared))}")
    raw, content = _read_body(response, policy, deadline)
    exchanges.append(_exchange(response, raw))
    if not content.strip():
        raise _Refused("the server sent an empty page; there is nothing to audit")
    kind = _content_kind(response.headers.get("content-type", ""), content)
    text, charset, notes = decode_text(content, response.headers.get("content-type", ""),
                                       html=kind in HTML_TYPES)
    return Page(url=url, final_url=str(response.url), exchanges=tuple(exchanges),
                media_type=kind, text=text, charset=charset, notes=notes,
                retrieved=datetime.now(UTC).isoformat(timespec="seconds"))


def _read_body(response: httpx.Response, policy: FetchPolicy, deadline: float
               ) -> tuple[bytes, bytes]:
    """The body as received and decoded, both capped; the decoder stops a bomb mid-inflate."""
    decoder = CappedDecoder(response.headers.get("content-encoding", ""), policy.max_bytes)
    raw = bytearray()
    decoded: list[bytes] = []
    for chunk in response.iter_raw(_CHUNK):
        _check_deadline(deadline)
        raw += chunk
        if len(raw) > policy.max_bytes:
            raise TooLarge("the page is larger than the limit")
        decoded.append(decoder.feed(chunk))
    decoded.append(decoder.flush())
    return bytes(raw), b"".join(decoded)


def _content_kind(content_type: str, content: bytes) -> str:
    """The page's media type after sniffing: binary content is refused whatever its label."""
    label = media_type(content_type)
    binary = binary_kind(content)
    if binary is not None:
        labelled = f" (the server labelled it {label})" if label else ""
        raise _Refused(f"is {binary}, not a web page{labelled}; download it and audit its text")
    if label in HTML_TYPES or label in TEXT_TYPES:
        return label
    if not label:
        head = content[:1024].lstrip().lower()
        return "text/html" if head.startswith((b"<!doctype html", b"<html")) else "text/plain"
    raise _Refused(f"serves {label}, not HTML or plain text; the auditor reads web pages")


def _exchange(response: httpx.Response, body: bytes) -> Exchange:
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    return Exchange(url=str(response.url), request_headers=tuple(response.request.headers.raw),
                    status=response.status_code, reason=response.reason_phrase,
                    http_version=response.http_version, headers=tuple(response.headers.raw),
                    body=body, peer=peer[0] if peer else None)


def _check_deadline(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise httpcore.ReadTimeout("total deadline passed")
    return remaining


def _connect_failure(exc: Exception) -> str:
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, ssl.SSLCertVerificationError):
        return (f"TLS certificate verification failed ({cause.verify_message}); the page was "
                "not fetched, and the auditor never retries without verification")
    if isinstance(cause, ssl.SSLError):
        return f"TLS failed ({cause.reason or _first_line(cause)}); the page was not fetched"
    return f"could not connect ({_first_line(exc)})"


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def _printable(url: str) -> str:
    """``url`` with control characters escaped, so that a message stays one line."""
    return _UNPRINTABLE.sub(lambda found: repr(found.group())[1:-1], url)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


class GuardedBackend(httpcore.NetworkBackend):
    """Opens TCP connections only to checked addresses, and never past the deadline."""

    def __init__(self, policy: FetchPolicy, deadline: float) -> None:
        self.policy, self.deadline = policy, deadline

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Any = None
                    ) -> httpcore.NetworkStream:
        remaining = _check_deadline(self.deadline)
        addresses = self._checked_addresses(host, port, remaining)
        failure: OSError | None = None
        for address in addresses:
            try:
                sock = _connect(address, port, min(timeout or remaining, remaining))
            except OSError as exc:
                failure = exc
                continue
            return DeadlineStream(sock, self.deadline)
        if isinstance(failure, TimeoutError):
            raise httpcore.ConnectTimeout(str(failure))
        raise httpcore.ConnectError(f"{host}:{port}: {failure}")

    def _checked_addresses(self, host: str, port: int, timeout: float) -> list[IPAddress]:
        names = _resolve(self.policy.resolver, host, port, timeout)
        addresses = list(dict.fromkeys(parse_address(name) for name in names))
        for address in addresses:
            problem = self.policy.address_problem(address)
            if problem is not None:
                shown = (f"{host} is" if host.strip("[]") == str(address)
                         else f"{host} resolves to {address},")
                raise _Refused(f"{shown} {problem}; refused before connecting (use "
                               "--allow-private for intranet pages)"
                               if "private" in problem or "loopback" in problem
                               else f"{shown} {problem}; refused before connecting",
                               blocked=True)
        return addresses

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def _resolve(resolver: Resolver, host: str, port: int, timeout: float) -> list[str]:
    """Resolve in a daemon thread: getaddrinfo has no timeout of its own."""
    answers: Queue[list[str] | BaseException] = Queue()

    def work() -> None:
        try:
            answers.put(resolver(host, port))
        except BaseException as exc:  # handed to the caller's thread
            answers.put(exc)

    threading.Thread(target=work, daemon=True, name=f"resolve {host}").start()
    try:
        answer = answers.get(timeout=timeout)
    except Empty:
        raise httpcore.ConnectTimeout(f"resolving {host} took too long") from None
    if isinstance(answer, socket.gaierror):
        raise _Refused(f"the name {host} could not be resolved ({answer.strerror}); check the "
                       "address")
    if isinstance(answer, BaseException):
        raise answer
    if not answer:
        raise _Refused(f"the name {host} has no address")
    return answer


def _connect(address: IPAddress, port: int, timeout: float) -> socket.socket:
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((str(address), port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except BaseException:
        sock.close()
        raise
    return sock


class DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read, write and handshake ends by the total deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock, self._deadline = sock, deadline
        self._peer = sock.getpeername()  # kept: the archive names it after the socket closed

    def _arm(self, timeout: float | None) -> None:
        remaining = _check_deadline(self._deadline)
        self._sock.settimeout(remaining if timeout is None else min(timeout, remaining))

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self._arm(timeout)
        try:
            return self._sock.recv(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc)) from exc

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            while buffer:
                self._arm(timeout)
                buffer = buffer[self._sock.send(buffer):]
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.WriteError(str(exc)) from exc

    def close(self) -> None:
        self._sock.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        self._arm(timeout)
        try:
            self._sock = ssl_context.wrap_socket(self._sock, server_hostname=server_hostname)
        except TimeoutError as exc:
            self.close()
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:  # ssl.SSLError included: reported, never retried unverified
            self.close()
            raise httpcore.ConnectError(str(exc)) from exc
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":  # httpcore asks it for the negotiated ALPN protocol
            return self._sock if isinstance(self._sock, ssl.SSLSocket) else None
        if info == "server_addr":
            return self._peer
        if info == "client_addr":
            return self._sock.getsockname()
        if info == "socket":
            return self._sock
        if info == "is_readable":  # a pooled connection the server closed reads as readable
            return self._sock.fileno() < 0 or bool(select.select([self._sock], [], [], 0)[0])
        return None


class GuardedTransport(httpx.BaseTransport):
    """An httpx transport over an httpcore pool whose connections go through the guard."""

    def __init__(self, backend: GuardedBackend, policy: FetchPolicy) -> None:
        import certifi

        context = ssl.create_default_context(cafile=policy.ca_bundle or certifi.where())
        self._pool = httpcore.ConnectionPool(ssl_context=context, network_backend=backend,
                                             max_connections=2, retries=0)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                             port=request.url.port, target=request.url.raw_path),
            headers=request.headers.raw, content=request.stream,
            extensions=request.extensions)
        response = self._pool.handle_request(core_request)
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_CoreStream(response), extensions=response.extensions)

    def close(self) -> None:
        self._pool.close()


class _CoreStream(httpx.SyncByteStream):
    def __init__(self, response: httpcore.Response) -> None:
        self._response = response

    def __iter__(self) -> Iterator[bytes]:
        yield from self._response.iter_stream()

    def close(self) -> None:
        self._response.close()
