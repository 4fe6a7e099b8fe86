"""Synthetic, realistic demo and load-test data, deterministic for a seed.

`seed_database(url, officers=, cases_per_officer=, seed=, password=)` migrates
the database, then writes an organisation, officers who can sign in with
`password`, and their caseloads (every record a domain entity dumped to JSON
with a change-feed version). Only synthetic people: Faker's en_GB names, drama
phone numbers, example.com e-mail. Argon2 is slow on purpose, so every seeded
officer shares one password hash: demo data only.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from faker import Faker

from central.auth.approval import SERVICE_WIDE, set_policy
from central.auth.passwords import hash_password
from central.db import is_sqlite, make_engine, transaction
from central.migrate import upgrade
from central.seed.chunks import CHUNK, Assignment, ChunkSpec, generate
from central.seed.organisation import Organisation, build_organisation
from central.seed.team_work import write_alerts, write_covers
from central.seed.writer import (
    check_empty,
    write_chunk,
    write_limited_access,
    write_organisation,
)

log = logging.getLogger(__name__)
CRN_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
SQLITE_CACHE_KIB = 256 * 1024

__all__ = ["SeedResult", "seed_database"]


@dataclass
class SeedResult:
    officers: list[str]
    staff_codes: dict[str, str] = field(default_factory=dict)
    caseloads: dict[str, list[str]] = field(default_factory=dict)
    exclusions: dict[str, list[str]] = field(default_factory=dict)
    restrictions: dict[str, list[str]] = field(default_factory=dict)
    cases: int = 0
    records: int = 0
    seconds: float = 0.0

    def summary(self) -> dict[str, object]:
        """The JSON the CLI prints last: usernames and counts, no case data."""
        return {
            "officers": self.officers,
            "cases": self.cases,
            "records": self.records,
            "limited_access_cases": len({*self.exclusions, *self.restrictions}),
            "seconds": round(self.seconds, 2),
        }


def _crns(rng: random.Random, count: int) -> list[str]:
    seen: set[str] = set()
    result: list[str] = []
    while len(result) < count:
        crn = f"{rng.choice(CRN_LETTERS)}{rng.randint(0, 999_999):06d}"
        if crn not in seen:
            seen.add(crn)
            result.append(crn)
    return result


def _assign(org: Organisation, cases_per_officer: int, rng: random.Random) -> list[Assignment]:
    """Every CRN with its officer; about one case in five was transferred from another."""
    count = len(org.officers)
    crns = iter(_crns(rng, count * cases_per_officer))
    result = []
    for index in range(count):
        for _ in range(cases_per_officer):
            previous = None
            if count > 1 and rng.random() < 0.2:
                previous = (index + rng.randint(1, count - 1)) % count
            result.append(Assignment(next(crns), index, previous))
    return result


def _limited_access(org: Organisation, result: SeedResult, rng: random.Random) -> None:
    """A few LAO cases: some exclude a colleague, some are restricted to the OM."""
    officers = org.officers
    total = sum(len(v) for v in result.caseloads.values())
    if len(officers) < 2 or total < 2:
        return
    for n in range(max(2, total // 200)):
        owner = officers[n % len(officers)]
        other = officers[(n + 1) % len(officers)]
        crn = rng.choice(result.caseloads[owner.username])
        if crn in result.exclusions or crn in result.restrictions:
            continue
        if n % 2 == 0:
            result.exclusions[crn] = [other.username]
        else:
            result.restrictions[crn] = [owner.username]


def _plan(org: Organisation, assignments: list[Assignment], rng: random.Random) -> SeedResult:
    """Who gets which case, and which cases are Limited Access: known before generating."""
    result = SeedResult(
        officers=[o.username for o in org.officers],
        staff_codes={o.username: o.staff_code for o in org.officers},
    )
    for item in assignments:
        result.caseloads.setdefault(org.officers[item.officer].username, []).append(item.crn)
    _limited_access(org, result, rng)
    return result


def seed_database(
    url: str,
    *,
    officers: int,
    cases_per_officer: int,
    seed: int,
    password: str,
    today: date | None = None,
    communications: int = 1,
    documents_per_officer: int = 0,
    team_work: bool = False,
) -> SeedResult:
    """Fill an empty central database with synthetic data; deterministic for `seed`.

    `communications` multiplies the calls, texts and e-mails between appointments
    (1, the default, is the usual volume; load tests use more for a realistic-size log).
    `documents_per_officer` cases of each caseload get a report and a letter (the demo's).
    `team_work`: a running cover in each team and unread alerts (`central.seed.team_work`).
    """
    if communications < 1:
        raise ValueError("communications must be at least 1")
    started = time.perf_counter()
    today = today or datetime.now(UTC).date()
    now = datetime.now(UTC)
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    org = build_organisation(officers, rng, fake)
    assignments = _assign(org, cases_per_officer, rng)
    result = _plan(org, assignments, rng)
    specs = [
        ChunkSpec(seed, n, today, tuple(assignments[start : start + CHUNK]), communications)
        for n, start in enumerate(range(0, len(assignments), CHUNK))
    ]
    engine = make_engine(url)
    try:
        upgrade(engine)
        with transaction(engine) as conn:
            if is_sqlite(engine):  # index pages stay in memory: ~30 % faster bulk inserts
                conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
            check_empty(conn)
            write_organisation(conn, org, hash_password(password), now)
            for chunk in generate(org, specs):
                result.records += write_chunk(conn, chunk, now)
            write_limited_access(conn, result.exclusions, result.restrictions)
            # Demo data: laptops are approved as they enrol (a real service requires it).
            set_policy(conn, SERVICE_WIDE, required=False, by="seed", now=now)
            if documents_per_officer:  # the demo's: a report and a letter on a few cases
                from central.seed.documents import seed_documents

                result.records += seed_documents(
                    conn,
                    result.caseloads,
                    per_officer=documents_per_officer,
                    rng=rng,
                    today=today,
                    now=now,
                )
            if team_work:
                access = (result.exclusions, result.restrictions)
                write_covers(conn, org, result.caseloads, access, now)
                write_alerts(conn, org, result.caseloads)
    finally:
        engine.dispose()
    result.cases = len(assignments)
    result.seconds = time.perf_counter() - started
    log.info("seeded %d cases, %d records in %.1fs", result.cases, result.records, result.seconds)
    return result
