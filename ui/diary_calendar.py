"""The diary's calendar keys: the selected appointment, or the week shown, to Outlook.

Ctrl+Shift+C adds (or updates, or cancels) the selected appointment's entry;
Ctrl+Shift+W sends every appointment of the week shown in one file. Both work offline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel

from app.usecases.caseload import week_of
from ui.calendar_actions import add_to_calendar, export_week
from ui.widgets import named

if TYPE_CHECKING:
    from ui.diary_view import DiaryView

ENTRY_KEYS = "Ctrl+Shift+C"
WEEK_KEYS = "Ctrl+Shift+W"


class DiaryCalendarKeys:
    def __init__(self, diary: DiaryView) -> None:
        self.diary = diary
        self.said = named(
            QLabel(f"To my calendar: {ENTRY_KEYS} this one, {WEEK_KEYS} the week"),
            "Calendar message",
        )
        layout = diary.layout()
        if layout is not None:
            layout.addWidget(self.said)
        for keys, handler in ((ENTRY_KEYS, self.add_selected), (WEEK_KEYS, self.export_week)):
            key = QShortcut(QKeySequence(keys), diary)
            key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            key.activated.connect(handler)

    def add_selected(self) -> None:
        index = self.diary.table.currentIndex()
        if self.diary.runner is None or not index.isValid():
            return
        row = self.diary.model.row_at(index.row())
        add_to_calendar(self.diary.runner, UUID(row.contact_id), self.said.setText)

    def export_week(self) -> None:
        if self.diary.runner is None:
            return
        monday, _sunday = week_of(self.diary.day)
        export_week(self.diary.runner, monday, self.said.setText)
