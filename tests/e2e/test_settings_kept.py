"""What a sign-in remembers for the next start (offline unlock needs the officer and the
server's policy from the settings file), whichever part of the app saved it last."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app import settings as settings_store
from app.session import SessionState
from tests.e2e.live_app import PASSWORD, live_app, seeded_central

pytestmark = pytest.mark.e2e


@pytest.fixture
def central(tmp_path, qtbot):
    with seeded_central(qtbot, tmp_path, officers=1, cases_per_officer=2, seed=5) as server:
        yield server


def test_a_sign_in_leaves_the_officer_and_policy_in_the_settings_file(qtbot, tmp_path, central):
    profile = tmp_path / "profile"
    with live_app(qtbot, profile) as app:
        screen = app.window.sign_in
        qtbot.keyClicks(screen.server, central.url)
        qtbot.keyClicks(screen.username, central.officer)
        qtbot.keyClicks(screen.password, PASSWORD)
        qtbot.keyClick(screen.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: app.session.state is SessionState.READY, timeout=60_000)
        qtbot.waitUntil(lambda: app.window.caseload.model.rowCount() == 2, timeout=10_000)
        in_memory = app.backend.settings
    saved = settings_store.load(profile)
    assert saved.username == central.officer
    assert saved.server_url == central.url
    assert saved.staff_code
    assert saved.staff_code == in_memory.staff_code
    assert saved.officer_name == in_memory.officer_name
