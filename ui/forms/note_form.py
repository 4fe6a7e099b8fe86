"""Append to a contact's notes: what is there already is shown, read only, above.

Notes are never replaced (the national rule): the officer writes only the addition,
which is saved as a dated, attributed paragraph. Ctrl+Enter saves from the notes box
(Enter makes a new line there, as in every multi-line box); Esc keeps a draft. A
sensitive contact stays sensitive, so its box is ticked and cannot be cleared.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar
from uuid import UUID

from PySide6.QtWidgets import QCheckBox, QLabel, QPlainTextEdit

from app.usecases import appointments as uc
from domain.errors import FieldcaseError, ValidationError
from domain.validation import NOTES_MAX
from ui.forms.base import CaseForm, Use
from ui.forms.slot import add
from ui.widgets import named


class NoteForm(CaseForm):
    kind: ClassVar[str] = "note"
    title: ClassVar[str] = "Add to the notes"
    noun: ClassVar[str] = "note"

    def __init__(self, runner: Any, crn: str, contact_id: UUID | str, **kwargs: Any) -> None:
        self.contact_id = UUID(str(contact_id))
        super().__init__(runner, crn, contact_id=str(contact_id), **kwargs)

    def build(self) -> None:
        self.found: uc.AppointmentSummary | None = None
        self.heading = named(QLabel("Reading the contact…"), "Contact")
        self.add_row("Contact", self.heading)
        self.existing = named(QPlainTextEdit(), "Notes so far (read only)")
        self.existing.setReadOnly(True)
        self.existing.setTabChangesFocus(True)
        self.existing.setMinimumHeight(140)
        self.add_row("Notes so far", self.existing)
        self.text = add(
            self,
            "text",
            "Add",
            QPlainTextEdit(),
            hint="Ctrl+Enter saves. What is here is added under today's date and your name.",
        )
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(100)
        self.count = QLabel()
        self.add_row("", self.count)
        self.sensitive = add(self, "sensitive", "Sensitive", QCheckBox("Mark as sensitive"))
        self.text.textChanged.connect(self._on_text_changed)

    def focus_first_field(self) -> None:
        self.text.setFocus()

    def load(self) -> None:
        self.runner.query(
            partial(uc.load_contact, crn=self.crn, contact_id=self.contact_id),
            self._on_loaded,
            on_error=self._on_load_failed,
        )

    def _on_loaded(self, found: uc.AppointmentSummary) -> None:
        self.found = found
        self.heading.setText(f"{found.type_text}, {found.when}")
        self.existing.setPlainText(found.notes or "(no notes yet)")
        if found.sensitive:
            self.sensitive.setChecked(True)
            self.sensitive.setEnabled(False)
            self.sensitive.setText("Sensitive (a sensitive contact stays sensitive)")
        self._on_text_changed()
        self._dirty = False
        self.loaded()

    def _on_load_failed(self, error: FieldcaseError) -> None:
        self.save_button.setEnabled(False)
        self.banner.show_error(error)
        self.loaded()

    def _on_text_changed(self) -> None:
        used = len(self.found.notes) if self.found else 0
        left = NOTES_MAX - used - len(self.text.toPlainText()) - 60  # the dated heading
        self.count.setText(f"About {max(left, 0):,} characters left")

    def build_save(self) -> Use:
        if self.found is None:
            raise ValidationError("Still reading the contact; try again in a moment.")
        text = self.text.toPlainText()
        if not text.strip():
            raise ValidationError("Write something to add to the notes.", field="text")
        return partial(
            uc.append_note,
            crn=self.crn,
            contact_id=self.contact_id,
            text=text,
            sensitive=self.sensitive.isChecked(),
        )

    def show_errors(self, errors: Any) -> None:
        for error in errors:
            if getattr(error, "field", None) == "notes":
                error.field = "text"  # the domain's name for the whole notes field
        super().show_errors(errors)

    def saved_message(self, result: Any) -> str:
        return "Added to the notes."
