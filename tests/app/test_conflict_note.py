"""The contact log's words for a conflict choice (issue 17, item 3): per field what was
kept and what was discarded, whose the other change was and when."""

from __future__ import annotations

import datetime as dt

from app.conflict_rows import resolution_note
from app.rows import ConflictRow, FieldChoice

WHEN = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def _conflict(**changes: object) -> ConflictRow:
    fields = (
        FieldChoice(
            "phone", "0117 496 0770", "07700 900999", "0117 496 0000", label="Phone number"
        ),
        FieldChoice("allow_sms", True, False, False, label="Texts allowed"),
    )
    base = {"changed_by": "Priya Shah", "changed_at": WHEN, "fields": fields}
    return ConflictRow(
        "c1", "X100001", "Contact details", "person", "", 3, created_at=WHEN, **{**base, **changes}
    )


def test_keeping_the_value_before_discards_both_changes_in_words():
    note = resolution_note(_conflict(), {"phone": "original", "allow_sms": "yours"})
    first, phone, sms = note.splitlines()
    assert first.startswith("Two changes to the same details clashed")
    when = f"{WHEN.astimezone():%a %d %b %Y at %H:%M}"
    assert phone == (
        "Phone number: kept 0117 496 0770 (the value before either change). Discarded "
        "07700 900999 (your change on this laptop) and 0117 496 0000 (the change by "
        f"Priya Shah, on {when})."
    )
    assert sms == "Texts allowed: kept No (your change on this laptop)."  # both said No


def test_an_unknown_author_and_a_lost_value_are_said_as_such():
    lost = FieldChoice("phone", None, "1", "2", label="Phone number", original_known=False)
    note = resolution_note(
        _conflict(changed_by="", changed_at=None, fields=(lost,)), {"phone": "original"}
    )
    assert note.splitlines()[1] == (
        "Phone number: kept (not known on this laptop) (the value before either change). "
        "Discarded 1 (your change on this laptop) and 2 (the change by someone else)."
    )
