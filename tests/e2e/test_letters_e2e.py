"""Letters and calendar entries made offline, from the real app layer against the real
central service over loopback: the server keeps the letter with the enforcement it
belongs to (same respond-by date), audits each print, and the officer's calendar feed
carries the same entry (same UID) as the laptop's "Add to my calendar"."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import httpx
import icalendar
import pytest
import sqlalchemy
import vobject

from app.cache_adapter import StorageCache
from app.context import AppContext, Officer
from app.letter_kit import refresh_letter_kit
from app.usecases import appointments as appts
from app.usecases.calendar import appointment_ics
from app.usecases.letters import letter_produced, record_outcome_with_letter, sections
from app.usecases.outcomes import outcome_target
from central import tables
from domain.mutations import RecordOutcome
from domain.semantics import Actor
from sync.client import SyncClient
from tests.sync.conftest import FAST
from tests.sync.live import PASSWORD, encrypted_cache, live_central

pytestmark = pytest.mark.e2e


@pytest.fixture
def central(sqlite_url: str) -> Iterator[Any]:
    with live_central(sqlite_url) as live:
        yield live


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'central.db'}"


def _server_contacts(engine: sqlalchemy.Engine, crn: str) -> dict[str, dict[str, Any]]:
    query = sqlalchemy.select(tables.records.c.id, tables.records.c.data).where(
        tables.records.c.crn == crn, tables.records.c.kind == "contact"
    )
    with engine.connect() as conn:
        return {i: d if isinstance(d, dict) else json.loads(d) for i, d in conn.execute(query)}


def _audit(engine: sqlalchemy.Engine, crn: str) -> list[str]:
    query = sqlalchemy.select(tables.audit_log.c.action).where(tables.audit_log.c.crn == crn)
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def test_a_warning_letter_made_offline_agrees_with_the_server(central, tmp_path):
    officer = central.seed.officers[0]
    staff = central.staff_code(officer)
    cache = encrypted_cache(tmp_path / "laptop", officer)
    laptop = SyncClient(cache, central.server.url, officer, FAST)
    clock = lambda: dt.datetime.now(dt.UTC)  # noqa: E731 - the server judges by its own clock
    ctx = AppContext(
        lambda: StorageCache(cache.db(), Actor(officer, staff, None), clock, owns_connection=False),
        Officer(officer, "Synthetic Officer", staff),
        clock=clock,
    )
    try:
        laptop.sign_in(PASSWORD, "letters laptop")
        assert refresh_letter_kit(laptop, cache)
        assert ctx.cache().letter_kit().offices  # the office and its phone, for "who to call"
        laptop.sync()
        crn = sorted(cache.pull_state().held_cases)[0]
        # offline from here: book today's appointment with its letter, then it is missed
        defaults = appts.arrange_setup(ctx, crn).defaults
        today = ctx.today()
        request = dataclasses.replace(
            defaults, date=today, start_time=dt.time(0, 5), end_time=dt.time(0, 35)
        )
        booked = appts.arrange_appointment(ctx, request, accept_warnings=True, with_letter=True)
        assert booked.letter is not None
        version = outcome_target(ctx, booked.contact_ids[0]).version
        args = RecordOutcome(
            contact_id=booked.contact_ids[0],
            outcome_code="UAAB",
            enforcement_code="EA02",
            base_version=version,
        )
        saved = record_outcome_with_letter(ctx, args)
        letter_produced(ctx, crn, saved.contact_id, "pdf")
        laptop_ics = appointment_ics(ctx, booked.contact_ids[0]).path.read_bytes()
        printed = sections(ctx, saved.letter)
        laptop.sync()  # back online
    finally:
        laptop.close()
    server = _server_contacts(central.engine, crn)
    outcome = server[str(booked.contact_ids[0])]
    warning = server[str(saved.contact_id)]
    respond_by = saved.letter.facts.respond_by
    assert outcome["enforcement_response_by"] == str(respond_by)
    assert (warning["type_code"], warning["letter"]["facts"]["respond_by"]) == (
        "AWLI",
        str(respond_by),
    )
    assert server[str(booked.letter.contact_id)]["type_code"] == "CLOB"
    assert "letter_produced" in _audit(central.engine, crn)
    text = " ".join(t for s in printed for _k, t in s.blocks)
    assert "01632 96" in text  # the office's phone from the kit
    # the calendar feed carries the same entry as the laptop's file
    token = central.server.token(officer)
    with httpx.Client(base_url=central.server.url) as http:
        link = http.post("/v1/calendar/feed", headers={"Authorization": f"Bearer {token}"})
        feed = http.get(link.json()["path"]).content
    vobject.readOne(feed.decode())
    [ours] = icalendar.Calendar.from_ical(laptop_ics).walk("VEVENT")
    uids = {str(e["uid"]) for e in icalendar.Calendar.from_ical(feed).walk("VEVENT")}
    assert str(ours["uid"]) in uids
