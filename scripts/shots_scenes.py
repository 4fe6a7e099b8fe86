"""The scenes scripts/screenshots.py photographs, each a real screen in a real state.

The main screens come from the real demo (a local central service seeded with
synthetic people, a real sign-in and first sync). "Needs your attention" also
comes from an in-memory case list with a conflict and a rejection, because a
fresh demo has none.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any, cast

from screenshots import wait_until
from shots_team import team_scenes

from app.launch import prepare_demo
from app.session import Session, SessionState
from app.sync_bridge import SyncStatus
from tests.app.fakes import FakeBackend, FakeCache, sample_attention
from ui.main_window import ATTENTION, DIARY, NEEDS_OUTCOME, SEARCH, MainWindow
from ui.run import make_sync
from ui.shell import Shell
from ui.theme import apply_high_contrast


def fit_window(app: Any, window: Any) -> None:
    """1440x900 where the screen has room, else the screen's available area (the
    laptops officers are given: 1366x768 at 100%, 1920x1080 at 150%, 2560x1440 at 200%)."""
    room = app.primaryScreen().availableGeometry()
    window.setGeometry(room.x(), room.y(), min(1440, room.width()), min(900, room.height()))


class Camera:
    def __init__(self, app: Any, out: Path, suffix: str) -> None:
        self.app, self.out, self.suffix = app, out, suffix
        self.saved: list[Path] = []

    def shoot(self, window: Any, name: str) -> None:
        for _ in range(3):  # a text change posts a re-layout, handled on the next pass
            self.app.processEvents()
        path = self.out / f"{name}{self.suffix}.png"
        window.grab().save(str(path))
        self.saved.append(path)

    def shoot_screen(self, name: str) -> None:
        """The whole screen: the window and any open form, as the officer sees them."""
        for _ in range(3):
            self.app.processEvents()
        path = self.out / f"{name}{self.suffix}.png"
        self.app.primaryScreen().grabWindow(0).save(str(path))
        self.saved.append(path)


def _still_working(form: Any) -> bool:
    from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit

    texts = [w.text() for w in form.findChildren(QLabel)]
    texts += [w.toPlainText() for w in form.findChildren(QTextEdit)]
    texts += [w.toPlainText() for w in form.findChildren(QPlainTextEdit)]
    return any(t.startswith("Working out") for t in texts)


def wait_settled(app: Any, view: Any, form: Any, timeout_s: float = 10) -> None:
    """Until the form's reads have answered and no panel still says "Working out": the
    dates preview is asked for by a timer after the defaults arrive, so an idle runner
    alone is not enough (the arrange screen was once shot before its preview came)."""
    wait_until(
        app,
        lambda: getattr(view.runner, "_running", 0) == 0 and not _still_working(form),
        timeout_s,
    )


def form_scenes(app: Any, camera: Camera, window: MainWindow, *, outcome: bool = False) -> None:
    """Each case-work form open over the case (a dialog: photographed on its own)."""
    view = window.case_view
    assert view is not None
    arrange = getattr(view, "case_actions", {}).get("arrange")
    openers = (
        ("13-record-contact", getattr(view, "record_contact", None)),
        ("14-arrange-appointment", arrange.trigger if arrange is not None else None),
    )
    if outcome:
        openers = (("15-record-outcome", getattr(view, "record_outcome", None)),)
    for name, open_form in openers:
        if open_form is None:
            continue
        open_form()
        try:
            wait_until(app, lambda: bool(view.forms) and view.forms[-1].isVisible(), 5)
        except TimeoutError:  # e.g. nothing on this case needs an outcome
            continue
        form = view.forms[-1]
        form.resize(max(form.width(), 720), max(form.height(), 640))
        with contextlib.suppress(TimeoutError):
            wait_settled(app, view, form)
        camera.shoot(form, name)
        form.reject()
        wait_until(app, lambda: not any(f.isVisible() for f in view.forms), 5)


def sign_in_scene(app: Any, camera: Camera, window: Any, launch: Any, session: Any) -> None:
    assert launch.start is not None
    server, username, password = launch.start()
    window.sign_in.server.setText(server)
    window.sign_in.username.setText(username)
    camera.shoot(window, "01-sign-in")
    session.sign_in(server, username, password)
    wait_until(app, lambda: session.state is SessionState.READY, 60)


def screen_scenes(app: Any, camera: Camera, window: MainWindow) -> None:
    """The whole screen with a case open, then with the arrange form over it."""
    window.show()
    camera.shoot_screen("04-screen-case")
    view = window.case_view
    assert view is not None
    cast(Any, view).case_actions["arrange"].trigger()
    wait_until(app, lambda: bool(view.forms) and view.forms[-1].isVisible(), 10)
    wait_settled(app, view, view.forms[-1])  # a preview still "Working out" fails the run
    camera.shoot_screen("14-screen-arrange")
    view.forms[-1].reject()


def outcome_scene(app: Any, camera: Camera, window: MainWindow) -> None:
    """The outcome form for the oldest appointment that needs one."""
    if not window.needs_outcome.model.rowCount():
        return
    window.open_requested.emit(window.needs_outcome.model.row_at(0).crn)
    wait_until(app, lambda: window.case_view is not None)
    form_scenes(app, camera, window, outcome=True)
    window.close_case()


def demo_scenes(app: Any, camera: Camera, *, short: bool = False) -> None:
    launch = prepare_demo()
    session = Session(launch.backend)
    window = MainWindow(demo=True)
    window.style_navigation(high_contrast=bool(app.styleSheet()))
    fit_window(app, window)
    shell = Shell(session, window, settings=launch.settings, sync_factory=make_sync(launch))
    shell.start()
    sign_in_scene(app, camera, window, launch, session)
    wait_until(app, lambda: window.caseload.model.rowCount() > 0)
    wait_until(app, lambda: shell.sync is not None and shell.sync.status.state == "idle", 30)
    camera.shoot(window, "03-caseload")
    window.open_requested.emit(window.caseload.model.row_at(0).crn)
    wait_until(app, lambda: window.case_view is not None)
    camera.shoot(window, "04-case-overview")
    if short:
        screen_scenes(app, camera, window)
        shell.shutdown()
        launch.finish()
        return
    view = window.case_view
    assert view is not None
    view.tabs.setCurrentIndex(1)
    wait_until(app, lambda: view.contacts.model.rowCount() > 0)
    camera.shoot(window, "05-case-contact-log")
    for tab, name in ((2, "06-case-sentence"), (3, "07-case-risk"), (4, "08-case-personal")):
        view.tabs.setCurrentIndex(tab)
        camera.shoot(window, name)
    view.tabs.setCurrentIndex(0)
    form_scenes(app, camera, window)
    window.show_section(DIARY)
    window.diary.toggle_week()
    wait_until(app, lambda: window.diary.model.rowCount() > 0 or window.diary.empty.isVisible())
    camera.shoot(window, "09-diary-week")
    window.show_section(NEEDS_OUTCOME)
    wait_until(app, lambda: bool(window.needs_outcome.summary.text()))
    camera.shoot(window, "10-needs-outcome")
    outcome_scene(app, camera, window)
    window.show_section(SEARCH)
    window.search.box.setText(window.caseload.model.row_at(3).name.split()[-1][:2])
    wait_until(app, lambda: window.search.model.rowCount() > 0)
    window.search.search_nationally()  # appended below the cases on this laptop
    wait_until(app, lambda: window.search.note.text() != "Searching nationally…", 20)
    camera.shoot(window, "11-search")
    team_scenes(app, camera, window)
    shell.lock()
    camera.shoot(window, "02-unlock")
    shell.shutdown()
    launch.finish()


def attention_scene(app: Any, camera: Camera) -> None:
    backend = FakeBackend(cached=True, cache=FakeCache(attention_items=sample_attention()))
    session = Session(backend)
    window = MainWindow(demo=True)
    fit_window(app, window)
    shell = Shell(session, window)
    shell.start()
    session.unlock("correct horse")
    wait_until(app, lambda: session.state is SessionState.READY)
    window.show_section(ATTENTION)
    wait_until(app, lambda: len(window.attention.conflicts) > 0)
    now = dt.datetime.now(dt.UTC)  # what the sync bridge would report for these items
    window.status.show_status(
        SyncStatus("error", 1, dt.timedelta(minutes=40), now - dt.timedelta(minutes=2), 1, 1,
                   last_error="The server was busy; retrying in 2 minutes.")
    )  # fmt: skip
    camera.shoot(window, "12-needs-attention")
    shell.shutdown()


def run_scenes(
    app: Any, out: Path, suffix: str, *, high_contrast: bool, short: bool = False
) -> list[Path]:
    apply_high_contrast(app, high_contrast)
    camera = Camera(app, out, suffix)
    demo_scenes(app, camera, short=short)
    attention_scene(app, camera)
    return camera.saved
