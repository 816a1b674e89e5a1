"""The SSRF guard: a pasted URL must not make papernews talk to the curator's own network.

`add` fetches URLs that come from anywhere (a feed, a chat message), and a redirect can point
anywhere, so every hop is checked before it is sent, and again at connect time
(`GuardedBackend`) with the address actually dialled, so a DNS answer that changes between the
two (DNS rebinding) cannot slip through.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Sequence

import httpcore
import httpx

from papernews.sources.errors import FetchError

Resolver = Callable[[str], Sequence[str]]
"""host name → its IP addresses as strings (a seam so tests need no DNS)."""

ALLOWED_SCHEMES = frozenset({"http", "https"})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def system_resolver(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    # IPv6 link-local answers carry a scope ("fe80::1%eth0"), which ipaddress rejects.
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


def is_public(address: IPAddress) -> bool:
    """True for an address on the public internet; IPv4 hidden in IPv6 is judged as IPv4."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is not None and not is_public(embedded):
            return False
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def public_addresses(url: str, host: str, resolver: Resolver) -> list[str]:
    """The addresses of `host`, or FetchError when any of them is not public.

    One private address among public ones refuses the host: which one the connection would use
    is not ours to choose.
    """
    literal = _literal(host)
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = list(resolver(host))
        except (OSError, UnicodeError) as exc:
            raise FetchError(url, None, f"cannot resolve {host}") from exc
        if not addresses:
            raise FetchError(url, None, f"cannot resolve {host}")
    for text in addresses:
        address = _literal(text)
        if address is None or not is_public(address):
            raise FetchError(url, None, f"refused: {host} resolves to a non-public address ({text})")
    return addresses


def check_url(url: str, *, allow_private: bool, resolver: Resolver = system_resolver) -> None:
    """FetchError unless `url` is http(s) with a host that resolves to public addresses only."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchError(url, None, f"invalid URL: {exc}") from exc
    if parsed.scheme not in ALLOWED_SCHEMES:
        raise FetchError(url, None, "refused: only http and https URLs are fetched")
    if not parsed.host:
        raise FetchError(url, None, "invalid URL: no host")
    if not allow_private:
        public_addresses(url, parsed.host, resolver)


class GuardedBackend(httpcore.NetworkBackend):
    """Dials only vetted addresses: resolves the host itself, checks, then connects to the IP."""

    def __init__(self, inner: httpcore.NetworkBackend, resolver: Resolver) -> None:
        self._inner = inner
        self._resolver = resolver

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = public_addresses(f"{host}:{port}", host, self._resolver)
        return self._inner.connect_tcp(addresses[0], port, timeout, local_address, socket_options)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
    ) -> httpcore.NetworkStream:
        raise FetchError(path, None, "refused: unix sockets are never dialled")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
