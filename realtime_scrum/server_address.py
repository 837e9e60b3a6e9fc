"""The address a server was started on, as a URL: for mail links and for the person at the
terminal (realtime_scrum/server.py).

A wildcard bind (0.0.0.0, ::) listens on every interface and names none of them: the URL
then uses loopback, which the default DJANGO_ALLOWED_HOSTS accepts. Mail that must reach
other machines needs SITE_URL set to the public address anyway.
"""

from __future__ import annotations

import os

WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "localhost", "": "127.0.0.1"}  # noqa: S104 - read, not bound


def http_url(host: str, port: int) -> str:
    host = host.strip("[]")
    host = WILDCARDS.get(host, host)
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"http://{host}:{port}"


def export_server_url(host: str | None, port: int | None) -> None:
    """SERVER_URL for the settings (SITE_URL's fallback), before they are loaded.

    Port 0 is picked by the kernel at bind time, after the settings are read: no URL then."""
    if host is not None and port:
        os.environ["SERVER_URL"] = http_url(host, port)


def announcement(addresses: list[tuple[str, int]], banner: str | None) -> str:
    """What the terminal shows once the server listens: the banner, then the URL to open."""
    lines = [banner.rstrip()] if banner else []
    if addresses:
        host, port = addresses[0]
        lines.append(f"Open {http_url(host, port)}/ in a browser (Ctrl-C stops the server).")
    return "\n".join(lines)
