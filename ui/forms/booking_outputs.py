"""What a booking (or a reschedule) sends on: the appointment letter and the calendar entry.

Two ticks on the arrange form: "Produce the appointment letter" (Alt+P; ticked for an
initial appointment, the induction, whose letter is expected) and "Add to my calendar"
(Alt+C; ticked). The reschedule form has "Update my calendar" (ticked). The letter is
saved in the booking's own mutation; the calendar file is written once the save lands.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox

from app.usecases.appointment_types import Booked
from ui.calendar_actions import add_to_calendar
from ui.forms.base import CaseForm
from ui.forms.booking_preview import toggle_key
from ui.letter_preview import show_letter_preview

# Initial appointments (inductions): the letter telling the person where to come is expected.
INDUCTION_TYPES = frozenset({"COAI", "COHV", "CODI", "COVI"})


class BookingOutputs:
    def __init__(self, form: CaseForm, *, letter: bool = True, calendar_words: str = "") -> None:
        self.form = form
        self.letter: QCheckBox | None = None
        if letter:
            self.letter = QCheckBox("Produce the appointment letter")
            form.add_field("letter", "Letter", self.letter, hint="Alt+P")
            toggle_key(form, "Alt+P", self.letter)
        self.calendar = QCheckBox(calendar_words or "Add to my calendar")
        self.calendar.setChecked(True)
        form.add_field("calendar", "Calendar", self.calendar, hint="Alt+C")
        toggle_key(form, "Alt+C", self.calendar)
        form.saved.connect(self._on_saved)
        self.message = ""

    def type_changed(self, code: str | None) -> None:
        """An induction's letter is ticked for the officer; other types are their choice."""
        if self.letter is not None:
            self.letter.setChecked(code in INDUCTION_TYPES)

    def with_letter(self) -> bool:
        return self.letter is not None and self.letter.isChecked()

    def _on_saved(self, result: Any) -> None:
        if not isinstance(result, Booked):
            return
        if result.letter is not None:
            show_letter_preview(self.form.runner, result.letter)
        if self.calendar.isChecked() and result.contact_ids:
            add_to_calendar(self.form.runner, result.contact_ids[0], self._said)

    def _said(self, text: str) -> None:
        self.message = text
