"""The date and time of an appointment, typed as officers type them.

Shared by the arrange and reschedule forms (and `add`, the typed `add_field`, by the
note and details forms too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QWidget

from domain.errors import ValidationError
from ui.forms.base import CaseForm
from ui.forms.fields import DateField, TimeField

DEFAULT_MINUTES = 30

W = TypeVar("W", bound=QWidget)


def add(
    form: CaseForm, name: str, label: str, widget: W, *, hint: str = "", drafted: bool = True
) -> W:
    """`form.add_field`, keeping the widget's own type for the caller."""
    form.add_field(name, label, widget, hint=hint, drafted=drafted)
    return widget


class Slot:
    """The date and time of an appointment, typed as officers type them.

    The shared `DateField` and `TimeField` (the contact form's too): the time is one
    field, `14:30` or a range `14:30-15:15`; given only a start, the appointment keeps
    the length it was given (the last appointment's), so moving it is one word.
    """

    def __init__(self, form: CaseForm, *, date_label: str = "Date") -> None:
        self.date = add(form, "date", date_label, DateField(form.runner.ctx.today(), initial=""))
        self.date.setPlaceholderText("e.g. +7, tue, 1/12/26")
        self.time = add(form, "start_time", "Time", TimeField(), hint="e.g. 2pm, or 14:00-15:15")
        self.minutes = DEFAULT_MINUTES

    def set(self, day: dt.date | None, start: dt.time, end: dt.time) -> None:
        if day is not None:
            self.date.setText(f"{day:%d/%m/%Y}")
        self.time.setText(f"{start:%H:%M}-{end:%H:%M}")
        length = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        self.minutes = length if length > 0 else DEFAULT_MINUTES

    def connect(self, slot: Callable[[], None]) -> None:
        self.date.textChanged.connect(slot)
        self.time.textChanged.connect(slot)

    def read(self, errors: list[ValidationError]) -> tuple[dt.date, dt.time, dt.time] | None:
        """The date, start and end; problems are added to `errors` (None then)."""
        day = _read(errors, self.date, "date", "the date (e.g. +7, tue, 1/12/26)")
        span = _read(errors, self.time, "start_time", "the time (e.g. 14:30)")
        if day is None or span is None:
            return None
        moved = dt.datetime.combine(day, span.start) + dt.timedelta(minutes=self.minutes)
        end = span.end or (moved.time() if moved.date() == day else dt.time(23, 59))
        return day, span.start, end


def _read(
    errors: list[ValidationError], widget: DateField | TimeField, field: str, what: str
) -> Any:
    if not widget.text().strip():
        errors.append(ValidationError(f"Enter {what}.", field=field))
        return None
    try:
        return widget.value(field=field)
    except ValidationError as error:
        errors.append(error)
        return None


def show_slot_errors(errors: list[Any]) -> list[Any]:
    """The domain names the end time; on these forms it is typed in the one time field."""
    for error in errors:
        if getattr(error, "field", None) == "end_time":
            error.field = "start_time"
    return errors
