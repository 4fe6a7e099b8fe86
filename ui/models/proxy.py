"""Filtering proxy: matches typed words against each row's precomputed filter text.

Sorting is passed to the source model (Python's sort on one key per row), so the
proxy only filters; setting a filter first reveals every row of the source.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ui.models import roles
from ui.models.table import RowTableModel


class RowFilterProxy(QSortFilterProxyModel):
    def __init__(self, source: RowTableModel[Any]) -> None:
        super().__init__()
        self._source = source
        self._words: tuple[str, ...] = ()
        self.setSourceModel(source)
        self.setFilterRole(roles.FILTER)

    def set_filter_words(self, text: str) -> None:
        """Every word must appear (in any order): "smith high" finds a high-risk Smith."""
        self._source.fetch_all()
        self.beginFilterChange()
        self._words = tuple(text.casefold().split())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._words:
            return True
        if source_parent.isValid():
            return False
        haystack = self._source.filter_text_at(source_row)
        return all(word in haystack for word in self._words)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._source.sort(column, order)
