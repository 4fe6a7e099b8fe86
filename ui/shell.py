"""Wiring: the session's states to screens, the officer's requests to use cases.

The shell owns the `TaskRunner` of the signed-in session (made when the session is
ready, shut down, with every queued write finished, when it locks or signs out), the
idle-lock watcher and the sync bridge. Widgets never see the session or the cache.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from app import settings as settings_store
from app.backend import FOR_CASE, SYNC_STACK, preload, preload_for_unlock, start_preload
from app.changes import ATTENTION, OUTBOX, ChangeHub, ChangeSet
from app.idle import IdleWatcher
from app.rows import CaseDetail, CaseloadPage, CaseloadUpdate
from app.session import ChangesWaiting, OfflineTooLong, Session, SessionState
from app.settings import Settings
from app.tasks import TaskRunner
from app.usecases.caseload import load_caseload_page, load_caseload_rows
from domain.errors import FieldcaseError
from ui import format as fmt
from ui import window_state
from ui.caseload_view import AppointmentWatch, ReadOrder
from ui.help_menu import apply_text_size
from ui.main_window import ATTENTION as ATTENTION_PAGE
from ui.main_window import DIARY, NEEDS_OUTCOME, TODAY, MainWindow, flush_open_drafts
from ui.startup import after_first_paint
from ui.team_wiring import TeamWork
from ui.theme import apply_high_contrast

log = logging.getLogger(__name__)

SyncFactory = Callable[[Session, ChangeHub], Any]

# While a worker thread runs Python (a sync page, a caseload page), every call Qt makes
# into Python on the GUI thread (a model's data(), a slot) waits for the interpreter
# lock for up to this long; CPython's 5 ms default turns one repaint into a visible
# stall. A shorter slice costs the workers a little throughput, never correctness.
GUI_SWITCH_INTERVAL_S = 0.0005
NEXT_PAGE_DELAY_MS = 60
AFTER_CASELOAD = ("ui.case_view", "ui.forms.outcome_form", "app.usecases.search")
SYNC_START_LATEST_MS = 3000
# More changed cases than this (a re-download, a big reallocation): the whole caseload
# is read again in pages, cheaper then than inserting and removing rows one by one.
WHOLE_RELOAD_ABOVE = 2_000
PRELOAD_DELAY_MS = 1500  # an import competes with painting for the interpreter lock
DIARY_KINDS = ("contact", "person")  # what the diary and needs-an-outcome lists show


_SETTLED: set[str] = set()


def settle_long_lived_objects(moment: str) -> None:
    """Keep the garbage collector's full passes off what lives as long as the app.

    Modules, classes, pydantic schemas and widgets made at start-up (and by sign-in)
    are never garbage; a full collection walked all of them on the GUI thread,
    ~100 ms at a time, whenever a sync or a caseload page allocated enough. No collection
    first (that would be the very stall): the little garbage of this moment is kept,
    which is why it happens once per moment ("start", "ready") in a process.
    """
    if moment not in _SETTLED:
        _SETTLED.add(moment)
        gc.freeze()


class Shell(QObject):
    def __init__(
        self,
        session: Session,
        window: MainWindow,
        *,
        profile: Path | None = None,
        settings: Settings | None = None,
        sync_factory: SyncFactory | None = None,
    ) -> None:
        super().__init__()
        sys.setswitchinterval(min(sys.getswitchinterval(), GUI_SWITCH_INTERVAL_S))
        self.session = session
        self.window = window
        self.profile = profile
        self.settings = settings or Settings()
        self.hub = ChangeHub()
        self.runner: TaskRunner | None = None
        self.sync: Any = None
        self._sync_factory = sync_factory
        self.idle = IdleWatcher(session.policy.idle_lock_minutes)
        self._caseload_load = 0
        self._caseload_loading = False  # a whole load is under way, page by page
        self._caseload_day: dt.date | None = None  # the day the whole caseload was read on
        self._reads = ReadOrder()  # a newer caseload read's rows win
        self.appointments = AppointmentWatch(self.window.caseload)
        self.appointments.begun.connect(self.refresh_cases)
        self._preloaded = False
        self._sync_waiting = False
        self.team_work = TeamWork(window, self.hub, self.sync_now)
        self._connect()

    def _connect(self) -> None:
        session, window = self.session, self.window
        session.state_changed.connect(self.on_session_state)
        session.first_sync_progressed.connect(window.sign_in.show_progress)
        session.sign_in_failed.connect(self.on_sign_in_failed)
        session.unlock_failed.connect(self.on_unlock_failed)
        window.sign_in.sign_in_requested.connect(session.sign_in)
        window.sign_in.cancel_requested.connect(session.cancel_first_sync)
        window.unlock.unlock_requested.connect(session.unlock)
        window.unlock.sign_in_instead.connect(window.show_sign_in)
        window.open_requested.connect(self.open_case)
        window.lock_requested.connect(self.lock)
        window.sign_out_requested.connect(self.sign_out)
        window.high_contrast_toggled.connect(self.on_high_contrast)
        window.text_size_chosen.connect(self.on_text_size_chosen)
        window.section_shown.connect(self.on_section_shown)
        window.status.sync_requested.connect(self.sync_now)
        self.idle.idle_timed_out.connect(self.lock)
        self.hub.changes_applied.connect(self.on_changes)

    def start(self) -> None:
        """Show the first screen for the session's state (sign in or unlock)."""
        if self.settings.high_contrast:
            self.window.contrast_action.setChecked(True)
        if self.settings.text_size_percent != 100:
            for action in self.window.text_sizes.actions():
                if action.data() == self.settings.text_size_percent:
                    action.trigger()
        self.window.sign_in.server.setText(
            self.window.sign_in.server.text() or self.settings.server_url
        )
        self.window.sign_in.username.setText(
            self.window.sign_in.username.text() or self.settings.username
        )
        self.on_session_state(self.session.state)
        window_state.restore(self.window, self.settings)
        window_state.keep(self.window, self.profile)
        self.window.show()
        settle_long_lived_objects("start")

    # -- session states -------------------------------------------------------
    def on_session_state(self, state: SessionState) -> None:
        if state is SessionState.SIGNED_OUT:
            self.window.show_sign_in()
        elif state is SessionState.LOCKED:
            self.window.show_unlock(self.session.backend.remembered_user())
            # Its imports would hold the GIL from the unlock screen's first paint.
            after_first_paint(self.window, preload_for_unlock)
        elif state is SessionState.READY:
            self._on_ready()

    def on_sign_in_failed(self, error: FieldcaseError) -> None:
        if self.session.state is SessionState.READY:
            self.window.show_error(error)  # the first sync stopped; work with what arrived
        else:
            self.window.sign_in.show_error(error)

    def on_unlock_failed(self, error: FieldcaseError) -> None:
        """Too long offline: only an online sign-in opens the cache, so go straight there."""
        if isinstance(error, OfflineTooLong):
            self.window.show_sign_in()
            self.window.sign_in.show_error(error)
        else:
            self.window.unlock.show_error(error)

    def _on_ready(self) -> None:
        context = self.session.context
        assert context is not None
        settle_long_lived_objects("ready")
        self.runner = TaskRunner(context, self.hub)
        self.runner.error_raised.connect(self.window.show_error)
        for view in (
            self.window.today,
            self.window.diary,
            self.window.needs_outcome,
            self.window.search,
            self.window.attention,
        ):
            view.runner = self.runner
        self.window.sign_in.set_busy(False)
        self.window.show_workspace()
        self.reload_caseload()
        self.window.attention.reload()
        self.team_work.start(self.runner)
        self.idle.set_minutes(self.session.policy.idle_lock_minutes)
        self.idle.start()
        self._remember_sign_in()
        if self._sync_factory is not None and self.sync is None:
            self._sync_waiting = True  # starts once the caseload has painted (or soon anyway)
            QTimer.singleShot(SYNC_START_LATEST_MS, self._start_sync)

    def _remember_sign_in(self) -> None:
        server = self.window.sign_in.server.text().strip()
        username = self.window.sign_in.username.text().strip()
        if self.profile is None or not username:
            return
        self.settings = settings_store.update(self.profile, server_url=server, username=username)

    def _stop_work(self) -> None:
        """Finish queued writes, stop syncing and forget every row on screen."""
        self.idle.stop()
        if self.sync is not None:
            self.sync.stop()
            self.sync = None
        self.team_work.stop()
        runner, self.runner = self.runner, None
        for view in (
            self.window.today,
            self.window.diary,
            self.window.needs_outcome,
            self.window.search,
            self.window.attention,
        ):
            view.runner = None
        if runner is not None:
            runner.shutdown()
        self.window.close_case()
        self._caseload_loading, self._caseload_day = False, None
        self.appointments.stop()
        self.window.caseload.set_rows([])
        for model in (
            self.window.today.model,
            self.window.diary.model,
            self.window.needs_outcome.model,
            self.window.search.model,
        ):
            model.set_rows([])

    def lock(self) -> None:
        if self.session.state is not SessionState.READY:
            return
        log.info("locking")
        flush_open_drafts()  # an idle lock too: half-typed work is queued before the writer stops
        self._stop_work()
        self.session.lock()

    def sign_out(self) -> None:
        try:
            self.session.sign_out()
        except ChangesWaiting as waiting:
            if not self.window.confirm_sign_out(waiting):
                return
            self._stop_work()
            self.session.sign_out(confirmed=True)
            return
        self._stop_work()

    # -- requests -------------------------------------------------------------
    def reload_caseload(self, offset: int = 0) -> None:
        """First page at once (a usable window), then the rest page by page."""
        if offset == 0:
            self._caseload_load += 1
            self._reads.whole()  # per-case reads begun before it are stale
        if self.runner is not None:
            if offset == 0:
                self._caseload_loading, self._caseload_day = True, self.runner.ctx.today()
            use = partial(load_caseload_page, offset=offset)
            self.runner.query(use, self._show_caseload, key="caseload")

    def refresh_cases(self, crns: frozenset[str]) -> None:
        """Read again just these cases' caseload rows (one set-based read) and patch them
        in: a sync that pulled one edit costs one row, not the whole caseload."""
        runner = self.runner
        if runner is None or not crns:
            return
        whole = self._caseload_loading or len(crns) > WHOLE_RELOAD_ABOVE
        if whole or self._caseload_day != runner.ctx.today():  # dates and compliance move on
            self.reload_caseload()
            return
        use = partial(load_caseload_rows, crns=crns)
        runner.query(use, partial(self._patch_caseload, self._reads.ticket()))

    def _patch_caseload(self, ticket: int, update: CaseloadUpdate) -> None:
        fresh = None if self._caseload_loading else self._reads.fresh(ticket, update)
        if fresh is not None:
            self.window.caseload.patch(fresh)
            self.appointments.watch(fresh.rows)

    def _show_caseload(self, page: CaseloadPage) -> None:
        self.window.caseload.show_page(page)
        if page.complete:
            self._caseload_loading = False
            self.appointments.watch()
            self._start_sync()
        if page.complete and not self._preloaded:
            self._preloaded = True  # what opening a case needs, once the list has painted
            what = (*FOR_CASE, *AFTER_CASELOAD)  # a lower layer's modules first
            QTimer.singleShot(PRELOAD_DELAY_MS, lambda: start_preload(what))
        if not page.complete:
            load, offset = self._caseload_load, page.offset + len(page.rows)
            QTimer.singleShot(NEXT_PAGE_DELAY_MS, lambda: self._next_page(load, offset))

    def _start_sync(self) -> None:
        """The background sync competes with the first paint of the caseload for the
        interpreter lock, so it starts after it (at the latest SYNC_START_LATEST_MS); its
        HTTP stack and engine (~0.2 s of imports) load on a worker first, not on this
        thread and not before the caseload shows."""
        runner = self.runner
        if runner is not None and self._sync_waiting:
            self._sync_waiting = False
            runner.query(
                lambda _ctx: preload(SYNC_STACK), lambda _: self._attach_sync(runner), key="sync"
            )

    def _attach_sync(self, runner: TaskRunner) -> None:
        """Make and start the sync bridge, unless the session locked meanwhile."""
        if self.runner is not runner or self._sync_factory is None or self.sync is not None:
            return
        self.sync = self._sync_factory(self.session, self.hub)
        self.sync.status_changed.connect(self.window.status.show_status)
        self.sync.status_changed.connect(self.on_sync_status)
        for name in ("sign_in_required", "upgrade_required"):
            getattr(self.sync, name).connect(self.window.show_error)
        self.sync.device_wiped.connect(self.on_device_wiped)
        self.sync.start()

    def _next_page(self, load: int, offset: int) -> None:
        """The page just shown paints before the next is computed (both need the CPU)."""
        if load == self._caseload_load:  # a newer reload started again from the top
            self.reload_caseload(offset)

    def open_case(self, crn: str) -> None:
        if self.runner is not None:
            from app.usecases import case

            self.runner.op(partial(case.open_case, crn=crn), self._show_case)

    def _show_case(self, detail: CaseDetail) -> None:
        current = self.window.case_view
        if current is not None and current.crn == detail.crn:
            current.show_detail(detail)
            return
        assert self.runner is not None
        from ui.case_view import CaseView  # preloaded once the caseload is on screen

        view = CaseView(self.runner, detail)
        view.refresh_requested.connect(self._refresh_case)
        self.window.show_case(view)

    def _refresh_case(self, crn: str) -> None:
        if self.runner is not None:
            from app.usecases import case

            self.runner.query(partial(case.read_case, crn=crn), self._show_case, key="case")

    def sync_now(self) -> None:
        if self.sync is not None:
            self.sync.sync_now()

    def on_sync_status(self, status: Any) -> None:
        """The "offline since" notice: work carries on, changes wait on this laptop."""
        self.window.attention.set_sync_error(status.last_error or "")
        if status.state in {"offline", "error"}:
            since = status.last_success.astimezone() if status.last_success else None
            when = f" since {fmt.when(since)}" if since else ""
            self.window.show_offline_since(
                f"Working offline{when}. Everything you do is kept on this laptop and sent "
                "when the connection comes back."
            )
        else:
            self.window.show_offline_since("")

    def on_device_wiped(self, error: FieldcaseError) -> None:
        """The server revoked this laptop: its cache is gone; only sign-in remains."""
        self._stop_work()
        self.session.sign_out(confirmed=True)
        self.window.show_error(error)

    def on_section_shown(self, index: int) -> None:
        if index == TODAY:
            self.window.today.reload()
        elif index == DIARY:
            self.window.diary.reload()
        elif index == NEEDS_OUTCOME:
            self.window.needs_outcome.reload()
        elif index == ATTENTION_PAGE:
            self.window.attention.reload()

    def on_changes(self, changes: ChangeSet) -> None:
        """Refresh only what the change touched (CONVENTIONS §7)."""
        cases = changes.caseload_cases()
        if cases is None:
            self.reload_caseload()
        else:
            self.refresh_cases(cases)
        if self.window.case_view is not None:
            self.window.case_view.on_changes(changes)
        if changes.touches_kind(ATTENTION):
            self.window.attention.reload()
        shown = self.window.pages.currentWidget()
        if changes.touches_kind(*DIARY_KINDS):  # one hidden reloads when next shown
            for view in (self.window.today, self.window.diary, self.window.needs_outcome):
                if shown is view:
                    view.reload()
        if changes.touches_kind(OUTBOX) and self.sync is not None:
            self.sync.local_change()  # a sync follows shortly (debounced)

    def on_high_contrast(self, enabled: bool) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_high_contrast(app, enabled)
        if self.profile is not None and enabled != self.settings.high_contrast:
            self.settings = settings_store.update(self.profile, high_contrast=enabled)

    def on_text_size_chosen(self, percent: int) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_text_size(app, percent)
        if self.profile is not None and percent != self.settings.text_size_percent:
            self.settings = settings_store.update(self.profile, text_size_percent=percent)

    def shutdown(self) -> None:
        if self.profile is not None:
            window_state.remember(self.window, self.profile)
        self._stop_work()
        self.session.shutdown()
