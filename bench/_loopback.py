"""A minimal HTTP/1.1 keep-alive client on asyncio streams, for the morning model's load.

The load generator shares the host's two cores with the service it measures, so it
must cost little: httpx spends several hundred microseconds of Python per request,
this sends pre-built bytes and reads one Content-Length (or chunked) answer, about a
tenth of that. It speaks only what the bench needs and is not for the client.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Connection:
    """One keep-alive connection to `host:port` (a laptop's connection for its session)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._head = f"Host: {host}:{port}\r\nAccept-Encoding: gzip\r\n"

    async def request(
        self,
        method: str,
        target: str,
        headers: str = "",
        body: bytes = b"",
        content_type: str = "application/json",
    ) -> Answer:
        """`headers`: ready-made "Name: value\\r\\n" lines (the token, a DPoP proof)."""
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._streams
        length = f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n" if body else ""
        head = f"{method} {target} HTTP/1.1\r\n{self._head}{headers}{length}\r\n"
        writer.write(head.encode() + body)
        status_line, _, rest = (await reader.readuntil(b"\r\n\r\n")).partition(b"\r\n")
        fields = {}
        for line in rest.split(b"\r\n"):
            name, _, value = line.partition(b":")
            fields[name.strip().lower()] = value.strip().lower()
        if fields.get(b"transfer-encoding") == b"chunked":
            data = await _chunks(reader)
        else:
            data = await reader.readexactly(int(fields.get(b"content-length", b"0")))
        if fields.get(b"content-encoding") == b"gzip":
            data = gzip.decompress(data)
        if fields.get(b"connection") == b"close":
            await self.close()
        return Answer(int(status_line.split(b" ", 2)[1]), data)

    async def close(self) -> None:
        if self._streams is not None:
            writer = self._streams[1]
            self._streams = None
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def _chunks(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)
