"""A table model over a list of frozen rows, revealed in batches, sorted in Python.

After Vorta's table models and the PySide6 `fetchmore` example: the model holds
the rows it was given, shows them `BATCH` at a time as the view scrolls, and sorts
with Python's own sort on a per-column key (much faster than a proxy asking
`data()` for every comparison). Filtering stays with QSortFilterProxyModel.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ui.models import roles

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
BATCH = 500
CHANGED_ONE_BY_ONE = 100  # more changed rows than this: one signal for all shown rows

_R = Qt.ItemDataRole
_TEXT = frozenset({int(_R.DisplayRole.value), int(_R.AccessibleTextRole.value)})
_TOOLTIP = int(_R.ToolTipRole.value)
_BACKGROUND = int(_R.BackgroundRole.value)
_COLOURS = frozenset({_BACKGROUND, int(_R.ForegroundRole.value)})
_FILTER, _KEY, _ROW = int(roles.FILTER), int(roles.KEY), int(roles.ROW)
_SERVED = _TEXT | _COLOURS | {_TOOLTIP, _FILTER, _KEY, _ROW}


@dataclass(frozen=True)
class Column(Generic[R]):
    title: str
    text: Callable[[R], str]
    sort_key: Callable[[R], Any] | None = None
    colours: Callable[[R], tuple[QColor, QColor] | None] | None = None
    tooltip: Callable[[R], str] | None = None


class RowTableModel(QAbstractTableModel, Generic[R]):
    def __init__(
        self,
        columns: Sequence[Column[R]],
        *,
        key: Callable[[R], str],
        filter_text: Callable[[R], str] | None = None,
    ) -> None:
        super().__init__()
        self.columns = tuple(columns)
        self._key = key
        self._filter_text = filter_text
        self._rows: list[R] = []
        self._shown = 0
        self.changed_count = 0
        self._texts: dict[int, tuple[str, ...]] = {}  # id(row) -> column texts
        self._order: tuple[Callable[[R], Any], bool] | None = None  # last sort: key, reverse

    # -- loading ------------------------------------------------------------
    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._texts.clear()
        self._rows = list(rows)
        self._shown = min(BATCH, len(self._rows))
        self.endResetModel()

    def update_rows(self, rows: Sequence[R]) -> bool:
        """The same rows (by key) again: swap the changed ones in place and say which.

        No model reset, so the view keeps its selection, scroll position and the
        officer's place; a reload after a sync changes a handful of rows, not all.
        Returns False (nothing done) when rows were added or removed: use `set_rows`.
        """
        fresh = {self._key(r): r for r in rows}
        if len(fresh) != len(rows) or len(fresh) != len(self._rows):
            return False
        if any(self._key(r) not in fresh for r in self._rows):
            return False
        changed = []
        for number, old in enumerate(self._rows):
            new = fresh[self._key(old)]
            if new != old:
                self._texts.pop(id(old), None)
                self._rows[number] = new
                changed.append(number)
        self._emit_changed([n for n in changed if n < self._shown])
        self.changed_count = len(changed)
        return True

    def patch_rows(self, rows: Sequence[R], gone: Collection[str] = ()) -> None:
        """Some rows changed, came or went (by key), the others did not: change just those.

        Rows in `gone` are removed and new keys inserted where the current sort puts
        them (begin/endRemoveRows, begin/endInsertRows); changed rows are swapped in place
        (dataChanged), or, when their sort key moved them, put back in order in one
        layout change that carries the view's selection along. A refresh after a sync
        that touched a few cases costs a few rows, never a reset or a re-sort of all.
        """
        fresh = {self._key(r): r for r in rows}
        where = self._numbers()
        self._remove([where[k] for k in set(gone) - fresh.keys() if k in where])
        where = self._numbers() if len(where) != len(self._rows) else where
        changed = [where[k] for k, r in fresh.items() if k in where and r != self._rows[where[k]]]
        for number in changed:
            self._texts.pop(id(self._rows[number]), None)
            self._rows[number] = fresh[self._key(self._rows[number])]
        if all(self._in_order(n) for n in changed):
            self._emit_changed(sorted(n for n in changed if n < self._shown))
        else:
            self._reorder(changed)
        for row in (r for k, r in fresh.items() if k not in where):
            self._insert(row)
        self.changed_count = len(changed)

    def _numbers(self) -> dict[str, int]:
        return {self._key(r): n for n, r in enumerate(self._rows)}

    def _remove(self, numbers: list[int]) -> None:
        for number in sorted(numbers, reverse=True):
            self._texts.pop(id(self._rows[number]), None)
            if number < self._shown:
                self.beginRemoveRows(QModelIndex(), number, number)
                del self._rows[number]
                self._shown -= 1
                self.endRemoveRows()
            else:
                del self._rows[number]

    def _position(self, row: R) -> int:
        """Where the current sort puts `row` (after its equals), or the end if unsorted."""
        if self._order is None:
            return len(self._rows)
        key, reverse = self._order
        wanted = key(row)
        low, high = 0, len(self._rows)
        while low < high:
            middle = (low + high) // 2
            there = key(self._rows[middle])
            before = wanted < there if not reverse else wanted > there
            if before:
                high = middle
            else:
                low = middle + 1
        return low

    def _insert(self, row: R) -> None:
        number = self._position(row)
        if number < self._shown or self._shown == len(self._rows):
            self.beginInsertRows(QModelIndex(), number, number)
            self._rows.insert(number, row)
            self._shown += 1
            self.endInsertRows()
        else:
            self._rows.insert(number, row)

    def _in_order(self, number: int) -> bool:
        """The row at `number` sits rightly between its neighbours in the current sort."""
        if self._order is None:
            return True
        key, reverse = self._order
        here = key(self._rows[number])
        if number > 0 and not _ordered(key(self._rows[number - 1]), here, reverse):
            return False
        last = len(self._rows) - 1
        return number == last or _ordered(here, key(self._rows[number + 1]), reverse)

    def _reorder(self, numbers: list[int]) -> None:
        """Put changed rows back in order: every one is taken out (the rows left are still
        in order, so each goes back where a binary search finds), in one layout change,
        the view's persistent indexes (selection, current row) following their rows."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        held = [(self._key(self._rows[i.row()]), i.column()) for i in before]
        taken = [self._rows[n] for n in sorted(numbers)]
        for number in sorted(numbers, reverse=True):
            del self._rows[number]
        for row in taken:
            self._rows.insert(self._position(row), row)
        where = {self._key(r): n for n, r in enumerate(self._rows[: self._shown])}
        after = [self.index(where[k], c) if k in where else QModelIndex() for k, c in held]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _emit_changed(self, shown: list[int]) -> None:
        last = len(self.columns) - 1
        if len(shown) > CHANGED_ONE_BY_ONE:
            self.dataChanged.emit(self.index(0, 0), self.index(self._shown - 1, last))
        else:
            for number in shown:
                self.dataChanged.emit(self.index(number, 0), self.index(number, last))

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def filter_text_at(self, row: int) -> str:
        return self._filter_text(self._rows[row]) if self._filter_text else ""

    def row_of_key(self, key: str) -> int | None:
        for number in range(self._shown):
            if self._key(self._rows[number]) == key:
                return number
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._shown < len(self._rows)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = min(BATCH, len(self._rows) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def fetch_all(self) -> None:
        """Reveal every row (a filter must see them all)."""
        while self.canFetchMore():
            self.fetchMore()

    # -- Qt's model interface -----------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation is Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A view asks ~10 roles of every painted cell; most are none of ours, so the
        # answer for those is found with one set lookup of the role's number.
        role = int(role)
        if role not in _SERVED or not index.isValid() or index.row() >= self._shown:
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role in _TEXT:
            return self._text(row, index.column())
        if role == _TOOLTIP:
            return column.tooltip(row) if column.tooltip is not None else None
        if role in _COLOURS:
            pair = column.colours(row) if column.colours is not None else None
            if pair is None:
                return None
            return pair[0] if role == _BACKGROUND else pair[1]
        return self._custom(row, role)

    def _text(self, row: R, column: int) -> str:
        """Each shown row's words are worked out once (dates and risk words cost a repaint
        otherwise: a view asks again for every cell on every paint)."""
        texts = self._texts.get(id(row))
        if texts is None:
            texts = tuple(c.text(row) for c in self.columns)
            self._texts[id(row)] = texts
        return texts[column]

    def _custom(self, row: R, role: int) -> Any:
        if role == _FILTER:
            return self._filter_text(row) if self._filter_text else ""
        if role == _KEY:
            return self._key(row)
        if role == _ROW:
            return row
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        spec = self.columns[column]
        key = spec.sort_key or (lambda r: spec.text(r).casefold())
        self._order = (key, order is Qt.SortOrder.DescendingOrder)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()  # the view's selection and current row
        held = [(self._key(self._rows[i.row()]), i.column()) for i in before]
        self._rows.sort(key=key, reverse=order is Qt.SortOrder.DescendingOrder)
        where = {self._key(r): n for n, r in enumerate(self._rows[: self._shown])}
        after = [self.index(where[k], c) if k in where else QModelIndex() for k, c in held]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()


def _ordered(first: Any, second: Any, reverse: bool) -> bool:
    """`first` may come before `second` in this order (equal keys in either order)."""
    return bool(second <= first) if reverse else bool(first <= second)
