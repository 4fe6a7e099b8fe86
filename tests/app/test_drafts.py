"""Draft use cases over the real encrypted cache, through the app's port."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.drafts import DraftKey, discard_draft, load_draft, save_draft
from tests.ui.forms.conftest import World, make_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield from make_world(tmp_path)


def test_a_draft_survives_a_restart_and_is_keyed_by_form_case_and_contact(world: World) -> None:
    ctx = world.runner().ctx
    key = DraftKey("contact", "X100001")
    save_draft(ctx, key, {"notes": "Home visit, nobody in", "sensitive": False})
    save_draft(ctx, DraftKey("outcome", "X100001", "c-9"), {"outcome_code": "ATTC"})
    world.now += dt.timedelta(minutes=5)
    later = world.runner().ctx  # a new session over the same cache (after a crash)
    found = load_draft(later, key)
    assert found is not None
    assert found.values == {"notes": "Home visit, nobody in", "sensitive": False}
    assert found.saved_at == world.now - dt.timedelta(minutes=5)
    assert load_draft(later, DraftKey("contact", "X100002")) is None
    discard_draft(later, key)
    assert load_draft(later, key) is None
    assert load_draft(later, DraftKey("outcome", "X100001", "c-9")) is not None
