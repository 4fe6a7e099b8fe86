"""The Help menu (keyboard shortcuts, version, where the logs are) and the text size.

A new officer found no list of the keys the app is built around, no version to quote
to IT, and no way to make the text bigger short of Windows' own scaling.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.logging_setup import log_dir

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QMenu

TEXT_SIZES = (100, 125, 150)  # per cent of the system's text size
SHORTCUTS = (
    ("Ctrl+1 … Ctrl+5", "My caseload, Diary, Needs an outcome, Search, Needs your attention"),
    ("Ctrl+K or Ctrl+F", "Search"),
    ("Enter", "Open the selected case (or record the selected outcome)"),
    ("Esc or Alt+Left", "Back from a case to its list; close a form, keeping a draft"),
    ("Ctrl+N", "Record a contact"),
    ("Ctrl+O", "Record outcome"),
    ("Ctrl+Shift+O", "Correct outcome"),
    ("Ctrl+Shift+A", "Arrange an appointment"),
    ("Ctrl+Shift+R", "Reschedule the appointment"),
    ("Ctrl+Shift+N", "Add to the notes"),
    ("Ctrl+Shift+D", "Update contact details and address"),
    ("Enter / Ctrl+Enter", "Save a form (Ctrl+Enter from a notes box)"),
    ("Alt+R / Alt+D", "Restore / discard a draft a form offers back"),
    ("F5", "Sync now"),
    ("Ctrl+L", "Lock"),
    ("Ctrl+Q", "Quit"),
)


def app_version() -> str:
    try:
        return version("fieldcase")
    except PackageNotFoundError:
        return "0.0.0+unknown"


def shortcuts_text() -> str:
    return "\n".join(f"{keys}\t{what}" for keys, what in SHORTCUTS)


def about_text() -> str:
    return (
        f"Fieldcase {app_version()}\n\n"
        f"Logs (no personal data in them) are in:\n{log_dir()}\n\n"
        "Quote the version and send the newest log file when you report a problem."
    )


def install_help_menu(window: QMainWindow) -> QMenu:
    """Help > Keyboard shortcuts (F1), About Fieldcase."""
    menu = window.menuBar().addMenu("&Help")
    keys = QAction("&Keyboard shortcuts", window, shortcut=QKeySequence("F1"))
    keys.triggered.connect(lambda: _tell(window, "Keyboard shortcuts", shortcuts_text()))
    about = QAction("&About Fieldcase", window)
    about.triggered.connect(lambda: _tell(window, "About Fieldcase", about_text()))
    menu.addAction(keys)
    menu.addAction(about)
    return menu


def _tell(parent: QWidget, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    box.setObjectName(title.replace(" ", "_").lower())
    box.open()  # not modal to the whole app: the officer can keep it beside the window


def install_text_size_menu(view_menu: QMenu, window: QWidget) -> QActionGroup:
    """View > Text size: each choice is a checkable action carrying its percentage."""
    sizes = view_menu.addMenu("&Text size")
    group = QActionGroup(window)
    for percent in TEXT_SIZES:
        action = QAction(f"{percent}%", window, checkable=True)
        action.setData(percent)
        action.setChecked(percent == 100)
        group.addAction(action)
        sizes.addAction(action)
    return group


_BASE_POINTS: list[float] = []


def apply_text_size(app: QApplication, percent: int) -> None:
    """Scale the application's font from the system's own size (remembered once)."""
    if not _BASE_POINTS:
        _BASE_POINTS.append(app.font().pointSizeF() or 9.0)
    font = QFont(app.font())
    font.setPointSizeF(_BASE_POINTS[0] * percent / 100)
    app.setFont(font)
