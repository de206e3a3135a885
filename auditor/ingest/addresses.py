"""Which network addresses a URL audit may connect to.

The rule is an allowlist with holes: IPv4 must be globally routable and IPv6 must be global
unicast (``2000::/3``); inside those, the special-purpose blocks of the IANA registries are
refused. The table is ours rather than ``ipaddress.is_global`` alone because the standard
library's tables have lagged the registries (python/cpython#113171, #151749) and call NAT64
and 6to4 addresses global although they can carry an internal IPv4 address.

IPv6 forms that embed an IPv4 address are handled by kind: an IPv4-mapped address
(``::ffff:127.0.0.1``) is judged as the IPv4 address it is; translation and tunnel forms
(NAT64, 6to4, Teredo, IPv4-compatible) are refused outright, as Stripe's smokescreen does.

Sources: IANA IPv4 and IPv6 Special-Purpose Address Registries; OWASP SSRF Prevention Cheat
Sheet (the cloud metadata address); ../shared/research/reliability.md §1.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

IPAddress = IPv4Address | IPv6Address


@dataclass(frozen=True)
class Block:
    network: IPv4Network | IPv6Network
    reason: str
    # Private and loopback blocks may be reached with --allow-private (intranet use, tests);
    # link-local (cloud metadata), multicast, reserved and the rest never.
    private: bool = False


def _blocks(*rows: tuple[str, str] | tuple[str, str, bool]) -> tuple[Block, ...]:
    return tuple(Block(ip_network(row[0]), *row[1:]) for row in rows)


IPV4_BLOCKS = _blocks(
    ("0.0.0.0/8", "the 'this network' block (0.0.0.0 reaches the local host)"),
    ("10.0.0.0/8", "a private address (RFC 1918)", True),
    ("100.64.0.0/10", "a carrier-grade NAT address (RFC 6598)", True),
    ("127.0.0.0/8", "a loopback address", True),
    ("169.254.0.0/16", "a link-local address (this is where cloud metadata services live)"),
    ("172.16.0.0/12", "a private address (RFC 1918)", True),
    ("192.0.0.0/24", "an IETF protocol assignment"),
    ("192.0.2.0/24", "a documentation address (TEST-NET-1)"),
    ("192.88.99.0/24", "the deprecated 6to4 relay anycast block"),
    ("192.168.0.0/16", "a private address (RFC 1918)", True),
    ("198.18.0.0/15", "a benchmarking address"),
    ("198.51.100.0/24", "a documentation address (TEST-NET-2)"),
    ("203.0.113.0/24", "a documentation address (TEST-NET-3)"),
    ("224.0.0.0/4", "a multicast address"),
    ("240.0.0.0/4", "a reserved address (240/4, including broadcast)"),
)

IPV6_BLOCKS = _blocks(
    ("::1/128", "a loopback address", True),
    ("64:ff9b::/96", "a NAT64 address (it embeds an IPv4 address)"),
    ("64:ff9b:1::/48", "a local-use NAT64 address"),
    ("100::/64", "a discard-only address"),
    ("2001::/32", "a Teredo address (it embeds an IPv4 address)"),
    ("2001::/23", "an IETF protocol assignment"),
    ("2001:db8::/32", "a documentation address"),
    ("2002::/16", "a 6to4 address (it embeds an IPv4 address)"),
    ("3fff::/20", "a documentation address"),
    ("5f00::/16", "a segment-routing (SRv6) address"),
    ("fc00::/7", "a unique local (private) address", True),
    ("fe80::/10", "a link-local address"),
    ("fec0::/10", "a site-local address"),
    ("ff00::/8", "a multicast address"),
)

_GLOBAL_UNICAST_V6 = ip_network("2000::/3")


def parse_address(text: str) -> IPAddress:
    """An address as ``getaddrinfo`` returns it (an IPv6 scope suffix like ``%eth0`` dropped)."""
    return ip_address(text.split("%", 1)[0])


def address_problem(address: IPAddress, *, allow_private: bool = False) -> str | None:
    """Why a connection to ``address`` is refused, or None when it may be made."""
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address_problem(address.ipv4_mapped, allow_private=allow_private)
    problem = _table_problem(address, allow_private)
    if problem is None and not allow_private and address in own_addresses():
        return "an address of this machine"
    return problem


def _table_problem(address: IPAddress, allow_private: bool) -> str | None:
    is_v6 = isinstance(address, IPv6Address)
    block = _block_of(address, IPV6_BLOCKS if is_v6 else IPV4_BLOCKS)
    if block is not None:
        return None if (block.private and allow_private) else block.reason
    if is_v6 and address not in _GLOBAL_UNICAST_V6:
        return ("the unspecified address" if address == IPv6Address("::")
                else "outside IPv6 global unicast (2000::/3)")
    return None


def _block_of(address: IPAddress, blocks: tuple[Block, ...]) -> Block | None:
    return next((block for block in blocks if address in block.network), None)


@functools.cache
def own_addresses() -> frozenset[IPAddress]:
    """This machine's interface addresses: a public address of the host running the auditor
    reaches its own services as surely as loopback does."""
    import psutil  # a dependency of dask.distributed; imported late, only URL audits need it

    found: set[IPAddress] = set()
    for addresses in psutil.net_if_addrs().values():
        for entry in addresses:
            try:
                found.add(parse_address(entry.address))
            except ValueError:  # MAC addresses share the list
                continue
    return frozenset(found)
