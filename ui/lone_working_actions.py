"""Lone working from an open case: "Going to this visit" (expected back by …) and "Back safe".

The same use cases as Today's (app/usecases/today.py): each is a contact, queued like any
change, shared with the office at the next sync. Ctrl+Shift+G asks for the time the
officer expects to be back (typed as `15:30` or `3.30pm`); Ctrl+Shift+B records back safe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QWidget

from app.tasks import TaskRunner
from domain.calendar import LONDON
from domain.errors import FieldcaseError
from domain.parsing import parse_time

GOING_KEYS = "Ctrl+Shift+G"
BACK_SAFE_KEYS = "Ctrl+Shift+B"
AskBackBy = Callable[[QWidget, str], str | None]


class CaseScreen(Protocol):
    crn: str
    runner: TaskRunner

    def add_case_action(self, text: str, keys: str, handler: object) -> QAction: ...

    def say(self, text: str) -> None: ...


def ask_back_by(parent: QWidget, suggested: str) -> str | None:
    text, ok = QInputDialog.getText(
        parent, "Going to this visit", "Expected back by (e.g. 15:30):", text=suggested
    )
    return text if ok else None


def install_lone_working(view: CaseScreen, ask: AskBackBy | None = None) -> None:
    def going() -> None:
        from app.usecases.today import going_to_visit

        later = view.runner.ctx.now().astimezone(LONDON) + dt.timedelta(hours=1)
        suggested = later.strftime("%H:%M")
        assert isinstance(view, QWidget)
        typed = (ask or ask_back_by)(view, suggested)
        if typed is None:
            return
        try:
            back = parse_time(typed, field="expected_back")
        except FieldcaseError as error:
            view.say(error.message)
            return
        use = partial(going_to_visit, crn=view.crn, expected_back=back)
        view.runner.op(
            use,
            lambda _c: view.say(f"Going to this visit: expected back by {back:%H:%M}."),
            on_error=lambda e: view.say(e.message),
        )

    def back_safe() -> None:
        from app.usecases.today import back_safe as record_back_safe

        use = partial(record_back_safe, crn=view.crn)
        view.runner.op(
            use, lambda _c: view.say("Back safe recorded."), on_error=lambda e: view.say(e.message)
        )

    view.add_case_action("Going to this visit", GOING_KEYS, going)
    view.add_case_action("Back safe", BACK_SAFE_KEYS, back_safe)
