"""Cover a colleague: whom, for which period (or just their visits today), and why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.team_rows import TeamOfficerRow
from app.usecases.team import visits_today
from domain.calendar import LONDON
from ui.widgets import named


def _day(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


@dataclass(frozen=True, slots=True)
class CoverChoice:
    staff_code: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str
    visits_only: bool


class CoverDialog(QDialog):
    def __init__(self, colleagues: list[TeamOfficerRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cover a colleague")
        self.colleague = named(QComboBox(), "Colleague")
        for officer in colleagues:
            self.colleague.addItem(f"{officer.name} ({officer.cases} cases)", officer.staff_code)
        self.today_only = named(QRadioButton("Their visits today"), "Their visits today")
        self.period = named(QRadioButton("Their cases from … to …"), "A period")
        self.today_only.setChecked(True)
        today = QDate.currentDate()
        self.first = named(QDateEdit(today), "First day")
        self.last = named(QDateEdit(today.addDays(4)), "Last day")
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.reason = named(QLineEdit(), "Reason", "Why you are covering, e.g. off sick")
        self.reason.setPlaceholderText("For example: off sick, in court all day")
        self.reason.setMaxLength(200)
        self.error = QLabel("")
        self.error.setStyleSheet("color:#a4000f;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start cover")
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Colleague", self.colleague)
        form.addRow(self.today_only)
        form.addRow(self.period)
        form.addRow("From", self.first)
        form.addRow("To (inclusive)", self.last)
        form.addRow("Reason", self.reason)
        layout = QVBoxLayout(self)
        note = "Their cases come onto this laptop for the period and leave it when it ends."
        layout.addWidget(QLabel(note))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def choice(self, now: dt.datetime) -> CoverChoice:
        """What the officer chose, as instants (days are London days)."""
        if self.today_only.isChecked():
            starts, ends = visits_today(now)
        else:
            first = _day(self.first.date())
            last = _day(self.last.date())
            starts = max(now, dt.datetime.combine(first, dt.time(), tzinfo=LONDON))
            ends = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=LONDON)
        return CoverChoice(
            staff_code=str(self.colleague.currentData()),
            starts_at=starts,
            ends_at=ends,
            reason=self.reason.text().strip(),
            visits_only=self.today_only.isChecked(),
        )

    def _check(self) -> None:
        if self.colleague.count() == 0:
            self.error.setText("There is no colleague in your team to cover.")
        elif not self.reason.text().strip():
            self.error.setText("Say why you are covering.")
            self.reason.setFocus()
        elif self.period.isChecked() and self.last.date() < self.first.date():
            self.error.setText("The last day must be on or after the first.")
        else:
            self.accept()
