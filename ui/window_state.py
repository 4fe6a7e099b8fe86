"""How the officer left the main window, kept in the profile's settings between runs: its
size and place, the caseload's sort and the diary's day or week.

An officer who widened the window so the compliance column fits, sorted the caseload by
next appointment or risk, or reads the diary a week at a time should find it so the next
morning. Geometry is Qt's own opaque `saveGeometry()` blob (base64 in the JSON
settings); Qt checks it against the screens present now, so a window saved on a docking
station's monitor comes back on the laptop's screen.

Restoring reads the settings already loaded at start-up (no disk read here); each save
changes only its own fields (`settings.update`: a few hundred bytes, written as the
high-contrast toggle's are). Without a profile folder (the demo) nothing is saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QObject, QRect, Qt

from app import settings as settings_store
from app.settings import Settings
from ui import calendar_actions

if TYPE_CHECKING:
    from ui.main_window import MainWindow

# The first run's size: most of the screen, up to what shows every caseload column
# (compliance is the last) beside the navigation without scrolling.
FIRST_RUN_MAX = (1760, 1040)
FIRST_RUN_SHARE = 0.92


def restore(window: MainWindow, settings: Settings) -> bool:
    """Put the window where it was last time and its lists as they were left; False when
    no geometry was saved (or it was unreadable)."""
    window.caseload.restore_sort(settings.caseload_sort_column, settings.caseload_sort_descending)
    window.diary.show_week(settings.diary_week_view)
    calendar_actions.options.initials = settings.calendar_initials
    window.initials_action.setChecked(settings.calendar_initials)
    window.initials_action.toggled.connect(calendar_actions.set_initials)
    if settings.window_geometry:
        blob = QByteArray.fromBase64(settings.window_geometry.encode("ascii"))
        if window.restoreGeometry(blob):
            return True
    fit_first_run(window)
    return False


def fit_first_run(window: MainWindow) -> None:
    """Size a window with no saved geometry to most of its screen (capped), centred: a
    fixed 1280 wide cut the compliance column on a 1920-wide laptop screen."""
    screen = window.screen()
    if screen is None:
        return
    room = screen.availableGeometry()
    least = window.minimumSizeHint()
    width = max(least.width(), min(FIRST_RUN_MAX[0], int(room.width() * FIRST_RUN_SHARE)))
    height = max(least.height(), min(FIRST_RUN_MAX[1], int(room.height() * FIRST_RUN_SHARE)))
    placed = QRect(0, 0, width, height)
    placed.moveCenter(room.center())
    # a screen narrower than the window's least size: its left and top edges stay on it
    placed.moveTo(max(placed.left(), room.left()), max(placed.top(), room.top()))
    window.setGeometry(placed)


def remember(window: MainWindow, profile: Path) -> None:
    """Save the window's size and place and its lists' choices for the next run (only
    those fields change)."""
    blob = bytes(window.saveGeometry().toBase64().data()).decode("ascii")
    settings_store.update(profile, window_geometry=blob, **_view_fields(window))


def _view_fields(window: MainWindow) -> dict[str, Any]:
    column, descending = window.caseload.sort_choice()
    return {
        "caseload_sort_column": column,
        "caseload_sort_descending": descending,
        "diary_week_view": window.diary.week,
    }


class ViewKeeper(QObject):
    """Saves the caseload's sort and the diary's day or week as the officer changes them,
    so a run that ends without `remember` (power cut, killed) still keeps them."""

    def __init__(self, window: MainWindow, profile: Path) -> None:
        super().__init__(window)
        self.profile = profile
        header = window.caseload.table.horizontalHeader()
        header.sortIndicatorChanged.connect(self.on_sort_changed)
        window.diary.week_view_toggled.connect(self.on_week_view_toggled)
        window.initials_action.toggled.connect(self.on_initials_toggled)

    def on_sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        settings_store.update(
            self.profile,
            caseload_sort_column=column,
            caseload_sort_descending=order is Qt.SortOrder.DescendingOrder,
        )

    def on_week_view_toggled(self, week: bool) -> None:
        settings_store.update(self.profile, diary_week_view=week)

    def on_initials_toggled(self, initials: bool) -> None:
        settings_store.update(self.profile, calendar_initials=initials)


def keep(window: MainWindow, profile: Path | None) -> ViewKeeper | None:
    """Save the lists' choices as they change (after `restore`); nothing without a profile."""
    return None if profile is None else ViewKeeper(window, profile)
