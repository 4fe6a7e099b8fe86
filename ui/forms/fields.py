"""Field widgets shared by the case-work forms: typed dates and times, notes, links.

Dates and times are typed the way officers type them (`today`, `1/1/26`, `14:30`,
`2.30pm`) and read with `domain.parsing`, which refuses to guess. Each field says what
it understood under itself as the officer types, so a wrong date is seen before saving.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit

from app.usecases.record_contact import Link
from domain.errors import ValidationError
from domain.mutations import NOTES_MAX
from domain.parsing import parse_date, parse_time


class _Echo(QLabel):
    """What a typed field was understood as ("Thursday 19 November 2026")."""

    def __init__(self) -> None:
        super().__init__()
        self.setStyleSheet("color:palette(placeholder-text);")
        self.hide()

    def say(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class DateField(QLineEdit):
    """A lenient date; starts as `today` (selected, so typing replaces it)."""

    def __init__(self, today: dt.date, *, initial: str = "today") -> None:
        super().__init__(initial)
        self.today = today
        self.echo = _Echo()
        self.companion = self.echo
        self.setPlaceholderText("today, 1/1/26, 1 Jan, mon")
        self.textChanged.connect(self._on_text_changed)
        self._on_text_changed(self.text())

    def value(self, *, field: str = "date") -> dt.date:
        return parse_date(self.text(), today=self.today, field=field)

    def draft_value(self) -> str:
        """The date as a date (ISO), not the words: a draft typed as "today" and restored
        tomorrow must keep the day it was typed on. Text that is not a date yet is kept."""
        try:
            return self.value().isoformat()
        except ValidationError:
            return self.text()

    def restore_draft(self, value: object) -> None:
        text = str(value or "")
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            self.setText(text)
            return
        self.setText(f"{day:%d/%m/%Y}")

    def _on_text_changed(self, text: str) -> None:
        try:
            day = parse_date(text, today=self.today) if text.strip() else None
        except ValidationError:
            day = None
        self.echo.say(f"{day:%A} {day.day} {day:%B %Y}" if day else "")

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.selectAll()


_RANGE = re.compile(r"\s*(?:-|–|to)\s*")


@dataclass(frozen=True, slots=True)
class TimeRange:
    start: dt.time
    end: dt.time | None


class TimeField(QLineEdit):
    """A time or a range: `10am`, `14:30`, `10-10.45`, `2pm to 3pm`."""

    def __init__(self) -> None:
        super().__init__()
        self.echo = _Echo()
        self.companion = self.echo
        self.setPlaceholderText("10am, 14:30, 10-10.45")
        self.textChanged.connect(self._on_text_changed)

    def value(self, *, field: str = "start_time") -> TimeRange | None:
        """None when blank; a range's end may be left out."""
        text = self.text().strip()
        if not text:
            return None
        parts = [p for p in _RANGE.split(text, maxsplit=1) if p]
        start = parse_time(parts[0], field=field)
        end = parse_time(parts[1], field=field) if len(parts) > 1 else None
        if end is not None and end <= start and end.hour < 12:  # "2pm-3" means 15:00
            later = end.replace(hour=end.hour + 12)
            end = later if later > start else end
        return TimeRange(start, end)

    def _on_text_changed(self, _text: str) -> None:
        try:
            found = self.value()
        except ValidationError:
            found = None
        if found is None:
            self.echo.say("")
            return
        end = f" to {found.end:%H:%M}" if found.end else ""
        self.echo.say(f"{found.start:%H:%M}{end}")


class NotesField(QPlainTextEdit):
    """Notes up to the national limit, with a live counter underneath."""

    changed = Signal()

    def __init__(self, limit: int = NOTES_MAX) -> None:
        super().__init__()
        self.limit = limit
        self.counter = QLabel()
        self.companion = self.counter
        self.setTabChangesFocus(True)  # Tab moves on; notes rarely need a tab character
        self.textChanged.connect(self._on_text_changed)
        self._on_text_changed()

    def text(self) -> str:
        return self.toPlainText()

    def draft_value(self) -> str:
        return self.toPlainText()

    def restore_draft(self, value: object) -> None:
        self.setPlainText(str(value or ""))

    def _on_text_changed(self) -> None:
        used = len(self.toPlainText())
        over = used > self.limit
        self.counter.setText(
            f"{used:,} of {self.limit:,} characters" + (" — too long" if over else "")
        )
        self.counter.setStyleSheet("color:#b00020; font-weight:bold;" if over else "")
        self.changed.emit()


def link_key(link: Link) -> str:
    return f"{link.event_id}/{link.requirement_id or ''}"


class LinkPicker(QComboBox):
    """Which event/requirement; chosen for the officer when there is only one event."""

    def __init__(self) -> None:
        super().__init__()
        self.choices: list[Link] = []

    def set_choices(self, choices: Iterable[Link]) -> None:
        current = self.currentData()
        self.choices = list(choices)
        self.blockSignals(True)
        self.clear()
        self.addItem("Not linked (about the person)", "/")
        for choice in self.choices:
            self.addItem(choice.label, link_key(choice))
        self.blockSignals(False)
        events = [c for c in self.choices if c.requirement_id is None]
        index = self.findData(current) if current not in (None, "/") else -1
        if index < 0 and len(events) == 1:
            index = self.findData(link_key(events[0]))
        self.setCurrentIndex(max(index, 0))

    def chosen(self) -> Link | None:
        key = self.currentData()
        return next((c for c in self.choices if link_key(c) == key), None)
