"""Reschedule one appointment, at the service's or the person's request.

Who asked matters: it is the outcome recorded on the old appointment (`RSSR` service
request, `RSOF` the person's request) and a pattern of the person's reschedules is
something officers look for. So it has no default: P or S picks it. The new slot
starts with the old times and place; the new date is typed (`+7`, `mon`, `1/12/26`).
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any, ClassVar
from uuid import UUID

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

from app.places import place_words
from app.usecases import appointments as uc
from domain.errors import FieldcaseError, ValidationError
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
from ui.widgets import named

PREVIEW_DELAY_MS = 120


def reason_words(requested_by: uc.RequestedBy) -> str:
    code = uc.RESCHEDULE_CODES[requested_by]
    first = "Person's request" if requested_by == "person" else "Service request"
    return f"{first} – {reference().outcome(code).description} ({code})"


class RescheduleForm(CaseForm):
    kind: ClassVar[str] = "reschedule"
    title: ClassVar[str] = "Reschedule an appointment"
    noun: ClassVar[str] = "reschedule"

    def __init__(self, runner: Any, crn: str, contact_id: UUID | str, **kwargs: Any) -> None:
        self.old_id = UUID(str(contact_id))
        super().__init__(runner, crn, contact_id=str(contact_id), **kwargs)

    def build(self) -> None:
        self.old: uc.AppointmentSummary | None = None
        self.previewed: tuple[uc.RescheduleRequest, uc.Preview] | None = None
        self.new_id = uuid.uuid4()
        self.moving = named(QLabel("Reading the appointment…"), "Appointment being moved")
        self.moving.setWordWrap(True)
        self.add_row("Moving", self.moving)
        self.reason = add(
            self,
            "requested_by",
            "Who asked",
            QComboBox(),
            hint="P: the person asked; S: the service",
        )
        self.reason.addItem("Choose who asked for the change", None)
        for who in ("person", "service"):
            self.reason.addItem(reason_words(who), who)
        self.slot = Slot(self, date_label="New date")
        self.location = add(self, "location_code", "Location", OfficeField())
        self.preview = PreviewPanel()
        self.preview.show_problem("Type the new date to see any warnings.")
        self.add_row("Will book", self.preview.scroller())
        self.outputs = BookingOutputs(self, letter=False, calendar_words="Update my calendar")
        self.confirm: QCheckBox = add(self, "confirm", "Warnings", confirm_box(), drafted=False)
        toggle_key(self, "Alt+K", self.confirm)
        self._show_row(self.confirm, False)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self.slot.connect(self._preview_timer.start)
        self.location.textChanged.connect(self._preview_timer.start)
        self.location.names_loaded.connect(self._say_moving)

    def _show_row(self, widget: Any, visible: bool) -> None:
        box = widget.parentWidget()
        if box is not None:
            self.form.setRowVisible(box, visible)

    def focus_first_field(self) -> None:
        self.reason.setFocus()

    def load(self) -> None:
        self.location.load(self.runner)
        self.runner.query(
            partial(uc.reschedule_setup, crn=self.crn, contact_id=self.old_id),
            self._on_setup,
            on_error=self._on_setup_failed,
        )

    def _on_setup(self, old: uc.AppointmentSummary) -> None:
        self.old = old
        self._say_moving()
        if old.start_time is not None and old.end_time is not None:
            self.slot.set(None, old.start_time, old.end_time)
        self.location.set_code(old.location_code)
        ctype = reference().contact_types.get(old.type_code)
        self._show_row(self.location, ctype is not None and ctype.location != "not_applicable")
        self._dirty = False
        self.loaded()

    def _say_moving(self, *_: object) -> None:
        """ "Planned Office Visit (NS), Mon 14/12/2026 10:00 at Bristol Probation Office"."""
        old = self.old
        if old is None:
            return
        place = place_words(old.location_code, self.location.names)
        where = f" at {place}" if place else ""
        self.moving.setText(f"{old.type_text}, {old.when}{where}")
        self.moving.setAccessibleDescription(self.moving.text())

    def _on_setup_failed(self, error: FieldcaseError) -> None:
        self.moving.setText("")
        self.save_button.setEnabled(False)
        self.banner.show_error(error)
        self.loaded()

    def request(self, *, who: uc.RequestedBy | None = None) -> uc.RescheduleRequest:
        errors: list[ValidationError] = []
        slot = self.slot.read(errors)
        who = who or self.reason.currentData()
        if who is None:
            errors.append(
                ValidationError(
                    "Say who asked: P for the person, S for the service.", field="requested_by"
                )
            )
        if errors or slot is None:
            raise FormInvalid(errors)
        location = self.location.code() if self.location.isVisibleTo(self) else ""
        return uc.RescheduleRequest(self.old_id, who, *slot, location or None)

    def refresh_preview(self) -> None:
        if self.old is None:
            return
        try:
            request = self.request()
        except FormInvalid as invalid:
            if any(e.field != "requested_by" for e in invalid.errors):
                self.preview.show_problem("Type the new date and time to see any warnings.")
                self._show_row(self.confirm, False)
                return
            request = self.request(who="service")  # who asked does not change the warnings
        self.runner.query(
            partial(uc.preview_reschedule, old=self.old, request=request),
            partial(self._on_preview, request),
            key=f"reschedule-preview-{id(self)}",
        )

    def _on_preview(self, request: uc.RescheduleRequest, preview: uc.Preview) -> None:
        if not shiboken6.isValid(self.preview):
            return  # the form was saved and closed while its preview was worked out
        self.previewed = (request, preview)
        self.preview.show_preview(preview, request.start_time, request.end_time)
        show_confirm(self.confirm, preview, self._show_row)

    def show_errors(self, errors: Any) -> None:
        errors = [e for error in errors for e in getattr(error, "errors", (error,))]
        errors = show_slot_errors(errors)
        if any(getattr(e, "field", None) == "confirm" for e in errors):
            self._show_row(self.confirm, True)
        super().show_errors(errors)

    def build_save(self) -> Use:
        if self.old is None:
            raise ValidationError("Still reading the appointment; try again in a moment.")
        request = self.request()
        previewed = self.previewed
        if previewed is not None and _same_slot(previewed[0], request):
            check_preview((request, previewed[1]), request, self.confirm)
        return partial(
            uc.reschedule_appointment,
            request=request,
            crn=self.crn,
            accept_warnings=self.confirm.isChecked(),
            new_contact_id=self.new_id,
        )

    def saved_message(self, result: Any) -> str:
        return f"Appointment rescheduled{booked_when(result)}."


def _same_slot(a: uc.RescheduleRequest, b: uc.RescheduleRequest) -> bool:
    """Who asked does not change the warnings; the slot does."""
    return (a.date, a.start_time, a.end_time, a.location_code) == (
        b.date,
        b.start_time,
        b.end_time,
        b.location_code,
    )
