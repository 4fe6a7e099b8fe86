"""Keep a window on its screen: never wider or taller than the room the screen has.

At 150% text a form opened with its title bar above the screen's top edge, out of
reach of the mouse. Forms and the main window pass through here when shown.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget


def room_for(window: QWidget, near: QWidget | None = None) -> QRect:
    """The available area (taskbar excluded) of the screen `near` (or `window`) is on."""
    screen: QScreen | None = (near or window).screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)


def fit_on_screen(window: QWidget, near: QWidget | None = None) -> None:
    """Shrink `window` to its screen's room (title bar included) and move it fully onto it."""
    room = room_for(window, near)
    frame = window.frameGeometry()
    extra_w = max(0, frame.width() - window.width())
    extra_h = max(0, frame.height() - window.height())
    width = min(window.width(), room.width() - extra_w)
    height = min(window.height(), room.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(max(1, width), max(1, height))
    frame = window.frameGeometry()
    left = min(max(frame.left(), room.left()), room.right() + 1 - frame.width())
    top = min(max(frame.top(), room.top()), room.bottom() + 1 - frame.height())
    if (left, top) != (frame.left(), frame.top()):
        window.move(max(left, room.left()), max(top, room.top()))
