"""Synthetic identification photos: a plain silhouette on a coloured ground, as PNG.

Never a face, real or generated: the demo must not show anything that could be taken
for a real person. The PNG is written with `zlib` and `struct` (the format is a header,
one compressed image chunk and an end marker), so the central service needs no imaging
library for seed data; flat colours compress to about a kilobyte.
"""

from __future__ import annotations

import math
import random
import struct
import zlib

WIDTH, HEIGHT = 120, 150
_GROUNDS = ((214, 226, 240), (226, 236, 220), (240, 230, 214), (232, 222, 238), (222, 222, 222))
_FIGURES = ((70, 80, 96), (96, 72, 60), (60, 84, 76), (88, 88, 88), (110, 90, 70))


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _span(centre: float, half: float) -> tuple[int, int]:
    return max(0, round(centre - half)), min(WIDTH, round(centre + half) + 1)


def _row(y: int, head: tuple[int, int, int], shoulders: int, colours: tuple[bytes, bytes]) -> bytes:
    """One scanline: the ground, with the head's and the shoulders' spans painted over."""
    ground, figure = colours
    row = bytearray(ground * WIDTH)
    hx, hy, r = head
    spans = []
    if abs(y - hy) <= r:
        spans.append(_span(hx, math.sqrt(r * r - (y - hy) ** 2)))
    dy = (y - HEIGHT) / (HEIGHT * 0.42)  # the top half of an ellipse on the bottom edge
    if abs(dy) <= 1:
        spans.append(_span(WIDTH / 2, shoulders * math.sqrt(1 - dy * dy)))
    for start, stop in spans:
        row[start * 3 : stop * 3] = figure * (stop - start)
    return b"\x00" + bytes(row)  # filter type "none"


def silhouette_png(rng: random.Random) -> bytes:
    """A 120x150 PNG: head and shoulders in one flat colour on another."""
    ground = bytes(rng.choice(_GROUNDS))
    figure = bytes(rng.choice(_FIGURES))
    head = (WIDTH // 2 + rng.randint(-4, 4), 58 + rng.randint(-5, 5), 25 + rng.randint(-3, 4))
    shoulders = 48 + rng.randint(-6, 8)
    rows = b"".join(_row(y, head, shoulders, (ground, figure)) for y in range(HEIGHT))
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )
