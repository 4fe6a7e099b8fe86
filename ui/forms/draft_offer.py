"""The bar that offers an unsaved draft back: "You have an unsaved contact for ... from
10:42 — Restore (Alt+R) / Discard (Alt+D)"."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ui.widgets import named


def when_text(saved_at: dt.datetime, *, now: dt.datetime | None = None) -> str:
    """`10:42` today, else `Tue 3 Mar 10:42` (local time)."""
    local = saved_at.astimezone()
    today = (now or dt.datetime.now(dt.UTC)).astimezone().date()
    clock = local.strftime("%H:%M")
    return clock if local.date() == today else f"{local:%a} {local.day} {local:%b} {clock}"


class DraftOffer(QWidget):
    """ "You have an unsaved contact for X from 10:42 — Restore / Discard"."""

    restore = Signal()
    discard = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setStyleSheet("font-weight:bold;")
        # Real actions, not "&" mnemonics: those do not fire on every platform.
        self.restore_button = named(QPushButton("Restore (Alt+R)"), "Restore draft")
        self.discard_button = named(QPushButton("Discard (Alt+D)"), "Discard draft")
        for button in (self.restore_button, self.discard_button):
            button.setAutoDefault(False)
        self.restore_button.clicked.connect(self.restore)
        self.discard_button.clicked.connect(self.discard)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        row.addWidget(self.text, 1)
        row.addWidget(self.restore_button)
        row.addWidget(self.discard_button)
        self.setStyleSheet("DraftOffer { background:#fff4ce; border:2px solid #8a6d00; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        named(self, "Unsaved draft")
        self.hide()

    def offer(self, text: str) -> None:
        self.text.setText(text)
        self.setAccessibleDescription(text)
        self.show()
