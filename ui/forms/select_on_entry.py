"""A single-line field entered from the keyboard selects what it holds.

Editing a phone number appended to the old one ("0117 496 077007700 900999"): the
details form put the keyboard in the phone field with the cursor at the end. Qt
selects on Tab itself, but not when a form places the focus in its first field
(`select_all_in`); a mouse click still places the cursor where it lands, and a field
with an error keeps its cursor at the end, for correcting the typo.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QLineEdit

KEYBOARD_REASONS = {
    Qt.FocusReason.TabFocusReason,
    Qt.FocusReason.BacktabFocusReason,
    Qt.FocusReason.ShortcutFocusReason,
}


class SelectOnEntry(QObject):
    """An event filter for the line edits of one form."""

    def watch(self, field: QLineEdit) -> None:
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.FocusIn
            and isinstance(event, QFocusEvent)
            and isinstance(watched, QLineEdit)
            and event.reason() in KEYBOARD_REASONS
        ):
            # At once, not deferred: keys typed straight after must replace, not be
            # selected in turn (Qt's own focus handling keeps a selection it finds).
            watched.selectAll()
        return super().eventFilter(watched, event)


def select_all_in(field: object) -> None:
    """Select a line edit's text, e.g. the first field a form puts the keyboard in."""
    if isinstance(field, QLineEdit):
        field.selectAll()
