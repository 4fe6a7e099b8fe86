"""The pull cursor: opaque to the client, validated on the way back in.

It holds the feed position (every change up to it was delivered) and, while a round
of snapshots is in progress, the last CRN snapshotted, so a client that did not yet
list those cases as held is not sent them again. Base64url JSON: not a secret, and
forging one yields nothing outside the officer's scope.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

FORMAT = 1
MAX_LENGTH = 200


class BadCursor(Exception):
    """The cursor is not one this server issued (or it is from a newer/other database)."""


@dataclass(frozen=True, slots=True)
class Cursor:
    feed: int
    snapshot_after: str | None = None

    def encode(self) -> str:
        body: dict[str, object] = {"v": FORMAT, "f": self.feed}
        if self.snapshot_after is not None:
            body["s"] = self.snapshot_after
        raw = json.dumps(body, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(text: str) -> Cursor:
    """Parse a cursor or raise BadCursor; never trust its contents beyond their types."""
    if len(text) > MAX_LENGTH:
        raise BadCursor("cursor too long")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        body = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadCursor("cursor is not valid") from exc
    if not isinstance(body, dict) or body.get("v") != FORMAT:
        raise BadCursor("cursor format unknown")
    feed, after = body.get("f"), body.get("s")
    if not isinstance(feed, int) or isinstance(feed, bool) or feed < 0:
        raise BadCursor("cursor position invalid")
    if after is not None and not isinstance(after, str):
        raise BadCursor("cursor snapshot progress invalid")
    return Cursor(feed, after)
