"""A guard that records (and refuses) every attempt to open a network connection."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def connections_refused() -> Iterator[list[Any]]:
    """Within the block, any connect() fails at once; the list holds every address tried."""
    tried: list[Any] = []
    original = socket.socket.connect

    def refuse(self: socket.socket, address: Any) -> None:
        tried.append(address)
        raise OSError("connections are refused in this test")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    try:
        yield tried
    finally:
        socket.socket.connect = original  # type: ignore[method-assign]
