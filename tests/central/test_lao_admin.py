"""`fieldcase-central lao`: Limited Access lists managed by an administrator, audited."""

from __future__ import annotations

import pytest

from central.audit import case_audit
from central.cli import main
from central.db import make_engine
from central.seed import SeedResult
from central.sync.scope import scope_crns


class _Officer:
    def __init__(self, username: str, staff_code: str | None) -> None:
        self.username = username
        self.staff_code = staff_code


def _run(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> str:
    assert main(list(args)) == code
    out, err = capsys.readouterr()
    return out + err


def test_an_exclusion_takes_the_case_out_of_scope_and_is_audited(
    database_url: str, seeded: SeedResult, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--database-url", database_url]
    officer = seeded.officers[0]
    crn = sorted(set(seeded.caseloads[officer]) - set(seeded.exclusions))[0]
    me = _Officer(officer, seeded.staff_codes[officer])
    engine = make_engine(database_url)
    with engine.connect() as conn:
        assert crn in scope_crns(conn, me)

    message = "Excluded: a relative of this officer."
    said = _run(
        capsys, "lao", "add", "exclusion", crn, officer, *db, "--message", message, "--by", "ana"
    )
    assert "laptops follow" in said
    assert f"{crn} exclusion   {officer}" in _run(capsys, "lao", "list", "--crn", crn, *db)
    assert message in _run(capsys, "lao", "list", *db)
    with engine.connect() as conn:
        assert crn not in scope_crns(conn, me)
    _run(capsys, "lao", "remove", "exclusion", crn, officer, *db, "--by", "ana")
    with engine.connect() as conn:
        assert crn in scope_crns(conn, me)
        trail = [(e.action, e.username, e.detail.get("username")) for e in case_audit(conn, crn)]
    engine.dispose()
    assert ("lao_exclusion_added", "ana", officer) in trail
    assert ("lao_exclusion_removed", "ana", officer) in trail


def test_a_restriction_admits_only_its_users(
    database_url: str, seeded: SeedResult, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--database-url", database_url]
    owner, other = seeded.officers[0], seeded.officers[1]
    crn = sorted(set(seeded.caseloads[owner]) - set(seeded.exclusions) - set(seeded.restrictions))[
        0
    ]
    _run(capsys, "lao", "add", "restriction", crn, other, *db)
    engine = make_engine(database_url)
    with engine.connect() as conn:
        assert crn not in scope_crns(conn, _Officer(owner, seeded.staff_codes[owner]))
    engine.dispose()


def test_bad_lao_input_is_answered_plainly(
    database_url: str, seeded: SeedResult, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--database-url", database_url]
    officer, crn = seeded.officers[0], seeded.caseloads[seeded.officers[0]][0]
    assert "no case" in _run(capsys, "lao", "add", "exclusion", "Z999999", officer, *db, code=1)
    assert "no user" in _run(capsys, "lao", "add", "exclusion", crn, "nobody", *db, code=1)
    assert "is not on" in _run(capsys, "lao", "remove", "exclusion", crn, "nobody", *db, code=1)
