"""The main window's size and place, kept in the profile's settings between runs.

An officer who widened the window so the compliance column fits should find it so the
next morning. Geometry is Qt's own opaque `saveGeometry()` blob (base64 in the JSON
settings); Qt checks it against the screens present now, so a window saved on a docking
station's monitor comes back on the laptop's screen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QWidget

from app import settings as settings_store
from app.settings import Settings


def restore(window: QWidget, settings: Settings) -> bool:
    """Put the window where it was last time; False when nothing was saved (or unreadable)."""
    if not settings.window_geometry:
        return False
    blob = QByteArray.fromBase64(settings.window_geometry.encode("ascii"))
    return bool(window.restoreGeometry(blob))


def remember(window: QWidget, profile: Path) -> None:
    """Save the window's size and place for the next run (only that field changes)."""
    blob = bytes(window.saveGeometry().toBase64().data()).decode("ascii")
    settings_store.update(profile, window_geometry=blob)
