"""The tables of Fieldcase: Enter opens the row; columns fit the window at any text size."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QSortFilterProxyModel, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView

from ui.models import roles


class CaseTable(QTableView):
    """A table whose Enter key opens the current row (as a double-click does)."""

    row_activated = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setHighlightSections(False)
        self.activated.connect(self._on_activated)
        self._weights: dict[int, int] = {}
        self._whole: dict[int, str] = {}  # column -> the widest text it may have to show
        self._formats: dict[int, str] = {}  # column -> its format's widest text
        self._whole_widths: dict[int, int] = {}  # measured since the rows last changed
        self._advances: dict[str, int] = {}  # text -> its width in the table's font
        self._fitting = False
        # One fit for a burst of changes (400 rows coming one by one, a scroll bar).
        self._refit = QTimer(self)  # never fires after the table is gone
        self._refit.setSingleShot(True)
        self._refit.timeout.connect(self._fit)
        self.horizontalHeader().sectionResized.connect(self._on_section_resized)
        # A vertical scroll bar appearing narrows the viewport without resizing the table.
        self.verticalScrollBar().rangeChanged.connect(self._on_rows_range_changed)

    def _on_rows_range_changed(self, *_: object) -> None:
        self._refit.start(0)

    def _on_rows_changed(self, *_: object) -> None:
        self._whole_widths = {}
        self._refit.start(0)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() is QEvent.Type.FontChange:  # View > Text size
            self._advances = {}
            self._on_rows_changed()

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        source = model.sourceModel() if isinstance(model, QSortFilterProxyModel) else model
        if source is None:
            return
        for changed in (source.modelReset, source.rowsInserted, source.dataChanged):
            changed.connect(self._on_rows_changed)

    def share_widths(
        self,
        weights: dict[int, int],
        whole: dict[int, str] | None = None,
        formats: dict[int, str] | None = None,
    ) -> None:
        """Columns in `whole` are as wide as their widest text in every row (never
        elided: a CRN, a risk), at least the sample given; those in `formats` have a
        fixed format (a date), as wide as its widest sample, rows not read. The others
        share the rest in these proportions, so every column (the last is Compliance)
        stays in view at any text size, eliding with the full text on hover, until the
        officer drags one."""
        self._weights = dict(weights)
        self._whole, self._formats = dict(whole or {}), dict(formats or {})
        self._whole_widths = {}
        self._fit()

    def whole_width(self, column: int) -> int:
        """The width that shows every text of this column (and its title) unelided."""
        if column in self._formats:
            texts = {self._formats[column]}
        else:
            texts = {self._whole.get(column, ""), *self._texts_of(column)}
        metrics, advances = self.fontMetrics(), self._advances
        for text in texts - advances.keys():
            advances[text] = metrics.horizontalAdvance(text)
        margin = 2 * (self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
        cells = max(advances[t] for t in texts) + margin + 4
        return max(cells, self.horizontalHeader().sectionSizeHint(column))

    def _texts_of(self, column: int) -> set[str]:
        """Every row's text in the column, shown yet or not (the model reveals rows in
        batches, so Qt's own ResizeToContents would miss a wide CRN further down)."""
        model = self.model()
        source = model.sourceModel() if isinstance(model, QSortFilterProxyModel) else model
        rows, columns = getattr(source, "rows", None), getattr(source, "columns", None)
        if rows is None or columns is None:
            return set()
        text = columns[column].text
        return {text(r) for r in rows()}

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        room = self.viewport().width()
        total = sum(self._weights.values())
        if not (self._weights or self._whole or self._formats) or room <= 0:
            return
        self._fitting = True
        try:
            for column in (*self._whole, *self._formats):
                width = self._whole_widths.get(column) or self.whole_width(column)
                self._whole_widths[column] = width
                self.setColumnWidth(column, width)
                room -= width
            for column, weight in self._weights.items():
                self.setColumnWidth(column, max(32, room * weight // total))
        finally:
            self._fitting = False

    def _on_section_resized(self, column: int, *_: object) -> None:
        stretched = column == self.horizontalHeader().count() - 1  # Qt fills the last one
        if not self._fitting and not stretched:
            self._weights, self._whole, self._formats = {}, {}, {}  # the officer's widths now

    def _on_activated(self, index: QModelIndex) -> None:
        key = index.siblingAtColumn(0).data(roles.KEY)
        if key:
            self.row_activated.emit(str(key))
