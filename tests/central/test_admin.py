"""Administration: reallocation (scope and the person record move), users, passwords."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from central import admin
from central.audit import case_audit
from central.auth.passwords import verify_password
from central.db import make_engine, transaction, utcnow
from central.seed import SeedResult
from central.tables import allocations, cases, records, users


def test_allocate_moves_the_case_and_versions_the_person_record(
    database_url: str, seeded: SeedResult
) -> None:
    old, new = seeded.officers[0], seeded.officers[1]
    crn = seeded.caseloads[old][0]
    engine = make_engine(database_url)
    with transaction(engine) as conn:
        before = conn.execute(select(func.max(records.c.version))).scalar_one()
        admin.allocate(conn, crn, seeded.staff_codes[new], now=utcnow(), by="admin")
    with engine.connect() as conn:
        case = conn.execute(select(cases).where(cases.c.crn == crn)).one()
        person = conn.execute(
            select(records).where(records.c.crn == crn, records.c.kind == "person")
        ).one()
        history = conn.execute(
            select(allocations.c.staff_code, allocations.c.end_date)
            .where(allocations.c.crn == crn)
            .order_by(allocations.c.id)
        ).all()
        trail = case_audit(conn, crn)
    engine.dispose()
    assert case.staff_code == seeded.staff_codes[new]
    assert person.version == before + 1
    assert person.data["staff_code"] == seeded.staff_codes[new]
    assert person.data["allocations"][-1]["staff_code"] == seeded.staff_codes[new]
    assert all(a["end_date"] for a in person.data["allocations"][:-1])
    assert person.field_versions["staff_code"] == person.version
    assert history[-1] == (seeded.staff_codes[new], None)
    assert all(end is not None for _code, end in history[:-1])
    assert trail[-1].action == "allocate"


def test_allocate_refuses_unknown_case_or_staff(database_url: str, seeded: SeedResult) -> None:
    engine = make_engine(database_url)
    with transaction(engine) as conn:
        with pytest.raises(admin.AdminError, match="no staff member"):
            admin.allocate(
                conn, seeded.caseloads[seeded.officers[0]][0], "XXX0000", now=utcnow(), by="admin"
            )
        with pytest.raises(admin.AdminError, match="no case"):
            admin.allocate(
                conn, "Z000000", seeded.staff_codes[seeded.officers[0]], now=utcnow(), by="admin"
            )
    engine.dispose()


def test_users_add_and_reset_password(database_url: str, seeded: SeedResult) -> None:
    engine = make_engine(database_url)
    with transaction(engine) as conn:
        admin.add_user(conn, "newstarter", "first password", now=utcnow())
        with pytest.raises(admin.AdminError, match="already exists"):
            admin.add_user(conn, "newstarter", "again", now=utcnow())
        admin.reset_password(conn, seeded.officers[0], "second password", now=utcnow())
    with engine.connect() as conn:
        names = [u.username for u in admin.list_users(conn)]
        stored = conn.execute(
            select(users.c.password_hash).where(users.c.username == seeded.officers[0])
        ).scalar_one()
    engine.dispose()
    assert "newstarter" in names
    assert set(seeded.officers) <= set(names)
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "second password")
