"""The outcome form's letter offer: an enforcement action that sends a letter offers it.

Choosing EA02, EA03, EA08 or LCL shows "Produce the first warning letter" (ticked), so
the save logs the letter with the outcome in one mutation; when it lands, the letter
opens in the preview, where Enter makes the PDF. One collaborator, so the outcome form
only creates it and asks it for the save.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtWidgets import QCheckBox

from app.usecases.letters import LetterSaved, letter_kind, record_outcome_with_letter
from app.usecases.outcomes import record_outcome
from domain.letters.facts import LETTER_WORDS
from domain.mutations import RecordOutcome
from ui.forms.base import CaseForm, Use
from ui.forms.type_picker import CodePicker
from ui.letter_preview import show_letter_preview


class LetterOffer:
    def __init__(self, form: CaseForm, enforcement: CodePicker) -> None:
        self.form, self.enforcement = form, enforcement
        self.box = QCheckBox("Produce the letter")
        self.box.setChecked(True)
        self.offered = False
        form.add_field("letter", "Letter", self.box, hint="Saved with the outcome; Enter opens it")
        form.set_field_visible("letter", False)
        enforcement.changed.connect(self._on_enforcement_changed)
        form.saved.connect(self._on_saved)

    def _on_enforcement_changed(self, *_: object) -> None:
        kind = letter_kind(self.enforcement.code() or None)
        # A correction changes what was recorded; its letter (if any) was already sent.
        self.offered = kind is not None and getattr(self.form, "offers_letter", True)
        if kind is not None:
            self.box.setText(f"Produce the {LETTER_WORDS[kind].lower()}")
        self.form.set_field_visible("letter", self.offered)

    def save_use(self, args: RecordOutcome) -> Use:
        """The outcome alone, or the outcome with its letter (one mutation either way)."""
        if self.offered and self.box.isChecked():
            return partial(record_outcome_with_letter, args=args)
        return partial(record_outcome, args=args)

    def _on_saved(self, result: Any) -> None:
        if isinstance(result, LetterSaved):
            show_letter_preview(self.form.runner, result)
