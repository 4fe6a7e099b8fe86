"""The contact log of one case: filters, full-text search, pages of 50, and the
selected contact's notes in full underneath (the table shows only their first line,
and a tooltip is out of reach of the keyboard)."""

from __future__ import annotations

from functools import partial
from itertools import pairwise

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.rows import ContactFilter, ContactPage, ContactRow
from app.tasks import TaskRunner
from app.usecases.case import PAGE_SIZE, contact_log
from domain.reference import reference
from ui import format as fmt
from ui.case_table import CaseTable
from ui.letter_reprint import LetterReprintKey
from ui.models.contacts import ContactModel
from ui.widgets import named

TYPING_PAUSE_MS = 250
READING_HEIGHT = 110


class ContactLogPanel(QWidget):
    def __init__(self, runner: TaskRunner, crn: str) -> None:
        super().__init__()
        self.runner = runner
        self.crn = crn
        self.page = 0
        self.total = 0
        self.model = ContactModel()
        self.search = named(QLineEdit(), "Search contact notes")
        self.search.setPlaceholderText("Search notes and types…")
        self.search.setClearButtonEnabled(True)
        self.types = named(QComboBox(), "Contact type filter")
        self.types.addItem("All types", None)
        for item in sorted(reference().contact_types.values(), key=lambda t: t.usage_rank):
            self.types.addItem(f"{item.description} ({item.code})", item.code)
        self.sensitive = named(QCheckBox("Sensitive only"), "Sensitive contacts only")
        self.table = named(CaseTable(), "Contact log table")
        self.table.setModel(self.model)
        self.table.setColumnWidth(0, 100)
        self.table.setColumnWidth(2, 220)
        self.table.setColumnWidth(3, 240)  # "Rescheduled at the person's request"
        self.table.setColumnWidth(4, 150)  # "Sensitive, Waiting to send"
        self.table.horizontalHeader().setStretchLastSection(True)
        self.reading = named(QPlainTextEdit(), "Notes of the selected contact")
        self.reading.setReadOnly(True)  # still a Tab stop: read, select and copy by keys
        self.reading.setTabChangesFocus(True)
        self.reading.setPlaceholderText("Select a contact to read its notes in full.")
        self.reading.setMaximumHeight(READING_HEIGHT)
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(lambda *_: self._show_notes())
        self.previous = named(QPushButton("Previous page"), "Previous page")
        self.next = named(QPushButton("Next page"), "Next page")
        self.where = named(QLabel(""), "Contact log page")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(TYPING_PAUSE_MS)
        self._debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(self._debounce.start)
        self.types.currentIndexChanged.connect(self.reload)
        self.sensitive.toggled.connect(self.reload)
        self.previous.clicked.connect(lambda: self.load_page(self.page - 1))
        self.next.clicked.connect(lambda: self.load_page(self.page + 1))
        self._lay_out()
        self.reprint = LetterReprintKey(self)

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.types, 1)
        filters.addWidget(self.sensitive)
        paging = QHBoxLayout()
        paging.addWidget(self.previous)
        paging.addWidget(self.where, 1)
        paging.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.reading)
        layout.addLayout(paging)
        # The list first: from the tabs, one Tab reaches the contacts the case actions
        # (Ctrl+Shift+R / N / O) work on; the search and filters come after.
        chain = (self.table, self.reading, self.search, self.types, self.sensitive, self.previous)
        for first, second in pairwise((*chain, self.next)):
            self.setTabOrder(first, second)

    wanted: str | None = None  # a contact to select when the next page shows

    def filters(self) -> ContactFilter:
        return ContactFilter(
            text=self.search.text().strip(),
            type_code=self.types.currentData(),
            sensitive_only=self.sensitive.isChecked(),
        )

    def selected(self) -> ContactRow | None:
        """The contact whose row is current (what Ctrl+O and the note actions act on)."""
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows()):
            return None
        return self.model.row_at(index.row())

    def _show_notes(self) -> None:
        row = self.selected()
        if row is None:
            self.reading.clear()
            return
        clock = f" {fmt.clock(row.start_time)}" if row.start_time else ""
        place = f" · {row.place}" if row.place else ""
        outcome = f" · {row.outcome_text}" if row.outcome_text else ""
        head = f"{fmt.day(row.date)}{clock} · {row.type_text}{place}{outcome}"
        self.reading.setPlainText(f"{head}\n\n{row.notes or '(no notes)'}")

    def reload(self) -> None:
        self.load_page(0)

    def show_contact(self, contact_id: str) -> None:
        """Open the log at this contact (e.g. an alert being read): selected once shown."""
        self.wanted = contact_id
        self.reload()

    def load_page(self, page: int) -> None:
        use = partial(contact_log, crn=self.crn, filters=self.filters(), page=max(0, page))
        self.runner.query(use, self.show_page, key=f"contacts:{id(self)}")

    def show_page(self, page: ContactPage) -> None:
        """Show a page, keeping the selected contact selected (a save refreshes the log,
        and the officer's next action is often on the same contact)."""
        chosen = self.selected()
        self.model.set_rows(page.rows)
        wanted, self.wanted = self.wanted or (chosen.id if chosen else None), None
        row = self.model.row_of_key(wanted) if wanted is not None else None
        if row is not None:
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._show_notes()
        self.page = page.offset // PAGE_SIZE
        self.total = page.total
        first = page.offset + 1 if page.rows else 0
        last = page.offset + len(page.rows)
        self.where.setText(f"Contacts {first}–{last} of {page.total}")
        self.previous.setEnabled(page.offset > 0)
        self.next.setEnabled(last < page.total)
