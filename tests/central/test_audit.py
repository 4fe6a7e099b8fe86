"""The audit trail: entries written inside the audited transaction, read per case."""

from __future__ import annotations

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
