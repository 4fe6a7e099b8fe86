"""Search results: people found by who they are come before mere mentions in notes."""

from __future__ import annotations

import datetime as dt

from app.rows import SearchHit
from app.usecases.search import merged
from storage.queries.search import NAME_MATCH

DOB = dt.date(1980, 1, 1)


def test_national_people_come_before_local_mentions_in_notes() -> None:
    here = [
        SearchHit("A000001", "Ann Barber", DOB, NAME_MATCH, True),
        SearchHit(
            "A000002", "Bob Stone", DOB, "Found in a contact: Office visit, 01 Nov 2026", True
        ),
    ]
    national = (
        SearchHit("Z000001", "Cal Barber", DOB, "Leeds North", False),
        SearchHit("A000001", "Ann Barber", DOB, "Your case", False),  # already here
    )
    assert [h.crn for h in merged(here, national)] == ["A000001", "Z000001", "A000002"]
