"""Which queued changes wait for document bytes, and letting the others go first.

A change that refers to a document (a contact recorded with evidence, an attachment)
must not reach the central service before the document's bytes have, whole and hash
checked: the server would refuse to apply it. The outbox is sent strictly in seq order,
so a push stops before the first such change whose bytes are not confirmed yet.

So that a 20 MB upload never holds back the officer's small changes, `text_first`
renumbers the unsent tail of the outbox before a push: changes that neither wait for
bytes nor follow one of the same case's waiting changes move ahead, keeping their order.
It is safe because nothing from the first waiting change on has ever been sent (a push
never passes it), so the server has seen none of those seqs; within a case the order
the officer made the changes in is kept, and changes to different cases never depend
on each other. Seqs stay gap-free.
"""

from __future__ import annotations

import json
import logging

from storage.db import CacheDb

log = logging.getLogger(__name__)

_WAITING = """
SELECT o.seq FROM document_wait w JOIN document_upload u ON u.sha256 = w.sha256
JOIN outbox o ON o.mutation_id = w.mutation_id
WHERE o.state = 'queued'"""


def first_waiting_seq(cdb: CacheDb) -> int | None:
    """The first queued change whose document bytes the server does not hold yet."""
    found: int | None = cdb.one(f"SELECT min(seq) FROM ({_WAITING})")  # noqa: S608
    return found


def text_first(cdb: CacheDb) -> int:
    """Move the changes that need no bytes ahead of those that wait; returns how many moved."""
    with cdb.atomic():
        first = first_waiting_seq(cdb)
        if first is None:
            return 0
        waiting = {seq for (seq,) in cdb.execute(_WAITING).fetchall()}
        rows = cdb.execute(
            "SELECT seq, crns, state FROM outbox WHERE seq >= ? ORDER BY seq", (first,)
        ).fetchall()
        if any(state != "queued" for _, _, state in rows):
            return 0  # something past it was answered: never renumber what the server saw
        held_cases: set[str] = set()
        ahead, behind = [], []
        for seq, crns, _ in rows:
            cases = set(json.loads(crns))
            if seq in waiting or cases & held_cases:
                held_cases |= cases
                behind.append(seq)
            else:
                ahead.append(seq)
        order = ahead + behind
        if order == [seq for seq, _, _ in rows]:
            return 0
        _renumber(cdb, order, first)
    log.info(
        "outbox: %d change(s) moved ahead of %d waiting for documents", len(ahead), len(behind)
    )
    return len(ahead)


def _renumber(cdb: CacheDb, order: list[int], first: int) -> None:
    """Give the rows in `order` the seqs first, first + 1, ... (two steps: seq is a key)."""
    mapping = json.dumps([[old, first + index] for index, old in enumerate(order)])
    cdb.execute("UPDATE outbox SET seq = -seq WHERE seq >= ?", (first,))
    cdb.execute(
        "UPDATE outbox SET seq = json_extract(m.value, '$[1]') FROM json_each(?) AS m"
        " WHERE outbox.seq = -json_extract(m.value, '$[0]')",
        (mapping,),
    )
