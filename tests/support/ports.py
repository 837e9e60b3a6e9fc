"""Loopback ports: one that is free now (the kernel's pick), and whether a port answers."""

from __future__ import annotations

import contextlib
import socket


def free_port() -> int:
    """A 127.0.0.1 port nothing listens on at this moment; the caller's server binds it next."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_answers(port: int, timeout: float = 0.5) -> bool:
    """True once something accepts a TCP connection on 127.0.0.1:`port`."""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout):
        return True
    return False
