from __future__ import annotations

from app.changes import CASELOAD, OUTBOX, ChangeHub, ChangeSet


def test_empty_change_set_is_falsy_and_not_published(qtbot):
    hub = ChangeHub()
    seen = []
    hub.changes_applied.connect(seen.append)
    hub.publish(ChangeSet())
    assert not ChangeSet()
    assert seen == []


def test_merge_and_questions():
    a = ChangeSet.of(["X100001"], ["contact"])
    b = ChangeSet.of([], [OUTBOX])
    merged = a.merge(b)
    assert merged.touches_case("X100001")
    assert not merged.touches_case("X100002")
    assert merged.touches_kind(OUTBOX)
    assert merged.touches_caseload()
    assert not b.touches_caseload()
    assert ChangeSet.of(kinds=[CASELOAD]).touches_caseload()
    assert ChangeSet.all().touches_case("anything")
