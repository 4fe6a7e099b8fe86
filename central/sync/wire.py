"""A pull page as the JSON bytes `PullResponse.model_dump_json()` would give, built as text.

The page's parts are already JSON text (snapshots and changes come from the stored
record text, `central.sync.snapshots`), so the answer is joined, not modelled: building
a `PullResponse` from them meant pydantic parsing and validating every record of the
server's own rows and then serialising them again. Fields are in the model's order;
the OpenAPI document still declares `PullResponse` (the route's `response_model`), and
tests check that the bytes equal the model's own serialisation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from sync.protocol import PROTOCOL_VERSION


def _string(value: str) -> str:
    return json.dumps(value)


def pull_body(
    *,
    snapshots: Sequence[str],
    changes: Sequence[str],
    evicted: Sequence[str],
    checksums: Mapping[str, str],
    cursor: str,
    has_more: bool,
    last_applied_seq: int,
) -> bytes:
    """The `PullResponse` JSON for a page; `snapshots` and `changes` are JSON texts."""
    sums = ",".join(f"{_string(crn)}:{_string(value)}" for crn, value in checksums.items())
    text = (
        f'{{"protocol_version":{PROTOCOL_VERSION},'
        f'"snapshots":[{",".join(snapshots)}],'
        f'"changes":[{",".join(changes)}],'
        f'"evicted":[{",".join(_string(crn) for crn in evicted)}],'
        f'"checksums":{{{sums}}},'
        f'"cursor":{_string(cursor)},'
        f'"has_more":{"true" if has_more else "false"},'
        f'"last_applied_seq":{int(last_applied_seq)},'
        '"action":null}'
    )
    return text.encode()
