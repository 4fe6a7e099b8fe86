"""Per-laptop push state: `last_applied_seq` and the stored result of every mutation.

A sync client is a registered device; its row is created on first contact. The stored
results are what makes push exactly-once: a seq already applied is answered from here,
never applied again.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from sqlalchemy import Connection, Engine, bindparam, select, update
from sqlalchemy.exc import IntegrityError

from central.db import transaction
from central.tables import applied_mutations, sync_clients
from sync.protocol import MutationEnvelope, MutationResult

log = logging.getLogger(__name__)
_CLASHING_ID = uuid5(NAMESPACE_URL, "https://fieldcase.invalid/clashing-mutation-id")


def ensure_client(engine: Engine, client_id: str, username: str) -> int:
    """The client's last applied seq, registering the client on first contact."""
    with engine.connect() as conn:
        found = last_applied(conn, client_id)
    if found is not None:
        return found
    try:
        with transaction(engine) as conn:
            conn.execute(
                sync_clients.insert().values(
                    client_id=client_id, username=username, last_applied_seq=0
                )
            )
    except IntegrityError:  # a concurrent first request registered it
        log.debug("sync client %s registered concurrently", client_id)
    return 0


def last_applied(conn: Connection, client_id: str) -> int | None:
    query = select(sync_clients.c.last_applied_seq).where(sync_clients.c.client_id == client_id)
    value = conn.execute(query).scalar_one_or_none()
    return None if value is None else int(value)


_LOCK_SEQ = (
    select(sync_clients.c.last_applied_seq)
    .where(sync_clients.c.client_id == bindparam("client"))
    .with_for_update()
)
_TAKEN_IDS = select(applied_mutations.c.mutation_id).where(
    applied_mutations.c.mutation_id.in_(bindparam("ids", expanding=True))
)


def lock_seq(conn: Connection, client_id: str) -> int:
    """Lock the client's row for this transaction (a batch's whole run: two pushes of
    one laptop serialise); return its last applied seq."""
    return int(conn.execute(_LOCK_SEQ, {"client": client_id}).scalar_one())


def taken_ids(conn: Connection, mutation_ids: list[str]) -> set[str]:
    """Which of these mutation ids a stored mutation already has (one query)."""
    if not mutation_ids:
        return set()
    return set(conn.execute(_TAKEN_IDS, {"ids": mutation_ids}).scalars())


# Built once: a push runs these for every mutation, and building a statement costs
# more than executing it on SQLite.
STORE_RESULT = applied_mutations.insert()
_MOVE_SEQ = (
    update(sync_clients)
    .where(sync_clients.c.client_id == bindparam("client"))
    .values(last_applied_seq=bindparam("seq"), last_push_at=bindparam("now"))
)


def stand_in_id(client_id: str, seq: int) -> str:
    """The id a mutation whose own id clashed is stored under (unique per client and seq)."""
    return str(uuid5(_CLASHING_ID, f"{client_id}/{seq}"))


def result_row(
    client_id: str,
    env: MutationEnvelope,
    result: MutationResult,
    now: dt.datetime,
    *,
    clashing_id: bool = False,
) -> dict[str, Any]:
    """The `applied_mutations` row keeping `result` (a clashing id is stored as a new one)."""
    mutation_id = stand_in_id(client_id, env.seq) if clashing_id else str(env.id)
    return {
        "client_id": client_id,
        "seq": env.seq,
        "mutation_id": mutation_id,
        "name": env.name.replace("\x00", "")[:64],  # PostgreSQL text holds no NUL
        "version": min(env.version, 2**31 - 1),
        "status": result.status,
        "result": _stored_form(result),
        "applied_at": now,
    }


_PLAIN_APPLIED_JSON = MutationResult(seq=0, status="applied").model_dump(mode="json")
# The shortcut below knows these fields only; a new field turns it off.
_SHORTCUT = set(MutationResult.model_fields) == {"seq", "status", "code", "message", "conflicts"}


def _stored_form(result: MutationResult) -> dict[str, Any]:
    """`result.model_dump(mode="json")`; the common plain "applied" without pydantic."""
    plain = result.code is None and result.message is None and not result.conflicts
    if _SHORTCUT and plain and result.status == "applied":
        return {**_PLAIN_APPLIED_JSON, "seq": result.seq, "conflicts": []}
    return result.model_dump(mode="json")


def move_seq(conn: Connection, client_id: str, seq: int, now: dt.datetime) -> None:
    conn.execute(_MOVE_SEQ, {"client": client_id, "seq": seq, "now": now})
