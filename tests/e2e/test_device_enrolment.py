"""The sign-in screen against the real service: a new laptop waits for an administrator's
approval when the policy requires it, and a plain-HTTP address to another machine is
refused before any packet is sent."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.session import SessionState
from central.auth.approval import SERVICE_WIDE, set_policy
from central.cli import main as central_cli
from central.db import make_engine, transaction, utcnow
from tests.e2e.live_app import PASSWORD, live_app, seeded_central
from tests.support.no_network import connections_refused

pytestmark = pytest.mark.e2e


def _sign_in(qtbot, screen, server: str, username: str) -> None:
    for field, text in ((screen.server, server), (screen.username, username)):
        field.clear()
        qtbot.keyClicks(field, text)
    qtbot.keyClicks(screen.password, PASSWORD)
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)


def test_plain_http_to_another_machine_is_refused_on_the_sign_in_screen(qtbot, tmp_path):
    with live_app(qtbot, tmp_path / "profile") as app, connections_refused() as tried:
        screen = app.window.sign_in
        _sign_in(qtbot, screen, "http://192.0.2.10:8765", "officer1")
        qtbot.waitUntil(screen.banner.isVisible, timeout=10_000)
        assert "https://" in screen.banner.message.text()
        assert app.session.state is SessionState.SIGNED_OUT
        assert screen.server.text() == "http://192.0.2.10:8765"  # kept, to be corrected
    assert tried == []


def test_a_new_laptop_waits_for_approval_then_signs_in(qtbot, tmp_path, capsys):
    with seeded_central(qtbot, tmp_path, officers=1, cases_per_officer=2, seed=5) as central:
        engine = make_engine(central.url_db)
        with transaction(engine) as conn:
            set_policy(conn, SERVICE_WIDE, required=True, by="admin", now=utcnow())
        engine.dispose()
        db = ["--database-url", central.url_db]
        with live_app(qtbot, tmp_path / "profile") as app:
            screen = app.window.sign_in
            _sign_in(qtbot, screen, central.url, central.officer)
            qtbot.waitUntil(screen.banner.isVisible, timeout=30_000)
            assert screen.banner.title.text() == "Waiting for approval", (
                screen.banner.message.text()
            )
            assert "approval" in screen.banner.message.text()
            assert app.session.state is SessionState.SIGNED_OUT
            assert app.backend.cache is not None
            device = str(app.backend.cache.client_id())

            capsys.readouterr()
            assert central_cli(["devices", "list", "--status", "pending", *db]) == 0
            assert device in capsys.readouterr().out
            assert central_cli(["devices", "approve", device, "--by", "admin1", *db]) == 0

            _sign_in(qtbot, screen, central.url, central.officer)
            qtbot.waitUntil(lambda: app.session.state is SessionState.READY, timeout=60_000)
        capsys.readouterr()
        assert central_cli(["devices", "show", device, *db]) == 0
        trail = capsys.readouterr().out
        assert "device_enrolled" in trail
        assert "approval=pending" in trail
        assert "admin1" in trail
        assert "device_approved" in trail
