"""Where a webhook may be sent, and sending it there. A subscriber names the URL, so the
portal must not become its way into the Centre's own network (SSRF): every address the host
resolves to must be public (not loopback, private, link-local, shared, multicast or
reserved), unless it lies in WEBHOOK_ALLOWED_NETWORKS (the tests' receiver). The check runs
when the URL is given and again at each attempt, and the connection goes to the address
that was checked, so a name that resolves elsewhere the second time reaches nothing new.
Redirects are not followed: a 3xx is a failed attempt."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..texts import N_, Refusal

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_URL = 2000
READ_AT_MOST = 65536  # of a receiver's answer: its status is what counts


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
    http.client.HTTPException when the receiver cannot be reached or answers nonsense."""
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedTLS(target, timeout, ssl.create_default_context())
    else:
        connection = _Pinned(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=dict(headers))
        response = connection.getresponse()
        response.read(READ_AT_MOST)
        return response.status
    finally:
        connection.close()


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
