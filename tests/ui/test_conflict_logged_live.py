"""The officer's conflict choice is in the person's contact log (issue 17, item 3).

The status bar said what was kept, and then nothing did: the contact log, where an
officer (or the colleague whose change was discarded) looks for why a phone number is
what it is, had no word of it. The real app over the real encrypted cache and the real
central service (loopback): a second laptop of the same officer changes the phone, this
laptop's change clashes, the officer keeps the other laptop's number, and the contact log
says so in words; it reaches the service once, and stays once after the next pull and
after the app is restarted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtWidgets import QRadioButton

from app import settings as settings_store
from central.tables import records
from tests.sync.live import PASSWORD, Live, live_central, queue_local
from tests.ui.test_sync_refresh_live import App
from ui.main_window import ATTENTION

pytestmark = pytest.mark.e2e


@pytest.fixture
def live(tmp_path: Any) -> Iterator[Live]:
    with live_central(f"sqlite:///{tmp_path}/central.db") as running:
        yield running


def _log_entries(app: App, crn: str) -> list[Any]:
    """The case's contact log as the officer sees it: opened, Contact log tab."""
    app.window.open_requested.emit(crn)
    app.qtbot.waitUntil(lambda: app.window.case_view is not None, timeout=10_000)
    view = app.window.case_view
    view.tabs.setCurrentWidget(view.contacts)
    app.qtbot.waitUntil(lambda: bool(view.contacts.model.rows()), timeout=10_000)
    return [r for r in view.contacts.model.rows() if "clashed" in r.notes]


def _conflict(app: App, live: Live) -> str:
    """Another laptop of this officer changes a phone; this laptop's own change clashes."""
    officer = app.officer
    crn = sorted(app.crns())[0]
    [person] = app.backend.cache.db().query("SELECT version FROM person WHERE crn = ?", (crn,))
    edit = {"crn": crn, "base_version": person["version"]}
    other = live.laptop(officer)
    other.sync()
    other.store.queue("update_contact_details", {**edit, "phone": "07700900001"})
    assert other.sync().applied == 1
    queue_local(
        app.backend.cache, live, officer, "update_contact_details", {**edit, "phone": "07700900002"}
    )
    app.shell.sync_now()
    return crn


def test_the_choice_is_in_the_contact_log_once_here_and_centrally(qtbot, live, tmp_path):
    app = App(qtbot, live, tmp_path / "profile", live.seed.officers[0])
    try:
        app.sign_in()
        crn = _conflict(app, live)
        app.window.show_section(ATTENTION)
        view = app.window.attention
        qtbot.waitUntil(lambda: (view.reload() or len(view.conflicts)) == 1, timeout=20_000)
        box = view.conflicts[0]
        buttons = {b.accessibleName(): b for b in box.findChildren(QRadioButton)}
        buttons["Phone number: Central now"].click()
        with qtbot.waitSignal(view.resolved, timeout=10_000):
            box.apply.click()
        [entry] = _log_entries(app, crn)
        assert entry.type_text == "Internal Communications"
        assert "Phone number: kept 07700900001 (the change by you, on another laptop, on " in (
            entry.notes
        )
        assert "Discarded 07700900002 (your change on this laptop)." in entry.notes
        contact_id = entry.id

        app.sync_pulling()  # sent, and the service's copy pulled back
        with live.admin() as conn:
            held = conn.execute(
                sa.select(records.c.data).where(records.c.kind == "contact", records.c.crn == crn)
            ).all()
        central = [json.loads(d) if isinstance(d, str) else d for (d,) in held]
        logged = [d for d in central if "clashed" in d.get("notes", "")]
        assert len(logged) == 1
        assert "kept 07700900001" in logged[0]["notes"]
        app.window.show_section(ATTENTION)
        [again] = _log_entries(app, crn)
        assert again.id == contact_id
        assert not again.waiting_to_send
    finally:
        app.shell.shutdown()
        app.backend.close()

    folder = tmp_path / "profile"  # the app started again: its saved settings, its cache
    restarted = App(qtbot, live, folder, live.seed.officers[0], settings_store.load(folder))
    try:
        failed: list[Any] = []
        restarted.session.unlock_failed.connect(failed.append)
        restarted.session.unlock(PASSWORD)
        qtbot.waitUntil(lambda: bool(failed) or bool(restarted.crns()), timeout=30_000)
        assert not failed
        [after] = _log_entries(restarted, crn)
        assert after.id == contact_id
    finally:
        restarted.shell.shutdown()
        restarted.backend.close()
