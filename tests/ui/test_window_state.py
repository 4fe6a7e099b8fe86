"""The window comes back the size and place the officer left it, and saving that
changes nothing else in the settings file."""

from __future__ import annotations

from app import settings as settings_store
from app.session import Session
from app.settings import Settings
from tests.app.fakes import FakeBackend
from ui.main_window import MainWindow
from ui.shell import Shell


def _open(qtbot, profile) -> tuple[Shell, MainWindow]:
    window = MainWindow()
    qtbot.addWidget(window)
    backend = FakeBackend(cached=True, synced=True)
    shell = Shell(Session(backend), window, profile=profile, settings=settings_store.load(profile))
    shell.start()
    return shell, window


def test_the_window_comes_back_the_size_it_was_left(qtbot, tmp_path):
    settings_store.save(tmp_path, Settings(username="synthetic.officer", staff_code="N07A001"))
    shell, window = _open(qtbot, tmp_path)
    window.resize(1100, 700)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (1100, 700))
    shell.shutdown()

    saved = settings_store.load(tmp_path)
    assert saved.window_geometry
    assert (saved.username, saved.staff_code) == ("synthetic.officer", "N07A001")

    shell, again = _open(qtbot, tmp_path)
    try:
        # the offscreen test screen is 800 wide, so Qt fits the width back on it; the
        # height (the default is 800) shows the saved geometry came back
        assert again.height() == 700
    finally:
        shell.shutdown()


def test_an_unreadable_saved_geometry_leaves_the_default_size(qtbot, tmp_path):
    settings_store.save(tmp_path, Settings(window_geometry="bm90IGEgZ2VvbWV0cnk="))
    shell, window = _open(qtbot, tmp_path)
    try:
        assert (window.width(), window.height()) == (1280, 800)
    finally:
        shell.shutdown()
