from __future__ import annotations

import pytest

from app.session import Session, SessionState
from tests.app.fakes import FakeBackend
from ui.main_window import MainWindow
from ui.shell import Shell


class Harness:
    def __init__(self, qtbot, backend: FakeBackend, tmp_path) -> None:
        self.qtbot = qtbot
        self.backend = backend
        self.session = Session(backend)
        self.window = MainWindow()
        qtbot.addWidget(self.window)
        self.shell = Shell(self.session, self.window, profile=tmp_path)
        self.shell.start()

    def wait_ready(self) -> None:
        self.qtbot.waitUntil(lambda: self.session.state is SessionState.READY)
        self.qtbot.waitUntil(lambda: len(self.window.caseload.model.rows()) > 0)

    def unlock(self, password: str = "correct horse") -> None:
        unlock = self.window.unlock
        self.qtbot.keyClicks(unlock.password, password)
        self.qtbot.keyClick(unlock.password, "\r")

    def ready(self) -> Harness:
        self.unlock()
        self.wait_ready()
        return self


@pytest.fixture
def harness(qtbot, tmp_path):
    made = []

    def make(backend: FakeBackend | None = None) -> Harness:
        h = Harness(qtbot, backend or FakeBackend(cached=True, synced=True), tmp_path)
        made.append(h)
        return h

    yield make
    for h in made:
        h.shell.shutdown()


@pytest.fixture(autouse=True)
def handed_to_calendar(monkeypatch) -> list:
    """Calendar files the app hands to the default handler, kept instead of opening Outlook."""
    from ui import calendar_actions

    handed: list = []
    monkeypatch.setattr(calendar_actions.options, "open_file", lambda p: handed.append(p) or True)
    return handed


@pytest.fixture(autouse=True)
def _close_letter_previews():
    """A letter preview opened by a save is its own window: closed after each test, so it
    never takes the activation a later test's form waits for."""
    yield
    from ui import letter_preview

    for preview in list(letter_preview._open):
        preview.close()
        preview.deleteLater()
    letter_preview._open.clear()
