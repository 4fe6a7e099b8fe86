"""Record an appointment's outcome, or correct one when evidence arrives.

Only the outcomes the appointment's type allows are offered; after a non-compliant
one, only the enforcement actions that may follow it (licence or community order).
What saving will do — the failure-to-comply count, the respond-by date, a "review
enforcement status" task, RAR days — is worked out by the domain rules and shown
before the officer commits; a correction shows what it will lift.
"""

from __future__ import annotations

from functools import partial
from typing import Any
from uuid import UUID

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from app.tasks import TaskRunner
from app.usecases.outcomes import (
    Effect,
    OutcomeTarget,
    correct_outcome,
    outcome_target,
    preview_outcome,
)
from domain.errors import ValidationError
from domain.mutations import CorrectOutcome, RecordOutcome
from domain.reference import reference
from ui.forms.base import CaseForm, FormInvalid, Use
from ui.forms.contact_form import EffectLabel, enforcement_items, outcome_items
from ui.forms.fields import NotesField
from ui.forms.letter_offer import LetterOffer
from ui.forms.type_picker import CodePicker
from ui.widgets import named


def parse_hours(text: str) -> int | None:
    """Hours credited as minutes: `2`, `2.5`, `2:30`, `2h30` (None when blank)."""
    value = text.strip().lower().replace("h", ":").rstrip(":")
    if not value:
        return None
    try:
        if ":" in value:
            hours, minutes = value.split(":", 1)
            total = int(hours or 0) * 60 + int(minutes or 0)
        else:
            total = round(float(value) * 60)
    except ValueError:
        raise ValidationError(
            f"'{text.strip()}' is not a number of hours. Enter e.g. 2, 2.5 or 2:30.",
            field="hours_credited_minutes",
        ) from None
    return total


class OutcomeForm(CaseForm):
    kind = "outcome"
    title = "Record an outcome"
    noun = "outcome"

    def __init__(
        self,
        runner: TaskRunner,
        crn: str,
        contact_id: UUID,
        *,
        person: str = "",
        parent: QWidget | None = None,
    ) -> None:
        self.contact_id = contact_id
        self.target: OutcomeTarget | None = None
        super().__init__(runner, crn, person=person, contact_id=str(contact_id), parent=parent)
        self.resize(600, 560)

    def build(self) -> None:
        self.heading = named(QLabel("Loading the appointment…"), "Appointment")
        self.heading.setStyleSheet("font-weight:bold;")
        self.heading.setWordWrap(True)
        self.add_row("Appointment", self.heading)
        self.outcome = CodePicker([], rows=5)
        self.add_field("outcome_code", "Outcome", self.outcome, hint="Type a code (ATTC) or words")
        self.enforcement = CodePicker([], rows=4)
        self.enforcement.setEnabled(False)
        self.add_field("enforcement_code", "Enforcement action", self.enforcement)
        self.set_field_visible("enforcement_code", False)
        self.letter = LetterOffer(self, self.enforcement)
        self.hours = QLineEdit()
        self.add_field("hours_credited_minutes", "Hours worked", self.hours, hint="e.g. 6 or 5:30")
        self.effect = EffectLabel()
        self.add_row("", self.effect)
        self.notes = NotesField()
        self.add_field(self.notes_field(), self.notes_label(), self.notes, hint=self.notes_hint())
        self.outcome.changed.connect(self._on_outcome_changed)
        self.enforcement.changed.connect(self._on_effect_inputs_changed)

    def notes_field(self) -> str:
        return "notes"

    def notes_label(self) -> str:
        return "Notes to add"

    def notes_hint(self) -> str:
        return "Added to the appointment's notes, never replacing them. Ctrl+Enter saves."

    def load(self) -> None:
        self.runner.query(
            partial(outcome_target, contact_id=self.contact_id),
            self._on_target_loaded,
            on_error=lambda error: self.show_errors([error]),
        )

    def _on_target_loaded(self, target: OutcomeTarget) -> None:
        self.target = target
        # Whose appointment, in the form itself: from Needs an outcome the officer works
        # down a list of different people, and not every desktop shows the window title.
        self.heading.setText(f"{self.person}: {self.describe(target)}")
        self.outcome.set_items(outcome_items(target.type_code))
        ctype = reference().contact_types.get(target.type_code)
        unpaid = ctype is not None and ctype.unpaid_work
        self.hours.setEnabled(unpaid)
        self.set_field_visible("hours_credited_minutes", unpaid)
        self.prepare(target)
        self.loaded()

    def describe(self, target: OutcomeTarget) -> str:
        return target.heading

    def prepare(self, target: OutcomeTarget) -> None:
        """Recording: warn (inline) when the appointment already has an outcome."""
        if target.outcome_code is not None:
            self.show_errors(
                [
                    ValidationError(
                        f"This appointment already has an outcome ({target.outcome_code}). "
                        "Use Correct outcome (Ctrl+Shift+O) to change it.",
                        field="outcome_code",
                    )
                ]
            )

    def _on_outcome_changed(self, *_: object) -> None:
        licence = bool(self.target and self.target.licence)
        items = enforcement_items(self.outcome.code(), licence=licence)
        self.enforcement.set_items(items)
        self.enforcement.setEnabled(bool(items))
        self.set_field_visible("enforcement_code", bool(items))
        self._on_effect_inputs_changed()

    def _on_effect_inputs_changed(self, *_: object) -> None:
        code = self.outcome.code()
        if not code:
            self.effect.show_effect(Effect())
            return
        use = partial(
            preview_outcome,
            contact_id=self.contact_id,
            outcome_code=code,
            enforcement_code=self.enforcement.code() or None,
        )
        self.runner.query(use, self.effect.show_effect, key=f"effect{id(self)}")

    # -- saving -----------------------------------------------------------------
    def checked(self) -> tuple[OutcomeTarget, str, list[ValidationError]]:
        """The target, the chosen outcome and what is wrong (shared with corrections)."""
        if self.target is None:
            raise ValidationError("The appointment is still loading: try again in a moment.")
        errors: list[ValidationError] = []
        code = self.outcome.code()
        if not code:
            typed = self.outcome.text().strip()
            errors.append(
                ValidationError(
                    self.outcome.why_none("No outcome for this appointment")
                    if typed
                    else "Choose the outcome: type its code or words, e.g. ATTC or complied.",
                    field="outcome_code",
                )
            )
        if self.enforcement.text().strip() and not self.enforcement.code():
            errors.append(
                ValidationError(
                    self.enforcement.why_none("No enforcement action"),
                    field="enforcement_code",
                )
            )
        return self.target, code, errors

    def build_save(self) -> Use:
        target, code, errors = self.checked()
        minutes = None
        try:
            minutes = parse_hours(self.hours.text()) if self.hours.isEnabled() else None
        except ValidationError as error:
            errors.append(error)
        if errors:
            raise FormInvalid(errors)
        args = RecordOutcome(
            contact_id=target.contact_id,
            outcome_code=code,
            enforcement_code=self.enforcement.code() or None,
            notes=self.notes.toPlainText(),
            hours_credited_minutes=minutes,
            base_version=target.version,
        )
        return self.letter.save_use(args)

    def saved_message(self, result: Any) -> str:
        outcome = reference().outcomes.get(self.outcome.code())
        return f"Outcome recorded: {outcome.plain_words if outcome else self.outcome.code()}."


class CorrectOutcomeForm(OutcomeForm):
    """Change a recorded outcome when evidence arrives; shows what will be lifted."""

    kind = "correct-outcome"
    title = "Correct an outcome"
    noun = "correction"
    offers_letter = False

    def notes_field(self) -> str:
        return "reason"

    def notes_label(self) -> str:
        return "Reason"

    def notes_hint(self) -> str:
        return "Why it changes, e.g. the medical certificate received. Ctrl+Enter saves."

    def describe(self, target: OutcomeTarget) -> str:
        now = reference().outcomes.get(target.outcome_code or "")
        words = now.plain_words if now else "no outcome yet"
        action = reference().enforcement_actions.get(target.enforcement_code or "")
        extra = f", {action.description} ({action.code})" if action else ""
        return f"{target.heading}\nNow: {target.outcome_code} – {words}{extra}"

    def prepare(self, target: OutcomeTarget) -> None:
        if target.outcome_code is None:
            self.show_errors(
                [
                    ValidationError(
                        "This appointment has no outcome yet: record one instead (Ctrl+O).",
                        field="outcome_code",
                    )
                ]
            )

    def build_save(self) -> Use:
        target, code, errors = self.checked()
        reason = self.notes.toPlainText()
        if not reason.strip():
            errors.append(
                ValidationError(
                    "Say why the outcome changes, e.g. the evidence received.", field="reason"
                )
            )
        if errors:
            raise FormInvalid(errors)
        args = CorrectOutcome(
            contact_id=target.contact_id,
            outcome_code=code,
            enforcement_code=self.enforcement.code() or None,
            reason=reason,
            base_version=target.version,
        )
        return partial(correct_outcome, args=args)

    def saved_message(self, result: Any) -> str:
        code = self.outcome.code()
        outcome = reference().outcomes.get(code)
        return f"Outcome corrected: {outcome.plain_words if outcome else code} ({code})."
