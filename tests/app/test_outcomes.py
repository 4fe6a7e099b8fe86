"""Outcome use cases over the real cache: the effect shown first is the effect saved."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest

from app.usecases.outcomes import (
    NothingToRecord,
    correct_outcome,
    next_needing_outcome,
    outcome_target,
    preview_outcome,
    record_outcome,
)
from domain.mutations import CorrectOutcome, RecordOutcome
from tests.ui.forms.conftest import World, make_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield from make_world(tmp_path)


def _contact(world: World, contact_id: UUID) -> dict:
    row = world.read("SELECT data FROM contact WHERE id = ?", (str(contact_id),))
    return json.loads(row[0]["data"])


def _record(ctx, contact_id: UUID, outcome: str, enforcement: str | None = None):
    target = outcome_target(ctx, contact_id)
    args = RecordOutcome(
        contact_id=contact_id,
        outcome_code=outcome,
        enforcement_code=enforcement,
        base_version=target.version,
    )
    return record_outcome(ctx, args)


def _detail(world: World, ctx):
    return ctx.cache().case_detail("X100001", today=ctx.today())


def test_attended_complied_on_a_rar_session_adds_a_rar_day(world: World) -> None:
    session = world.appointment(1, rar=True)
    ctx = world.runner().ctx
    assert next_needing_outcome(ctx, "X100001") == session.id
    effect = preview_outcome(ctx, session.id, "ATTC", None)
    assert "RAR days: 0 → 1 of 20." in effect.lines
    changes = _record(ctx, session.id, "ATTC")
    assert changes.touches_case("X100001")
    saved = _contact(world, session.id)
    assert (saved["outcome_code"], saved["attended"], saved["complied"]) == ("ATTC", True, True)
    [rar] = _detail(world, ctx).progress
    assert (rar.label, rar.done) == ("RAR days", 1)
    [(name, args)] = [
        (r["name"], json.loads(r["args"])) for r in world.read("SELECT name, args FROM outbox")
    ]
    assert name == "record_outcome"
    assert args["outcome_code"] == "ATTC"
    assert args["contact_id"] == str(session.id)
    with pytest.raises(NothingToRecord):
        next_needing_outcome(ctx, "X100001")


def test_failures_count_and_the_third_raises_a_review_task(world: World) -> None:
    first, second, third = (world.appointment(d) for d in (10, 5, 1))
    ctx = world.runner().ctx
    assert next_needing_outcome(ctx, "X100001") == first.id  # oldest first
    warned = preview_outcome(ctx, first.id, "UAAB", "EA02")
    assert (warned.ftc_before, warned.ftc_after) == (0, 1)
    assert str(warned.respond_by) == "2026-11-27"
    assert "First Warning Letter Sent: response due by Fri 27 Nov 2026." in warned.lines
    _record(ctx, first.id, "UAAB", "EA02")
    _record(ctx, second.id, "UAAB", "EA03")
    effect = preview_outcome(ctx, third.id, "AFTC", None)
    assert (effect.ftc_before, effect.ftc_after, effect.review_raised) == (2, 3, True)
    _record(ctx, third.id, "AFTC")
    tasks = world.read("SELECT data FROM contact WHERE type_code = 'ARWS'")
    assert len(tasks) == 1
    assert "3 failures to comply" in json.loads(tasks[0]["data"])["notes"]
    assert _contact(world, first.id)["enforcement_response_by"] == "2026-11-27"


def test_a_correction_to_an_acceptable_absence_lifts_the_enforcement(world: World) -> None:
    missed = world.appointment(3)
    ctx = world.runner().ctx
    _record(ctx, missed.id, "UAAB", "IBR")  # breach initiated
    event = json.loads(world.read("SELECT data FROM event")[0]["data"])
    assert event["breach_in_progress"] is True
    effect = preview_outcome(ctx, missed.id, "AAME", None)
    assert effect.lifts[0].endswith("(IBR)")
    assert "the breach in progress it started" in effect.lifts
    assert (effect.ftc_before, effect.ftc_after) == (0, 0)  # a breach freezes the count
    target = outcome_target(ctx, missed.id)
    correct_outcome(
        ctx,
        CorrectOutcome(
            contact_id=missed.id,
            outcome_code="AAME",
            reason="GP certificate received",
            base_version=target.version,
        ),
    )
    saved = _contact(world, missed.id)
    assert (saved["outcome_code"], saved["enforcement_code"]) == ("AAME", None)
    assert "GP certificate received" in saved["notes"]
    event = json.loads(world.read("SELECT data FROM event")[0]["data"])
    assert event["breach_in_progress"] is False
    names = [r["name"] for r in world.read("SELECT name FROM outbox ORDER BY seq")]
    assert names == ["record_outcome", "correct_outcome"]
