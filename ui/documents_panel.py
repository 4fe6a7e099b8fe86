"""The Documents tab of a case: list, attach, open, keep on this laptop.

Attaching reads and checks the files off the GUI thread (`attach_paths`); a refused file
is named in a message under the list and nothing else changes. Opening shows an image
here and anything else in the officer's default application, from a private temporary
copy that is removed when Fieldcase locks or quits.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from uuid import UUID

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.document_ports import DocumentItem
from app.tasks import TaskRunner
from app.usecases.documents import (
    Attached,
    OpenedDocument,
    attach_paths,
    case_documents,
    fetch_document,
    open_document,
    pin_document,
)
from domain.errors import FieldcaseError
from ui.models.documents import DocumentModel
from ui.widgets import ErrorBanner, named

FILE_FILTER = "Documents (*.pdf *.doc *.docx *.jpg *.jpeg *.png);;All files (*)"


class DocumentsPanel(QWidget):
    def __init__(
        self,
        runner: TaskRunner,
        crn: str,
        *,
        contact_of: Callable[[], str | None] = lambda: None,
        choose_files: Callable[[QWidget], list[str]] | None = None,
    ) -> None:
        super().__init__()
        self.runner = runner
        self.crn = crn
        self._contact_of = contact_of  # the contact selected in the contact log, if any
        self._choose = choose_files or _choose_files
        self.model = DocumentModel()
        self.table = named(QTableView(), "Documents")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.doubleClicked.connect(lambda *_: self.open_selected())
        self.attach_button = named(QPushButton("Attach files…"), "Attach files")
        self.open_button = named(QPushButton("Open"), "Open document")
        self.pin_button = named(QPushButton("Keep on this laptop"), "Keep on this laptop")
        self.said = named(QLabel(""), "Documents message")
        self.said.setWordWrap(True)
        self.error = ErrorBanner()
        self.attach_button.clicked.connect(self.attach)
        self.open_button.clicked.connect(self.open_selected)
        self.pin_button.clicked.connect(self.toggle_pin)
        buttons = QHBoxLayout()
        for button in (self.attach_button, self.open_button, self.pin_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(self.said)
        layout.addWidget(self.table, 1)
        self.viewers: list[QDialog] = []

    def reload(self) -> None:
        use = partial(case_documents, crn=self.crn)
        self.runner.query(use, self.model.set_rows, key=f"documents:{id(self)}")

    def selected(self) -> DocumentItem | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows()):
            return None
        return self.model.row_at(index.row())

    # -- attach ------------------------------------------------------------------------
    def attach(self) -> None:
        chosen = self._choose(self)
        if chosen:
            self.attach_files([Path(p) for p in chosen])

    def attach_files(self, paths: list[Path]) -> None:
        contact = self._contact_of()
        use = partial(
            attach_paths,
            crn=self.crn,
            paths=paths,
            contact_id=UUID(contact) if contact else None,
        )
        self.error.hide()
        self.runner.op(use, self._on_attached, on_error=self._on_refused)

    def _on_attached(self, attached: Attached) -> None:
        count = len(attached.document_ids)
        self.said.setText(
            f"{count} document{'s' if count != 1 else ''} attached; sent with the next sync."
        )
        self.reload()

    def _on_refused(self, error: FieldcaseError) -> None:
        self.error.show_error(error)

    # -- open and keep -----------------------------------------------------------------
    def open_selected(self) -> None:
        item = self.selected()
        if item is None:
            self.said.setText("Select a document to open it.")
            return
        if item.on_laptop:
            self._open(item.id, None)
            return
        self.said.setText(f"Fetching '{item.name}' from the case system…")
        fetch = partial(fetch_document, document_id=item.id)
        self.runner.query(fetch, partial(self._open, item.id), on_error=self._on_refused)

    def _open(self, document_id: str, fetched: bytes | None) -> None:
        use = partial(open_document, document_id=document_id, fetched=fetched)
        self.runner.op(use, self._on_opened, on_error=self._on_refused)

    def _on_opened(self, opened: OpenedDocument) -> None:
        self.reload()
        if opened.in_app:
            self.viewers.append(_show_image(self, opened))
            return
        if opened.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(opened.path)))
            self.said.setText(f"'{opened.item.name}' opened in its own application.")

    def toggle_pin(self) -> None:
        item = self.selected()
        if item is None:
            self.said.setText("Select a document to keep it on this laptop.")
            return
        use = partial(pin_document, document_id=item.id, pinned=not item.pinned)
        self.runner.op(use, lambda _changes: self.reload(), on_error=self._on_refused)


def _choose_files(parent: QWidget) -> list[str]:
    files, _ = QFileDialog.getOpenFileNames(parent, "Attach files", "", FILE_FILTER)
    return files


def _show_image(parent: QWidget, opened: OpenedDocument) -> QDialog:
    """An image shown in Fieldcase's own window: no copy of it is written anywhere."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(opened.item.name)
    pixmap = QPixmap()
    pixmap.loadFromData(opened.content)
    label = named(QLabel(), "Document image", opened.item.name)
    label.setPixmap(pixmap)
    area = QScrollArea()
    area.setWidget(label)
    QVBoxLayout(dialog).addWidget(area)
    dialog.resize(min(1000, pixmap.width() + 40), min(700, pixmap.height() + 40))
    dialog.show()
    return dialog
