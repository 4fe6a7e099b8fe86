"""Record a contact: a call, an email, a home visit that has happened, with its outcome.

Designed for the keyboard: the type is chosen by typing its code or words (the
officer's most used first), the date starts as today, a time is typed as `10am` or
`10-10.45` (the end defaults to 30 minutes later), an outcome can be recorded in the
same go for something that has already happened (its effect shown before saving),
the only event is linked for the officer, and Enter saves (Ctrl+Enter in the notes).
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import partial
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from app.tasks import TaskRunner
from app.usecases.documents import record_contact_with_paths
from app.usecases.outcomes import Effect, contact_effect
from app.usecases.record_contact import ContactSetup, contact_setup, end_after, record_contact
from domain.calendar import LONDON
from domain.contacts import Contact
from domain.errors import ValidationError
from domain.mutations import RecordContact
from domain.picking import enforcement_choices, outcome_choices
from domain.reference import ContactType, reference
from domain.rules.outcomes import allowed_enforcement_actions, allowed_outcomes
from ui.documents_field import DocumentsField
from ui.forms.base import CaseForm, FormInvalid, Use
from ui.forms.fields import DateField, LinkPicker, NotesField, TimeField
from ui.forms.office_field import OfficeField
from ui.forms.type_picker import CodePicker, PickItem, contact_type_items
from ui.widgets import named


def outcome_items(type_code: str) -> list[PickItem]:
    """The outcomes this type takes that an officer records (not the rescheduled ones)."""
    if type_code not in reference().contact_types:
        return []
    outcomes = [o for o in allowed_outcomes(type_code) if not o.rescheduled]
    return [
        PickItem(o.code, o.description, note=_unless_same(o.plain_words, o.description), choice=c)
        for o, c in zip(outcomes, outcome_choices(outcomes), strict=True)
    ]


def _unless_same(words: str, description: str) -> str:
    return "" if words.casefold() == description.casefold() else words


def enforcement_items(outcome_code: str, *, licence: bool) -> list[PickItem]:
    if outcome_code not in reference().outcomes:
        return []
    actions = allowed_enforcement_actions(outcome_code, licence=licence)
    return [
        PickItem(a.code, a.description, choice=c)
        for a, c in zip(actions, enforcement_choices(actions), strict=True)
    ]


class EffectLabel(QLabel):
    """What saving will do, computed by the domain rules before the officer commits."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        named(self, "Effect of saving")

    def show_effect(self, effect: Effect) -> None:
        text = "\n".join(effect.lines)
        self.setText(text)
        self.setAccessibleDescription(text)
        self.setVisible(bool(text))


class ContactForm(CaseForm):
    kind = "contact"
    title = "Record a contact"
    noun = "contact"

    def __init__(
        self,
        runner: TaskRunner,
        crn: str,
        *,
        person: str = "",
        parent: QWidget | None = None,
    ) -> None:
        self.contact_id = uuid.uuid4()
        self.setup: ContactSetup | None = None
        super().__init__(runner, crn, person=person, parent=parent)
        self.resize(640, 720)

    # -- fields -----------------------------------------------------------------
    def build(self) -> None:
        today = self.runner.ctx.today()
        self.type_picker = CodePicker(contact_type_items({}))
        self.add_field(
            "type_code", "Contact type", self.type_picker, hint="Type a code (CHVS) or words"
        )
        self.date = DateField(today)
        self.add_field("date", "Date", self.date)
        self.time = TimeField()
        self.add_field("start_time", "Time", self.time, hint="Needed for an appointment or visit")
        self.location = OfficeField()
        self.add_field("location_code", "Location", self.location)
        self.outcome = CodePicker([], rows=4)
        self.add_field("outcome_code", "Outcome", self.outcome, hint="If it has happened")
        self.enforcement = CodePicker([], rows=4)
        self.add_field("enforcement_code", "Enforcement action", self.enforcement)
        self.effect = EffectLabel()
        self.add_row("", self.effect)
        self.notes = NotesField()
        self.add_field("notes", "Notes", self.notes, hint="Ctrl+Enter saves from here")
        self.link = LinkPicker()
        self.add_field("event_id", "Linked to", self.link)
        self.sensitive = QCheckBox("Sensitive")
        self.add_field("sensitive", "Sensitive", self.sensitive)
        self.alert = QCheckBox("Alert the offender manager")
        self.add_field("alert", "Alert", self.alert)
        self.documents = DocumentsField()
        self.add_field("documents", "Documents", self.documents, drafted=False)
        self.type_picker.changed.connect(self._on_type_changed)
        self.outcome.changed.connect(self._on_outcome_changed)
        self.enforcement.changed.connect(self._on_effect_inputs_changed)
        self.link.currentIndexChanged.connect(self._on_outcome_changed)
        self.date.textChanged.connect(self._on_effect_inputs_changed)
        self._on_type_changed(self.type_picker.code())

    def load(self) -> None:
        self.location.load(self.runner)
        self.runner.query(partial(contact_setup, crn=self.crn), self._on_setup_loaded)

    def _on_setup_loaded(self, setup: ContactSetup) -> None:
        self.setup = setup
        self.type_picker.set_items(contact_type_items(setup.type_usage))
        self.link.set_choices(setup.links)
        self.location.set_used(setup.locations)
        self.loaded()

    def values(self) -> dict[str, Any]:
        return {**super().values(), "contact_id": str(self.contact_id)}

    def restore(self, values: dict[str, Any]) -> None:
        """The draft's contact id too: a save retried after a crash is then a replay."""
        if isinstance(values.get("contact_id"), str):
            self.contact_id = uuid.UUID(values["contact_id"])
        super().restore(values)

    # -- reacting to choices ------------------------------------------------------
    def contact_type(self) -> ContactType | None:
        return reference().contact_types.get(self.type_picker.code())

    def _on_type_changed(self, code: str) -> None:
        ctype = self.contact_type()
        items = outcome_items(code)
        self.outcome.set_items(items)
        self.outcome.setEnabled(bool(items))
        self.set_field_visible("outcome_code", bool(items))
        place = ctype is not None and ctype.location != "not_applicable"
        self.location.setEnabled(place)
        self.set_field_visible("location_code", place)
        if ctype is not None and ctype.sensitive:
            self.sensitive.setChecked(True)
        self._on_outcome_changed()

    def _on_outcome_changed(self, *_: object) -> None:
        link = self.link.chosen()
        items = enforcement_items(self.outcome.code(), licence=bool(link and link.licence))
        self.enforcement.set_items(items)
        self.enforcement.setEnabled(bool(items))
        self.set_field_visible("enforcement_code", bool(items))
        self._on_effect_inputs_changed()

    def _on_effect_inputs_changed(self, *_: object) -> None:
        after = self._hypothetical()
        if after is None:
            self.effect.show_effect(Effect())
            return
        self.runner.query(
            partial(contact_effect, after=after), self.effect.show_effect, key=f"effect{id(self)}"
        )

    def _hypothetical(self) -> Contact | None:
        """The contact as it would be saved, for the effect preview (None: nothing to show)."""
        code = self.outcome.code()
        if not code or self.contact_type() is None:
            return None
        try:
            day = self.date.value()
        except ValidationError:
            return None
        outcome = reference().outcomes[code]
        link = self.link.chosen()
        return Contact(
            id=self.contact_id,
            crn=self.crn,
            type_code=self.type_picker.code(),
            date=day,
            event_id=uuid.UUID(link.event_id) if link else None,
            requirement_id=uuid.UUID(link.requirement_id) if link and link.requirement_id else None,
            outcome_code=code,
            attended=outcome.attended,
            complied=outcome.complied,
            enforcement_code=self.enforcement.code() or None,
            rar_activity=self._rar_activity(),
        )

    def _rar_activity(self) -> bool:
        """A RAR-eligible contact linked to the RAR requirement counts as a RAR activity."""
        ctype, link = self.contact_type(), self.link.chosen()
        return bool(ctype and ctype.rar_eligible and link and link.category_code == "F")

    # -- saving -----------------------------------------------------------------
    def build_save(self) -> Use:
        errors: list[ValidationError] = []
        ctype = self.contact_type()
        if ctype is None:
            typed = self.type_picker.text().strip()
            errors.append(
                ValidationError(
                    self.type_picker.why_none("No contact type")
                    + (
                        " Type a code or words, e.g. CHVS or home visit."
                        if not self.type_picker.shown
                        else ""
                    )
                    if typed
                    else "Choose the contact type: type a code or words, e.g. CTOB or phone.",
                    field="type_code",
                )
            )
        day = _collect(errors, self.date.value)
        times = _collect(errors, self.time.value)
        if self.outcome.text().strip() and not self.outcome.code():
            message = self.outcome.why_none("No outcome for this type")
            errors.append(ValidationError(message, field="outcome_code"))
        if ctype is not None and ctype.attendance and day is not None:
            errors += self._appointment_errors(day, times)
        if errors:
            raise FormInvalid(errors)
        assert ctype is not None
        assert day is not None
        args = self._args(ctype, day, times)
        if self.documents.paths:  # evidence handed over: stored and sent with it
            return partial(record_contact_with_paths, args=args, paths=self.documents.paths)
        return partial(record_contact, args=args)

    def _appointment_errors(self, day: dt.date, times: Any) -> list[ValidationError]:
        if times is None:
            return [ValidationError("Enter the time, e.g. 10am or 10-10.45.", field="start_time")]
        now = self.runner.ctx.now().astimezone(LONDON)  # appointment times are London's
        happened = day < now.date() or (day == now.date() and times.start <= now.time())
        if happened and not self.outcome.code():
            return [
                ValidationError(
                    "This has already happened: record its outcome, e.g. ATTC "
                    "(attended – complied).",
                    field="outcome_code",
                )
            ]
        return []

    def _args(self, ctype: ContactType, day: dt.date, times: Any) -> RecordContact:
        link = self.link.chosen()
        start = times.start if times else None
        end = (times.end or end_after(day, times.start)) if times else None
        location = self.location.code() if self.location.isEnabled() else ""
        return RecordContact(
            contact_id=self.contact_id,
            crn=self.crn,
            type_code=ctype.code,
            date=day,
            start_time=start,
            end_time=end,
            event_id=uuid.UUID(link.event_id) if link else None,
            requirement_id=uuid.UUID(link.requirement_id) if link and link.requirement_id else None,
            location_code=location or None,
            outcome_code=self.outcome.code() or None,
            enforcement_code=self.enforcement.code() or None,
            notes=self.notes.toPlainText(),
            sensitive=self.sensitive.isChecked(),
            alert=self.alert.isChecked(),
            rar_activity=self._rar_activity(),
        )

    def saved_message(self, result: Any) -> str:
        ctype = self.contact_type()
        return f"Contact recorded: {ctype.description if ctype else 'contact'}."


def _collect(errors: list[ValidationError], read: Any) -> Any:
    """Run one field's parser, keeping its error with the others (all shown at once)."""
    try:
        return read()
    except ValidationError as error:
        errors.append(error)
        return None
