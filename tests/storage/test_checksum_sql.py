"""`case_checksums` builds each case's lines in SQL and sorts them in Python: it must equal
the wire algorithm (`sync.protocol.case_checksum`) over exactly the server versions the
cache holds."""

from __future__ import annotations

import datetime as dt
import uuid

from storage import pulled
from storage.checksum import case_checksums
from storage.db import CacheDb
from storage.pulled import apply_pull_page
from storage.schema import RECORD_KINDS
from storage.write import apply_local_mutation
from sync.protocol import case_checksum
from tests.storage.builders import NOW, OFFICER, TODAY, CaseData, contact_args, make_case


def _server_versions(cdb: CacheDb, crn: str) -> list[tuple[str, str, int]]:
    """What the checksum must cover, read row by row: server rows without a pending
    edit, plus the server copies (shadows) of rows with one."""
    found: list[tuple[str, str, int]] = []
    shadowed = {(r["kind"], r["id"]) for r in cdb.query("SELECT kind, id FROM shadow")}
    for kind in RECORD_KINDS:
        for row in cdb.query(f"SELECT id, version FROM {kind} WHERE crn = ?", (crn,)):
            if row["version"] > 0 and (kind, row["id"]) not in shadowed:
                found.append((kind, row["id"], row["version"]))
    found += [
        (r["kind"], r["id"], r["version"])
        for r in cdb.query(
            "SELECT kind, id, version FROM shadow WHERE crn = ? AND data IS NOT NULL", (crn,)
        )
    ]
    return found


def _expected(cdb: CacheDb) -> dict[str, str]:
    crns = [r["crn"] for r in cdb.query("SELECT crn FROM held_case")]
    return {
        crn: case_checksum((k, uuid.UUID(i), v) for k, i, v in _server_versions(cdb, crn))
        for crn in crns
    }


def test_many_cases_of_every_kind_match_the_wire_algorithm(cdb: CacheDb) -> None:
    cases = [make_case(f"X{100001 + n}", contacts=n) for n in range(6)]
    # Versions of several digits (string order differs from number order: 9 < 10).
    for number, case in enumerate(cases):
        apply_pull_page(
            cdb,
            snapshots=[case.snapshot(version=number * 7 + 3)],
            cursor=f"c{number}",
            last_applied_seq=0,
        )
    found = case_checksums(cdb)
    assert found == _expected(cdb)
    assert found == {c.crn: c.snapshot(version=n * 7 + 3).checksum for n, c in enumerate(cases)}


def test_pending_edits_and_local_creations_count_as_the_server_has_them(
    cdb: CacheDb, case: CaseData
) -> None:
    # A local contact (version 0, not on the server) and a pending edit (shadowed row).
    apply_local_mutation(
        cdb, "record_contact", contact_args(case.crn), actor=OFFICER, today=TODAY, now=NOW
    )
    args = {"crn": case.crn, "phone": "01632960999", "base_version": 1}
    apply_local_mutation(cdb, "update_contact_details", args, actor=OFFICER, today=TODAY, now=NOW)
    assert cdb.one("SELECT count(*) FROM shadow") >= 1
    assert case_checksums(cdb) == _expected(cdb) == {case.crn: case.snapshot().checksum}


def test_an_empty_held_case_has_the_checksum_of_no_records(cdb: CacheDb) -> None:
    cdb.execute(
        "INSERT INTO held_case (crn, received_at) VALUES (?, ?)",
        ("X999999", dt.datetime.now(dt.UTC).isoformat()),
    )
    assert case_checksums(cdb) == {"X999999": case_checksum([])}


def test_rows_of_a_case_not_held_are_not_reported(cdb: CacheDb, case: CaseData) -> None:
    pulled.evict(cdb, [case.crn])
    assert case_checksums(cdb) == {}
