"""A conflict from the same officer's second laptop, said truthfully (issue 17, item 3).

The field day's conflict screen showed "(empty)" before either change for a real phone
number, and "Someone else" for the officer's own other laptop. Real encrypted caches,
the real central service over loopback HTTP.
"""

from __future__ import annotations

import json

import pytest

from app.conflict_rows import conflict_row
from storage.queries.problems import open_conflicts
from tests.sync.live import encrypted_cache, live_central, queue_local

pytestmark = pytest.mark.e2e


@pytest.fixture
def live(database_url: str):
    with live_central(database_url) as running:
        yield running


def test_the_value_before_and_who_changed_it_travel_with_the_conflict(live, tmp_path):
    officer = live.seed.officers[0]
    first = encrypted_cache(tmp_path / "a", officer)
    second = encrypted_cache(tmp_path / "b", officer)
    a, b = live.laptop(officer, first), live.laptop(officer, second)
    try:
        a.sync()
        b.sync()
        crn = sorted(first.pull_state().held_cases)[0]
        [person] = second.db().query("SELECT version, data FROM person WHERE crn = ?", (crn,))
        before = json.loads(person["data"])["phone"]
        assert before  # the seed gives everyone a phone number
        edit = {"crn": crn, "base_version": person["version"]}
        queue_local(
            first, live, officer, "update_contact_details", {**edit, "phone": "07700900001"}
        )
        queue_local(
            second, live, officer, "update_contact_details", {**edit, "phone": "07700900002"}
        )
        assert a.sync().applied == 1
        assert b.sync().conflicts == 1
        [item] = open_conflicts(second.db())
        [field] = item.fields
        assert (field["field"], field["original"], field["original_known"]) == (
            "phone",
            before,
            True,
        )
        assert field["changed_by"] == officer
        assert field["changed_at"]
        row = conflict_row(
            item, kind="person", record_id="", central_version=0, person="P", me=officer
        )
        assert row.changed_by == "you, on another laptop"
        assert row.fields[0].label == "Phone number"
        assert row.changed_at is not None
        other = conflict_row(
            item, kind="person", record_id="", central_version=0, person="P", me="someone"
        )
        assert other.changed_by not in ("", "you, on another laptop")
    finally:
        first.close()
        second.close()
