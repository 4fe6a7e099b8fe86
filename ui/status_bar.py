"""The sync status bar: online or not, last sync, changes waiting, items needing attention.

It shows a frozen status snapshot from the sync bridge (`status_changed`); the
wording is a pure function so it can be tested without a widget.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QStatusBar

from ui import format as fmt
from ui.widgets import named

REFRESH_MS = 30_000


@dataclass(frozen=True, slots=True)
class StatusWords:
    connection: str
    last_sync: str
    waiting: str
    attention: str
    attention_count: int
    syncing: bool


def _get(status: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if hasattr(status, name):
            return getattr(status, name)
    return default


def _first_sentence(text: str) -> str:
    """The status bar has one line: the whole message is under "Needs your attention"."""
    head, dot, _rest = str(text).partition(". ")
    return head + "." if dot else str(text)


_TRANSFERS = {"upload": "sending documents", "download": "fetching documents"}


def _transfer_words(progress: Any) -> str:
    """A large transfer's progress in megabytes ("Online – sending documents, 2.1 of 20 MB…")."""
    phase = getattr(progress, "phase", None)
    total = getattr(progress, "total", None)
    if phase not in _TRANSFERS or not total:
        return ""
    done = min(int(getattr(progress, "done", 0)), int(total))
    return f"Online – {_TRANSFERS[phase]}, {done / 1e6:.1f} of {total / 1e6:.1f} MB…"


def describe(status: Any, now: dt.datetime) -> StatusWords:
    """Plain words for a sync status snapshot."""
    state = str(_get(status, "state", default="idle"))
    state = getattr(state, "value", state)
    pending = int(_get(status, "pending", "pending_count", default=0) or 0)
    conflicts = int(_get(status, "conflicts", default=0) or 0)
    rejections = int(_get(status, "rejections", "rejected", default=0) or 0)
    last = _get(status, "last_success", "last_successful_sync")
    if isinstance(last, dt.datetime) and last.tzinfo is not None:
        last = last.astimezone()  # the officer's clock, not UTC
    error = _get(status, "last_error", default=None)
    offline = state in {"offline", "error"}
    # Stuck is said after a sync that reached the server and failed again (its error is
    # then the stuck message "Needs your attention" shows); offline, the words say so.
    stuck = state == "error" and _get(status, "stuck_seq", default=None) is not None
    if state == "syncing" and error:
        connection = "Offline – trying to reconnect…"
    elif state == "syncing":
        connection = _transfer_words(_get(status, "progress")) or "Online – syncing…"
    elif state == "error" and stuck:  # the details are in "Needs your attention"
        connection = "Sync problem – your changes are not getting through"
    elif state == "error":  # reached, but the sync did not go through
        connection = (
            f"Sync problem – {_first_sentence(error)}" if error else "Sync problem – retrying"
        )
    elif offline:
        connection = f"Offline since {fmt.when(last)}" if last else "Offline"
        if error:
            connection += f" – {error}"
    elif state == "signed_out":
        connection = "Signed out of the server – sign in to sync"
    else:
        connection = "Online"
    attention_count = conflicts + rejections + (1 if stuck else 0)
    waiting = _waiting(pending, attention_count)
    if stuck and pending:
        waiting = f"{fmt.count(pending, 'change')} stuck – see Needs your attention"
    return StatusWords(
        connection=connection,
        last_sync=f"Last synced {fmt.ago(last, now)}" if last else "Not synced yet",
        waiting=waiting,
        attention=_attention(conflicts, rejections, stuck=stuck),
        attention_count=attention_count,
        syncing=state == "syncing",
    )


def _waiting(pending: int, attention: int) -> str:
    """The outbox's count of the officer's changes. Never "Everything sent" while a
    change came back refused or in conflict: it was sent, but it is not done."""
    if pending:
        return f"{fmt.count(pending, 'change')} waiting to send"
    return "Nothing waiting to send" if attention else "Everything sent"


def _attention(conflicts: int, rejections: int, *, stuck: bool = False) -> str:
    """What needs the officer, said as what it is (not "1 item")."""
    parts = ["1 sync problem"] if stuck else []
    if conflicts:
        parts.append(f"{fmt.count(conflicts, 'conflict')} to resolve")
    if rejections:
        parts.append(f"{fmt.count(rejections, 'change')} not accepted")
    return " and ".join(parts) if parts else "Nothing needs your attention"


class SyncStatusBar(QStatusBar):
    sync_requested = Signal()
    attention_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._status: Any = None
        self.connection = named(QLabel("Starting…"), "Connection")
        self.last_sync = named(QLabel(""), "Last sync")
        self.waiting = named(QLabel(""), "Changes waiting")
        self.attention = named(QPushButton("Nothing needs your attention"), "Needs your attention")
        self.attention.setFlat(True)
        self.attention.clicked.connect(self.attention_requested)
        self.sync_now = named(QPushButton("Sync now"), "Sync now")
        self.sync_now.clicked.connect(self.sync_requested)
        for widget in (self.connection, self.last_sync, self.waiting):
            self.addWidget(widget)
        self.addPermanentWidget(self.attention)
        self.addPermanentWidget(self.sync_now)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._refresh)
        self._timer.start(REFRESH_MS)

    def show_status(self, status: Any) -> None:
        self._status = status
        self._refresh()

    def _refresh(self) -> None:
        if self._status is None:
            return
        words = describe(self._status, dt.datetime.now(dt.UTC))
        self.connection.setText(words.connection)
        self.last_sync.setText(words.last_sync)
        self.waiting.setText(words.waiting)
        self.attention.setText(words.attention)
        weight = "bold" if words.attention_count else "normal"
        self.attention.setStyleSheet(f"font-weight:{weight};")
        self.sync_now.setEnabled(not words.syncing)
        self.sync_now.setText("Syncing…" if words.syncing else "Sync now")
