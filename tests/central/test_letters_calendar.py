"""The letter kit an officer's laptop keeps, and the officer's private calendar feed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
import vobject

from central.seed import SeedResult
from tests.central.conftest import LiveServer, make_settings, run_server

GOOD = """id: warning_first
kind: warning_first
language: en
version: 2027.1.1
title: First warning letter (regional)
---
Dear {person_name}, you missed {appointment_date}. Reply by {respond_by}.
"""
BAD = GOOD.replace("version: 2027.1.1", "version: 2027.1.2").replace("{respond_by}", "{reply_by}")


def _team_provider(live: LiveServer, username: str) -> str:
    body = live.get("/v1/me", live.token(username)).json()
    return str(body["team"]["code"])[:3]


@pytest.mark.allow_warnings
def test_the_kit_carries_the_regions_good_templates_and_offices(
    sqlite_seeded: tuple[str, SeedResult], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url, seed = sqlite_seeded
    officer = seed.officers[0]
    settings = make_settings(url, letter_templates_dir=str(tmp_path))
    with run_server(settings, seed) as live:
        provider = _team_provider(live, officer)
        (tmp_path / provider).mkdir()
        (tmp_path / provider / "warning_first.en.txt").write_text(GOOD, "utf-8")
        (tmp_path / provider / "broken.en.txt").write_text(BAD, "utf-8")
        kit = live.get("/v1/letters/kit", live.token(officer)).json()
    assert [t["origin"] for t in kit["templates"]] == [f"{provider}/warning_first.en.txt"]
    assert "{reply_by}" in caplog.text  # the administrator is told which field is wrong
    assert kit["offices"]
    assert all(o["phone"].startswith("01632 96") for o in kit["offices"])
    assert kit["provider_code"] == provider


def test_the_calendar_feed_is_private_revocable_and_parses(
    sqlite_seeded: tuple[str, SeedResult],
) -> None:
    url, seed = sqlite_seeded
    officer = seed.officers[0]
    with run_server(make_settings(url), seed) as live:
        token = live.token(officer)
        with live.client() as http:
            issued = http.post("/v1/calendar/feed", headers={"Authorization": f"Bearer {token}"})
            assert issued.status_code == 200
            path = issued.json()["path"]
            answer = http.get(path)  # no bearer token: Outlook cannot send one
            assert answer.status_code == 200
            assert answer.headers["content-type"].startswith("text/calendar")
            again = http.post("/v1/calendar/feed", headers={"Authorization": f"Bearer {token}"})
            assert http.get(path).status_code == 404  # the old address stops working
            new_path = again.json()["path"]
            assert http.get(new_path).status_code == 200
            http.delete("/v1/calendar/feed", headers={"Authorization": f"Bearer {token}"})
            assert http.get(new_path).status_code == 404
            assert http.get("/v1/calendar/feed/not-a-token.ics").status_code == 404
    data = answer.content
    parsed = icalendar.Calendar.from_ical(data)
    vobject.readOne(data.decode())
    events = list(parsed.walk("VEVENT"))
    assert events, "the seeded officer has appointments"
    today = dt.datetime.now(dt.UTC).date()
    for event in events:
        assert str(event["class"]) == "PRIVATE"
        assert "description" not in event
        crn = str(event["summary"]).split()[0]
        assert len(crn) == 7
        if "rrule" not in event:
            assert event.decoded("dtstart").date() >= today - dt.timedelta(days=15)
