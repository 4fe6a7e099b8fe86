"""The field day's screens: Today from a 10,000-case cache, and a day's briefing as a PDF.

`today_open_ms`: 15 home visits added to the UI bench's 10,000-case cache; the time from
asking Today for the day (its use case on the task runner's read pool) to the rows in
the model and painted; baseline the same rows handed to the view from memory (the paint
alone), so the ratio is what reading the cache adds. Target < 100 ms.
`briefing_pdf_s`: a briefing of 8 visits (photos included) read from the same cache and
written as an A4 PDF; baseline Qt's one-call `QTextDocument.print_` of the same HTML,
without our header, footer and per-visit pages. Target < 1 s.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

VISITS = 15
BRIEFED = 8


def add_visits(folder: Path, password: str, username: str) -> None:
    """Fifteen field-day cases with a visit each on the builders' TODAY (made once)."""
    from storage.profile import Profile
    from storage.pulled import apply_pull_page
    from tests.support.field_day import field_case, snapshot_with

    profile_dir = folder / "profile"
    profile = Profile(profile_dir, f"{username}@{profile_dir.resolve()}")
    cdb = profile.open_writer(profile.keys.unlock(password))
    try:
        if cdb.one("SELECT count(*) FROM held_case WHERE crn = 'F000000'"):
            return
        snapshots = []
        for n in range(VISITS):
            start = dt.time(8 + n // 2, 30 * (n % 2))
            case, extra = field_case(f"F{n:06d}", f"Visit{n}", f"Person{n}", start)
            snapshots.append(snapshot_with(case, extra))
        apply_pull_page(cdb, snapshots=snapshots, cursor="field-day", last_applied_seq=0)
    finally:
        cdb.close()
        profile.close()


def _context(folder: Path, password: str, username: str) -> Any:
    from app.backend import LiveBackend
    from app.context import Officer
    from app.settings import Settings
    from tests.storage.builders import NOW

    backend = LiveBackend(
        folder / "profile", Settings(username=username, server_url="http://127.0.0.1:9")
    )
    backend.unlock(username, password)
    officer = Officer(username, "Bench Officer", staff_code="N07A001", team_code="N07T01")
    ctx = backend.open_context(officer)
    ctx._clock = lambda: NOW  # the builders' day: the visits are "today"
    return backend, ctx


def _shown_ms(app: Any, view: Any, show: Any) -> float:
    """Ms from asking `view` for the day (`show`) to its rows in the model and painted."""
    from PySide6.QtCore import QEventLoop

    started = time.perf_counter()
    show()
    while view.model.rowCount() == 0:  # waits in Qt's dispatcher (GIL released), as the app
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    app.processEvents()
    return (time.perf_counter() - started) * 1000


def today_open_ms(ctx: Any, runs: int) -> tuple[float, float, int]:
    """Today asked for the day (read pool, cache, rows, paint); baseline the same rows
    handed to the view from memory (the paint alone)."""
    from PySide6.QtWidgets import QApplication

    from app.changes import ChangeHub
    from app.tasks import TaskRunner
    from app.usecases.today import load_day
    from tests.storage.builders import TODAY
    from ui.today_view import TodayView

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner(ctx, ChangeHub())
    plan = load_day(ctx, TODAY)
    timings, painted, shown = [], [], 0
    for _ in range(runs):
        for show, into in ((None, timings), (plan, painted)):
            view = TodayView(lambda: TODAY)
            view.runner = runner
            view.resize(1280, 760)
            view.show()
            app.processEvents()
            ask = view.reload if show is None else (lambda v=view: v.show_plan(plan))
            into.append(_shown_ms(app, view, ask))
            shown = view.model.rowCount()
            view.close()
            view.deleteLater()
    runner.shutdown()
    return statistics.median(timings), statistics.median(painted), shown


def briefing_pdf_s(ctx: Any, runs: int) -> tuple[float, float, int]:
    from PySide6.QtGui import QPdfWriter, QTextDocument

    from app.usecases.today import load_briefing
    from tests.storage.builders import TODAY
    from ui.briefing_html import page_html
    from ui.briefing_print import save_pdf

    ids = [r.contact_id for r in ctx.cache().day_plan(TODAY, pages=False).rows[:BRIEFED]]
    timings, plain, pages = [], [], 0
    with tempfile.TemporaryDirectory() as folder:
        for n in range(runs):
            started = time.perf_counter()
            briefing = load_briefing(ctx, TODAY, ids)
            pages = save_pdf(briefing, Path(folder) / f"b{n}.pdf")
            timings.append(time.perf_counter() - started)
            html = "".join(page_html(p, i) for i, p in enumerate(briefing.pages))
            started = time.perf_counter()
            doc = QTextDocument()
            doc.setHtml(html)
            doc.print_(QPdfWriter(str(Path(folder) / f"plain{n}.pdf")))
            plain.append(time.perf_counter() - started)
    return statistics.median(timings), statistics.median(plain), pages


def _figure(
    name: str, measured: tuple[float, float], unit: str, target: float, **extra: Any
) -> dict[str, Any]:
    value, baseline = measured
    ratio = value / baseline if baseline else 0.0
    return {"name": name, "value": value, "unit": unit, "baseline": baseline, "ratio": ratio,
            "target": target, **extra}  # fmt: skip


def run(folder: Path, password: str, username: str, quick: bool) -> Iterable[dict[str, Any]]:
    add_visits(folder, password, username)
    backend, ctx = _context(folder, password, username)
    try:
        opened, raw, shown = today_open_ms(ctx, 3 if quick else 10)
        yield _figure("today_open_ms", (opened, raw), "ms", 100, visits=shown)
        seconds, plain, pages = briefing_pdf_s(ctx, 2 if quick else 5)
        yield _figure("briefing_pdf_s", (seconds, plain), "s", 1.0, visits=BRIEFED, pages=pages)
    finally:
        ctx.close()
        backend.close()
