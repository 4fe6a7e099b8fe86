"""The compliance picture in one place: each sentence's counts in plain words.

Shown as a tab of the case and, for the case picked in the team caseload, beside it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.tasks import TaskRunner
from app.team_rows import Compliance
from app.usecases.compliance import EventCompliance, case_compliance
from ui.widgets import named


def compliance_box(title: str, compliance: Compliance) -> QGroupBox:
    """One sentence: what needs doing first, then the national summary's counts."""
    box = named(QGroupBox(title), f"Compliance: {title}")
    form = QFormLayout(box)
    needs = QLabel(compliance.needs_action)
    needs.setWordWrap(True)
    urgent = bool(compliance.actions)
    needs.setStyleSheet("font-weight:bold;" + (" color:#a4000f;" if urgent else ""))
    form.addRow("Needs action", needs)
    for label, value in compliance.lines():
        form.addRow(label, QLabel(value))
    window = QLabel(f"Counted over the last {compliance.window_months} months.")
    window.setStyleSheet("color:#555;")
    form.addRow(window)
    return box


class CompliancePanel(QScrollArea):
    """The case's tab: loads its pictures on a worker, refreshed when the case changes."""

    def __init__(self, runner: TaskRunner | None, crn: str) -> None:
        super().__init__()
        self.runner, self.crn = runner, crn
        self.setWidgetResizable(True)
        self.boxes: list[QGroupBox] = []
        self.show_pictures([])

    def reload(self) -> None:
        if self.runner is not None:
            self.runner.query(
                lambda ctx: case_compliance(ctx, self.crn), self.show_pictures, key=f"c{self.crn}"
            )

    def show_pictures(self, pictures: list[EventCompliance]) -> None:
        content = QWidget()
        column = QVBoxLayout(content)
        self.boxes = [compliance_box(p.label, p.compliance) for p in pictures]
        for box in self.boxes:
            column.addWidget(box)
        if not pictures:
            column.addWidget(QLabel("No active sentence to count compliance against."))
        column.addStretch(1)
        self.setWidget(content)
