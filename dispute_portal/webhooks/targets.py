"""Where a webhook may be sent, and sending it there. A subscriber names the URL, so the
portal must not become its way into the Centre's own network (SSRF): every address the host
resolves to must be public (not loopback, private, link-local, shared, multicast or
reserved), unless it lies in WEBHOOK_ALLOWED_NETWORKS (the tests' receiver). The check runs
when the URL is given and again at each attempt, and the connection goes to the address
that was checked, so a name that resolves elsewhere the second time reaches nothing new.
Redirects are not followed: a 3xx is a failed attempt."""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..texts import N_, Refusal

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_URL = 2000
READ_AT_MOST = 65536  # of a receiver's answer: its status is what counts
# Networks never public, whatever this Python's ipaddress module says (its answers changed
# between releases: CVE-2024-4032), and those that carry another address inside them
# (NAT64, 6to4, Teredo), which could lead back into a private network.
NOT_PUBLIC = tuple(
    ipaddress.ip_network(n)
    for n in (
        *("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16"),
        *("172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16"),
        *("198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4"),
        *("::/128", "::1/128", "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64"),
        *("2001::/23", "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10", "fec0::/10"),
        "ff00::/8",
    )
)


class TargetRefused(Refusal):
    """A URL webhooks may not be sent to; the message says why."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with its query
    address: IP  # where the connection goes: checked


def check(url: str, config: Mapping[str, Any]) -> Target:
    """The URL's target, resolved and checked; TargetRefused otherwise."""
    if len(url) > MAX_URL:
        raise TargetRefused(N_("The address may be at most %(n)d characters long."), n=MAX_URL)
    if not url.isascii() or any(c <= " " or c == "\x7f" for c in url):
        # Spaces and control characters have no place in an address (a line break would
        # become a header); a name in another script is given in its ASCII form (xn--).
        raise TargetRefused(N_("This is not a web address."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused(N_("This is not a web address.")) from None
    https_only = bool(config.get("WEBHOOK_HTTPS_ONLY"))
    if parts.scheme not in (("https",) if https_only else ("https", "http")):
        if https_only:
            raise TargetRefused(N_("The address must start with https://."))
        raise TargetRefused(N_("The address must start with https:// or http://."))
    if not parts.hostname:
        raise TargetRefused(N_("The address names no host."))
    if parts.username is not None or parts.password is not None:
        raise TargetRefused(N_("The address may not carry a user name or a password."))
    if parts.fragment:
        raise TargetRefused(N_("The address may not end with a fragment (#…)."))
    port = port or (443 if parts.scheme == "https" else 80)
    if port < 1024 and port not in (80, 443):  # a mail or other service's port: never
        raise TargetRefused(N_("Webhooks are sent to port 80, 443, or 1024 and above."))
    addresses = _resolve(parts.hostname, port)
    allowed = [ipaddress.ip_network(n) for n in config.get("WEBHOOK_ALLOWED_NETWORKS") or ()]
    for address in addresses:
        if not (_public(address) or any(address in network for network in allowed)):
            raise TargetRefused(
                N_(
                    "%(host)s is at %(address)s, which is not a public address: webhooks are "
                    "sent to public addresses only."
                ),
                host=parts.hostname,
                address=str(address),
            )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, addresses[0])


def _resolve(host: str, port: int) -> list[IP]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError):  # ValueError: a name IDNA cannot encode (UnicodeError)
        raise TargetRefused(N_("The host %(host)s could not be found."), host=host) from None
    addresses: list[IP] = []
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).partition("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise TargetRefused(N_("The host %(host)s could not be found."), host=host)
    return addresses


def _public(address: IP) -> bool:
    if any(address in network for network in NOT_PUBLIC):
        return False
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_unspecified
    )


def post(target: Target, headers: Mapping[str, str], body: bytes, timeout: float) -> int:
    """POST the body to the checked address; the answer's status. OSError and
    http.client.HTTPException when the receiver cannot be reached or answers nonsense.

    `timeout` bounds the whole exchange, not each read: a receiver that trickles its answer
    a byte at a time has its connection cut when the time is up (a watchdog shuts the
    socket), so no attempt outlives the sender's lease on the delivery."""
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedTLS(target, timeout, ssl.create_default_context())
    else:
        connection = _Pinned(target, timeout)
    watchdog = threading.Timer(timeout, _cut, (connection,))
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request("POST", target.path, body=body, headers=dict(headers))
        response = connection.getresponse()
        response.read(READ_AT_MOST)
        if not watchdog.is_alive():
            raise TimeoutError(f"no whole answer within {timeout:g} s")
        return response.status
    finally:
        watchdog.cancel()
        connection.close()


def _cut(connection: http.client.HTTPConnection) -> None:
    """The watchdog: end a connection that took too long (its reads then fail)."""
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):  # closed meanwhile
            sock.shutdown(socket.SHUT_RDWR)


class _Pinned(http.client.HTTPConnection):
    """Connects to the address that was checked; the Host header names the host."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = str(target.address)

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedTLS(http.client.HTTPSConnection):
    """As _Pinned, over TLS: the certificate is checked against the host's name."""

    def __init__(self, target: Target, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self.address = str(target.address)
        self.tls = context

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)
