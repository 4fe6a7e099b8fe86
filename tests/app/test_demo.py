"""`fieldcase --demo`: a seeded central on loopback, reused while it runs."""

from __future__ import annotations

import importlib

import keyring
import pytest
import requests

from app import demo
from app.launch import prepare_demo
from app.main import UI_ENTRY, parse_args


@pytest.mark.e2e
def test_demo_server_is_seeded_once_and_reused(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "demo_folder", lambda: tmp_path)
    try:
        first = demo.start_demo_server(tmp_path)
        assert requests.get(f"{first.url}/healthz", timeout=5).ok
        assert first.officers
        again = demo.start_demo_server(tmp_path)
        assert (again.url, again.pid) == (first.url, first.pid)
        launch = prepare_demo()
        assert launch.demo
        assert launch.start is not None
        assert launch.start() == (first.url, first.officers[0], demo.DEMO_PASSWORD)
        assert isinstance(keyring.get_keyring(), demo.DemoKeyring)
        assert launch.profile.exists()
    finally:
        demo.stop_demo_server(tmp_path)


def test_demo_keyring_forgets_with_the_process():
    store = demo.DemoKeyring()
    store.set_password("Fieldcase", "profile", "wrapped")
    assert store.get_password("Fieldcase", "profile") == "wrapped"
    store.delete_password("Fieldcase", "profile")
    assert store.get_password("Fieldcase", "profile") is None


def test_entry_point_options_and_ui_entry():
    args = parse_args(["--demo", "--profile", "/tmp/p"])
    assert args.demo
    assert args.profile == "/tmp/p"
    assert callable(importlib.import_module(UI_ENTRY).run)


@pytest.mark.e2e
def test_quitting_the_demo_stops_its_service(qapp, tmp_path, monkeypatch):
    """Issue 17: the demo's embedded service kept running after Quit."""
    from PySide6.QtCore import QTimer

    from app.crash import CrashReporter
    from ui.main_window import MainWindow
    from ui.run import run

    monkeypatch.setattr(demo, "demo_folder", lambda: tmp_path)
    launch = prepare_demo()
    known = demo.start_demo_server(tmp_path)  # the one the launch started
    assert requests.get(f"{known.url}/healthz", timeout=5).ok

    def quit_when_shown() -> None:
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
        signed_in = windows and windows[0].screens.currentWidget() is windows[0].workspace
        if signed_in and windows[0].caseload.model.rowCount() > 0:
            timer.stop()
            windows[0].close()  # File > Quit (Ctrl+Q) closes the window

    timer = QTimer()
    timer.timeout.connect(quit_when_shown)
    timer.start(50)
    try:
        run(qapp, launch, CrashReporter("test"), tmp_path / "fieldcase.log")
        assert not (tmp_path / demo.SERVER_FILE).exists()
        assert _stops_answering(known.url)
    finally:
        demo.stop_demo_server(tmp_path)


def _stops_answering(url: str) -> bool:
    """The service has gone within a few seconds of its SIGTERM (it shuts down cleanly)."""
    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            requests.get(f"{url}/healthz", timeout=0.5)
        except requests.ConnectionError:
            return True
    return False


@pytest.mark.e2e
def test_the_demo_service_stops_when_the_app_crashes(tmp_path):
    """Convention 17: a process the app starts is stopped on a crash too (its stdin pipe
    closes with the app, and `serve --exit-with-parent` exits)."""
    import subprocess
    import sys

    crash = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from app import demo\n"
        f"server = demo.start_demo_server(Path({str(tmp_path)!r}))\n"
        "print(server.url, flush=True)\n"
        "os._exit(3)  # the app dies without Quit\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", crash], capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 3, done.stderr[-2000:]
        url = done.stdout.strip().splitlines()[-1]
        assert _stops_answering(url)
    finally:
        demo.stop_demo_server(tmp_path)


@pytest.mark.e2e
def test_a_demo_folder_seeded_by_another_version_is_seeded_again(tmp_path, monkeypatch):
    """An older demo database (no automatic device approval, no documents, no covers) would
    leave the demo signing in forever: it is made again, not reused."""
    (tmp_path / "officers.json").write_text('["someone.old"]')
    (tmp_path / "central.db").write_bytes(b"made by an older Fieldcase")
    monkeypatch.setattr(demo, "demo_folder", lambda: tmp_path)
    try:
        server = demo.start_demo_server(tmp_path)
        assert "someone.old" not in server.officers
        assert (tmp_path / demo.SEED_STAMP).read_text() == demo.DEMO_DATA_VERSION
    finally:
        demo.stop_demo_server(tmp_path)
