"""My caseload: filter by typing, sort by any column, open with Enter or a double-click."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import (
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.rows import CaseloadPage, CaseloadRow, CaseloadUpdate
from ui.case_table import CaseTable
from ui.models import roles
from ui.models.caseload import (
    COMPLIANCE,
    CRN,
    LAST,
    NAME,
    NEXT,
    RISK,
    SENTENCE,
    TIER,
    CaseloadModel,
)
from ui.models.proxy import RowFilterProxy
from ui.widgets import named

# More cases coming or going than this are merged and shown with one reset. Measured on
# 10,000 rows (GUI thread, CPU): one row in 7-9 ms, out 12-14 ms; 500 in or out one by
# one 50-60 ms, 2,000 in 230 ms; a reset with its sort ~55 ms whatever the count. Changed
# rows stay in place whatever their number (a reset would re-sort everything).
COME_OR_GO_ONE_BY_ONE = 400
ASCENDING, DESCENDING = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
DEFAULT_SORT = (NAME, ASCENDING)


def appointments_begun(
    rows: Iterable[CaseloadRow], now: dt.datetime
) -> tuple[frozenset[str], dt.datetime | None]:
    """The cases whose shown next appointment has begun by `now` (local time; read
    again, their row names the one after), and the earliest still to come."""
    begun: set[str] = set()
    upcoming: dt.datetime | None = None
    for row in rows:
        at = row.next_appointment
        if at is None:
            continue
        if at.tzinfo is not None:
            at = at.replace(tzinfo=None)
        if at <= now:
            begun.add(row.crn)
        elif upcoming is None or at < upcoming:
            upcoming = at
    return frozenset(begun), upcoming


class AppointmentWatch(QObject):
    """Rows are read again when a change touches their case, so the row whose next
    appointment begins must be read again then (it names the one after): one single-shot
    timer for the earliest upcoming one shown, at most an hour ahead (then it looks
    again). Every row is looked at after a whole load and when the timer fires; after a
    patch only the patched rows (an earlier appointment among them brings it forward)."""

    begun = Signal(frozenset)  # the cases whose shown next appointment has begun

    def __init__(
        self, view: CaseloadView, clock: Callable[[], dt.datetime] = dt.datetime.now
    ) -> None:
        super().__init__(view)
        self.view, self.clock = view, clock
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.on_timer_fired)
        self.due: dt.datetime | None = None

    def watch(self, patched: Iterable[CaseloadRow] | None = None) -> None:
        now = self.clock()
        rows = self.view.model.rows() if patched is None else patched
        _begun, upcoming = appointments_begun(rows, now)
        if patched is not None and (upcoming is None or (self.due and self.due <= upcoming)):
            return
        self.due = upcoming
        if upcoming is None:
            self.timer.stop()
            return
        wait_s = (upcoming - now).total_seconds() + 1
        self.timer.start(int(min(max(wait_s, 1), 3600) * 1000))

    def on_timer_fired(self) -> None:
        begun, _upcoming = appointments_begun(self.view.model.rows(), self.clock())
        if begun:
            self.begun.emit(begun)
        self.watch()

    def stop(self) -> None:
        self.timer.stop()
        self.due = None


class ReadOrder:
    """Orders the caseload's reads, which run on a pool and may finish out of order: a case
    keeps the rows of the newest read that asked for it, and a whole reload makes every
    read begun before it stale (it brings those cases too)."""

    def __init__(self) -> None:
        self._count = 0
        self._whole = 0
        self._shown: dict[str, int] = {}  # crn -> ticket of the read its row came from

    def ticket(self) -> int:
        self._count += 1
        return self._count

    def whole(self) -> None:
        self._whole, self._shown = self.ticket(), {}

    def fresh(self, ticket: int, update: CaseloadUpdate) -> CaseloadUpdate | None:
        """What of this read's update is still news (None: nothing)."""
        if ticket < self._whole:
            return None
        newer = {c for c in update.asked if self._shown.get(c, 0) > ticket}
        for crn in update.asked - newer:
            self._shown[crn] = ticket
        if not newer:
            return update
        rows = tuple(r for r in update.rows if r.crn not in newer)
        return CaseloadUpdate(update.asked - newer, rows) if update.asked - newer else None


class CaseloadView(QWidget):
    case_opened = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.model = CaseloadModel()
        self._incoming: list[CaseloadRow] = []
        self.proxy = RowFilterProxy(self.model)
        self.filter = named(
            QLineEdit(), "Filter caseload", "Type any part of a name, CRN, tier, risk or sentence"
        )
        self.filter.setPlaceholderText("Filter by name, CRN, tier, risk or sentence…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.on_filter_changed)
        self.filter.returnPressed.connect(self._open_first)
        self.summary = named(QLabel(""), "Caseload summary")
        self.table = named(CaseTable(), "Caseload table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(*DEFAULT_SORT)
        self.table.row_activated.connect(self.case_opened)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # The CRN (the key), the tier, the risk with its MAPPA level and the two dates
        # are shown whole at any scale; the other columns share what is left,
        # so compliance (the last) is in view at 150% and 200% text without scrolling
        # sideways; they elide, the full text on hover.
        self.table.share_widths(
            {NAME: 170, SENTENCE: 130, COMPLIANCE: 190},
            whole={CRN: "W000000", TIER: "A0", RISK: "Risk to Staff"},
            formats={NEXT: "Wed 30 Sep 00:00", LAST: "30 Sep 0000"},
        )
        layout = QVBoxLayout(self)
        title = QLabel("My caseload")
        title.setStyleSheet("font-size:16pt; font-weight:bold;")
        layout.addWidget(title)
        layout.addWidget(self.filter)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.setTabOrder(self.filter, self.table)

    def sort_choice(self) -> tuple[int, bool]:
        """The column the caseload is sorted by, and whether descending."""
        header = self.table.horizontalHeader()
        return header.sortIndicatorSection(), header.sortIndicatorOrder() is DESCENDING

    def restore_sort(self, column: int, descending: bool) -> None:
        """Sort as the officer left it; a column this build no longer has (a settings file
        from a build with more columns, or edited by hand) gives the default sort."""
        if 0 <= column < self.model.columnCount():
            self.table.sortByColumn(column, DESCENDING if descending else ASCENDING)
        else:
            self.table.sortByColumn(*DEFAULT_SORT)

    def show_page(self, page: CaseloadPage) -> None:
        """A page from a (re)load: the first replaces, later ones are appended."""
        if page.offset == 0:
            self._incoming = list(page.rows)
        else:
            self._incoming.extend(page.rows)
        if page.offset == 0 and not page.complete and not self.model.rows():
            self.set_rows(self._incoming)  # first start: usable before the rest arrives
        if page.complete:
            self.set_rows(self._incoming)
            self._incoming = []
        else:
            total = len(self.model.rows())
            self.summary.setText(f"{total} cases shown, loading the rest of {page.total}…")

    def set_rows(self, rows: Sequence[CaseloadRow]) -> None:
        """Replace the rows, keeping the sort, the filter and the selected case.

        The same cases as shown (the usual reload after a sync or a save) are updated in
        place: no model reset, so nothing on screen jumps and the GUI thread does little.
        """
        if self.model.rows() and self.model.update_rows(rows):
            if self.model.changed_count:  # a changed date or risk may move a row
                header = self.table.horizontalHeader()
                self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
            self._update_summary()
            return  # the selection followed its case through the sort
        selected = self.selected_crn()
        self.model.set_rows(rows)
        self.table.sortByColumn(
            self.table.horizontalHeader().sortIndicatorSection(),
            self.table.horizontalHeader().sortIndicatorOrder(),
        )
        if self.filter.text():
            self.proxy.set_filter_words(self.filter.text())
        if selected is not None:
            self.select_crn(selected)
        self._update_summary()

    def patch(self, update: CaseloadUpdate) -> None:
        """Just the rows of the cases a change touched: updated, added or removed in
        place, so the sort, the filter, the selection and the scroll position stay.

        When more than COME_OR_GO_ONE_BY_ONE cases came or went, the rows are merged
        here and shown with one reset instead (inserting or removing them one by one
        would cost the GUI thread more); still no read of the other cases.
        """
        held = {r.crn for r in self.model.rows()}
        coming = sum(1 for r in update.rows if r.crn not in held)
        if coming + len(update.gone & held) > COME_OR_GO_ONE_BY_ONE:
            fresh = {r.crn: r for r in update.rows}
            gone = update.gone
            kept = [fresh.pop(r.crn, r) for r in self.model.rows() if r.crn not in gone]
            self.set_rows([*kept, *fresh.values()])
            return
        self.model.patch_rows(update.rows, update.gone)
        self._update_summary()

    def selected_crn(self) -> str | None:
        index = self.table.currentIndex()
        return str(index.siblingAtColumn(0).data(roles.KEY)) if index.isValid() else None

    def select_crn(self, crn: str) -> None:
        row = self.model.row_of_key(crn)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def on_filter_changed(self, text: str) -> None:
        self.proxy.set_filter_words(text)
        self._update_summary()

    def _update_summary(self) -> None:
        total = len(self.model.rows())
        if self.filter.text().strip():
            self.summary.setText(f"Showing {self.proxy.rowCount()} of {total} cases")
        else:
            self.summary.setText(f"{total} cases")

    def _open_first(self) -> None:
        if self.proxy.rowCount():
            self.case_opened.emit(str(self.proxy.index(0, 0).data(roles.KEY)))

    def focus_filter(self) -> None:
        self.filter.setFocus()
        self.filter.selectAll()
