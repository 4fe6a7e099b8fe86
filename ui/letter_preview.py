"""The letter just logged (or reprinted), shown as it will print; one key makes the PDF.

Enter writes the PDF and hands it to the default viewer (print or attach to an email
from there); Ctrl+E saves an editable copy where the officer chooses; Esc closes. Each
output is audited (`letter_produced`), queued like a case view when offline. The PDF
goes to a private temporary folder that is removed when Fieldcase quits (app.exports): the letter is
kept on the case (its record re-renders it), not in loose files on the laptop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from uuid import UUID

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.exports import export_folder
from app.tasks import TaskRunner
from app.usecases.letters import LetterSaved, letter_produced, sections
from domain.errors import FieldcaseError
from domain.letters.record import LetterRecord
from domain.letters.templates import FilledSection
from ui.letter_document import MARKING, letter_document, write_editable, write_pdf
from ui.widgets import named

log = logging.getLogger(__name__)


def open_with_default_handler(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class LetterPreview(QDialog):
    """Shows one letter; Enter = PDF to print or email, Ctrl+E = editable copy."""

    def __init__(
        self,
        runner: TaskRunner,
        crn: str,
        contact_id: UUID,
        letter: LetterRecord,
        parent: QWidget | None = None,
        *,
        reprint: bool = False,
    ) -> None:
        super().__init__(parent)
        self.runner, self.crn, self.contact_id, self.letter = runner, crn, contact_id, letter
        self.reprint = reprint
        self.sections: tuple[FilledSection, ...] = ()
        self.open_file: Callable[[Path], bool] = open_with_default_handler
        self.written: list[Path] = []
        self.setWindowTitle(f"Letter for {crn}")
        self.resize(720, 760)
        self._build()
        runner.query(
            partial(sections, letter=letter), self._on_sections_loaded, on_error=self._on_failed
        )

    def _build(self) -> None:
        marking = named(QLabel(MARKING), "Marking")
        marking.setStyleSheet("font-weight:bold;")
        self.page = named(QTextBrowser(), "Letter text")
        self.said = named(QLabel(""), "Letter message")
        self.said.setWordWrap(True)
        self.pdf_button = QPushButton("Open PDF to print or email (Enter)")
        self.pdf_button.setDefault(True)
        self.pdf_button.clicked.connect(self.on_pdf_clicked)
        self.edit_button = QPushButton("Save editable copy… (Ctrl+E)")
        self.edit_button.clicked.connect(self.on_editable_clicked)
        close = QPushButton("Close (Esc)")
        close.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+E"), self, self.on_editable_clicked)
        buttons = QHBoxLayout()
        for button in (self.pdf_button, self.edit_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(marking)
        layout.addWidget(self.page, 1)
        layout.addWidget(self.said)
        layout.addLayout(buttons)
        self.pdf_button.setEnabled(False)
        self.edit_button.setEnabled(False)

    def _on_sections_loaded(self, found: tuple[FilledSection, ...]) -> None:
        self.sections = found
        self.setWindowTitle(f"{found[-1].title} for {self.crn}")
        self._document = letter_document(found, marked=True)  # the browser does not own it
        self.page.setDocument(self._document)
        self.pdf_button.setEnabled(True)
        self.edit_button.setEnabled(True)
        self.pdf_button.setFocus()

    def _on_failed(self, error: FieldcaseError) -> None:
        self.said.setText(error.message)

    def file_stem(self) -> str:
        return f"{self.crn}-{self.letter.kind.replace('_', '-')}-{self.letter.facts.dated}"

    def on_pdf_clicked(self) -> None:
        if not self.sections:
            return
        path = export_folder() / f"{self.file_stem()}.pdf"
        pages = write_pdf(self.sections, path)
        self._produced(path, "reprint" if self.reprint else "pdf")
        if not self.open_file(path):
            self.said.setText(f"The PDF is saved as {path}; no program opened it.")
            return
        self.said.setText(f"PDF opened ({pages} page{'s' if pages > 1 else ''}).")

    def on_editable_clicked(self) -> None:
        if not self.sections:
            return
        start = Path.home() / f"{self.file_stem()}.odt"
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save an editable copy", str(start), "OpenDocument text (*.odt)"
        )
        if chosen:
            self.save_editable(Path(chosen))

    def save_editable(self, path: Path) -> None:
        try:
            write_editable(self.sections, path)
        except OSError:
            self.said.setText(f"Could not save {path.name}: check the folder and try again.")
            return
        self._produced(path, "editable")
        self.said.setText(f"Editable copy saved as {path.name}. It is marked {MARKING}.")

    def _produced(self, path: Path, output: str) -> None:
        self.written.append(path)
        log.info("letter written (%s)", output)
        use = partial(letter_produced, crn=self.crn, contact_id=self.contact_id, output=output)
        self.runner.op(use, on_error=self._on_failed)


_open: list[LetterPreview] = []


def show_letter_preview(
    runner: TaskRunner, saved: LetterSaved, *, reprint: bool = False
) -> LetterPreview:
    """Open the preview of a letter just saved or kept (alive until it is closed)."""
    preview = LetterPreview(runner, saved.crn, saved.contact_id, saved.letter, reprint=reprint)
    _open.append(preview)
    preview.finished.connect(lambda *_: _open.remove(preview) if preview in _open else None)

    def raise_it() -> None:
        preview.show()
        preview.raise_()
        preview.activateWindow()

    # After the form that saved it has closed and handed the focus back to its window,
    # so the preview ends up on top with the keyboard (Enter = the PDF).
    QTimer.singleShot(0, raise_it)
    return preview
