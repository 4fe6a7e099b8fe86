"""pin_case, unpin_case and case_viewed: scope and audit, never a record change."""

from __future__ import annotations

import datetime as dt

from tests.domain.semantics.conftest import CRN, Case
from tests.domain.semantics.memory_store import NOW


def test_pin_and_unpin_change_scope_only(case: Case) -> None:
    pinned = case.store.apply("pin_case", {"crn": CRN})
    assert (pinned.pins, pinned.upserts) == ((CRN,), ())
    assert [(a.action, a.crn, a.at) for a in pinned.audit] == [("pin_case", CRN, NOW)]
    assert case.store.pins == {CRN}
    unpinned = case.store.apply("unpin_case", {"crn": CRN})
    assert (unpinned.unpins, unpinned.upserts) == ((CRN,), ())
    assert case.store.pins == set()


def test_an_offline_view_is_audited_at_the_time_it_happened(case: Case) -> None:
    viewed = dt.datetime(2026, 11, 14, 9, 30, tzinfo=dt.UTC)
    effects = case.store.apply("case_viewed", {"crn": CRN, "viewed_at": viewed.isoformat()})
    assert (effects.upserts, effects.pins) == ((), ())
    assert [(a.action, a.crn, a.at) for a in effects.audit] == [("case_viewed", CRN, viewed)]


def test_a_view_time_without_a_zone_is_utc(case: Case) -> None:
    effects = case.store.apply("case_viewed", {"crn": CRN, "viewed_at": "2026-11-14T09:30:00"})
    assert effects.audit[0].at == dt.datetime(2026, 11, 14, 9, 30, tzinfo=dt.UTC)
