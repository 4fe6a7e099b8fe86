"""The dates a booking would make, with their warnings, and the "book anyway" box.

Shared by the arrange and reschedule forms: the panel lists each date and its
weekend / bank-holiday / clash warnings as the officer types; warnings never block,
but booking over them needs the box ticked (Alt+K), a conscious choice, and
`check_preview` refuses at once what the preview on screen already refuses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCheckBox, QFrame, QLabel, QScrollArea, QWidget

from app.usecases import appointments as uc
from domain.errors import ValidationError
from ui.forms.base import CaseForm, FormInvalid
from ui.widgets import named

PREVIEW_MAX_HEIGHT = 260


class PreviewPanel(QLabel):
    """The dates that would be booked, each with its warnings, in words."""

    def __init__(self) -> None:
        super().__init__("Working out the dates…")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # A Tab stop, so a screen reader reads the dates; Enter still saves from here.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setStyleSheet("padding:4px; border:1px solid palette(mid);")
        named(self, "Dates to be booked")
        self.preview: uc.Preview | None = None

    def show_preview(self, preview: uc.Preview, start: dt.time, end: dt.time) -> None:
        self.preview = preview
        lines: list[str] = []
        for item in preview.occurrences:
            lines.append(f"{item.date:%a %d/%m/%Y} {start:%H:%M}–{end:%H:%M}")
            lines += [f"    ⚠ {warning}" for warning in item.warnings]
        if preview.errors:
            lines.append("Cannot book yet: " + " ".join(e.message for e in preview.errors))
        count = len(preview.occurrences)
        head = f"{count} appointment{'s' if count != 1 else ''} to book"
        warned = sum(1 for o in preview.occurrences if o.warnings)
        if warned:
            head += f", {warned} with warnings"
        self.setText("\n".join([head + ":", *lines]))
        self.setAccessibleDescription(self.text())
        self._fit()

    def scroller(self) -> QScrollArea:
        """The panel in a scroll area: a long series never pushes Save off the screen."""
        area = QScrollArea()
        area.setWidget(self)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.area = area
        self._fit()
        return area

    def _fit(self) -> None:
        """As tall as the dates (so a warning is never hidden below), up to a limit."""
        area = getattr(self, "area", None)
        if area is not None:
            area.setFixedHeight(min(self.sizeHint().height() + 4, PREVIEW_MAX_HEIGHT))

    def show_problem(self, message: str) -> None:
        self.preview = None
        self.setText(message)
        self._fit()
        self.setAccessibleDescription(message)


def confirm_box() -> QCheckBox:
    return QCheckBox("Book anyway (Alt+K): I have checked the warnings")


def show_confirm(
    box: QCheckBox, preview: uc.Preview, show: Callable[[QWidget, bool], None]
) -> None:
    """The "book anyway" box: shown only with warnings, which a screen reader reads on it."""
    warned = bool(preview.warnings)
    if not warned:
        box.setChecked(False)
    box.setAccessibleDescription(" ".join(preview.warnings))
    show(box, warned)


def toggle_key(form: CaseForm, keys: str, box: QCheckBox) -> None:
    """`keys` ticks or unticks `box` and puts the focus on it (a real action, because
    "&" mnemonics do not fire on every platform)."""
    action = QAction(form)
    action.setShortcut(QKeySequence(keys))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def on_triggered() -> None:
        if box.isEnabled() and box.isVisibleTo(form):
            box.setFocus()
            box.toggle()

    action.triggered.connect(on_triggered)
    form.addAction(action)


def check_preview(previewed: tuple[Any, uc.Preview] | None, request: Any, box: QCheckBox) -> None:
    """Refuse at once, with every problem, what the current preview already refuses, and
    booking over warnings the officer has not accepted.

    A stale preview is left to the use case, which checks again on the writer thread.
    """
    if previewed is None or previewed[0] != request:
        return
    if previewed[1].errors:
        raise FormInvalid(list(previewed[1].errors))
    if box.isChecked():
        return
    warnings = previewed[1].warnings
    if warnings:
        many = "these warnings" if len(warnings) > 1 else "this warning"
        raise ValidationError(
            f"Tick 'Book anyway' (Alt+K) to book despite {many}, or change the details.",
            field="confirm",
        )


def booked_when(booked: uc.Booked) -> str:
    """` for Mon 7 Dec at 10:00` (what the officer tells the person), or ""."""
    if booked.first_date is None:
        return ""
    day = booked.first_date
    clock = f" at {booked.first_start:%H:%M}" if booked.first_start else ""
    return f" for {day:%a} {day.day} {day:%b %Y}{clock}"
