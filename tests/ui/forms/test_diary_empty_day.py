"""The diary on a day with nothing booked says so (issue 17, item 8)."""

from __future__ import annotations

from tests.storage.builders import TODAY
from ui.diary_view import DiaryView


def test_a_day_with_nothing_booked_says_so_in_words(qtbot, world):
    diary = DiaryView(lambda: TODAY)
    qtbot.addWidget(diary)
    diary.show()
    diary.runner = world.runner()
    diary.reload()  # Friday 20 November: nothing booked
    qtbot.waitUntil(diary.empty.isVisible)
    assert diary.empty.text() == "Nothing booked on Friday 20 Nov 2026."
    diary.step(-7)  # a week earlier: Amelia's appointment
    qtbot.waitUntil(lambda: diary.model.rowCount() == 1)
    assert not diary.empty.isVisible()
