"""Rejoin: a profile whose numbers the server already used starts again as a new device.

A profile restored from a backup, or copied from another laptop, shares its client id
(and so its seq numbers) with another copy the server has heard from: the server holds
other changes under those numbers (sync/checks.py `QueueDiverged`). Its unsent work is
not lost, only misnumbered. IT support runs `fieldcase-sync --rejoin`, which calls this:
the profile takes a new client id, its waiting changes are numbered again from 1 in the
same order, and the delivered ones (whose conflicts and rejections stay as rows of their
own) leave the outbox. Each change keeps its mutation id, and the server refuses a second
change with an id it already has (`duplicate_mutation_id`, a visible rejection), so a
change the other copy had delivered is never applied twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from storage.db import CacheDb


@dataclass(frozen=True, slots=True)
class Rejoined:
    old_client_id: uuid.UUID
    new_client_id: uuid.UUID
    waiting: int  # changes renumbered 1..waiting


def rejoin(cdb: CacheDb) -> Rejoined:
    """One transaction: new client id, waiting changes renumbered from 1, counters reset."""
    new = uuid.uuid4()
    with cdb.atomic():
        old = uuid.UUID(cdb.one("SELECT client_id FROM sync_state WHERE id = 1"))
        cdb.execute("DELETE FROM outbox WHERE state NOT IN ('queued', 'sending')")
        seqs = [seq for (seq,) in cdb.execute("SELECT seq FROM outbox ORDER BY seq")]
        # Two steps, so no renumbered row ever meets another's old number.
        cdb.execute("UPDATE outbox SET seq = -seq")
        cdb.conn.executemany(
            "UPDATE outbox SET seq = ? WHERE seq = ?",
            [(index, -seq) for index, seq in enumerate(seqs, start=1)],
        )
        waiting = len(seqs)
        cdb.execute(
            "UPDATE sync_state SET client_id = ?, last_seq = ?, last_acked_seq = 0,"
            " pulled_applied_seq = 0 WHERE id = 1",
            (str(new), waiting),
        )
        cdb.execute("DELETE FROM push_health")
    return Rejoined(old, new, waiting)
