"""What a sync changed, as the cache reports it, becomes one change set a sync."""

from __future__ import annotations

import threading

from app.changes import CASELOAD, OUTBOX, ChangeSet, PulledChanges, from_applied
from storage.pulled import Applied


def test_a_pulled_edit_names_its_case_and_kinds() -> None:
    changes = from_applied(Applied(frozenset({"X1"}), frozenset({"contact"})))
    assert changes == ChangeSet.of(["X1"], ["contact"])
    assert changes.caseload_cases() == {"X1"}


def test_cases_that_came_or_went_need_no_whole_reload() -> None:
    changes = from_applied(Applied(frozenset({"X1", "X2"}), frozenset({"person"}), caseload=True))
    assert CASELOAD in changes.kinds
    assert changes.caseload_cases() == {"X1", "X2"}


def test_push_answers_do_not_ask_for_another_sync() -> None:
    changes = from_applied(Applied(frozenset(), frozenset({"outbox"})))
    assert not changes.touches_kind(OUTBOX)
    assert not changes


def test_whole_reload_only_when_nobody_says_which_cases() -> None:
    assert ChangeSet.all().caseload_cases() is None
    assert ChangeSet.of(kinds=[CASELOAD]).caseload_cases() is None
    assert ChangeSet.of(["X1"], [CASELOAD]).caseload_cases() == {"X1"}
    assert ChangeSet.of(kinds=["attention"]).caseload_cases() == frozenset()


def test_pages_gather_until_taken_from_any_thread() -> None:
    pulled = PulledChanges()
    workers = [
        threading.Thread(
            target=pulled.add, args=(Applied(frozenset({f"X{n}"}), frozenset({"contact"})),)
        )
        for n in range(8)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    taken = pulled.take()
    assert taken.cases == {f"X{n}" for n in range(8)}
    assert not pulled.take()


def test_a_reset_asks_for_everything() -> None:
    pulled = PulledChanges()
    pulled.add(Applied(frozenset({"X1"}), frozenset({"person"})))
    pulled.add(Applied(frozenset(), frozenset({"person", "contact"}), caseload=True))
    assert pulled.take().caseload_cases() is None
