"""Record-contact use cases over the real cache: links, habits, one mutation per contact."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.usecases.record_contact import contact_setup, end_after, record_contact
from domain.errors import ValidationError
from domain.mutations import RecordContact
from tests.storage.builders import TODAY
from tests.ui.forms.conftest import World, make_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield from make_world(tmp_path)


def test_setup_offers_the_live_event_its_requirement_and_the_officers_habits(world: World):
    setup = contact_setup(world.runner().ctx, "X100001")
    event, rar = setup.links
    assert event.label == "Event 1: Theft from a shop – ORA Community Order"
    assert (event.event_id, event.requirement_id) == (str(world.case.event.id), None)
    assert rar.requirement_id == str(world.case.rar.id)
    assert rar.category_code == "F"
    assert "(20 days)" in rar.label
    assert setup.type_usage == {"COAP": 3}
    assert setup.locations == ("N07OFF1",)


def test_a_home_visit_with_its_outcome_is_one_queued_mutation(world: World):
    ctx = world.runner().ctx
    args = RecordContact(
        contact_id=uuid.uuid4(),
        crn="X100001",
        type_code="CHVS",
        date=TODAY - dt.timedelta(days=1),
        start_time=dt.time(15, 0),
        end_time=end_after(TODAY, dt.time(15, 0)),
        event_id=world.case.event.id,
        outcome_code="ATTC",
        notes="Home visit: settled, looking for work.",
    )
    recorded = record_contact(ctx, args)
    assert recorded.changes.touches_case("X100001")
    assert recorded.changes.touches_kind("contact", "outbox")
    [row] = world.read("SELECT data, pending FROM contact WHERE type_code = 'CHVS'")
    assert row["pending"] == 1  # "waiting to send" until the server has it
    data = json.loads(row["data"])
    assert (data["outcome_code"], data["end_time"]) == ("ATTC", "15:30:00")
    record_contact(ctx, args)  # the same contact id again (a retry): still one contact
    assert len(world.read("SELECT id FROM contact WHERE type_code = 'CHVS'")) == 1


def test_a_past_visit_without_an_outcome_is_refused_for_the_outcome_field(world: World):
    ctx = world.runner().ctx
    args = RecordContact(
        contact_id=uuid.uuid4(),
        crn="X100001",
        type_code="CHVS",
        date=TODAY - dt.timedelta(days=2),
        start_time=dt.time(15, 0),
        end_time=dt.time(15, 30),
        event_id=world.case.event.id,
    )
    with pytest.raises(ValidationError) as refused:
        record_contact(ctx, args)
    assert refused.value.field == "outcome_code"
    assert world.read("SELECT count(*) AS n FROM outbox")[0]["n"] == 0


def test_end_after_stays_within_the_day():
    assert end_after(TODAY, dt.time(23, 50)) == dt.time(23, 59)
    assert end_after(TODAY, dt.time(9, 0), 45) == dt.time(9, 45)
