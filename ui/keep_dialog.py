"""Why keep this case on the laptop? Asked before a case from outside the caseload is kept.

Need-to-know: the reason (and a few words for "other") goes with the keep to the
central service, which audits it; the keep lapses after the region's policy, so
the dialog says so. Non-blocking (`open`, not `exec`): the window stays live.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from domain.mutations import KEEP_REASON_TEXT_MAX, KeepReason
from ui.widgets import named

REASONS = (
    ("cover", "Covering for a colleague"),
    ("duty", "Duty officer"),
    ("court", "Court"),
    ("transfer", "Transfer in"),
    ("other", "Other (say why)"),
)


class KeepCaseDialog(QDialog):
    """The reason for keeping one case; `choice()` once accepted."""

    def __init__(
        self, case_name: str, crn: str, *, keep_days: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keep this case on the laptop")
        intro = QLabel(
            f"{case_name} ({crn}) is not in your caseload. Say why you need it here; your "
            f"reason is recorded. It leaves this laptop after {keep_days} days."
        )
        intro.setWordWrap(True)
        self.reason = named(QComboBox(), "Reason for keeping the case")
        for code, label in REASONS:
            self.reason.addItem(label, code)
        self.reason.setCurrentIndex(-1)
        self.why = named(QLineEdit(), "Why, in a few words")
        self.why.setMaxLength(KEEP_REASON_TEXT_MAX)
        self.why.setEnabled(False)
        self.error = named(QLabel(""), "Keep reason problem")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Keep on this laptop")
        form = QFormLayout()
        form.addRow("Reason", self.reason)
        form.addRow("Why", self.why)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.reason.currentIndexChanged.connect(self._on_reason_changed)
        buttons.accepted.connect(self._on_ok_clicked)
        buttons.rejected.connect(self.reject)

    def _on_reason_changed(self, _index: int) -> None:
        other = self.reason.currentData() == "other"
        self.why.setEnabled(other)
        if other:
            self.why.setFocus()
        self.error.hide()

    def _on_ok_clicked(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        self.accept()

    def problem(self) -> str:
        code = self.reason.currentData()
        if code is None:
            return "Choose a reason for keeping this case."
        if code == "other" and not self.why.text().strip():
            return "Say in a few words why you need this case."
        return ""

    def choice(self) -> tuple[KeepReason, str]:
        """(reason code, the words for "other", else "")."""
        code = cast(KeepReason, str(self.reason.currentData()))
        return code, self.why.text().strip() if code == "other" else ""
