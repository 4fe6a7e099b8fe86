"""Letters over the real cache: one save logs the outcome, the enforcement and the letter."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.usecases import appointments
from app.usecases.letters import (
    letter_on,
    letter_produced,
    record_outcome_with_letter,
    sections,
)
from app.usecases.outcomes import outcome_target
from domain.letters.kit import LetterKit, OfficeDetails
from domain.mutations import RecordOutcome
from storage.letters import save_kit
from tests.storage.builders import OFFICER, TODAY
from tests.ui.forms.conftest import World, make_world

CAMDEN = OfficeDetails(
    code="N07OFF1",
    description="Camden Probation Office",
    address="10 High Street, Camden, NW1 0AA",
    phone="020 7946 0000",
)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    made = next(gen := make_world(tmp_path))
    save_kit(made.writer, LetterKit(offices=(CAMDEN,)), "1")
    yield made
    next(gen, None)


def _text(found) -> str:
    return "\n".join(text for section in found for _kind, text in section.blocks)


def _outbox(world: World) -> list[tuple[str, dict]]:
    rows = world.read("SELECT name, args FROM outbox ORDER BY seq")
    return [(r["name"], json.loads(r["args"])) for r in rows]


def _contacts(world: World) -> dict[str, dict]:
    rows = world.read("SELECT id, data FROM contact")
    return {r["id"]: json.loads(r["data"]) for r in rows}


def _first_warning(ctx, missed):
    version = outcome_target(ctx, missed.id).version
    args = RecordOutcome(
        contact_id=missed.id, outcome_code="UAAB", enforcement_code="EA02", base_version=version
    )
    return record_outcome_with_letter(ctx, args)


def test_a_warning_is_saved_with_its_letter_in_one_mutation(world: World) -> None:
    missed = world.appointment(2, start=dt.time(14, 30))
    ctx = world.runner().ctx
    target = outcome_target(ctx, missed.id)
    args = RecordOutcome(
        contact_id=missed.id,
        outcome_code="UAAB",
        enforcement_code="EA02",
        base_version=target.version,
    )
    saved = record_outcome_with_letter(ctx, args)
    assert saved.changes.touches_case("X100001")
    # one mutation carries the outcome, the enforcement and the letter
    [(name, sent)] = _outbox(world)
    assert name == "record_outcome"
    assert sent["enforcement_code"] == "EA02"
    assert sent["letter"] == saved.letter.model_dump(mode="json")
    # the contact log, the enforcement state and the letter agree
    contacts = _contacts(world)
    outcome = contacts[str(missed.id)]
    logged = contacts[str(saved.contact_id)]
    respond_by = TODAY + dt.timedelta(days=7)
    assert outcome["enforcement_response_by"] == respond_by.isoformat()
    assert logged["type_code"] == "AWLI"
    assert logged["letter"]["facts"]["respond_by"] == respond_by.isoformat()
    assert logged["date"] == TODAY.isoformat()
    text = _text(sections(ctx, saved.letter))
    assert "by Friday 27 November 2026" in text
    assert "Wednesday 18 November 2026" in text
    assert "14:30" in text
    assert "Camden Probation Office" in text
    assert "Fake Street" in text
    assert "020 7946 0000" in text


def test_a_reprint_is_the_same_letter_and_is_audited(world: World) -> None:
    ctx = world.runner().ctx
    saved = _first_warning(ctx, world.appointment(2))
    world.now += dt.timedelta(days=30)  # a month on, templates and the clock have moved
    again = letter_on(ctx, saved.contact_id)
    assert sections(ctx, again) == sections(ctx, saved.letter)
    letter_produced(ctx, "X100001", saved.contact_id, "reprint")
    names = [name for name, _args in _outbox(world)]
    assert names == ["record_outcome", "letter_produced"]
    [audit] = world.read("SELECT action, crn FROM audit_queue WHERE action = 'letter_produced'")
    assert audit["crn"] == "X100001"


def test_welsh_teams_get_a_welsh_then_english_letter(world: World) -> None:
    save_kit(
        world.writer,
        LetterKit(offices=(CAMDEN,), welsh_teams=(OFFICER.team_code or "",)),
        "2",
    )
    ctx = world.runner().ctx
    saved = _first_warning(ctx, world.appointment(2))
    welsh, english = sections(ctx, saved.letter)
    assert (welsh.language, english.language) == ("cy", "en")
    assert "Dydd Gwener 27 Tachwedd 2026" in _text([welsh])


def test_arranging_with_a_letter_logs_the_appointment_letter(world: World) -> None:
    ctx = world.runner().ctx
    request = appointments.arrange_setup(ctx, "X100001").defaults
    booked = appointments.arrange_appointment(ctx, request, accept_warnings=True, with_letter=True)
    assert booked.letter is not None
    [(name, sent)] = _outbox(world)
    assert name == "arrange_appointment"
    assert sent["letter"]["kind"] == "appointment"
    logged = _contacts(world)[str(booked.letter.contact_id)]
    assert logged["type_code"] == "CLOB"
    text = _text(sections(ctx, booked.letter.letter))
    assert f"{request.start_time:%H:%M}" in text
    assert "Please bring this letter" in text
