"""The pull cursor: opaque to the client, validated on the way back in.

It holds the feed position (every change up to it was delivered) and, while a round
of snapshots is in progress, the last CRN snapshotted, so a client that did not yet
list those cases as held is not sent them again. Base64url JSON: not a secret, and
forging one yields nothing outside the officer's scope.

The position has a scheme (`central.sync.feed`): COUNTER on SQLite (`feed`, a version)
and WATERMARK on PostgreSQL (`feed` a transaction id and `version` within it: every
row ordered at or before `(feed, version)` was delivered). Cursors issued before the
scheme tag existed (format 1) are COUNTER cursors; `central.sync.pull` translates one
into the watermark order or asks for a fresh pull.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

FORMAT = 2
OLD_FORMAT = 1  # before the scheme tag: always COUNTER
MAX_LENGTH = 200
COUNTER = "c"
WATERMARK = "w"


class BadCursor(Exception):
    """The cursor is not one this server issued (or it is from a newer/other database)."""


@dataclass(frozen=True, slots=True)
class Cursor:
    feed: int
    snapshot_after: str | None = None
    scheme: str = COUNTER
    version: int = 0  # WATERMARK only: delivered up to this version inside txid `feed`

    def encode(self) -> str:
        body: dict[str, object] = {"v": FORMAT, "k": self.scheme, "f": self.feed}
        if self.version:
            body["n"] = self.version
        if self.snapshot_after is not None:
            body["s"] = self.snapshot_after
        raw = json.dumps(body, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def decode(text: str) -> Cursor:
    """Parse a cursor or raise BadCursor; never trust its contents beyond their types."""
    if len(text) > MAX_LENGTH:
        raise BadCursor("cursor too long")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        body = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadCursor("cursor is not valid") from exc
    if not isinstance(body, dict) or body.get("v") not in (FORMAT, OLD_FORMAT):
        raise BadCursor("cursor format unknown")
    scheme = body.get("k", COUNTER) if body["v"] == FORMAT else COUNTER
    feed, after, version = body.get("f"), body.get("s"), body.get("n", 0)
    if scheme not in (COUNTER, WATERMARK):
        raise BadCursor("cursor scheme unknown")
    if not _count(feed) or not _count(version) or (version and scheme != WATERMARK):
        raise BadCursor("cursor position invalid")
    if after is not None and not isinstance(after, str):
        raise BadCursor("cursor snapshot progress invalid")
    return Cursor(feed, after, scheme, version)  # type: ignore[arg-type]
