"""Save the visit briefing as a PDF where the officer chooses, or print it; audit either.

The pages are read off the GUI thread (a use case on the task runner); the officer then
picks the file (nothing is ever written anywhere by default, so no copy is left in a
temporary or shared folder), the PDF is drawn, and one `briefing_saved` audit record per
case is queued, like a case view, to reach the central audit trail with the next sync.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from functools import partial
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from app.tasks import TaskRunner
from app.today_rows import Briefing
from app.usecases.today import briefing_saved, load_briefing
from ui.briefing_print import render, save_pdf

ChoosePath = Callable[[str], str | None]


def ask_for_path(parent: QWidget) -> ChoosePath:
    def choose(suggested: str) -> str | None:
        path, _filter = QFileDialog.getSaveFileName(
            parent, "Save the visit briefing as PDF", suggested, "PDF documents (*.pdf)"
        )
        if not path:
            return None
        return path if path.lower().endswith(".pdf") else path + ".pdf"

    return choose


class BriefingActions(QObject):
    """`done` says what happened, in words, for the view's message line."""

    done = Signal(str)

    def __init__(self, parent: QWidget, choose_path: ChoosePath | None = None) -> None:
        super().__init__(parent)
        self._parent = parent
        self.choose_path = choose_path or ask_for_path(parent)

    def save(self, runner: TaskRunner | None, day: dt.date, ids: Collection[str] = ()) -> None:
        if runner is not None:
            self._load(runner, day, ids, partial(self._save, runner))

    def print(self, runner: TaskRunner | None, day: dt.date, ids: Collection[str] = ()) -> None:
        if runner is not None:
            self._load(runner, day, ids, partial(self._print, runner))

    def _load(
        self,
        runner: TaskRunner,
        day: dt.date,
        ids: Collection[str],
        then: Callable[[Briefing], None],
    ) -> None:
        use = partial(load_briefing, day=day, contact_ids=tuple(ids))
        runner.query(use, then, key="briefing")

    def _save(self, runner: TaskRunner, briefing: Briefing) -> None:
        if not briefing.pages:
            self.done.emit("No visits to brief on that day.")
            return
        path = self.choose_path(f"Visit briefing {briefing.day:%Y-%m-%d}.pdf")
        if path is None:
            return
        pages = save_pdf(briefing, Path(path))
        self._audit(runner, briefing, "pdf")
        self.done.emit(f"Briefing saved as {Path(path).name} ({pages} pages).")

    def _print(self, runner: TaskRunner, briefing: Briefing) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if not briefing.pages:
            self.done.emit("No visits to brief on that day.")
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self._parent).exec() != QPrintDialog.DialogCode.Accepted:
            return
        pages = render(printer, briefing)
        self._audit(runner, briefing, "print")
        self.done.emit(f"Briefing sent to the printer ({pages} pages).")

    def _audit(
        self, runner: TaskRunner, briefing: Briefing, medium: Literal["pdf", "print"]
    ) -> None:
        crns = [p.visit.crn for p in briefing.pages]
        runner.op(partial(briefing_saved, crns=crns, medium=medium))
