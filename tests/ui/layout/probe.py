"""Run in a subprocess at one screen geometry: open the screens and report what overflows.

    QT_SCALE_FACTOR=1.5 QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json \\
        python -m tests.ui.layout.probe PROFILE_DIR

Prints one JSON object: the screen's available size, the window's size on each
screen, every visible widget that reaches past the window, each dialog's frame, and
whether the caseload's Compliance column is in view.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLineEdit,
    QTabBar,
    QWidget,
)


def wait(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not reach the expected state")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def _inside_scrolled(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QAbstractScrollArea, QLineEdit, QComboBox, QTabBar)):
            return True
        parent = parent.parentWidget()
    return False


def overflow(window: QWidget) -> list[str]:
    """Visible widgets whose right or bottom edge is past the window's (scrolled ones aside)."""
    room = QRect(QPoint(0, 0), window.size())
    past = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow() or _inside_scrolled(widget):
            continue
        at = widget.mapTo(window, QPoint(0, 0))
        rect = QRect(at, widget.size())
        if not room.contains(rect):
            name = widget.accessibleName() or widget.objectName() or type(widget).__name__
            past.append(f"{name} {rect.getRect()} in {room.getRect()}")
    return past


def frame(widget: QWidget) -> list[int]:
    return list(widget.frameGeometry().getRect())


def column_in_view(table: Any, column: int) -> bool:
    header = table.horizontalHeader()
    right = header.sectionViewportPosition(column) + header.sectionSize(column)
    return not table.isColumnHidden(column) and right <= table.viewport().width()


def signed_in(profile: Path) -> tuple[Any, Any]:
    """The real window through the real shell, unlocked, its caseload loaded."""
    from app.session import Session, SessionState
    from tests.app.fakes import FakeBackend
    from ui.main_window import MainWindow
    from ui.shell import Shell

    session = Session(FakeBackend(cached=True, synced=True))
    window = MainWindow()
    shell = Shell(session, window, profile=profile)
    shell.start()
    window.unlock.password.setText("correct horse")
    window.unlock.password.returnPressed.emit()
    wait(lambda: session.state is SessionState.READY)
    wait(lambda: len(window.caseload.model.rows()) > 0)
    settle()
    return shell, window


def probe(profile: Path) -> dict[str, Any]:
    from ui.models.caseload import COMPLIANCE

    app = QApplication.instance()
    assert app is not None
    screen = app.primaryScreen().availableGeometry()
    shell, window = signed_in(profile)
    report: dict[str, Any] = {"screen": list(screen.getRect()), "windows": {}, "overflow": {}}
    report["windows"]["caseload"] = frame(window)
    report["overflow"]["caseload"] = overflow(window)
    report["compliance_in_view"] = column_in_view(window.caseload.table, COMPLIANCE)
    window.open_requested.emit("X100001")
    wait(lambda: window.case_view is not None)
    settle()
    report["windows"]["case"] = frame(window)
    report["overflow"]["case"] = overflow(window)
    report["least"] = {"window": window.minimumSizeHint().width()}
    report["dialogs"] = dialogs(window)
    shell.shutdown()
    return report


def dialogs(window: Any) -> dict[str, list[int]]:
    """Each case-work form's frame as opened, and its least size."""
    view = window.case_view
    found: dict[str, list[int]] = {}
    opened = {"arrange": view.case_actions["arrange"].trigger, "contact": view.record_contact}
    for name, open_form in opened.items():
        open_form()
        wait(lambda: bool(view.forms) and view.forms[-1].isVisible())
        settle()
        form = view.forms[-1]
        found[name] = frame(form)
        found[f"{name}_least"] = [form.minimumSizeHint().width(), form.minimumSizeHint().height()]
        form.reject()
        wait(lambda: not any(f.isVisible() for f in view.forms))
    return found


if __name__ == "__main__":
    application = QApplication(sys.argv[:1])
    print(json.dumps(probe(Path(sys.argv[1]))))
