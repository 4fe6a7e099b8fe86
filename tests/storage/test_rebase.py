"""Rebase as a property: whatever order local edits, central edits, push answers and
pulls come in, the cache shows the server's latest state with the officer's still-
unconfirmed edits on top, and nothing is left over once everything is confirmed."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from storage import outbox
from storage.crypto import FAST_TEST_PARAMS
from storage.db import CacheDb
from storage.profile import Profile
from storage.pulled import apply_pull_page
from storage.push_results import record_push_results
from storage.write import apply_local_mutation
from sync.protocol import MutationResult
from tests.storage.builders import NOW, OFFICER, TODAY, CaseData, change, make_case


@dataclass
class Server:
    phone: str = ""
    tier: str = "B2"
    version: int = 1
    applied_seq: int = 0
    answered: list[int] = field(default_factory=list)


@dataclass
class Pulled:
    phone: str = ""
    tier: str = "B2"
    applied_seq: int = 0


def _person(cdb: CacheDb) -> dict[str, object]:
    return json.loads(cdb.one("SELECT data FROM person"))


def _pull(cdb: CacheDb, case: CaseData, server: Server, pulled: Pulled) -> None:
    person = case.person.model_copy(update={"phone": server.phone, "tier": server.tier})
    apply_pull_page(
        cdb,
        changes=[change("person", person, server.version)],
        cursor="c",
        last_applied_seq=server.applied_seq,
    )
    pulled.phone, pulled.tier, pulled.applied_seq = server.phone, server.tier, server.applied_seq


def _answer(cdb: CacheDb, server: Server, *, reject: bool) -> None:
    pending = outbox.pending(cdb, 1)
    if not pending:
        return
    row = pending[0]
    if reject:
        result = MutationResult(seq=row.seq, status="rejected", message="No.")
    else:
        server.phone, server.version = row.args["phone"], server.version + 1
        result = MutationResult(seq=row.seq, status="applied")
    server.applied_seq = row.seq
    record_push_results(cdb, [result], last_applied_seq=row.seq)


def _expected_phone(cdb: CacheDb, pulled: Pulled) -> str:
    rows = cdb.query(
        "SELECT args FROM outbox WHERE state = 'queued' OR (state = 'applied' AND seq > ?)"
        " ORDER BY seq",
        (pulled.applied_seq,),
    )
    return json.loads(rows[-1]["args"])["phone"] if rows else pulled.phone


OPS = st.lists(st.sampled_from(["edit", "central", "ack", "reject", "pull"]), max_size=25)


@settings(max_examples=60, deadline=None)
@given(OPS)
@example(["edit", "edit", "ack", "reject"])  # a confirmed edit survives a later refusal
@example(["edit", "central", "edit", "ack", "central", "reject", "pull"])
def test_cache_is_server_state_plus_unconfirmed_edits(ops: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="rebase-") as folder:
        profile = Profile(Path(folder), "rebase", kdf=FAST_TEST_PARAMS)
        cdb = profile.open_writer(bytes(32))
        case = make_case()
        apply_pull_page(cdb, snapshots=[case.snapshot()], cursor="c", last_applied_seq=0)
        server, pulled = Server(phone=case.person.phone), Pulled(phone=case.person.phone)
        for n, op in enumerate(ops):
            if op == "edit":
                args = {"crn": case.crn, "phone": f"0163296{n:04d}", "base_version": 1}
                apply_local_mutation(
                    cdb, "update_contact_details", args, actor=OFFICER, today=TODAY, now=NOW
                )
            elif op == "central":
                server.tier, server.version = f"A{n}", server.version + 1
                _pull(cdb, case, server, pulled)
            elif op in {"ack", "reject"}:
                _answer(cdb, server, reject=op == "reject")
            else:
                _pull(cdb, case, server, pulled)
            person = _person(cdb)
            assert person["phone"] == _expected_phone(cdb, pulled)
            assert person["tier"] == pulled.tier
        while outbox.pending_count(cdb):
            _answer(cdb, server, reject=False)
        _pull(cdb, case, server, pulled)
        assert _person(cdb)["phone"] == server.phone
        assert cdb.one("SELECT count(*) FROM shadow") == 0
        cdb.close()
        profile.close()
