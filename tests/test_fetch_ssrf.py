"""The fetcher never becomes a tool against the network it runs on (issue 6, item 1).

Every deny vector must fail with a one-line error *before any connection*. Two proofs, both
from real sockets: a sinkhole listener on 127.0.0.1 (and ::1) counts accepted connections and
the vectors that can reach it aim at its port with ``ports=None``, so only the address rule can
refuse them; and Python's audit hook records every ``socket.connect`` target during the fetch,
which must stay empty (or hold only the allowed first hop of a redirect). Positive controls
reach the same kind of server through the same code, so the guard cannot pass by refusing
everything. Vectors and their sources: ../shared/research/reliability.md §1.3 (categories A-J).
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address, ip_address, ip_network
from urllib.parse import quote

import pytest

from auditor.ingest import addresses
from auditor.ingest.addresses import address_problem
from auditor.ingest.fetch import (
    WEB_PORTS,
    BlockedDestination,
    FetchError,
    FetchPolicy,
    fetch,
    system_resolver,
)
from tests.fetchservers import (
    SMALL_PAGE,
    LocalServer,
    Sinkhole,
    chain_route,
    connects,
    ipv6_loopback_works,
    loop_route,
    page_route,
    redirect_route,
    serve,
    sinkhole,
)

LOOPBACK_HINT = "; refused before connecting (use --allow-private for intranet pages)"

# Test names -> the addresses a hostile DNS would answer; anything else goes to getaddrinfo.
NAMES: dict[str, list[str]] = {
    "localhost.": ["127.0.0.1"],
    "x.localhost": ["127.0.0.1"],
    "127.0.0.1.": ["127.0.0.1"],
    "metadata.google.internal": ["169.254.169.254"],
    "metadata.amazonaws.com": ["169.254.169.254"],
    "192.168.1.250.sslip.io": ["192.168.1.250"],
    "public-and-loopback.test": ["93.184.215.14", "::1"],
    "public-and-private.test": ["8.8.8.8", "10.0.0.1"],
    "cname-to-internal.test": ["10.20.30.40"],
    "mapped-metadata.test": ["::ffff:169.254.169.254"],
    "cgnat.test": ["100.100.100.200"],
    "intranet.test": ["127.0.0.1"],
    "allowed.test": ["127.0.0.2"],
}


class StubResolver:
    """Answers :data:`NAMES` as a hostile DNS would, counting every question. Other hosts go
    to libc as numeric forms only (AI_NUMERICHOST still reads ``2130706433`` or ``0x7f.1``),
    and ``localhost`` to the real resolver (the hosts file): no test ever asks a DNS server."""

    def __init__(self, names: dict[str, list[str]] | None = None) -> None:
        self.names = NAMES if names is None else names
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        if host in self.names:
            return list(self.names[host])
        if host == "localhost":
            return system_resolver(host, port)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_NUMERICHOST)
        return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class Vector:
    id: str
    url: str  # {port}: the IPv4 sinkhole's port, {port6}: the IPv6 one
    expect: str  # a fragment of the one-line message
    blocked: bool = True  # BlockedDestination; False: a plain FetchError (the name never resolved)
    any_port: bool = True  # FetchPolicy(ports=None), so only the address rule can refuse


def V(url: str, expect: str, id: str, *, blocked: bool = True, any_port: bool = True
      ) -> Vector:
    return Vector(id, url, expect, blocked, any_port)


LOOP = "is a loopback address" + LOOPBACK_HINT


def resolves(address: str, reason: str) -> str:
    return f"resolves to {address}, {reason}"


# A. IPv4 special ranges: one address at the start, end or middle of every non-global block.
CATEGORY_A = [
    V("http://0.0.0.0:{port}/", "0.0.0.0 is the 'this network' block", "A-this-network"),
    V("http://0.1.2.3:{port}/", "0.1.2.3 is the 'this network' block", "A-this-network-mid"),
    V("http://10.0.0.1:{port}/", "10.0.0.1 is a private address (RFC 1918)", "A-10-start"),
    V("http://10.255.255.254/", "is a private address (RFC 1918)", "A-10-end"),
    V("http://100.64.0.1/", "is a carrier-grade NAT address (RFC 6598)", "A-cgnat-start"),
    V("http://100.127.255.254/", "is a carrier-grade NAT address", "A-cgnat-end"),
    V("http://127.0.0.1:{port}/", "127.0.0.1 " + LOOP, "A-loopback"),
    V("http://127.255.255.254:{port}/", "127.255.255.254 " + LOOP, "A-loopback-end"),
    V("http://127.0.0.2:{port}/", "127.0.0.2 " + LOOP, "A-loopback-other"),
    V("http://169.254.169.254/latest/meta-data/",
      "169.254.169.254 is a link-local address (this is where cloud metadata services live); "
      "refused before connecting", "A-aws-metadata"),
    V("http://169.254.0.1/", "is a link-local address", "A-link-local-start"),
    V("http://172.16.0.1/", "is a private address (RFC 1918)", "A-172-start"),
    V("http://172.31.255.255/", "is a private address (RFC 1918)", "A-172-end"),
    V("http://192.0.0.8/", "is an IETF protocol assignment", "A-ietf"),
    V("http://192.0.2.1/", "is a documentation address (TEST-NET-1)", "A-test-net-1"),
    V("http://192.88.99.1/", "is the deprecated 6to4 relay anycast block", "A-6to4-relay"),
    V("http://192.168.1.1/", "is a private address (RFC 1918)", "A-192-168"),
    V("http://198.18.0.1/", "is a benchmarking address", "A-benchmark"),
    V("http://198.51.100.1/", "is a documentation address (TEST-NET-2)", "A-test-net-2"),
    V("http://203.0.113.1/", "is a documentation address (TEST-NET-3)", "A-test-net-3"),
    V("http://224.0.0.1/", "is a multicast address", "A-multicast"),
    V("http://239.255.255.250/", "is a multicast address", "A-ssdp"),
    V("http://240.0.0.1/", "is a reserved address (240/4, including broadcast)", "A-reserved"),
    V("http://255.255.255.255/", "is a reserved address (240/4", "A-broadcast"),
]

# B. IPv4 encodings that httpx passes through as names and libc reads as addresses.
CATEGORY_B = [
    V("http://2130706433:{port}/", "2130706433 " + resolves("127.0.0.1", "a loopback address"),
      "B-dword"),
    V("http://0x7f000001:{port}/", resolves("127.0.0.1", "a loopback"), "B-hex-dword"),
    V("http://017700000001:{port}/", resolves("127.0.0.1", "a loopback"), "B-octal-dword"),
    V("http://127.1:{port}/", resolves("127.0.0.1", "a loopback"), "B-short-2"),
    V("http://0x7f.1:{port}/", resolves("127.0.0.1", "a loopback"), "B-hex-short"),
    V("http://127.0.1:{port}/", resolves("127.0.0.1", "a loopback"), "B-short-3"),
    V("http://0x7f.0x0.0x0.0x1:{port}/", resolves("127.0.0.1", "a loopback"), "B-hex-dotted"),
    V("http://127.000.000.001:{port}/", "is not a valid URL (Invalid IPv4 address",
      "B-zero-padded"),
    V("http://0:{port}/", "0 " + resolves("0.0.0.0", "the 'this network' block"), "B-zero"),
    V("http://0x00000000:{port}/", resolves("0.0.0.0", "the 'this network'"), "B-hex-zero"),
    V("http://10.1/", resolves("10.0.0.1", "a private address"), "B-short-private"),
    V("http://167772161/", resolves("10.0.0.1", "a private address"), "B-dword-private"),
    V("http://3232235777/", resolves("192.168.1.1", "a private address"), "B-dword-192-168"),
    V("http://0xc0.0xa8.1.1/", resolves("192.168.1.1", "a private address"), "B-mixed-192-168"),
    V("http://0xa9.0xfe.0xa9.0xfe/", resolves("169.254.169.254", "a link-local address"),
      "B-hex-metadata"),
    V("http://2852039166/", resolves("169.254.169.254", "a link-local address"),
      "B-dword-metadata"),
    V("http://4294967295/", resolves("255.255.255.255", "a reserved address"), "B-dword-bcast"),
    # httpx refuses leading-zero octets itself (where libc would read octal: 10.0.0.1).
    V("http://0177.0.0.1:{port}/", "is not a valid URL (Invalid IPv4 address: '0177.0.0.1')",
      "B-octal-dotted"),
    V("http://012.0.0.1/", "is not a valid URL (Invalid IPv4 address: '012.0.0.1')",
      "B-octal-private"),
    # Percent-encoding is not decoded in a host: no resolver knows the name.
    V("http://%31%32%37.0.0.1:{port}/", "the name %31%32%37.0.0.1 could not be resolved",
      "B-percent-encoded", blocked=False),
]

# C. IPv6 literals, including every form that embeds an IPv4 address.
CATEGORY_C = [
    V("http://[::1]:{port6}/", "::1 " + LOOP, "C-loopback"),
    V("http://[::]:{port6}/", ":: is the unspecified address", "C-unspecified"),
    V("http://[::ffff:127.0.0.1]:{port}/", resolves("::ffff:7f00:1", "a loopback address"),
      "C-mapped-loopback"),
    V("http://[::ffff:7f00:1]:{port}/", "::ffff:7f00:1 " + LOOP, "C-mapped-loopback-hex"),
    V("http://[::ffff:169.254.169.254]/", "a link-local address", "C-mapped-metadata"),
    V("http://[::ffff:10.0.0.1]/", "a private address (RFC 1918)", "C-mapped-private"),
    V("http://[::127.0.0.1]:{port}/", "outside IPv6 global unicast (2000::/3)",
      "C-ipv4-compatible"),
    V("http://[fe80::1]/", "fe80::1 is a link-local address", "C-link-local"),
    # A zone (RFC 6874) stays percent-encoded in httpx's host: no resolver reads it.
    V("http://[fe80::1%25lo]/", "the name fe80::1%25lo could not be resolved",
      "C-link-local-zone", blocked=False),
    V("http://[fd00::1]/", "fd00::1 is a unique local (private) address" + LOOPBACK_HINT,
      "C-ula"),
    V("http://[fc00::1]/", "is a unique local (private) address", "C-ula-fc"),
    V("http://[fec0::1]/", "fec0::1 is a site-local address", "C-site-local"),
    V("http://[ff02::1]/", "ff02::1 is a multicast address", "C-multicast"),
    V("http://[64:ff9b::a00:1]/", "is a NAT64 address (it embeds an IPv4 address)",
      "C-nat64-private"),
    V("http://[64:ff9b::a9fe:a9fe]/", "is a NAT64 address", "C-nat64-metadata"),
    V("http://[64:ff9b::808:808]/", "is a NAT64 address", "C-nat64-public-embedded"),
    V("http://[64:ff9b:1::1]/", "is a local-use NAT64 address", "C-nat64-local-use"),
    V("http://[2002:a00:1::1]/", "is a 6to4 address (it embeds an IPv4 address)",
      "C-6to4-private"),
    V("http://[2002:808:808::1]/", "is a 6to4 address", "C-6to4-public-embedded"),
    V("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
      "is a Teredo address (it embeds an IPv4 address)", "C-teredo"),
    V("http://[100::1]/", "100::1 is a discard-only address", "C-discard"),
    V("http://[5f00::1]/", "5f00::1 is a segment-routing (SRv6) address", "C-srv6"),
    V("http://[2001:db8::1]/", "is a documentation address", "C-documentation"),
    V("http://[3fff::1]/", "is a documentation address", "C-documentation-new"),
    V("http://[2001:10::1]/", "is an IETF protocol assignment", "C-ietf"),
]

# D. Names whose DNS answers point inward (stub resolver; `localhost` is the real one).
CATEGORY_D = [
    V("http://localhost:{port}/", "localhost " + resolves("127.0.0.1", "a loopback address"),
      "D-localhost"),
    V("http://LOCALHOST.:{port}/", "localhost. " + resolves("127.0.0.1", "a loopback"),
      "D-localhost-upper-dot"),
    V("http://x.localhost:{port}/", resolves("127.0.0.1", "a loopback"), "D-sub-localhost"),
    V("http://metadata.google.internal/computeMetadata/v1/",
      resolves("169.254.169.254", "a link-local address"), "D-gcp-metadata"),
    V("http://metadata.amazonaws.com/", resolves("169.254.169.254", "a link-local"),
      "D-aws-metadata-name"),
    V("http://192.168.1.250.sslip.io/", resolves("192.168.1.250", "a private address"),
      "D-sslip"),
    V("http://public-and-loopback.test:{port6}/", resolves("::1", "a loopback address"),
      "D-public-A-loopback-AAAA"),
    V("http://public-and-private.test/", resolves("10.0.0.1", "a private address"),
      "D-public-and-private-A"),
    V("http://cname-to-internal.test/", resolves("10.20.30.40", "a private address"),
      "D-cname-chain"),
    V("http://mapped-metadata.test/", resolves("::ffff:a9fe:a9fe", "a link-local address"),
      "D-mapped-answer"),
    V("http://cgnat.test/", resolves("100.100.100.200", "a carrier-grade NAT address"),
      "D-cgnat-answer"),
    V("http://no-such-name.invalid/", "the name no-such-name.invalid could not be resolved",
      "D-nxdomain", blocked=False),
]

# E. URL-parser confusion: what httpx connects to is what is checked.
CATEGORY_E = [
    V("http://evil.com@127.0.0.1:{port}/",
      "URLs carrying a user name or password are not fetched", "E-userinfo"),
    V("http://127.0.0.1:{port}#@evil.com/", "127.0.0.1 " + LOOP, "E-fragment-at"),
    V("http://127.0.0.1:{port}\\@evil.com/",
      "URLs carrying a user name or password are not fetched", "E-backslash-at"),
    V("http://@127.0.0.1:{port}/", "127.0.0.1 " + LOOP, "E-empty-userinfo"),
    V("http://127\u30020\u30020\u30021:{port}/", "127.0.0.1 " + LOOP, "E-ideographic-dots"),
    V("http://127\uff0e0\uff0e0\uff0e1:{port}/", "127.0.0.1 " + LOOP, "E-fullwidth-dots"),
    V("http://\u2460\u2461\u2466.0.0.1/", "is not a valid URL (Invalid IDNA hostname",
      "E-circled-digits"),
    V("http://127.0.0.1\x00.evil.com:{port}/",
      "is not a valid URL (it holds a control character)", "E-nul"),
    V("http://127.0.0.1\t:{port}/", "is not a valid URL (it holds a control character)",
      "E-tab"),
    V("http://127.0.0.1\r\n:{port}/", "is not a valid URL (it holds a control character)",
      "E-crlf"),
    V("http://127.0.0.1\n.evil.com/", "is not a valid URL (it holds a control character)",
      "E-lf"),
    V("HTTP://127.0.0.1:{port}/", "127.0.0.1 " + LOOP, "E-upper-scheme"),
    V("http://127.0.0.1.:{port}/", "127.0.0.1. " + resolves("127.0.0.1", "a loopback"),
      "E-trailing-dot"),
    V("http://[127.0.0.1]:{port}/", "is not a valid URL (Invalid IPv6 address",
      "E-v4-in-brackets"),
    V("http://127.0.0.1:22/", "port 22 is not a web port; the auditor fetches from ports "
      "80, 443, 8000, 8080, 8443", "E-port-22", any_port=False),
    V("http://8.8.8.8:6379/", "port 6379 is not a web port", "E-port-redis", any_port=False),
    V("http://8.8.8.8:0/", "port 0 is not a valid port", "E-port-0", any_port=False),
    V("http://127.0.0.1:0/", "port 0 is not a valid port", "E-port-0-any"),
    V("http://8.8.8.8:65536/", "port 65536 is not a valid port", "E-port-65536",
      any_port=False),
    V("http://127.0.0.1:65536/", "port 65536 is not a valid port", "E-port-65536-any"),
    V("http:/127.0.0.1:{port}/", "is a URL without a host", "E-one-slash"),
    V("http:127.0.0.1:{port}", "is a URL without a host", "E-no-slash"),
]

# F. Schemes other than http and https, refused by name.
CATEGORY_F = [
    V("file:///etc/passwd", "file: is not fetched; only http and https URLs are", "F-file"),
    V("ftp://127.0.0.1:{port}/", "ftp: is not fetched", "F-ftp"),
    V("gopher://127.0.0.1:{port}/_SET%20x%201", "gopher: is not fetched", "F-gopher"),
    V("dict://127.0.0.1:{port}/info", "dict: is not fetched", "F-dict"),
    V("data:text/html,<h1>hi</h1>", "data: is not fetched", "F-data"),
    V("ws://127.0.0.1:{port}/", "ws: is not fetched", "F-ws"),
    V("wss://127.0.0.1:{port}/", "wss: is not fetched", "F-wss"),
    V("//127.0.0.1:{port}/", "a URL without a scheme is not fetched", "F-scheme-relative"),
    V("jar:http://127.0.0.1:{port}/x.jar!/", "jar: is not fetched", "F-jar"),
    V("javascript:alert(1)", "javascript: is not fetched", "F-javascript"),
]

VECTORS = CATEGORY_A + CATEGORY_B + CATEGORY_C + CATEGORY_D + CATEGORY_E + CATEGORY_F


@pytest.fixture(scope="module")
def hole() -> Iterator[Sinkhole]:
    with sinkhole("127.0.0.1") as listener:
        yield listener


@pytest.fixture(scope="module")
def hole6() -> Iterator[Sinkhole | None]:
    if not ipv6_loopback_works():
        yield None
        return
    with sinkhole("::1") as listener:
        yield listener


def printable(url: str) -> str:
    """The URL as a message shows it: control characters escaped, so it stays one line."""
    return re.sub(r"[\x00-\x1f]", lambda found: repr(found.group())[1:-1], url)


def refusal(call: object) -> FetchError:
    """The FetchError a fetch raised, after checking it is one line naming the URL."""
    assert isinstance(call, pytest.ExceptionInfo)
    error = call.value
    assert isinstance(error, FetchError)
    assert "\n" not in error.message and "\r" not in error.message
    return error


@pytest.mark.parametrize("vector", VECTORS, ids=[v.id for v in VECTORS])
def test_vector_is_refused_before_any_connection(vector: Vector, hole: Sinkhole,
                                                 hole6: Sinkhole | None) -> None:
    url = vector.url.format(port=hole.port, port6=hole6.port if hole6 else hole.port)
    policy = FetchPolicy(resolver=StubResolver(), timeout=5,
                         ports=None if vector.any_port else WEB_PORTS)
    before, before6 = hole.settle(), hole6.settle() if hole6 else 0
    with connects() as targets, pytest.raises(FetchError) as call:
        fetch(url, policy)
    error = refusal(call)
    assert isinstance(error, BlockedDestination) is vector.blocked, error.message
    assert error.message.startswith(f"{printable(url)}: "), error.message
    assert vector.expect in error.message, error.message
    assert targets == []
    assert hole.settle() == before
    assert (hole6.settle() if hole6 else 0) == before6


def test_the_table_has_the_promised_size() -> None:
    counts = {letter: sum(v.id.startswith(f"{letter}-") for v in VECTORS) for letter in "ABCDEF"}
    assert counts == {"A": 24, "B": 20, "C": 25, "D": 12, "E": 22, "F": 10}
    assert len({v.id for v in VECTORS}) == len(VECTORS)


def test_a_vector_reaches_the_sinkhole_when_the_guard_allows_it(hole: Sinkhole) -> None:
    """The sinkhole proof is only worth something if a connection would be counted."""
    before = hole.settle()
    with connects() as targets, pytest.raises(FetchError) as call:
        fetch(f"http://2130706433:{hole.port}/", FetchPolicy(allow_private=True, ports=None))
    assert "the connection failed" in refusal(call).message  # the sinkhole hangs up at once
    assert targets == [("127.0.0.1", hole.port)]
    assert hole.settle() == before + 1


# --- --allow-private lifts only private and loopback ------------------------------------------


@pytest.mark.parametrize("url", [
    "http://169.254.169.254:{port}/", "http://2852039166:{port}/", "http://[fe80::1]:{port}/",
    "http://224.0.0.1:{port}/", "http://[ff02::1]:{port}/", "http://240.0.0.1:{port}/",
    "http://[::]:{port}/", "http://[64:ff9b::7f00:1]:{port}/", "http://metadata.google.internal/",
])
def test_allow_private_still_refuses_link_local_multicast_reserved(url: str, hole: Sinkhole
                                                                   ) -> None:
    url = url.format(port=hole.port)
    before = hole.settle()
    with connects() as targets, pytest.raises(BlockedDestination) as call:
        fetch(url, FetchPolicy(allow_private=True, ports=None, resolver=StubResolver()))
    assert "refused before connecting" in refusal(call).message
    assert "--allow-private" not in call.value.message  # it would not help
    assert targets == []
    assert hole.settle() == before


# --- pure tables: the address rule itself ------------------------------------------------------

ALLOWED = ["8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255",
           "172.32.0.0", "192.167.255.255", "192.169.0.0", "169.253.255.255", "169.255.0.0",
           "9.255.255.255", "11.0.0.0", "223.255.255.255", "2001:4860:4860::8888",
           "2606:4700:4700::1111", "::ffff:8.8.8.8", "2620:fe::fe"]
REFUSED = {
    "100.64.0.0": "a carrier-grade NAT address (RFC 6598)",
    "100.127.255.255": "a carrier-grade NAT address (RFC 6598)",
    "172.16.0.0": "a private address (RFC 1918)",
    "172.31.255.255": "a private address (RFC 1918)",
    "10.0.0.0": "a private address (RFC 1918)",
    "192.168.255.255": "a private address (RFC 1918)",
    "127.0.0.1": "a loopback address",
    "0.0.0.0": "the 'this network' block (0.0.0.0 reaches the local host)",
    "169.254.169.254": "a link-local address (this is where cloud metadata services live)",
    "224.0.0.0": "a multicast address",
    "255.255.255.255": "a reserved address (240/4, including broadcast)",
    "::": "the unspecified address",
    "::1": "a loopback address",
    "::ffff:127.0.0.1": "a loopback address",
    "::ffff:169.254.169.254": "a link-local address (this is where cloud metadata services live)",
    "64:ff9b::808:808": "a NAT64 address (it embeds an IPv4 address)",
    "2002:808:808::1": "a 6to4 address (it embeds an IPv4 address)",
    "2001::1": "a Teredo address (it embeds an IPv4 address)",
    "::127.0.0.1": "outside IPv6 global unicast (2000::/3)",
    "fd12:3456::1": "a unique local (private) address",
    "fe80::1": "a link-local address",
    "ff02::1": "a multicast address",
    "4000::1": "outside IPv6 global unicast (2000::/3)",
}


@pytest.mark.parametrize("text", ALLOWED)
def test_public_addresses_are_allowed(text: str) -> None:
    assert address_problem(ip_address(text)) is None


@pytest.mark.parametrize(("text", "reason"), REFUSED.items())
def test_special_addresses_are_refused_with_their_reason(text: str, reason: str) -> None:
    assert address_problem(ip_address(text)) == reason


PRIVATE_ALLOWED = ["127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.0.1", "192.168.1.1",
                   "100.64.0.1", "::1", "fd00::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1"]
NEVER_ALLOWED = ["169.254.169.254", "fe80::1", "224.0.0.1", "ff02::1", "240.0.0.1",
                 "255.255.255.255", "0.0.0.0", "::", "192.0.2.1", "198.18.0.1",
                 "64:ff9b::a00:1", "2002:a00:1::1", "fec0::1", "::ffff:169.254.169.254",
                 "5f00::1", "100::1"]


@pytest.mark.parametrize("text", PRIVATE_ALLOWED)
def test_allow_private_permits_private_and_loopback(text: str) -> None:
    assert address_problem(ip_address(text)) is not None
    assert address_problem(ip_address(text), allow_private=True) is None


@pytest.mark.parametrize("text", NEVER_ALLOWED)
def test_allow_private_never_permits_the_rest(text: str) -> None:
    assert address_problem(ip_address(text), allow_private=True) is not None


def test_every_interface_address_of_this_machine_is_refused() -> None:
    assert addresses.own_addresses()
    for address in addresses.own_addresses():
        assert address_problem(address) is not None, address


def test_an_interface_address_the_table_allows_is_still_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A public address of the host reaches its own services as surely as loopback."""
    own = IPv4Address("8.8.4.4")  # stands in for this machine's public address
    monkeypatch.setattr(addresses, "own_addresses", lambda: frozenset({own}))
    assert address_problem(own) == "an address of this machine"
    assert address_problem(own, allow_private=True) is None
    assert address_problem(IPv4Address("8.8.8.8")) is None


# --- positive controls: the same guard lets the allowed connections through -------------------


@pytest.fixture(scope="module")
def local() -> Iterator[LocalServer]:
    with serve({"/page": page_route(SMALL_PAGE)}, "127.0.0.1") as server:
        yield server


@pytest.fixture(scope="module")
def local6() -> Iterator[LocalServer]:
    if not ipv6_loopback_works():
        pytest.skip("IPv6 loopback (::1) cannot be bound on this machine")
    with serve({"/page": page_route(SMALL_PAGE)}, "::1") as server:
        yield server


PRIVATE_OK = FetchPolicy(allow_private=True, ports=None, timeout=5, resolver=StubResolver())


V4 = ("127.0.0.1", "127.0.0.1")


@pytest.mark.parametrize(("host", "target", "peer"), [
    ("127.0.0.1", *V4), ("localhost", *V4), ("intranet.test", *V4), ("2130706433", *V4),
    ("127.1", *V4),
    ("[::ffff:127.0.0.1]", "::ffff:7f00:1", "::ffff:127.0.0.1"),  # an IPv6 socket, mapped
])
def test_allow_private_reaches_a_local_server(host: str, target: str, peer: str,
                                              local: LocalServer) -> None:
    accepted = local.accepted
    url = f"http://{host}:{local.port}/page"
    with connects() as targets:
        page = fetch(url, PRIVATE_OK)
    assert "Vitamin C does not cure" in page.text
    assert page.media_type == "text/html"
    assert [exchange.peer for exchange in page.exchanges] == [peer]
    assert targets == [(target, local.port)]
    assert local.accepted == accepted + 1
    assert local.seen[-1].host_header == f"{host}:{local.port}"  # the name, not the address


def test_allow_private_reaches_ipv6_loopback(local6: LocalServer) -> None:
    accepted = local6.accepted
    page = fetch(local6.url("/page"), PRIVATE_OK)
    assert "Vitamin C does not cure" in page.text
    assert page.exchanges[0].peer == "::1"
    assert local6.accepted == accepted + 1


# --- G. redirects: an allowed first hop on 127.0.0.2, the target a sinkhole on 127.0.0.1 -----

FIRST_HOP = ip_network("127.0.0.2/32")


@pytest.fixture(scope="module")
def hop() -> Iterator[LocalServer]:
    routes = {"/to": redirect_route, "/chain": chain_route, "/loop": loop_route,
              "/page": page_route(SMALL_PAGE)}
    with serve(routes, "127.0.0.2") as server:
        yield server


def hop_policy(resolver: StubResolver | None = None) -> FetchPolicy:
    return FetchPolicy(allow_networks=(FIRST_HOP,), ports=None, timeout=5,
                       resolver=resolver or StubResolver())


def redirect_url(hop: LocalServer, location: str, status: int = 302) -> str:
    return hop.url(f"/to?status={status}&location={quote(location, safe='')}")


REDIRECT_TARGETS = [
    ("http://127.0.0.1:{port}/", "127.0.0.1 " + LOOP, "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address",
     "metadata"),
    ("http://2130706433:{port}/", resolves("127.0.0.1", "a loopback"), "dword"),
    ("http://localhost:{port}/", resolves("127.0.0.1", "a loopback"), "localhost"),
    ("http://[::ffff:127.0.0.1]:{port}/", resolves("::ffff:7f00:1", "a loopback"), "mapped"),
    ("//[::1]:{port6}/", "::1 " + LOOP, "scheme-relative-v6"),
    ("http://metadata.google.internal/", resolves("169.254.169.254", "a link-local"),
     "metadata-name"),
    ("file:///etc/passwd", "redirects to file: is not fetched; only http and https URLs are",
     "file"),
    ("gopher://127.0.0.1:{port}/_x", "redirects to gopher: is not fetched", "gopher"),
    ("http://evil.com@127.0.0.1:{port}/",
     "URLs carrying a user name or password are not fetched", "userinfo"),
    ("http://127.0.0.1\t:{port}/", "redirects to an invalid URL (Invalid non-printable ASCII "
     "character in URL, '\\t' at position 16)", "tab"),
]
REDIRECT_CASES = [(status, *target) for status in (301, 302, 303, 307, 308)
                  for target in REDIRECT_TARGETS[:1]] + [(302, *t) for t in REDIRECT_TARGETS[1:]]


@pytest.mark.parametrize(("status", "location", "expect"),
                         [case[:3] for case in REDIRECT_CASES],
                         ids=[f"G-{case[0]}-{case[3]}" for case in REDIRECT_CASES])
def test_redirect_inward_is_refused_before_connecting(status: int, location: str, expect: str,
                                                      hop: LocalServer, hole: Sinkhole,
                                                      hole6: Sinkhole | None) -> None:
    location = location.format(port=hole.port, port6=hole6.port if hole6 else hole.port)
    url = redirect_url(hop, location, status)
    before, accepted = hole.settle(), hop.accepted
    with connects() as targets, pytest.raises(BlockedDestination) as call:
        fetch(url, hop_policy())
    message = refusal(call).message
    assert message.startswith(f"{url}: ") and expect in message, message
    assert targets == [("127.0.0.2", hop.port)]  # the allowed first hop, nothing else
    assert hop.accepted == accepted + 1
    assert hole.settle() == before


def test_a_refused_redirect_names_where_it_leads(hop: LocalServer, hole: Sinkhole) -> None:
    target = f"http://2130706433:{hole.port}/admin"
    url = redirect_url(hop, target, 307)
    with pytest.raises(BlockedDestination) as call:
        fetch(url, hop_policy())
    assert refusal(call).message == (
        f"{url}: redirects to {target}, where 2130706433 resolves to 127.0.0.1, a loopback "
        "address; refused before connecting (use --allow-private for intranet pages)")


def test_six_redirects_exceed_the_cap_of_five(hop: LocalServer) -> None:
    url = hop.url("/chain?left=6")
    with pytest.raises(FetchError) as call:
        fetch(url, hop_policy())
    assert refusal(call).message == (f"{url}: more than 5 redirects; open it in a browser to "
                                     "see where it leads")
    assert not isinstance(call.value, BlockedDestination)
    assert [seen.path for seen in hop.seen[-6:]] == [f"/chain?left={n}" for n in range(6, 0, -1)]


def test_a_redirect_loop_stops_at_the_cap(hop: LocalServer) -> None:
    requests = len(hop.seen)
    with pytest.raises(FetchError) as call:
        fetch(hop.url("/loop"), hop_policy())
    assert "more than 5 redirects" in refusal(call).message
    assert len(hop.seen) == requests + 6  # the first request and five redirects, then stop


def test_five_redirects_are_followed(hop: LocalServer) -> None:
    page = fetch(hop.url("/chain?left=5"), hop_policy())
    assert page.final_url == hop.url("/page")
    assert [exchange.status for exchange in page.exchanges] == [302] * 5 + [200]
    assert {exchange.peer for exchange in page.exchanges} == {"127.0.0.2"}


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects_within_the_allowed_host_are_followed(status: int, hop: LocalServer) -> None:
    url = redirect_url(hop, hop.url("/page"), status)
    with connects() as targets:
        page = fetch(url, hop_policy())
    assert "Vitamin C does not cure" in page.text
    assert [exchange.status for exchange in page.exchanges] == [status, 200]
    assert targets == [("127.0.0.2", hop.port)]  # one kept-alive connection for both


def test_an_allowed_network_is_reached_by_name(hop: LocalServer) -> None:
    page = fetch(hop.url("/page", host="allowed.test"), hop_policy())
    assert page.exchanges[0].peer == "127.0.0.2"
    assert hop.seen[-1].host_header == f"allowed.test:{hop.port}"


def test_allow_networks_does_not_open_its_neighbours(hop: LocalServer) -> None:
    with connects() as targets, pytest.raises(BlockedDestination) as call:
        fetch(f"http://127.0.0.3:{hop.port}/page", hop_policy())
    assert "127.0.0.3 " + LOOP in refusal(call).message
    assert targets == []


# --- H. DNS rebinding: one resolution per connection, and the connection goes to its answer -


class RebindingResolver(StubResolver):
    """Answers the allowed address first and loopback ever after, as a rebinding DNS with a
    TTL of 0 would."""

    def __init__(self) -> None:
        super().__init__({})

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        return ["127.0.0.2"] if len(self.calls) == 1 else ["127.0.0.1"]


@pytest.fixture(scope="module")
def twin() -> Iterator[tuple[LocalServer, Sinkhole]]:
    """A server on 127.0.0.2 and a sinkhole on 127.0.0.1 with the same port: a rebound name
    would reach the sinkhole on the port the URL names."""
    routes = {"/to": redirect_route, "/page": page_route(SMALL_PAGE)}
    for _ in range(20):
        with sinkhole("127.0.0.1") as hole:
            try:
                context = serve(routes, "127.0.0.2", hole.port)
                server = context.__enter__()
            except OSError:  # that port is taken on 127.0.0.2; draw another
                continue
            try:
                yield server, hole
            finally:
                context.__exit__(None, None, None)
            return
    pytest.fail("no port free on both 127.0.0.1 and 127.0.0.2")


def rebind_url(server: LocalServer, path: str) -> str:
    return server.url(path, host="rebind.test")


def test_rebinding_gets_one_resolution_and_the_checked_address(
        twin: tuple[LocalServer, Sinkhole]) -> None:
    server, hole = twin
    resolver, before = RebindingResolver(), hole.settle()
    with connects() as targets:
        page = fetch(rebind_url(server, "/page"), hop_policy(resolver))
    assert resolver.calls == ["rebind.test"]
    assert targets == [("127.0.0.2", server.port)]
    assert page.exchanges[0].peer == "127.0.0.2"
    assert hole.settle() == before


def test_rebinding_across_a_kept_alive_redirect_asks_once(
        twin: tuple[LocalServer, Sinkhole]) -> None:
    server, hole = twin
    resolver, before = RebindingResolver(), hole.settle()
    url = rebind_url(server, "/to?location=/page")
    with connects() as targets:
        page = fetch(url, hop_policy(resolver))
    assert resolver.calls == ["rebind.test"]
    assert targets == [("127.0.0.2", server.port)]
    assert [exchange.peer for exchange in page.exchanges] == ["127.0.0.2", "127.0.0.2"]
    assert hole.settle() == before


def test_rebinding_on_a_new_connection_is_checked_again(
        twin: tuple[LocalServer, Sinkhole]) -> None:
    """The server closes after the redirect, so the second request needs a new connection, a
    new resolution, and gets the rebound answer: refused, never connected."""
    server, hole = twin
    resolver, before = RebindingResolver(), hole.settle()
    url = rebind_url(server, "/to?location=/page&close=1")
    with connects() as targets, pytest.raises(BlockedDestination) as call:
        fetch(url, hop_policy(resolver))
    assert "rebind.test " + resolves("127.0.0.1", "a loopback") in refusal(call).message
    assert resolver.calls == ["rebind.test", "rebind.test"]
    assert targets == [("127.0.0.2", server.port)]
    assert hole.settle() == before


# --- I. environment proxies are never used ----------------------------------------------------

PROXY_VARIABLES = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                   "all_proxy"]


@pytest.fixture
def proxies_at_the_sinkhole(hole: Sinkhole, monkeypatch: pytest.MonkeyPatch) -> Sinkhole:
    for name in PROXY_VARIABLES:
        monkeypatch.setenv(name, f"http://127.0.0.1:{hole.port}")
    monkeypatch.setenv("NO_PROXY", "")
    monkeypatch.delenv("no_proxy", raising=False)
    return hole


def test_environment_proxies_are_not_used(proxies_at_the_sinkhole: Sinkhole,
                                          local: LocalServer) -> None:
    hole, before = proxies_at_the_sinkhole, proxies_at_the_sinkhole.settle()
    with connects() as targets:
        page = fetch(local.url("/page"), PRIVATE_OK)
    assert page.exchanges[0].peer == "127.0.0.1"
    assert targets == [("127.0.0.1", local.port)]
    assert hole.settle() == before


def test_a_proxy_does_not_carry_a_refused_url(proxies_at_the_sinkhole: Sinkhole) -> None:
    """Through a proxy the name would be resolved by the proxy, unchecked; here it is refused
    as usual and the "proxy" sees nothing."""
    hole, before = proxies_at_the_sinkhole, proxies_at_the_sinkhole.settle()
    with connects() as targets, pytest.raises(BlockedDestination):
        fetch("http://metadata.google.internal/", FetchPolicy(resolver=StubResolver()))
    assert targets == []
    assert hole.settle() == before
