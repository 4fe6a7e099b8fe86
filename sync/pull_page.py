"""A pulled page, parsed as strictly as `PullResponse` but keeping each record's JSON text.

The cache stores a record's `data` as compact JSON text, and the server sends exactly
that text (central/sync/wire.py splices its stored text). Parsing every record into
Python objects with pydantic and encoding it back was a third of a first sync's client
CPU (issue 22, docs/sync.md). msgspec checks the page against the same shape (unknown
fields refused, no coercion, every record's kind, id, crn and version typed) and hands
each record's `data` over as the bytes received (`msgspec.Raw`, whose JSON syntax it has
checked); it must be an object or null, as `RecordChange.data` must. Only the kinds that
feed the search index decode their `data` again, for their search text.

`PulledPage` has `PullResponse`'s attributes, so the engine and the store take either
(tests and tools build `PullResponse`s in memory).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import msgspec

from sync.errors import BadAnswerError
from sync.http import NOT_JSON, parse_model
from sync.protocol import PullResponse, RecordKind, ServerAction

log = logging.getLogger(__name__)

_NULL = msgspec.Raw(b"null")


class PulledRecord(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`RecordChange` with `data` kept as its JSON text (`data_json`)."""

    kind: RecordKind
    id: UUID
    crn: str
    version: int
    deleted: bool = False
    raw: msgspec.Raw = msgspec.field(default=_NULL, name="data")

    @property
    def has_data(self) -> bool:
        """Without decoding it: `data` is not null."""
        return bytes(self.raw) != b"null"

    @property
    def data_json(self) -> str | None:
        """The record's JSON text as received (None for null)."""
        raw = bytes(self.raw)
        return None if raw == b"null" else raw.decode()

    @property
    def data(self) -> dict[str, Any] | None:
        """The record's fields, decoded on each call (search text, shadows)."""
        value: dict[str, Any] | None = msgspec.json.decode(self.raw)
        return value


class PulledSnapshot(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    crn: str
    records: list[PulledRecord]
    checksum: str


class _Page(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    protocol_version: int
    cursor: str
    has_more: bool
    last_applied_seq: int
    snapshots: list[PulledSnapshot] = []
    changes: list[PulledRecord] = []
    evicted: list[str] = []
    checksums: dict[str, str] = {}
    action: msgspec.Raw = _NULL


_DECODER = msgspec.json.Decoder(_Page)


@dataclass(frozen=True, slots=True)
class PulledPage:
    """A pull answer as received: `PullResponse`'s fields, records with their JSON text."""

    protocol_version: int
    snapshots: list[PulledSnapshot]
    changes: list[PulledRecord]
    evicted: list[str]
    checksums: dict[str, str]
    cursor: str
    has_more: bool
    last_applied_seq: int
    action: ServerAction | None
    _body: bytes | None = field(default=None, repr=False)  # staged as is (storage/stage.py)


# What the engine and the store accept: a page received, or one built in memory.
PullPage = PullResponse | PulledPage


def parse_pull_page(body: bytes) -> PulledPage:
    """The page in `body`, refused whole (BadAnswerError) unless it has `PullResponse`'s
    shape, with every record's `data` a JSON object or null."""
    try:
        body.decode()  # once for the whole page: msgspec.Raw spans are not checked as UTF-8
        page = _DECODER.decode(body)
        for snapshot in page.snapshots:
            _check_records(snapshot.records)
        _check_records(page.changes)
    except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError) as exc:
        log.warning("answer refused: %s parsing a pull page", type(exc).__name__)
        raise BadAnswerError(NOT_JSON) from exc
    action = None
    if bytes(page.action) != b"null":
        action = parse_model(bytes(page.action), ServerAction)
    return PulledPage(
        protocol_version=page.protocol_version,
        snapshots=page.snapshots,
        changes=page.changes,
        evicted=page.evicted,
        checksums=page.checksums,
        cursor=page.cursor,
        has_more=page.has_more,
        last_applied_seq=page.last_applied_seq,
        action=action,
        _body=body,
    )


def _check_records(records: list[PulledRecord]) -> None:
    for record in records:
        raw = bytes(record.raw)
        if raw[:1] != b"{" and raw != b"null":
            raise msgspec.ValidationError("a record's data is neither an object nor null")
