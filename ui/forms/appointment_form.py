"""Arrange an appointment (or a repeating series), keyboard first.

The form opens already filled with "the same again next week": the type, time,
place and event of the case's last appointment, a week on. So booking next week's
appointment is the shortcut and Enter. Dates and times are typed the way officers
type them (`+7`, `tue`, `1/12/26`; `2.30pm` keeps the length, `14:00-15:15` sets it)
and echoed back in words under the field, so a misread date is seen before it is
booked. The dates a series would
book are listed with their warnings (weekend, bank holiday, clash) as the officer
types; warnings never block, but booking over them needs the "book anyway" box
ticked (Alt+K), a conscious choice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QWidget,
)

from app.usecases import appointments as uc
from domain.errors import ValidationError
from domain.mutations import Repeat, RepeatFrequency
from domain.parsing import parse_date
from domain.reference import reference
from ui.forms.base import CaseForm, FormInvalid, Use
from ui.forms.fields import DateField, TimeField
from ui.forms.type_picker import CodePicker, PickItem, contact_type_items
from ui.widgets import named

FREQUENCIES: tuple[tuple[str, RepeatFrequency | None], ...] = (
    ("Does not repeat", None),
    ("Weekly", "weekly"),
    ("Fortnightly", "fortnightly"),
    ("Every four weeks", "four_weekly"),
    ("Daily", "daily"),
)
PREVIEW_DELAY_MS = 120
PREVIEW_MAX_HEIGHT = 260
DEFAULT_MINUTES = 30


def appointment_items(usage: dict[str, int]) -> list[PickItem]:
    """The types that are appointments, the officer's most used first."""
    types = reference().contact_types
    return [i for i in contact_type_items(usage) if types[i.code].attendance]


def long_day(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


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


class Slot:
    """The date and time of an appointment, typed as officers type them.

    The shared `DateField` and `TimeField` (the contact form's too): the time is one
    field, `14:30` or a range `14:30-15:15`; given only a start, the appointment keeps
    the length it was given (the last appointment's), so moving it is one word.
    """

    def __init__(self, form: CaseForm, *, date_label: str = "Date") -> None:
        self.date = add(form, "date", date_label, DateField(form.runner.ctx.today(), initial=""))
        self.date.setPlaceholderText("e.g. +7, tue, 1/12/26")
        self.time = add(form, "start_time", "Time", TimeField(), hint="e.g. 2pm, or 14:00-15:15")
        self.minutes = DEFAULT_MINUTES

    def set(self, day: dt.date | None, start: dt.time, end: dt.time) -> None:
        if day is not None:
            self.date.setText(f"{day:%d/%m/%Y}")
        self.time.setText(f"{start:%H:%M}-{end:%H:%M}")
        length = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        self.minutes = length if length > 0 else DEFAULT_MINUTES

    def connect(self, slot: Callable[[], None]) -> None:
        self.date.textChanged.connect(slot)
        self.time.textChanged.connect(slot)

    def read(self, errors: list[ValidationError]) -> tuple[dt.date, dt.time, dt.time] | None:
        """The date, start and end; problems are added to `errors` (None then)."""
        day = _read(errors, self.date, "date", "the date (e.g. +7, tue, 1/12/26)")
        span = _read(errors, self.time, "start_time", "the time (e.g. 14:30)")
        if day is None or span is None:
            return None
        moved = dt.datetime.combine(day, span.start) + dt.timedelta(minutes=self.minutes)
        end = span.end or (moved.time() if moved.date() == day else dt.time(23, 59))
        return day, span.start, end


def _read(
    errors: list[ValidationError], widget: DateField | TimeField, field: str, what: str
) -> Any:
    if not widget.text().strip():
        errors.append(ValidationError(f"Enter {what}.", field=field))
        return None
    try:
        return widget.value(field=field)
    except ValidationError as error:
        errors.append(error)
        return None


def show_slot_errors(errors: list[Any]) -> list[Any]:
    """The domain names the end time; on these forms it is typed in the one time field."""
    for error in errors:
        if getattr(error, "field", None) == "end_time":
            error.field = "start_time"
    return errors


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


W = TypeVar("W", bound=QWidget)


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


def add(
    form: CaseForm, name: str, label: str, widget: W, *, hint: str = "", drafted: bool = True
) -> W:
    """`form.add_field`, keeping the widget's own type for the caller."""
    form.add_field(name, label, widget, hint=hint, drafted=drafted)
    return widget


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
        self.location = add(self, "location_code", "Location", QLineEdit())
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
        self.notes.setMaximumHeight(70)
        self.preview = PreviewPanel()
        self.add_row("Will book", self.preview.scroller())
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
        self.runner.query(partial(uc.arrange_setup, crn=self.crn), self._on_setup)

    def _on_setup(self, setup: uc.ArrangeSetup) -> None:
        self.setup = setup
        self.type_box.set_items(appointment_items(setup.type_usage))
        for choice in setup.events:
            self.event_box.addItem(choice.label, str(choice.id))
        completer = QCompleter(list(setup.locations), self.location)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.location.setCompleter(completer)
        self.fill(setup.defaults)
        self.loaded()
        self._preview_timer.start()

    def fill(self, request: uc.AppointmentRequest) -> None:
        """Put a request's values in the fields (the defaults, before any draft)."""
        self.type_box.choose(request.type_code)
        self.slot.set(request.date, request.start_time, request.end_time)
        self.location.setText(request.location_code or "")
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
        location = self.location.text().strip() if self.location.isVisibleTo(self) else ""
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
        )

    def saved_message(self, result: Any) -> str:
        booked: uc.Booked = result
        count = len(booked.contact_ids)
        if count == 1:
            return "Appointment booked."
        return f"{count} appointments booked."
