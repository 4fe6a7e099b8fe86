"""A form field for files to attach with a change (the contact form's evidence).

It holds paths only; the files are read, judged by content and stored by the save's use
case off the GUI thread, and a refusal comes back as the field's own inline message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from ui.documents_panel import FILE_FILTER
from ui.widgets import named


class DocumentsField(QWidget):
    changed = Signal()  # the chosen files changed (the form clears the field's message)

    def __init__(self, choose: Callable[[QWidget], list[str]] | None = None) -> None:
        super().__init__()
        self._choose = choose or _choose_files
        self.paths: list[Path] = []
        self.add = named(QPushButton("Attach files…"), "Attach files")
        self.clear = named(QPushButton("Remove"), "Remove attached files")
        self.names = named(QLabel("None"), "Attached files")
        self.names.setWordWrap(True)
        self.add.clicked.connect(self.choose)
        self.clear.clicked.connect(lambda: self.set_paths([]))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.add)
        row.addWidget(self.names, 1)
        row.addWidget(self.clear)
        self.set_paths([])

    def choose(self) -> None:
        chosen = self._choose(self)
        if chosen:
            self.set_paths([*self.paths, *(Path(p) for p in chosen)])

    def set_paths(self, paths: list[Path]) -> None:
        self.paths = paths
        self.names.setText(", ".join(p.name for p in paths) or "None")
        self.clear.setEnabled(bool(paths))
        self.changed.emit()


def _choose_files(parent: QWidget) -> list[str]:
    files, _ = QFileDialog.getOpenFileNames(parent, "Attach files", "", FILE_FILTER)
    return files
