"""The scenes scripts/screenshots.py photographs, each a real screen in a real state."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from screenshots import wait_until

from app.session import Session, SessionState
from tests.app.fakes import FakeBackend, FakeCache, caseload_rows, sample_attention
from ui.main_window import ATTENTION, DIARY, NEEDS_OUTCOME, SEARCH, MainWindow
from ui.shell import Shell
from ui.theme import apply_high_contrast


class _Status:
    state = "offline"
    pending = 3
    last_success = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2, minutes=5)
    conflicts = 1
    rejections = 1
    last_error = None


def run_scenes(app: Any, out: Path, suffix: str, *, high_contrast: bool) -> list[Path]:
    apply_high_contrast(app, high_contrast)
    saved: list[Path] = []

    def shoot(window: MainWindow, name: str) -> None:
        app.processEvents()
        path = out / f"{name}{suffix}.png"
        window.grab().save(str(path))
        saved.append(path)

    backend = FakeBackend(
        cache=FakeCache(rows=caseload_rows(240), attention_items=sample_attention())
    )
    session = Session(backend)
    window = MainWindow(demo=True)
    shell = Shell(session, window)
    shell.start()
    window.sign_in.server.setText("https://cases.example.invalid")
    window.sign_in.username.setText("officer1")
    shoot(window, "01-sign-in")
    backend.cached, backend.synced = True, True
    session.state = SessionState.LOCKED
    shell.on_session_state(SessionState.LOCKED)
    shoot(window, "02-unlock")
    session.unlock("correct horse")
    wait_until(app, lambda: window.caseload.model.rowCount() > 0)
    window.status.show_status(_Status())
    shoot(window, "03-caseload")
    window.open_requested.emit("X100001")
    wait_until(app, lambda: window.case_view is not None)
    shoot(window, "04-case-overview")
    view = window.case_view
    assert view is not None
    view.tabs.setCurrentIndex(1)
    wait_until(app, lambda: view.contacts.model.rowCount() > 0)
    shoot(window, "05-case-contact-log")
    view.tabs.setCurrentIndex(3)
    shoot(window, "06-case-risk")
    for index, name in (
        (DIARY, "07-diary"),
        (NEEDS_OUTCOME, "08-needs-outcome"),
        (ATTENTION, "10-needs-attention"),
    ):
        window.show_section(index)
        target = {DIARY: window.diary.model, NEEDS_OUTCOME: window.needs_outcome.model}.get(index)
        if target is not None:
            wait_until(app, lambda t=target: t.rowCount() > 0)
        else:
            wait_until(app, lambda: len(window.attention.conflicts) > 0)
        shoot(window, name)
    window.show_section(SEARCH)
    window.search.box.setText("hughes")
    wait_until(app, lambda: window.search.model.rowCount() > 0)
    shoot(window, "09-search")
    shell.shutdown()
    return saved
