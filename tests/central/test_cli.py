"""`fieldcase-central` as an administrator runs it, on real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
import sys
import uuid

import pytest

from central.cli import main
from central.seed import SeedResult

COMMANDS = [
    ["serve"],
    ["migrate"],
    ["seed"],
    ["allocate"],
    ["audit"],
    ["users", "list"],
    ["users", "add"],
    ["users", "reset-password"],
    ["devices", "list"],
    ["devices", "revoke"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_subcommand_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_code:
        main([*command, "--help"])
    assert exit_code.value.code == 0
    assert "usage: fieldcase-central" in capsys.readouterr().out


class InProcess:
    """`fieldcase-central` called through `main()` in this process: the same code as the
    console script, without paying an interpreter start per command."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(self, *args: str, stdin: str = "", code: int = 0) -> str:
        self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        assert main(list(args)) == code
        out, err = self.capsys.readouterr()
        return out + err


def test_administration_end_to_end(
    database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = InProcess(capsys, monkeypatch)
    db = ["--database-url", database_url]
    assert "up to date" in run("migrate", *db)
    seeded = run(
        "seed",
        *db,
        "--officers",
        "2",
        "--cases-per-officer",
        "3",
        "--seed",
        "4",
        "--password",
        "pw one",
    )
    summary = json.loads(seeded.strip().splitlines()[-1])
    officers = summary["officers"]
    assert len(officers) == 2
    assert summary["cases"] == 6
    assert all(name in run("users", "list", *db) for name in officers)

    run("users", "add", "supervisor", *db, stdin="a new password\n")
    assert "supervisor" in run("users", "list", *db)
    again = ["--password", "kettle orbit marmalade"]
    assert "already exists" in run("users", "add", "supervisor", *db, *again, code=1)
    run("users", "reset-password", officers[0], *db, "--password", "pw two is longer")
    assert "no device" in run("devices", "revoke", str(uuid.uuid4()), *db, code=1)

    users = run("users", "list", *db).splitlines()
    staff_code = next(line.split()[1] for line in users if line.startswith(officers[1]))
    crn = _a_crn(database_url)
    assert crn in run("allocate", *db, "--crn", crn, "--staff", staff_code)
    assert "no staff member" in run("allocate", *db, "--crn", crn, "--staff", "NOPE000", code=1)
    trail = run("audit", crn, *db, "--json").splitlines()
    assert json.loads(trail[-1])["action"] == "allocate"
    assert "allocate" in run("audit", crn, *db)


def _a_crn(url: str) -> str:
    from sqlalchemy import select

    from central.db import make_engine
    from central.tables import cases

    engine = make_engine(url)
    with engine.connect() as conn:
        crn: str = conn.execute(select(cases.c.crn).order_by(cases.c.crn)).scalars().first()
    engine.dispose()
    return crn


# `serve`, `devices list|revoke` and the JSON access log as an administrator meets them:
# tests/app/test_sync_cli.py runs docs/central.md's quick start through the console scripts.


def test_bad_administrator_input_gets_a_plain_message_never_a_traceback_or_hash(
    database_url: str,
    seeded: SeedResult,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = InProcess(capsys, monkeypatch)
    db = ["--database-url", database_url]
    taken = seeded.staff_codes[seeded.officers[0]]
    good = ["--password", "kettle orbit marmalade"]
    answers = [
        run("users", "add", "newcomer", *db, "--staff-code", taken, *good, code=1),
        run("users", "add", "newcomer", *db, "--staff-code", "NOPE000", *good, code=1),
        run("users", "add", "newcomer", *db, "--password", "Password123!", code=1),
        run("users", "reset-password", seeded.officers[0], *db, "--password", "short", code=1),
        run("users", "list", "--database-url", "not a url", code=2),
        run("users", "list", "--database-url", "postgresql://u:secretpw@127.0.0.1:1/x", code=2),
    ]  # fmt: skip
    assert "already belongs to user" in answers[0]
    assert "no staff member" in answers[1]
    assert "most common" in answers[2]
    assert "at least 12" in answers[3]
    assert "not valid" in answers[4]
    assert "cannot use the database" in answers[5]
    for text in answers:
        assert "Traceback" not in text
        assert "$argon2" not in text
        assert "secretpw" not in text


def test_a_database_without_tables_says_to_migrate(
    tmp_path: object, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = InProcess(capsys, monkeypatch)
    answer = run("users", "list", "--database-url", f"sqlite:///{tmp_path}/empty.db", code=2)
    assert "fieldcase-central migrate" in answer
