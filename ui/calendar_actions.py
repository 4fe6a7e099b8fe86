"""Hand appointments to the officer's calendar: write the .ics off the GUI thread, then
give it to the default handler (Outlook on an officer's laptop) with QDesktopServices.

`options.initials` is the officer's privacy setting (Settings.calendar_initials): off by
default, entries show the CRN, type and place only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from app.tasks import TaskRunner
from domain.errors import FieldcaseError

if TYPE_CHECKING:  # the calendar stack (icalendar) loads on first use, not at start-up
    from app.usecases.calendar import IcsFile


def open_with_default_handler(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


@dataclass
class CalendarOptions:
    initials: bool = False
    open_file: Callable[[Path], bool] = open_with_default_handler


options = CalendarOptions()


def set_initials(initials: bool) -> None:
    """The officer's choice from the View menu (saved in their settings by window_state)."""
    options.initials = initials


def add_to_calendar(
    runner: TaskRunner,
    contact_id: UUID,
    said: Callable[[str], None],
) -> None:
    """Add to my calendar: one appointment (or update / cancel its entry)."""
    from app.usecases.calendar import appointment_ics

    use = partial(appointment_ics, contact_id=contact_id, initials=options.initials)
    runner.query(use, partial(_hand_over, said), on_error=partial(_failed, said))


def export_week(runner: TaskRunner, monday: dt.date, said: Callable[[str], None]) -> None:
    from app.usecases.calendar import week_ics

    use = partial(week_ics, monday=monday, initials=options.initials)
    runner.query(use, partial(_hand_over, said), on_error=partial(_failed, said))


def _hand_over(said: Callable[[str], None], made: IcsFile) -> None:
    if not options.open_file(made.path):
        said(f"The calendar file is saved as {made.path}; no program opened it.")
        return
    if made.method == "CANCEL":
        said("Sent to your calendar: the entry is cancelled.")
    elif made.appointments == 1:
        said("Sent to your calendar.")
    else:
        said(f"Sent {made.appointments} appointments to your calendar.")


def _failed(said: Callable[[str], None], error: FieldcaseError) -> None:
    said(error.message)
