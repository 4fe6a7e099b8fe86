"""Arrange an appointment (or a repeating series), keyboard first.

The form opens already filled with "the same again next week": the type, time,
place and event of the case's last appointment, a week on. So booking next week's
appointment is the shortcut and Enter. Dates and times are typed the way officers
type them (`+7`, `tue`, `1/12/26`; `2.30pm` keeps the length, `14:00-15:15` sets it;
see `ui/forms/slot.py`) and echoed back in words under the field, so a misread date
is seen before it is booked. The dates a series would book are listed with their
warnings as the officer types (`ui/forms/booking_preview.py`).
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any, ClassVar
from uuid import UUID

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from app.usecases import appointments as uc
from domain.errors import ValidationError
from domain.mutations import Repeat, RepeatFrequency
from domain.parsing import parse_date
from domain.reference import reference
from ui.forms.base import CaseForm, FormInvalid, Use
from ui.forms.booking_outputs import BookingOutputs
from ui.forms.booking_preview import (
    PreviewPanel,
    booked_when,
    check_preview,
    confirm_box,
    show_confirm,
    toggle_key,
)
from ui.forms.office_field import OfficeField
from ui.forms.slot import Slot, add, show_slot_errors
from ui.forms.type_picker import CodePicker, PickItem, contact_type_items

FREQUENCIES: tuple[tuple[str, RepeatFrequency | None], ...] = (
    ("Does not repeat", None),
    ("Weekly", "weekly"),
    ("Fortnightly", "fortnightly"),
    ("Every four weeks", "four_weekly"),
    ("Daily", "daily"),
)
PREVIEW_DELAY_MS = 120


def appointment_items(usage: dict[str, int]) -> list[PickItem]:
    """The types that are appointments, the officer's most used first."""
    types = reference().contact_types
    return [i for i in contact_type_items(usage) if types[i.code].attendance]


class AppointmentForm(CaseForm):
    """Arrange an appointment; defaults to the same again a week after the last one."""

    kind: ClassVar[str] = "appointment"
    title: ClassVar[str] = "Arrange an appointment"
    noun: ClassVar[str] = "appointment"

    def build(self) -> None:
        self.setup: uc.ArrangeSetup | None = None
        self.previewed: tuple[uc.AppointmentRequest, uc.Preview] | None = None
        self.contact_id = uuid.uuid4()  # one id per form: a double Enter books once
        self.type_box = add(
            self,
            "type_code",
            "Type",
            self._type_picker(),
            hint="Type a code (COAP) or words (office)",
        )
        self.slot = Slot(self)
        self.location = add(self, "location_code", "Location", OfficeField())
        self.event_box = add(self, "event_id", "Event", QComboBox())
        self.requirement = add(self, "requirement_id", "Requirement", QComboBox())
        self.frequency = add(self, "frequency", "Repeat", QComboBox())
        for text, value in FREQUENCIES:
            self.frequency.addItem(text, value)
        self.ends = add(
            self,
            "count",
            "Ends after",
            QLineEdit(),
            hint="A number of appointments (6) or a last date (31/3/27)",
        )
        self.notes = add(self, "notes", "Notes", QPlainTextEdit())
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(70)  # takes the spare height, so it stays beside its label
        self.preview = PreviewPanel()
        self.add_row("Will book", self.preview.scroller())
        self.outputs = BookingOutputs(self)
        self.confirm = add(self, "confirm", "Warnings", confirm_box(), drafted=False)
        toggle_key(self, "Alt+K", self.confirm)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self.slot.connect(self._preview_timer.start)
        self.location.textChanged.connect(self._preview_timer.start)
        self.ends.textChanged.connect(self._preview_timer.start)
        self.event_box.currentIndexChanged.connect(self._on_event_changed)
        self.frequency.currentIndexChanged.connect(self._on_frequency_changed)
        self._on_frequency_changed()
        self._show_row(self.confirm, False)

    # -- widgets ------------------------------------------------------------------
    def _type_picker(self) -> CodePicker:
        picker = CodePicker(appointment_items({}), rows=4)
        picker.changed.connect(self._on_type_changed)
        return picker

    def _show_row(self, widget: QWidget, visible: bool) -> None:
        box = widget.parentWidget()
        if box is not None:
            self.form.setRowVisible(box, visible)

    def type_code(self) -> str | None:
        return self.type_box.code() or None

    def _on_type_changed(self, *_: object) -> None:
        code = self.type_code()
        ctype = reference().contact_types.get(code or "")
        needs = ctype is not None and ctype.location != "not_applicable"
        self._show_row(self.location, needs)
        self.outputs.type_changed(code)
        self._preview_timer.start()

    def _on_event_changed(self, *_: object) -> None:
        self.requirement.clear()
        self.requirement.addItem("None", None)
        event = self._event()
        for choice in event.requirements if event else ():
            self.requirement.addItem(choice.label, str(choice.id))
        self._preview_timer.start()

    def _on_frequency_changed(self, *_: object) -> None:
        self._show_row(self.ends, self.frequency.currentData() is not None)
        self._preview_timer.start()

    def _event(self) -> uc.EventChoice | None:
        if self.setup is None:
            return None
        wanted = self.event_box.currentData()
        return next((e for e in self.setup.events if str(e.id) == wanted), None)

    # -- loading ------------------------------------------------------------------
    def load(self) -> None:
        self.location.load(self.runner)
        self.runner.query(partial(uc.arrange_setup, crn=self.crn), self._on_setup)

    def _on_setup(self, setup: uc.ArrangeSetup) -> None:
        self.setup = setup
        self.type_box.set_items(appointment_items(setup.type_usage))
        for choice in setup.events:
            self.event_box.addItem(choice.label, str(choice.id))
        self.location.set_used(setup.locations)
        self.fill(setup.defaults)
        self.loaded()
        self._preview_timer.start()

    def fill(self, request: uc.AppointmentRequest) -> None:
        """Put a request's values in the fields (the defaults, before any draft)."""
        self.type_box.choose(request.type_code)
        self.slot.set(request.date, request.start_time, request.end_time)
        self.location.set_code(request.location_code)
        if request.event_id is not None:
            self.event_box.setCurrentIndex(max(0, self.event_box.findData(str(request.event_id))))
        if request.requirement_id is not None:
            found = self.requirement.findData(str(request.requirement_id))
            self.requirement.setCurrentIndex(max(0, found))
        self._dirty = False

    # -- the request --------------------------------------------------------------
    def request(self) -> uc.AppointmentRequest:
        """What is typed, parsed; every problem at once as `FormInvalid`."""
        errors: list[ValidationError] = []

        slot = self.slot.read(errors)
        code = self.type_code()
        if code is None:
            errors.append(ValidationError("Choose the type of appointment.", field="type_code"))
        repeat = self._repeat(errors)
        if errors or slot is None or code is None:
            raise FormInvalid(errors)
        day, start, end = slot
        location = self.location.code() if self.location.isVisibleTo(self) else ""
        event = self.event_box.currentData()
        requirement = self.requirement.currentData()
        return uc.AppointmentRequest(
            crn=self.crn,
            type_code=code,
            date=day,
            start_time=start,
            end_time=end,
            location_code=location.upper() or None,
            event_id=UUID(event) if isinstance(event, str) else None,
            requirement_id=UUID(requirement) if isinstance(requirement, str) else None,
            repeat=repeat,
            notes=self.notes.toPlainText().strip(),
        )

    def _repeat(self, errors: list[ValidationError]) -> Repeat | None:
        frequency = self.frequency.currentData()
        if frequency is None:
            return None
        text = self.ends.text().strip()
        if text.isdigit():
            count = int(text)
            if not 1 <= count <= 104:
                errors.append(ValidationError("Repeat 1 to 104 times.", field="count"))
                return None
            return Repeat(frequency=frequency, count=count)
        if not text:
            errors.append(
                ValidationError(
                    "Say how many appointments (e.g. 6) or the last date (e.g. 31/3/27).",
                    field="count",
                )
            )
            return None
        try:
            until = parse_date(text, today=self.runner.ctx.today(), field="count")
        except ValidationError as error:
            errors.append(error)
            return None
        return Repeat(frequency=frequency, until=until)

    def refresh_preview(self) -> None:
        if self.setup is None:
            return
        try:
            request = self.request()
        except FormInvalid as invalid:
            words = " ".join(e.message for e in invalid.errors)
            self.preview.show_problem(f"Finish the details to see the dates. {words}")
            self._show_row(self.confirm, False)
            return
        self.runner.query(
            partial(uc.preview_appointment, request=request),
            partial(self._on_preview, request),
            key=f"appointment-preview-{id(self)}",
        )

    def _on_preview(self, request: uc.AppointmentRequest, preview: uc.Preview) -> None:
        if not shiboken6.isValid(self.preview):
            return  # the form was saved and closed while its preview was worked out
        self.previewed = (request, preview)
        self.preview.show_preview(preview, request.start_time, request.end_time)
        show_confirm(self.confirm, preview, self._show_row)

    def show_errors(self, errors: Any) -> None:
        errors = [e for error in errors for e in getattr(error, "errors", (error,))]
        for error in show_slot_errors(errors):
            name = getattr(error, "field", None)
            if name == "until":
                error.field = "count"
            if name == "confirm":
                self._show_row(self.confirm, True)
                self.refresh_preview()
        super().show_errors(errors)

    # -- saving -------------------------------------------------------------------
    def build_save(self) -> Use:
        if self.setup is None:
            raise ValidationError("Still reading the case; try again in a moment.")
        request = self.request()
        check_preview(self.previewed, request, self.confirm)
        return partial(
            uc.arrange_appointment,
            request=request,
            accept_warnings=self.confirm.isChecked(),
            contact_id=self.contact_id,
            with_letter=self.outputs.with_letter(),
        )

    def saved_message(self, result: Any) -> str:
        booked: uc.Booked = result
        count = len(booked.contact_ids)
        if count == 1:
            return f"Appointment booked{booked_when(booked)}."
        return f"{count} appointments booked, the first{booked_when(booked)}."
