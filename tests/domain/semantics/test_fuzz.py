"""Whatever a client sends, applying it ends in Effects or a typed, expected error: never a
crash (on the server a crash would be a 500 and a stuck queue)."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import FieldcaseError
from domain.semantics import Effects
from tests.domain.semantics.conftest import assert_json_safe, make_case
from tests.domain.semantics.test_agreement import EXAMPLES

_JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "0001-01-01",
            "9999-12-31",
            "2026-02-29",
            "23:59:59.999999",
            "00:00",
            "X320741",
            "Y123456",
            "ATTC",
            "UAAB",
            "AFTA",
            "RSOF",
            "EA08",
            "IBR",
            "LCL",
            "ARWS",
            "CUPA",
            "main",
            "weekly",
            str(uuid.UUID(int=0)),
            "x" * 12_001,
        ]
    ),
    st.dates().map(dt.date.isoformat),
    st.uuids().map(str),
)
_JSON = st.recursive(
    _JSON_LEAF,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _hostile(name: str, data: st.DataObject) -> None:
    case = make_case()
    args: dict[str, Any] = EXAMPLES[name](case)
    for key in data.draw(st.lists(st.sampled_from(sorted(args)), max_size=3, unique=True)):
        args[key] = data.draw(_JSON, label=key)
    if data.draw(st.booleans(), label="extra key"):
        args[data.draw(st.text(max_size=10), label="extra")] = data.draw(_JSON)
    try:
        effects: Effects | FieldcaseError = case.store.apply(name, args)
    except FieldcaseError as expected:
        effects = expected
    if isinstance(effects, Effects):
        assert_json_safe(effects)
    else:
        assert effects.message


@pytest.mark.parametrize("name", sorted(EXAMPLES))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_hostile_arguments_never_crash(name: str, data: st.DataObject) -> None:
    _hostile(name, data)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXAMPLES))
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_hostile_arguments_never_crash_long(name: str, data: st.DataObject) -> None:
    _hostile(name, data)


@settings(max_examples=40, deadline=None)
@given(
    day=st.dates()
    | st.dates(min_value=dt.date(9999, 10, 1))
    | st.dates(max_value=dt.date(1, 3, 1)),
    frequency=st.sampled_from(["daily", "weekly", "fortnightly", "four_weekly"]),
    count=st.integers(min_value=1, max_value=104),
)
def test_any_series_date_is_booked_or_refused(day: dt.date, frequency: str, count: int) -> None:
    case = make_case()
    args = EXAMPLES["arrange_appointment"](case)
    args |= {"date": day.isoformat(), "repeat": {"frequency": frequency, "count": count}}
    with contextlib.suppress(FieldcaseError):
        case.store.apply("arrange_appointment", args)
