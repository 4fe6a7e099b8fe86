#!/usr/bin/env python3
"""Screenshots of the field day: Today, and page 1 of the day's visit briefing.

    .venv/bin/python scripts/shots_field_day.py     # offscreen; needs pdftoppm (poppler-utils)

The data is the real seed (`fieldcase-central seed`'s generator: synthetic people,
silhouette photos), pulled into a real encrypted cache as the sync would, for the first
officer with home visits today; Today is the real view with its real use case, and the
briefing is the real PDF rendered to PNG by pdftoppm. LOOK at the images afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
DAY = dt.date(2026, 11, 20)  # a Friday: the seed's "today"


def _seed(folder: Path) -> tuple[str, str, list[str]]:
    """Seed a central database; (url, busiest officer's staff code, their caseload)."""
    from sqlalchemy import select

    from central.db import make_engine
    from central.seed import seed_database
    from central.tables import records

    url = f"sqlite:///{folder}/central.db"
    demo = {"officers": 3, "cases_per_officer": 40, "seed": 18, "password": "demo-only"}
    result = seed_database(url, today=DAY, **demo)  # type: ignore[arg-type]
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(records.c.crn, records.c.data).where(records.c.kind == "contact")
        )
        busy = Counter(
            d["staff_code"]
            for _crn, d in rows
            if d["date"] == DAY.isoformat() and d["type_code"] in ("CHVS", "COHV")
        )
    engine.dispose()
    staff = busy.most_common(1)[0][0]
    user = next(u for u, code in result.staff_codes.items() if code == staff)
    return url, staff, result.caseloads[user]


def _cache(folder: Path, url: str, crns: list[str]) -> tuple[object, bytes]:
    from sqlalchemy import select

    from central.db import make_engine
    from central.tables import records
    from storage.profile import Profile
    from storage.pulled import apply_pull_page
    from sync.protocol import CaseSnapshot, RecordChange, case_checksum

    engine = make_engine(url)
    with engine.connect() as conn:
        query = select(
            records.c.id, records.c.kind, records.c.crn, records.c.version, records.c.data
        )
        rows = conn.execute(query.where(records.c.crn.in_(crns))).all()
    engine.dispose()
    by_case: dict[str, list[RecordChange]] = {}
    for rid, kind, crn, version, data in rows:
        by_case.setdefault(crn, []).append(
            RecordChange(kind=kind, id=rid, crn=crn, version=version, data=data)
        )
    snapshots = [
        CaseSnapshot(
            crn=crn, records=recs, checksum=case_checksum((r.kind, r.id, r.version) for r in recs)
        )
        for crn, recs in by_case.items()
    ]
    profile = Profile(folder / "profile", "officer")
    key = profile.keys.create("pw")
    cdb = profile.open_writer(key)
    apply_pull_page(cdb, snapshots=snapshots, cursor="c", last_applied_seq=0)
    cdb.close()
    return profile, key


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    import keyring

    from tests.support.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from app.cache_adapter import StorageCache
    from app.changes import ChangeHub
    from app.context import AppContext, Officer
    from app.tasks import TaskRunner
    from app.usecases.today import going_to_visit, load_briefing
    from domain.calendar import LONDON
    from domain.semantics import Actor
    from ui.briefing_print import save_pdf
    from ui.today_view import TodayView

    now = dt.datetime.combine(DAY, dt.time(8, 40), tzinfo=LONDON)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url, staff, crns = _seed(folder)
        profile, key = _cache(folder, url, crns)
        actor = Actor("officer", staff, None)

        def open_cache() -> StorageCache:
            return StorageCache(profile.connect(key), actor, lambda: now, owns_connection=False)  # type: ignore[attr-defined]

        ctx = AppContext(open_cache, Officer("officer", "Olive Officer", staff), clock=lambda: now)
        runner = TaskRunner(ctx, ChangeHub())
        view = TodayView(lambda: DAY)
        view.runner = runner
        view.resize(1366, 760)
        view.show()
        view.reload()
        while view.model.rowCount() == 0:
            app.processEvents()
        going_to_visit(ctx, view.model.row_at(0).crn, dt.time(12, 45))  # the check-in column
        view.reload()
        while not view.model.row_at(0).lone_working:
            app.processEvents()
        for _ in range(5):
            app.processEvents()
        OUT.mkdir(parents=True, exist_ok=True)
        view.grab().save(str(OUT / "16-today.png"))
        pdf = folder / "briefing.pdf"
        save_pdf(load_briefing(ctx, DAY), pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(OUT / "17-briefing-page"),
            ],
            check=True,
        )
        runner.shutdown()
        view.close()
    print(OUT / "16-today.png", OUT / "17-briefing-page.png")


if __name__ == "__main__":
    main()
