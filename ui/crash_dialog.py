"""The one crash dialog: what happened, copyable details, and where the log is."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.widgets import named


class CrashDialog(QDialog):
    """Shown once; later crashes while it is open are appended, not stacked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fieldcase hit a problem")
        intro = QLabel(
            "Something went wrong inside Fieldcase. Your saved work is safe: every change is "
            "kept on this laptop until it reaches the case system. Please copy the details "
            "below into a support request."
        )
        intro.setWordWrap(True)
        self.details = named(QPlainTextEdit(), "Crash details")
        self.details.setReadOnly(True)
        self.copy = named(QPushButton("Copy details"), "Copy details")
        self.copy.clicked.connect(self.copy_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(720, 420)

    def add_crash(self, details: str) -> None:
        if self.details.toPlainText():
            self.details.appendPlainText("\n" + "-" * 40 + "\n")
        self.details.appendPlainText(details)
        self.show()
        self.raise_()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
