"""Push batches under races and failures: a retry racing its original, a commit between
deciding and locking, a database failing mid-batch, what one batch sees of its own
earlier writes, and how pushed JSON is stored."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from sqlalchemy import String, func, select, update

from central.audit import case_audit
from central.db import is_sqlite, json_text, transaction
from central.sync.batch import BatchRecords
from central.tables import applied_mutations, records
from central.versions import take_versions
from tests.central.sync.conftest import World, contact_args


def _count(world: World, crn: str, kind: str = "contact") -> int:
    return len(world.records_of(crn, kind))


def test_the_same_batch_pushed_twice_at_once_applies_once(world: World) -> None:
    """A retry racing the original request: the client row lock serialises them."""
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    batch = [officer.envelope("record_contact", contact_args(crn)) for _ in range(5)]
    before = _count(world, crn)
    start = threading.Barrier(2)
    answers: list[list[str]] = []

    def send() -> None:
        start.wait()
        answers.append([r.status for r in officer.send(*batch).results])

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert answers == [["applied"] * 5, ["applied"] * 5]
    assert _count(world, crn) == before + 5


def test_a_write_that_skips_the_case_lock_is_caught_before_the_commit(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every writer of a case's records takes the case's lock, so nothing a batch decided
    on changes before its commit. A writer that skipped it (a bug, or a tool run by hand)
    commits between the batch's decision and its commit: the batch finds it before
    committing, is rolled back and run again, and the officer's change meets the other
    value as a conflict instead of overwriting it."""
    if is_sqlite(world.engine):
        pytest.skip("SQLite holds its single write lock from BEGIN: no competing commit")
    owner_name, visitor_name = world.seed.officers[0], world.seed.officers[1]
    crn = world.plain_case(owner_name)
    person = world.records_of(crn, "person")[0]
    visitor = world.officer(visitor_name)
    visitor.push_one("pin_case", {"crn": crn})
    real_flush = BatchRecords.flush
    competed: list[str] = []

    def flush_after_a_competing_commit(self: BatchRecords) -> None:
        if not competed:
            competed.append("admin")
            with transaction(world.engine) as other:
                version = take_versions(other, 1)[0]
                other.execute(
                    update(records)
                    .where(records.c.id == str(person.id))
                    .values(
                        version=version,
                        data={**person.data, "mobile": "07700900001"},
                        field_versions={**person.field_versions, "mobile": version},
                    )
                )
        real_flush(self)

    monkeypatch.setattr(BatchRecords, "flush", flush_after_a_competing_commit)
    args = {"crn": crn, "mobile": "07700900002", "base_version": person.version}
    result = visitor.push_one("update_contact_details", args)

    assert competed == ["admin"]
    assert (result.status, [c.field for c in result.conflicts]) == ("conflict", ["mobile"])
    assert world.records_of(crn, "person")[0].data["mobile"] == "07700900001"


@pytest.mark.parametrize("failing", ["result_row", "move_seq"])
def test_a_failure_mid_batch_answers_nothing_unapplied_and_a_resend_applies_each_once(
    world: World, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """The database fails at the third mutation: the push raises (the laptop gets no
    answer and keeps everything), and nothing is left half-applied; the resend applies
    each mutation once (both databases commit the batch together).

    `result_row` fails while the third mutation is decided; `move_seq` fails where the
    seq moves, which on SQLite is the batch's last write, after its records, audit and
    results were written (so the rollback has everything to undo)."""
    from sqlalchemy.exc import OperationalError

    from central.sync import clients

    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    before = _count(world, crn)
    batch = [officer.envelope("record_contact", contact_args(crn)) for _ in range(5)]
    real = getattr(clients, failing)

    def fault(*args: Any, **kw: Any) -> Any:
        seq = args[1].seq if failing == "result_row" else args[2]
        if seq >= 3:
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return real(*args, **kw)

    monkeypatch.setattr(clients, failing, fault)
    with pytest.raises(OperationalError):
        officer.send(*batch)
    with world.engine.connect() as conn:
        stored = conn.execute(
            select(func.count())
            .select_from(applied_mutations)
            .where(applied_mutations.c.client_id == str(officer.client_id))
        ).scalar_one()
    assert _count(world, crn) == before
    assert stored == 0  # a stored result exactly for each applied mutation
    monkeypatch.setattr(clients, failing, real)

    resent = officer.send(*batch)

    assert [r.status for r in resent.results] == ["applied"] * 5
    assert resent.last_applied_seq == 5
    assert _count(world, crn) == before + 5


def test_one_batch_sees_its_own_earlier_writes_scope_and_ids(world: World) -> None:
    """A batch is decided as if each mutation were pushed alone, in seq order: a later
    mutation reads the records, field versions, pins and mutation ids of earlier ones
    in the same batch; every record written takes its own version, in order, and the
    feed's counter (SQLite; a sequence on PostgreSQL) ends at the last of them."""
    from central.sync.feed import high_water

    me, other = world.seed.officers[0], world.seed.officers[1]
    mine, theirs = world.plain_case(me), world.plain_case(other)
    officer = world.officer(me)
    base = world.records_of(mine, "person")[0].version
    with world.engine.connect() as conn:
        top = conn.execute(select(func.max(records.c.version))).scalar_one()
    contact = contact_args(mine)
    details = {"crn": mine, "base_version": base}
    batch = [
        officer.envelope("record_contact", contact),
        officer.envelope("append_contact_note", {"contact_id": contact["contact_id"], "text": "n"}),
        officer.envelope("record_contact", contact),  # the same contact again: a replay
        officer.envelope("record_contact", contact_args(theirs)),  # not in scope yet
        officer.envelope("pin_case", {"crn": theirs}),
        officer.envelope("record_contact", contact_args(theirs)),  # in scope now
        officer.envelope("update_contact_details", {**details, "mobile": "07700 900001"}),
        officer.envelope("update_contact_details", {**details, "mobile": "07700 900002"}),
        officer.envelope("unpin_case", {"crn": theirs}),
        officer.envelope("record_contact", contact_args(theirs)),  # out of scope again
    ]
    batch.append(officer.envelope("record_contact", contact_args(mine)))
    batch[-1] = batch[-1].model_copy(update={"id": batch[0].id})  # a reused mutation id

    response = officer.send(*batch)

    assert [(r.status, r.code) for r in response.results] == [
        ("applied", None),
        ("applied", None),
        ("applied", None),
        ("rejected", "out_of_scope"),
        ("applied", None),
        ("applied", None),
        ("applied", None),
        ("conflict", "field_conflict"),  # mobile moved past base_version earlier in the batch
        ("applied", None),
        ("rejected", "out_of_scope"),
        ("rejected", "duplicate_mutation_id"),
    ]
    assert response.last_applied_seq == len(batch)
    written = [r for r in world.records_of(mine, "contact") if r.id == contact["contact_id"]]
    assert len(written) == 1
    assert "n" in written[0].data["notes"]
    assert written[0].field_versions["notes"] == written[0].version
    assert written[0].version > min(written[0].field_versions.values())  # created, then noted
    person = world.records_of(mine, "person")[0]
    assert person.data["mobile"] == "07700900001"  # the first; the second is held back
    assert response.results[7].conflicts[0].central == person.data["mobile"]
    with world.engine.connect() as conn:
        versions = sorted(
            conn.execute(select(records.c.version).where(records.c.version > top)).scalars()
        )
        counter = high_water(conn) if is_sqlite(world.engine) else max(versions)
        stored = conn.execute(
            select(func.count())
            .select_from(applied_mutations)
            .where(applied_mutations.c.client_id == str(officer.client_id))
        ).scalar_one()
        refused = [e for e in case_audit(conn, theirs) if e.action == "access_refused"]
    # contact created (top + 1), then noted, their contact, the person: one version each
    assert min(written[0].field_versions.values()) == top + 1
    assert versions == [top + 2, top + 3, top + 4]
    assert counter == top + 4
    assert stored == len(batch)
    assert len(refused) == 2
    replay = officer.send(*batch)
    assert replay.results == response.results


def test_pushed_json_is_stored_compact_and_utf8_and_pulls_back_intact(world: World) -> None:
    """JSON columns are written by `central.db.json_text` (pydantic's encoder): compact,
    UTF-8, the same text the wire carries; pull splices stored `data` into its answer."""
    officer = world.officer(world.seed.officers[0])
    crn = world.plain_case(officer.principal.username)
    notes = 'Café "quoted" \\ back — ñ 😀 \n two lines'
    args = contact_args(crn, notes=notes)

    env = officer.envelope("record_contact", args)
    assert [r.status for r in officer.send(env).results] == ["applied"]

    with world.engine.connect() as conn:
        stored = conn.execute(
            select(
                func.cast(records.c.data, String), func.cast(records.c.field_versions, String)
            ).where(records.c.id == args["contact_id"])
        ).one()
        result = conn.execute(
            select(func.cast(applied_mutations.c.result, String)).where(
                applied_mutations.c.mutation_id == str(env.id)
            )
        ).scalar_one()
    for text in (*stored, result):
        assert text == json_text(json.loads(text))  # compact: no ", " or ": " padding
    assert "Café" in stored[0]
    assert "😀" in stored[0]
    officer.pull_page()
    pulled = officer.held[crn][args["contact_id"]]
    assert pulled.data is not None
    assert pulled.data["notes"] == notes
