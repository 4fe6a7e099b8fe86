"""Where an appointment or contact happens, typed and shown as the office's name.

The forms offered and showed location codes (N07A00O1) that no officer knows by heart.
This field shows the office's name, offers the offices used before on the case and the
team's others as "Bristol Probation Office (N07A00O1)" (typing part of a name or the
code finds it), and gives the forms the code. A code this laptop cannot name (another
team's office) stays as the code; anything else typed is taken as a code, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit

from app.places import place_words
from app.tasks import TaskRunner

_CODE_IN_BRACKETS = re.compile(r"\(([A-Za-z0-9]+)\)\s*$")


def _names(ctx: Any) -> dict[str, str]:
    return dict(ctx.cache().office_names())


class OfficeField(QLineEdit):
    names_loaded = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, str] = {}
        self._used: tuple[str, ...] = ()
        self._choices = QStringListModel(self)
        completer = QCompleter(self._choices, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        self.setPlaceholderText("Office name or code; Down lists the offices")

    def load(self, runner: TaskRunner) -> None:
        """Read the office names (a query on the pool, never the UI thread)."""
        runner.query(_names, self.set_names)

    def set_names(self, names: Mapping[str, str]) -> None:
        code = self.code()
        self.names = dict(names)
        self._refresh()
        if code and self.text() in (code, code.lower()):
            self.set_code(code)  # a code set before the names came: now said as its name
        self.names_loaded.emit()

    def set_used(self, codes: Iterable[str]) -> None:
        """Offices used before on the case: offered first, latest first."""
        self._used = tuple(codes)
        self._refresh()

    def _refresh(self) -> None:
        order = dict.fromkeys((*self._used, *sorted(self.names, key=self.names.__getitem__)))
        self._choices.setStringList([self.choice_words(c) for c in order])

    def choice_words(self, code: str) -> str:
        name = self.names.get(code)
        return f"{name} ({code})" if name else code

    def set_code(self, code: str | None) -> None:
        self.setText(place_words(code, self.names))

    def code(self) -> str:
        """The location code for what is typed: a name, "name (CODE)", or a code."""
        text = self.text().strip()
        if not text:
            return ""
        found = _CODE_IN_BRACKETS.search(text)
        if found and found.group(1).upper() in self.names:
            return found.group(1).upper()
        by_name = {n.casefold(): c for c, n in self.names.items()}
        return by_name.get(text.casefold(), text.upper())

    def draft_value(self) -> str:
        return self.code()

    def restore_draft(self, value: object) -> None:
        self.set_code(str(value or ""))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Down lists every office on offer, whatever is typed."""
        completer, popup = self.completer(), self.completer().popup()
        if event.key() == Qt.Key.Key_Down and popup is not None and not popup.isVisible():
            completer.setCompletionPrefix("")
            completer.complete()
            return
        super().keyPressEvent(event)
