"""Pick a code by typing: contact types, outcomes, enforcement actions.

Officers know their codes (`CHVS`, `ATTC`) or the words ("home visit"), never the
position in a 70-item drop-down. The picker is a line edit with a short list under it:
typing filters (code first, then words, then category), the best match is chosen
at once, Up/Down moves the choice, Tab moves on. The list itself never takes focus,
so the form's tab order stays field to field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem

from domain.picking import Choice, contact_type_choices, rank
from domain.reference import ContactType, reference


@dataclass(frozen=True, slots=True)
class PickItem:
    code: str
    text: str
    category: str = ""
    note: str = ""  # shown after the words, e.g. "used 12 times"
    choice: Choice | None = None  # every phrase it answers to, and whether it is adverse

    def as_choice(self) -> Choice:
        if self.choice is not None:
            return self.choice
        return Choice(self.code, (self.text,), self.category)

    @property
    def label(self) -> str:
        extra = f"  · {self.note}" if self.note else ""
        group = f"  [{self.category}]" if self.category else ""
        return f"{self.code} — {self.text}{group}{extra}"


def filter_items(items: Iterable[PickItem], text: str) -> list[PickItem]:
    """The items matching `text`, best first (`domain.picking.rank`)."""
    return [item for item, _ in _ranked(list(items), text)]


def _ranked(items: list[PickItem], text: str) -> list[tuple[PickItem, bool]]:
    """Matches best first, each with whether it is the one to pre-select."""
    ranked = rank([i.as_choice() for i in items], text)
    by_code = {i.code: i for i in items}
    return [(by_code[c], c == ranked.preselect) for c in ranked.codes]


def contact_type_items(usage: Mapping[str, int]) -> list[PickItem]:
    """Every type an officer may record: theirs most used first, then the national order."""
    kinds = [t for t in reference().contact_types.values() if not t.system_generated]

    def order(t: ContactType) -> tuple[int, int, str]:
        return (-usage.get(t.code, 0), t.usage_rank, t.description)

    ordered = sorted(kinds, key=order)
    return [
        PickItem(t.code, t.description, t.category, _used(usage.get(t.code, 0)), choice)
        for t, choice in zip(ordered, contact_type_choices(ordered), strict=True)
    ]


def _used(count: int) -> str:
    if not count:
        return ""
    return "you used it once" if count == 1 else f"you used it {count} times"


class CodePicker(QLineEdit):
    """A line edit that chooses one `PickItem`; its list sits underneath (`companion`)."""

    changed = Signal(str)  # the chosen code ("" for none)

    def __init__(self, items: Iterable[PickItem] = (), *, rows: int = 6) -> None:
        super().__init__()
        self.items: list[PickItem] = list(items)
        self.shown: list[PickItem] = []
        self._rows = rows
        self.list = QListWidget()
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setAccessibleName("Matches")
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.itemClicked.connect(self._on_item_clicked)
        self.companion = self.list
        self.setPlaceholderText("Type a code or words…")
        self.textEdited.connect(self._on_text_edited)
        self._code = ""
        self._refill(select_first=False)

    def set_items(self, items: Iterable[PickItem], *, keep: bool = True) -> None:
        """New choices (e.g. outcomes for another type); keeps the choice if still there."""
        code = self._code
        self.items = list(items)
        self._refill(select_first=False)
        if keep and any(i.code == code for i in self.items):
            self.choose(code)
        else:
            self._set_code("")

    def _fit(self) -> None:
        """Room for `rows` matches (fewer when there are fewer choices)."""
        shown = max(1, min(self._rows, len(self.shown)))
        self.list.setFixedHeight(max(self.list.sizeHintForRow(0), 18) * shown + 4)

    def code(self) -> str:
        return self._code

    def why_none(self, nothing: str) -> str:
        """Why Enter chose nothing: no match (`nothing`), or several and none is certain."""
        typed = self.text().strip()
        if not self.shown:
            return f"{nothing} matches '{typed}'."
        codes = ", ".join(i.code for i in self.shown[:3])
        return f"'{typed}' could mean {codes}: press Down to choose one, or type more."

    def chosen(self) -> PickItem | None:
        return next((i for i in self.items if i.code == self._code), None)

    def choose(self, code: str) -> None:
        """Choose by code, as if typed; unknown codes choose nothing."""
        item = next((i for i in self.items if i.code == code), None)
        self.setText(item.code if item else "")
        self._refill(select_first=False)
        self._select(item)

    # -- drafts -----------------------------------------------------------------
    def draft_value(self) -> dict[str, str]:
        return {"text": self.text(), "code": self._code}

    def restore_draft(self, value: Any) -> None:
        if not isinstance(value, dict):
            return
        self.setText(str(value.get("text", "")))
        self._refill(select_first=False)
        code = str(value.get("code", ""))
        self._select(next((i for i in self.shown if i.code == code), None))

    # -- typing -----------------------------------------------------------------
    def _on_text_edited(self, _text: str) -> None:
        self._refill(select_first=True)

    def _refill(self, *, select_first: bool) -> None:
        ranked = _ranked(self.items, self.text())
        self.shown = [item for item, _ in ranked]
        self.list.clear()
        for item in self.shown:
            row = QListWidgetItem(item.label)
            row.setData(Qt.ItemDataRole.UserRole, item.code)
            self.list.addItem(row)
        self._fit()
        if select_first:
            # Never the first match blindly: an outcome that counts against the person
            # is chosen only when the words name it unambiguously (domain.picking).
            self._select(next((item for item, pick in ranked if pick), None))
        else:
            self._highlight()

    def _select(self, item: PickItem | None) -> None:
        self._set_code(item.code if item else "")
        self._highlight()

    def _highlight(self) -> None:
        codes = [i.code for i in self.shown]
        if self._code in codes:
            self.list.setCurrentRow(codes.index(self._code))
            self.list.scrollToItem(self.list.currentItem())
        else:
            self.list.setCurrentRow(-1)

    def _set_code(self, code: str) -> None:
        if code == self._code:
            return
        self._code = code
        item = self.chosen()
        self.setAccessibleDescription(f"Chosen: {item.code}, {item.text}" if item else "")
        self.changed.emit(code)

    def _on_item_clicked(self, row: QListWidgetItem) -> None:
        code = row.data(Qt.ItemDataRole.UserRole)
        self._select(next((i for i in self.shown if i.code == code), None))
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
        if step is None or not self.shown:
            super().keyPressEvent(event)
            return
        codes = [i.code for i in self.shown]
        now = codes.index(self._code) if self._code in codes else -1
        self._select(self.shown[max(0, min(len(codes) - 1, now + step))])
        event.accept()
