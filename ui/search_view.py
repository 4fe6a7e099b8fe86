"""Search: instant over this laptop; national results appended when online; "keep on this laptop".

Local results show as the officer types. Enter (or "Search nationally") also asks
the national service, off the GUI thread, and its cases from outside this laptop are
appended below; without a connection one plain line says so, never an error. Never
on a mere pause in typing: the service audits every case it returns, so a national
search is something the officer chose to do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.changes import ChangeSet
from app.rows import SearchHit
from app.tasks import TaskRunner
from domain.errors import FieldcaseError
from ui.case_table import CaseTable
from ui.models.diary import SearchModel
from ui.widgets import ErrorBanner, named

if TYPE_CHECKING:  # the search use cases (and their queries) load on the first search
    from app.usecases.search import NationalAnswer
    from ui.keep_dialog import KeepCaseDialog

TYPING_PAUSE_MS = 150
KEPT = "Kept on this laptop: arrives with the next sync"


class SearchView(QWidget):
    case_opened = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.runner: TaskRunner | None = None
        self._local: list[SearchHit] = []
        self._national: NationalAnswer | None = None  # kept: the local answer may come later
        self._asked = ""  # the text a national search is under way for
        self.keep_dialog: KeepCaseDialog | None = None
        self.box = named(QLineEdit(), "Search", "Name, CRN or date of birth")
        self.box.setPlaceholderText("Search by name, CRN or date of birth…")
        self.box.setClearButtonEnabled(True)
        self.national = named(QPushButton("Search nationally"), "Search nationally")
        self.pin = named(QPushButton("Keep on this laptop"), "Keep case on this laptop")
        self.pin.setEnabled(False)
        self.summary = named(QLabel("Type to search the cases on this laptop."), "Search summary")
        self.note = named(QLabel(""), "National search")
        self.note.setWordWrap(True)
        self.note.hide()
        self.banner = ErrorBanner()
        self.model = SearchModel()
        self.table = named(CaseTable(), "Search results")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in ((0, 200), (1, 80), (2, 110), (3, 440)):
            self.table.setColumnWidth(column, width)
        self.table.row_activated.connect(self._on_row_activated)
        self.table.clicked.connect(lambda index: self._update_pin())
        self._local_timer = self._timer(TYPING_PAUSE_MS, self.search_here)
        self.box.textChanged.connect(self._on_typed)
        self.box.returnPressed.connect(self._search_now)
        self.national.clicked.connect(self.search_nationally)
        self.pin.clicked.connect(self.pin_selected)
        self._lay_out()

    def _timer(self, ms: int, then: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(then)
        return timer

    def _lay_out(self) -> None:
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
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self.setTabOrder(self.box, self.national)
        self.setTabOrder(self.national, self.pin)
        self.setTabOrder(self.pin, self.table)

    def focus_box(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    # -- searching ------------------------------------------------------------
    def _on_typed(self) -> None:
        self._local_timer.start()

    def _search_now(self) -> None:
        self._local_timer.stop()
        self.search_here()
        self.search_nationally()

    def search_here(self) -> None:
        if self.runner is not None:
            from app.usecases import search

            use = partial(search.search_here, text=self.box.text())
            self.runner.query(use, self.show_hits, key="search")

    def search_nationally(self) -> None:
        """Off the GUI thread; its answer is dropped if the officer typed on meanwhile."""
        if self.runner is None or not self.box.text().strip():
            return
        self.note.setText("Searching nationally…")
        self.note.show()
        self._asked = self.box.text()
        from app.usecases import search

        use = partial(search.search_national, text=self.box.text())
        self.runner.query(use, self.show_national, on_error=self.show_error, key="national")

    def show_error(self, error: FieldcaseError) -> None:
        self.banner.show_error(error)
        self.note.hide()

    def show_hits(self, hits: Sequence[SearchHit]) -> None:
        """The cases on this laptop, at once (national ones are appended on Enter)."""
        self.banner.hide()
        self._local = list(hits)
        national = self._national
        if national is not None and national.text == self.box.text():
            self._show_merged(national)  # the national answer arrived first
            return
        if self._asked != self.box.text():  # else "Searching nationally…" stays
            self.note.hide()
        self.model.set_rows(self._local)
        self._summarise(0)
        self._update_pin()

    def show_national(self, answer: NationalAnswer) -> None:
        if answer.text != self.box.text():
            return  # the officer has typed something else since
        self._national, self._asked = answer, ""
        self._show_merged(answer)

    def _show_merged(self, answer: NationalAnswer) -> None:
        from app.usecases.search import merged

        rows = merged(self._local, answer.hits)
        more = len(rows) - len(self._local)
        self.model.set_rows(rows)
        self._summarise(more, searched=not answer.note)
        self.note.setText(answer.note)
        self.note.setVisible(bool(answer.note))
        self._update_pin()

    def _summarise(self, national: int, *, searched: bool = False) -> None:
        if not self.box.text().strip():
            self.summary.setText("Type to search the cases on this laptop.")
            return
        text = f"{len(self._local)} found on this laptop"
        if national:
            text += f", {national} more nationally"
        elif searched:
            text += ", none more nationally"
        else:
            text += " (Enter searches nationally too)"
        self.summary.setText(text)

    # -- keeping a case here ----------------------------------------------------
    def _selected(self) -> SearchHit | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update_pin(self) -> None:
        hit = self._selected()
        self.pin.setEnabled(hit is not None and not hit.on_this_laptop and hit.detail != KEPT)

    def _on_row_activated(self, crn: str) -> None:
        hit = self._selected()
        if hit is not None and not hit.on_this_laptop:
            self.summary.setText(
                f"{hit.name} is not on this laptop yet: choose “Keep on this laptop” to open it "
                "after the next sync."
            )
            return
        self.case_opened.emit(crn)

    def pin_selected(self) -> None:
        """Ask why (need-to-know), then keep the case; the dialog does not block."""
        hit = self._selected()
        if hit is None or self.runner is None:
            return
        from app.usecases.search import keep_days
        from ui.keep_dialog import KeepCaseDialog

        self.keep_dialog = KeepCaseDialog(hit.name, hit.crn, keep_days=keep_days(), parent=self)
        self.keep_dialog.accepted.connect(partial(self._on_keep_reason_given, hit))
        self.keep_dialog.open()

    def _on_keep_reason_given(self, hit: SearchHit) -> None:
        from app.usecases.search import pin_case

        if self.runner is None or self.keep_dialog is None:
            return
        reason, text = self.keep_dialog.choice()
        self.runner.op(
            partial(pin_case, crn=hit.crn, reason=reason, reason_text=text),
            partial(self._on_pinned, hit),
        )

    def _on_pinned(self, hit: SearchHit, _changes: ChangeSet) -> None:
        rows = [replace(r, detail=KEPT) if r.crn == hit.crn else r for r in self.model.rows()]
        self.model.set_rows(rows)
        self.summary.setText(
            f"{hit.name} ({hit.crn}) is kept on this laptop; the case arrives with the next sync."
        )
        self.pin.setEnabled(False)
