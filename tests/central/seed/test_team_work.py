"""The demo's team work: teams of six to eight, a running cover per team, unread alerts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine, select

from central.seed import seed_database
from central.seed.organisation import team_seats
from central.sync.scope import scope_crns
from central.tables import cover_cases, covers, records, staff


def test_teams_have_six_to_eight_officers() -> None:
    sizes = list(Counter(team_seats(100)).values())
    assert set(sizes[:-1]) == {6, 7, 8}
    assert 1 <= sizes[-1] <= 8  # the last team may be partly filled


class Who:
    def __init__(self, username: str, staff_code: str) -> None:
        self.username, self.staff_code = username, staff_code


def test_each_team_has_a_running_cover_and_every_officer_unread_alerts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/team.db"
    result = seed_database(
        url, officers=9, cases_per_officer=6, seed=5, password="Pw-1234567", team_work=True
    )
    engine = create_engine(url)
    with engine.connect() as conn:
        teams = Counter(conn.execute(select(staff.c.team_code)).scalars())
        assert sorted(teams.values()) == [2, 7]
        [cover] = conn.execute(select(covers)).all()  # the team of two has none
        covered = set(
            conn.execute(
                select(cover_cases.c.crn).where(cover_cases.c.cover_id == cover.id)
            ).scalars()
        )
        away = next(u for u, code in result.staff_codes.items() if code == cover.staff_code)
        barred = {c for c, names in result.exclusions.items() if cover.username in names}
        barred |= {c for c, names in result.restrictions.items() if cover.username not in names}
        assert covered == set(result.caseloads[away]) - barred
        assert cover.reason == "Annual leave"
        me = Who(cover.username, result.staff_codes[cover.username])
        assert covered <= scope_crns(conn, me)
        flagged = [
            data
            for (data,) in conn.execute(select(records.c.data).where(records.c.kind == "contact"))
            if data.get("alert")
        ]
    engine.dispose()
    assert len(flagged) >= len(result.officers)
    assert all(d["notes"].startswith("ALERT:") and not d.get("alert_cleared_at") for d in flagged)
