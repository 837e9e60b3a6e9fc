"""Where a webhook may send: the URL rule, name resolution and the address rule (SSRF).

This module owns resolving. A name is resolved when the webhook is saved (to refuse a
private target early, with a field message) and again at every delivery, and the delivery
connects to the address checked here, never to the name: a DNS answer that changes between
the check and the connect (rebinding) cannot reach an internal address. Tests patch
`resolve` to play such a change."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

URL_MAX = 2000


class TargetRefused(Exception):
    """The URL or the address it resolves to may not receive webhooks; str() says why."""


@dataclass(frozen=True)
class Target:
    scheme: str  # "http" | "https"
    host: str  # the name as written (Host header, TLS server name), IPv6 without brackets
    port: int
    path: str  # path and query, at least "/"

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def parse(url: str) -> Target:
    """The URL's parts, or TargetRefused: http(s) only, a host, no user:password@."""
    if len(url) > URL_MAX:
        raise TargetRefused(f"Use at most {URL_MAX} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused("Enter a valid URL.") from None
    if parts.scheme not in ("http", "https"):
        raise TargetRefused("Use an http:// or https:// URL.")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("Credentials in the URL are not allowed; check the signature instead.")
    host = parts.hostname or ""
    if not host or any(c.isspace() for c in url):
        raise TargetRefused("Enter a valid URL with a host.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path)


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (an IP literal resolves to itself)."""
    if settings.WEBHOOK_LOOPBACK_ONLY:
        return _resolve_locally(host)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise TargetRefused(f"The host {host!r} does not resolve.") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _resolve_locally(host: str) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    if host == "localhost":
        return ["127.0.0.1"]
    raise TargetRefused(f"The host {host!r} is not looked up here (WEBHOOK_LOOPBACK_ONLY).")


def address_refused(address: str) -> str | None:
    """Why this address may not receive webhooks, or None when it may."""
    if settings.WEBHOOK_ALLOW_PRIVATE:
        return None
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    ):
        return f"{address} is a loopback, private, link-local, multicast or reserved address."
    return None


def checked_address(target: Target) -> str:
    """The first address of the target's host that may receive webhooks (connect to it and
    only it), or TargetRefused."""
    addresses = resolve(target.host, target.port)
    reasons = []
    for address in addresses:
        reason = address_refused(address)
        if reason is None:
            return address
        reasons.append(reason)
    raise TargetRefused(reasons[0] if reasons else f"The host {target.host!r} does not resolve.")


def validate(url: str) -> Target:
    """The check a webhook's URL passes when it is saved (TargetRefused with the reason)."""
    target = parse(url)
    checked_address(target)
    return target
