"""Search: instant over this laptop; national search when online, and "keep on this laptop"."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.changes import ChangeSet
from app.rows import SearchHit
from app.tasks import TaskRunner
from app.usecases.search import pin_case, search_here, search_national
from domain.errors import FieldcaseError
from ui.caseload_view import CaseTable
from ui.models.diary import SearchModel
from ui.widgets import ErrorBanner, named

TYPING_PAUSE_MS = 150


class SearchView(QWidget):
    case_opened = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.runner: TaskRunner | None = None
        self.box = named(QLineEdit(), "Search", "Name, CRN or words from notes")
        self.box.setPlaceholderText("Search by name or CRN…")
        self.box.setClearButtonEnabled(True)
        self.national = named(QPushButton("Search nationally"), "Search nationally")
        self.pin = named(QPushButton("Keep on this laptop"), "Keep case on this laptop")
        self.pin.setEnabled(False)
        self.summary = named(QLabel("Type to search the cases on this laptop."), "Search summary")
        self.banner = ErrorBanner()
        self.model = SearchModel()
        self.table = named(CaseTable(), "Search results")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.row_activated.connect(self._on_row_activated)
        self.table.clicked.connect(lambda index: self._update_pin())
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(TYPING_PAUSE_MS)
        self._debounce.timeout.connect(self.search_here)
        self.box.textChanged.connect(self._debounce.start)
        self.box.returnPressed.connect(self.search_here)
        self.national.clicked.connect(self.search_nationally)
        self.pin.clicked.connect(self.pin_selected)
        row = QHBoxLayout()
        row.addWidget(self.box, 1)
        row.addWidget(self.national)
        row.addWidget(self.pin)
        layout = QVBoxLayout(self)
        title = QLabel("Search")
        title.setStyleSheet("font-size:16pt; font-weight:bold;")
        layout.addWidget(title)
        layout.addLayout(row)
        layout.addWidget(self.banner)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def focus_box(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    def search_here(self) -> None:
        if self.runner is not None:
            use = partial(search_here, text=self.box.text())
            self.runner.query(use, partial(self.show_hits, where="on this laptop"), key="search")

    def search_nationally(self) -> None:
        if self.runner is not None:
            self.banner.hide()
            self.summary.setText("Searching nationally…")
            use = partial(search_national, text=self.box.text())
            self.runner.query(
                use,
                partial(self.show_hits, where="nationally"),
                on_error=self.show_error,
                key="search",
            )

    def show_error(self, error: FieldcaseError) -> None:
        self.banner.show_error(error)
        self.summary.setText("")

    def show_hits(self, hits: Sequence[SearchHit], where: str) -> None:
        self.model.set_rows(hits)
        self.summary.setText(f"{len(hits)} found {where}" if self.box.text().strip() else "")
        self._update_pin()

    def _selected(self) -> SearchHit | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update_pin(self) -> None:
        hit = self._selected()
        self.pin.setEnabled(hit is not None and not hit.on_this_laptop)

    def _on_row_activated(self, crn: str) -> None:
        hit = self._selected()
        if hit is not None and not hit.on_this_laptop:
            self.summary.setText(f"{hit.name} is not on this laptop: keep it here to open it.")
            return
        self.case_opened.emit(crn)

    def pin_selected(self) -> None:
        hit = self._selected()
        if hit is None or self.runner is None:
            return
        self.runner.op(partial(pin_case, crn=hit.crn), self._on_pinned)

    def _on_pinned(self, changes: ChangeSet) -> None:
        self.summary.setText("Kept on this laptop; it arrives with the next sync.")
        self.pin.setEnabled(False)
