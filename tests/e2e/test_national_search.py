"""National search through the real app layer and windows against the real central
service: find a case outside the caseload, keep it on this laptop, see it arrive
with the next sync; with the server gone, one plain line instead of an error."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.session import SessionState
from central.db import make_engine
from central.tables import cases
from tests.e2e.live_app import PASSWORD, Central, live_app, seeded_central
from ui.main_window import SEARCH

pytestmark = pytest.mark.e2e


@pytest.fixture
def central(tmp_path, qtbot):
    with seeded_central(qtbot, tmp_path, officers=2, cases_per_officer=3, seed=11) as server:
        server.elsewhere = server.seeded.caseloads[server.seeded.officers[1]][0]
        yield server


def _surname(central: Central, crn: str) -> str:
    engine = make_engine(central.url_db)
    try:
        with engine.connect() as conn:
            return str(conn.execute(select(cases.c.surname).where(cases.c.crn == crn)).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.allow_warnings  # the sync engine logs the lost connection at WARNING
def test_find_nationally_keep_it_here_and_it_arrives_with_the_next_sync(qtbot, tmp_path, central):
    with live_app(qtbot, tmp_path / "profile") as app:
        backend, session, window, shell = app.backend, app.session, app.window, app.shell
        session.sign_in(central.url, central.officer, PASSWORD)
        qtbot.waitUntil(lambda: session.state is SessionState.READY, timeout=60_000)
        qtbot.waitUntil(lambda: window.caseload.model.rowCount() == 3, timeout=10_000)
        qtbot.waitUntil(
            lambda: shell.sync is not None and shell.sync.status.state == "idle", timeout=30_000
        )
        assert central.elsewhere not in {r.crn for r in window.caseload.model.rows()}

        window.show_section(SEARCH)
        search = window.search
        qtbot.keyClicks(search.box, central.elsewhere)
        qtbot.keyClick(search.box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: search.model.rowCount() == 1, timeout=20_000)
        hit = search.model.rows()[0]
        assert (hit.crn, hit.on_this_laptop) == (central.elsewhere, False)
        assert _surname(central, hit.crn) in hit.name.lower()

        search.table.setCurrentIndex(search.model.index(0, 0))
        search.table.clicked.emit(search.model.index(0, 0))
        qtbot.mouseClick(search.pin, Qt.MouseButton.LeftButton)
        dialog = search.keep_dialog  # why: need-to-know, audited by the service
        assert dialog is not None
        dialog.reason.setCurrentIndex(dialog.reason.findData("court"))
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "next sync" in search.summary.text(), timeout=10_000)
        qtbot.waitUntil(  # the pin goes up, the case comes down: a sync follows the change
            lambda: backend.pending_count() == 0 and backend.cache is not None
            and bool(backend.cache.db().query(
                "SELECT 1 FROM person WHERE crn = ?", (central.elsewhere,))),
            timeout=60_000,
        )  # fmt: skip

        search.box.clear()
        qtbot.keyClicks(search.box, central.elsewhere)
        qtbot.waitUntil(
            lambda: [r.on_this_laptop for r in search.model.rows()] == [True], timeout=10_000
        )

        central.stop()
        search.box.clear()
        qtbot.keyClicks(search.box, central.elsewhere)
        qtbot.keyClick(search.box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "needs a connection" in search.note.text(), timeout=30_000)
        assert not search.banner.isVisible()
        assert [r.crn for r in search.model.rows()] == [central.elsewhere]  # still here
