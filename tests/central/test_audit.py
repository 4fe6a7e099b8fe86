"""The audit trail: entries written inside the audited transaction, read per case."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from central.audit import AdminActor, case_audit, record_audit, record_audits
from central.db import make_engine, transaction
from central.seed import SeedResult


def test_entries_come_back_in_order_with_user_device_and_detail(
    database_url: str, seeded: SeedResult
) -> None:
    crn = seeded.caseloads[seeded.officers[0]][0]
    officer = AdminActor(seeded.officers[0], "0b7f6c7e-0a63-4c4f-9e57-6f2b7e0f0002")
    engine = make_engine(database_url)
    with transaction(engine) as conn:
        record_audit(conn, officer, "case_viewed", crn)
        record_audit(conn, AdminActor("admin"), "allocate", crn, detail={"staff_code": "N07P002"})
        record_audits(conn, officer, "search_result", [(crn, None, {}), ("Z999999", None, {})])
    with engine.connect() as conn:
        trail = case_audit(conn, crn)
    engine.dispose()
    assert [(e.username, e.action) for e in trail] == [
        (officer.username, "case_viewed"),
        ("admin", "allocate"),
        (officer.username, "search_result"),
    ]
    assert trail[0].device_id == officer.device_id
    assert trail[1].detail == {"staff_code": "N07P002"}
    assert trail[0].at.tzinfo is not None


def test_an_audited_change_that_rolls_back_leaves_no_entry(
    database_url: str, seeded: SeedResult
) -> None:
    crn = seeded.caseloads[seeded.officers[0]][0]
    engine = make_engine(database_url)
    try:
        with transaction(engine) as conn:
            record_audit(conn, AdminActor("admin"), "allocate", crn)
            raise RuntimeError("the change failed")
    except RuntimeError:
        pass
    with engine.connect() as conn:
        assert case_audit(conn, crn) == []
    engine.dispose()


def test_times_are_the_servers_and_a_laptops_claim_is_kept_beside_and_checked(
    database_url: str, seeded: SeedResult, capsys: pytest.CaptureFixture[str]
) -> None:
    """A laptop with its clock set back (or forward) cannot write the trail's times."""
    from central.auth.devices import enrol_device
    from central.cli import main
    from central.db import utcnow

    crn = seeded.caseloads[seeded.officers[0]][0]
    laptop = "0b7f6c7e-0a63-4c4f-9e57-6f2b7e0f0003"
    officer = AdminActor(seeded.officers[0], laptop)
    engine = make_engine(database_url)
    enrolled = utcnow() - timedelta(days=10)
    with transaction(engine) as conn:
        enrol_device(conn, laptop, officer.username, name="laptop", jkt="test-key", now=enrolled)
        for claimed in (
            enrolled + timedelta(days=2),  # viewed offline last week: plausible
            enrolled - timedelta(days=30),  # before the laptop existed
            utcnow() + timedelta(days=1),  # tomorrow
        ):
            record_audit(conn, officer, "case_viewed", crn, claimed_at=claimed)
    with engine.connect() as conn:
        trail = case_audit(conn, crn)
    engine.dispose()
    started = utcnow() - timedelta(minutes=5)
    assert all(started < e.at <= utcnow() for e in trail)  # receipt times, all of them
    assert [e.claim_check for e in trail] == ["ok", "before_enrolment", "in_future"]
    assert main(["audit", crn, "--database-url", database_url, "--json"]) == 0
    shown = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [s["claim_check"] for s in shown] == ["ok", "before_enrolment", "in_future"]
    assert all(s["claimed_at"] and s["at"] for s in shown)
    assert main(["audit", crn, "--database-url", database_url]) == 0
    assert "laptop said" in capsys.readouterr().out
