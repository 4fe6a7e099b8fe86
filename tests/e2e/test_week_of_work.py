"""A week of case work done offline arrives centrally exactly once, with the same results.

The real app layer (the use cases over the real encrypted cache and the real sync
engine) against the real central service over loopback HTTP. Between them sits a
small TCP relay standing in for the laptop's network, so "offline" is a real lost
connection: the officer syncs, loses the network, records a week of work (contacts,
outcomes with a warning letter and its correction, a repeating series, a reschedule,
appended notes, a phone and address change), gets the network back and syncs.

Then every item is on the server exactly once, and the server's own results (its
copies of the records, after its own run of the rules: failure-to-comply count,
enforcement state, RAR days, unpaid-work hours, compliance summary) equal what the
laptop showed while offline.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import asdict, replace
from typing import Any

import pytest
import sqlalchemy

from app.cache_adapter import StorageCache
from app.context import AppContext, Officer
from app.usecases import appointments as appts
from app.usecases import details
from app.usecases.outcomes import correct_outcome, record_outcome
from app.usecases.record_contact import record_contact
from central import tables
from domain.contacts import Contact
from domain.mutations import CorrectOutcome, RecordContact, RecordOutcome, Repeat
from domain.reference import reference
from domain.rules.compliance import (
    compliance_summary,
    enforcement_review_due,
    failure_to_comply_count,
)
from domain.rules.progress import rar_progress, unpaid_work_progress
from domain.semantics import Actor
from domain.sentences import Event, Requirement
from sync.client import SyncClient
from sync.errors import OfflineError
from tests.sync.conftest import FAST
from tests.sync.live import PASSWORD, encrypted_cache, live_central

pytestmark = pytest.mark.e2e


class Relay:
    """The laptop's network: forwards TCP to the server until `down()` cuts it."""

    def __init__(self, target: str) -> None:
        host, port = target.removeprefix("http://").rsplit(":", 1)
        self.target = (host, int(port))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.up = True
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            if not self.up:
                client.close()  # no network: the connection drops at once
                continue
            server = socket.create_connection(self.target)
            with self.lock:
                self.open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

    def down(self) -> None:
        self.up = False
        with self.lock:
            dropped, self.open = self.open, []
        for sock in dropped:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self.down()
        self.listener.close()


# -- the case and its figures --------------------------------------------------------


def _models(rows: list[dict[str, Any]], kind: str) -> list[Any]:
    model = {"contact": Contact, "event": Event, "requirement": Requirement}[kind]
    return [model.model_validate(r) for r in rows]


def figures(records: dict[str, list[dict[str, Any]]], event_id: str, today: dt.date) -> dict:
    """Every derived figure an officer sees for one event: from either side's records."""
    event = next(e for e in _models(records["event"], "event") if str(e.id) == event_id)
    contacts = _models(records["contact"], "contact")
    found: dict[str, Any] = {
        "breach": (event.breach_in_progress, event.last_breach_end),
        "ftc": failure_to_comply_count(event, contacts),
        "review_due": enforcement_review_due(event, contacts, today=today),
        "compliance": asdict(compliance_summary(event, contacts, today=today)),
        "enforcement": sorted(
            (str(c.id), c.outcome_code, c.enforcement_code, str(c.enforcement_response_by))
            for c in contacts
            if c.enforcement_code or c.type_code == "ARWS"
        ),
    }
    for requirement in _models(records["requirement"], "requirement"):
        if str(requirement.event_id) != event_id:
            continue
        if requirement.category_code == "F":
            found["rar"] = asdict(rar_progress(requirement, contacts, today=today))
        if requirement.category_code == "W":
            found["upw"] = asdict(unpaid_work_progress(requirement, contacts))
    return found


def client_records(ctx: AppContext, crn: str) -> dict[str, list[dict[str, Any]]]:
    cache = ctx.cache()
    return {
        kind: [dict(r.data) for r in cache.case_records(crn, kind)]  # type: ignore[arg-type]
        for kind in ("contact", "event", "requirement", "person", "address")
    }


def server_records(engine: sqlalchemy.Engine, crn: str) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {
        k: [] for k in ("contact", "event", "requirement", "person", "address")
    }
    query = sqlalchemy.select(tables.records.c.kind, tables.records.c.data).where(
        tables.records.c.crn == crn, tables.records.c.deleted.is_(False)
    )
    with engine.connect() as conn:
        for kind, data in conn.execute(query):
            if kind in found:
                found[kind].append(data if isinstance(data, dict) else json.loads(data))
    return found


def pick_case(ctx: AppContext, crns: list[str]) -> tuple[str, str, str]:
    """A community-order case with a RAR requirement: (crn, event id, RAR requirement id)."""
    cache = ctx.cache()
    for crn in crns:
        events = {str(r.id): r.data for r in cache.case_records(crn, "event")}
        for req in cache.case_records(crn, "requirement"):
            event = events.get(str(req.data["event_id"]))
            if req.data["category_code"] != "F" or not event or not event.get("active"):
                continue
            if req.data.get("termination_date") or not event.get("sentence"):
                continue
            if event.get("breach_in_progress"):
                continue  # new failures would not count: the test wants them to
            if reference().sentence_type(event["sentence"]["type_code"]).licence:
                continue
            return crn, str(req.data["event_id"]), str(req.id)
    raise AssertionError("the seed has no community-order case with RAR on this caseload")


@pytest.fixture
def central(database_url: str) -> Iterator[Any]:
    """The seeded service on SQLite, and on PostgreSQL where one is available."""
    with live_central(database_url) as live:
        yield live


# -- the week --------------------------------------------------------------------------


@pytest.mark.allow_warnings  # the sync engine logs the lost connection at WARNING
def test_a_week_of_offline_work_arrives_once_with_the_servers_results_equal(central, tmp_path):
    officer = central.seed.officers[0]
    staff = central.staff_code(officer)
    relay = Relay(central.server.url)
    cache = encrypted_cache(tmp_path / "laptop", officer)
    laptop = SyncClient(cache, relay.url, officer, FAST)
    actor = Actor(officer, staff, None)
    clock = lambda: dt.datetime.now(dt.UTC)  # noqa: E731 - the server judges by its own clock
    ctx = AppContext(
        lambda: StorageCache(cache.db(), actor, clock, owns_connection=False),
        Officer(officer, "Synthetic Officer", staff),
        clock=clock,
    )
    try:
        laptop.sign_in(PASSWORD, "week-of-work laptop")
        laptop.sync()
        crns = sorted(cache.pull_state().held_cases)
        crn, event_id, rar_id = pick_case(ctx, crns)

        relay.down()
        with pytest.raises(OfflineError):
            laptop.sync()

        made = do_a_week_of_work(ctx, crn, event_id, rar_id)
        offline_figures = figures(client_records(ctx, crn), event_id, ctx.today())
        queued = cache.db().query("SELECT mutation_id, name FROM outbox WHERE state = 'queued'")
        names = sorted(q["name"] for q in queued)
        assert names.count("arrange_appointment") == 5
        assert cache.pending_count() == len(queued)

        relay.restore()
        summary = laptop.sync()
        problems = cache.db().query("SELECT name, fields FROM conflict")
        problems += cache.db().query("SELECT name, message, args FROM rejection")
        assert not problems, json.dumps(problems, indent=1)
        assert (summary.conflicts, summary.rejected, summary.pending) == (0, 0, 0)
        assert summary.applied == len(queued)
        assert laptop.sync().pushed == 0  # nothing left, nothing sent twice

        check_exactly_once(central.engine, queued, list(made.values()), crn)
        after = server_records(central.engine, crn)
        on_server = {c["id"]: c for c in after["contact"]}
        assert on_server[made["missed"]]["outcome_code"] == "AAME"  # the correction
        assert on_server[made["missed"]]["enforcement_code"] is None  # lifted the letter
        assert on_server[made["failed"]]["enforcement_code"] == "EA02"
        assert on_server[made["moved_from"]]["outcome_code"] == "RSOF"
        assert figures(after, event_id, ctx.today()) == offline_figures
        assert figures(client_records(ctx, crn), event_id, ctx.today()) == offline_figures
        mine = client_records(ctx, crn)
        for kind in ("contact", "event", "requirement", "address"):  # the same rows, once
            assert sorted(r["id"] for r in after[kind]) == sorted(r["id"] for r in mine[kind])
        check_details_arrived(after, mine)
        assert offline_figures["ftc"] >= 1
        assert offline_figures["rar"]["completed_days"] >= 1
    finally:
        laptop.close()
        cache.close()
        relay.close()


def do_a_week_of_work(ctx: AppContext, crn: str, event_id: str, rar_id: str) -> dict[str, str]:
    """What an officer records in a week, through the app's use cases; the ids made."""
    today = ctx.today()
    event = uuid.UUID(event_id)
    made: list[str] = []

    # A home visit yesterday, with notes and an outcome, and a phone call today.
    visit = record_contact(
        ctx,
        RecordContact(
            contact_id=uuid.uuid4(),
            crn=crn,
            type_code="CHVS",
            date=today - dt.timedelta(days=1),
            start_time=dt.time(16, 0),
            end_time=dt.time(16, 45),
            event_id=event,
            outcome_code="ATTC",
            notes="Home visit: tidy flat, new job at the warehouse.",
        ),
    ).contact_id
    call = record_contact(
        ctx,
        RecordContact(
            contact_id=uuid.uuid4(), crn=crn, type_code="CTOB", date=today, notes="Reminder call."
        ),
    ).contact_id
    made += [str(visit), str(call)]

    # Three appointments today: RAR work (complied), a failure to attend with a first
    # warning letter (later corrected: medical evidence), and a failure to comply.
    base = appts.arrange_setup(ctx, crn).defaults
    today_slots = [dt.time(7, 0), dt.time(9, 0), dt.time(11, 0)]
    booked = []
    for n, start in enumerate(today_slots):
        request = replace(
            base,
            type_code="COAP",
            date=today,
            start_time=start,
            end_time=dt.time(start.hour, 30),
            event_id=event,
            requirement_id=uuid.UUID(rar_id) if n == 0 else None,
            location_code=base.location_code or "N07OFF1",
        )
        booked.append(appts.arrange_appointment(ctx, request, accept_warnings=True).contact_ids[0])
    rar_work, missed, failed = booked
    made += [str(i) for i in booked]
    outcome = _outcome(ctx, crn)
    record_outcome(ctx, outcome(rar_work, "ATTC"))
    record_outcome(ctx, outcome(missed, "UAAB", "EA02"))
    record_outcome(ctx, outcome(failed, "AFTC", "EA02"))
    version = appts.load_contact(ctx, crn, missed).version
    correct_outcome(
        ctx,
        CorrectOutcome(
            contact_id=missed,
            outcome_code="AAME",
            reason="GP letter received: unwell on the day.",
            base_version=version,
        ),
    )

    # Next week's appointment, then a fortnightly series of four, one moved by request.
    next_week = appts.arrange_setup(ctx, crn).defaults
    single = appts.arrange_appointment(
        ctx, replace(next_week, event_id=event), accept_warnings=True
    ).contact_ids[0]
    series = appts.arrange_appointment(
        ctx,
        replace(
            next_week,
            event_id=event,
            date=next_week.date + dt.timedelta(days=14),
            start_time=dt.time(15, 0),
            end_time=dt.time(15, 30),
            repeat=Repeat(frequency="fortnightly", count=4),
        ),
        accept_warnings=True,
    ).contact_ids
    made += [str(single), *(str(i) for i in series)]
    old = appts.load_contact(ctx, crn, series[1])
    moved = appts.reschedule_appointment(
        ctx,
        appts.RescheduleRequest(
            series[1], "person", old.date + dt.timedelta(days=1), dt.time(16), dt.time(16, 30)
        ),
        crn,
        accept_warnings=True,
    ).contact_ids[0]
    made.append(str(moved))

    # Notes appended, and a new mobile and a new address.
    appts.append_note(ctx, crn, visit, "Employer confirmed the start date by phone.")
    appts.append_note(ctx, crn, failed, "Discussed the warning letter with them.", sensitive=True)
    before = details.load_details(ctx, crn)
    new_address = details.AddressFields(
        address_number="7", street_name="Synthetic Row", town="Leeds", postcode="LS1 4AP"
    )
    details.update_details(
        ctx,
        before,
        replace(
            before.details,
            phone="0113 496 0000",
            mobile="07700 900456",
            address=new_address,
            moved=True,
        ),
    )
    named = {"missed": str(missed), "failed": str(failed), "moved_from": str(series[1])}
    return {**{f"made {n}": i for n, i in enumerate(made)}, **named}


def _outcome(ctx: AppContext, crn: str) -> Any:
    def build(contact_id: uuid.UUID, code: str, enforcement: str | None = None) -> RecordOutcome:
        version = appts.load_contact(ctx, crn, contact_id).version
        return RecordOutcome(
            contact_id=contact_id,
            outcome_code=code,
            enforcement_code=enforcement,
            base_version=version,
        )

    return build


def check_exactly_once(
    engine: sqlalchemy.Engine, queued: list[dict[str, Any]], made: list[str], crn: str
) -> None:
    applied = sqlalchemy.select(
        tables.applied_mutations.c.mutation_id, tables.applied_mutations.c.status
    )
    with engine.connect() as conn:
        rows = conn.execute(applied).all()
        contacts = conn.execute(
            sqlalchemy.select(tables.records.c.id).where(
                tables.records.c.crn == crn, tables.records.c.kind == "contact"
            )
        ).all()
    statuses = {row.mutation_id: row.status for row in rows}
    sent = [q["mutation_id"] for q in queued]
    assert len(rows) == len(set(statuses)) == len(sent)  # one row per mutation, no repeats
    assert {statuses[m] for m in sent} == {"applied"}
    ids = [r[0] for r in contacts]
    assert len(ids) == len(set(ids))
    assert set(made) <= set(ids)


def check_details_arrived(server: dict[str, list[dict]], client: dict[str, list[dict]]) -> None:
    assert server["person"][0]["mobile"] == client["person"][0]["mobile"] == "07700900456"
    assert server["person"][0]["phone"] == client["person"][0]["phone"] == "01134960000"
    main = [a for a in server["address"] if a["status"] == "main"]
    assert [a["street_name"] for a in main] == ["Synthetic Row"]
    key = lambda a: a["id"]  # noqa: E731
    assert sorted(server["address"], key=key) == sorted(client["address"], key=key)
