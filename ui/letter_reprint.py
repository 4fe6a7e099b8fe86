"""Reprint from the contact log: Ctrl+P on a letter contact opens its letter again.

The letter is re-rendered from the record kept on the contact (the same template version
and facts), so the reprint is the letter that was sent; printing it is audited.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING
from uuid import UUID

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut

from app.changes import ChangeSet
from app.usecases.letters import LetterSaved, letter_on
from domain.errors import FieldcaseError
from domain.letters.record import LetterRecord
from ui.letter_preview import show_letter_preview

if TYPE_CHECKING:
    from ui.contact_log import ContactLogPanel

REPRINT_KEYS = "Ctrl+P"


class LetterReprintKey:
    def __init__(self, panel: ContactLogPanel) -> None:
        self.panel = panel
        self.said = ""
        key = QShortcut(QKeySequence(REPRINT_KEYS), panel)
        key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        key.activated.connect(self.reprint_selected)

    def reprint_selected(self) -> None:
        row = self.panel.selected()
        if row is None:
            return
        contact_id = UUID(row.id)
        self.panel.runner.query(
            partial(letter_on, contact_id=contact_id),
            partial(self._on_letter, contact_id),
            on_error=self._on_failed,
        )

    def _on_letter(self, contact_id: UUID, letter: LetterRecord) -> None:
        kept = LetterSaved(ChangeSet(), self.panel.crn, letter, contact_id)
        show_letter_preview(self.panel.runner, kept, reprint=True)

    def _on_failed(self, error: FieldcaseError) -> None:
        self.said = error.message
        self.panel.where.setText(error.message)
