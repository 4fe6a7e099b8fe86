"""Fixtures for the sync endpoints: a seeded central database and officers who push/pull.

Logic tests call `push`/`serve_pull` directly with a signed-in `Principal` whose
device is registered; HTTP tests (test_router.py) go through a real uvicorn server.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select, text, update

from central.auth.deps import Principal
from central.db import make_engine, transaction, utcnow
from central.seed import SeedResult, seed_database
from central.sync.cursor import decode
from central.sync.pull import serve_pull
from central.sync.push import push
from central.tables import cases, offices, records, staff
from sync.protocol import (
    PROTOCOL_VERSION,
    MutationEnvelope,
    MutationResult,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    RecordChange,
)
from tests.central.sync.http_server import register_laptop

PASSWORD = "Synthetic-Pass-2026"


@dataclass
class World:
    """A seeded central database: 3 officers with 4 cases each, some Limited Access."""

    url: str
    engine: Engine
    seed: SeedResult

    def officer(self, username: str) -> Officer:
        with transaction(self.engine) as conn:
            team = conn.execute(
                select(staff.c.team_code).where(staff.c.code == self.seed.staff_codes[username])
            ).scalar_one()
            device = str(uuid.uuid4())
            register_laptop(conn, device, username)
        principal = Principal(username, self.seed.staff_codes[username], team, device)
        return Officer(self, principal)

    def caseload(self, username: str) -> list[str]:
        with self.engine.connect() as conn:
            query = select(cases.c.crn).where(cases.c.staff_code == self.seed.staff_codes[username])
            return sorted(conn.execute(query).scalars())

    def plain_case(self, username: str) -> str:
        """A case of the officer's that is not Limited Access."""
        lao = set(self.seed.exclusions) | set(self.seed.restrictions)
        return next(c for c in self.caseload(username) if c not in lao)

    def office_code(self) -> str:
        with self.engine.connect() as conn:
            return str(
                conn.execute(select(offices.c.code).order_by(offices.c.code)).scalars().first()
            )

    def reallocate(self, crn: str, username: str) -> None:
        with transaction(self.engine) as conn:
            conn.execute(
                update(cases)
                .where(cases.c.crn == crn)
                .values(staff_code=self.seed.staff_codes[username])
            )

    def records_of(self, crn: str, kind: str) -> list[Any]:
        with self.engine.connect() as conn:
            query = select(records).where(records.c.crn == crn, records.c.kind == kind)
            return list(conn.execute(query))


@dataclass
class Officer:
    """One officer on one laptop: a principal, an outbox seq, and a held-cases mirror."""

    world: World
    principal: Principal
    next_seq: int = 1
    cursor: str | None = None
    held: dict[str, dict[str, RecordChange]] = field(default_factory=dict)

    @property
    def client_id(self) -> uuid.UUID:
        return uuid.UUID(self.principal.device_id)

    def envelope(
        self, name: str, args: dict[str, Any], *, seq: int | None = None
    ) -> MutationEnvelope:
        if seq is None:
            seq, self.next_seq = self.next_seq, self.next_seq + 1
        return MutationEnvelope(
            seq=seq, id=uuid.uuid4(), name=name, version=1, args=args, created_at=utcnow()
        )

    def send(self, *mutations: MutationEnvelope) -> PushResponse:
        request = PushRequest(
            protocol_version=PROTOCOL_VERSION, client_id=self.client_id, mutations=list(mutations)
        )
        return push(self.world.engine, self.principal, request)

    def push_one(self, name: str, args: dict[str, Any]) -> MutationResult:
        response = self.send(self.envelope(name, args))
        return response.results[-1]

    def pull_page(self, limit: int = 1000) -> PullResponse:
        request = PullRequest(
            protocol_version=PROTOCOL_VERSION,
            client_id=self.client_id,
            cursor=self.cursor,
            held_cases=sorted(self.held),
            limit=limit,
        )
        cursor = None if self.cursor is None else decode(self.cursor)
        response = serve_pull(self.world.engine, self.principal, request, cursor).response
        self.apply(response)
        return response

    def apply(self, response: PullResponse) -> None:
        """What a laptop does with a page (the client's cache, reduced to a dict)."""
        for crn in response.evicted:
            self.held.pop(crn, None)
        for snapshot in response.snapshots:
            self.held[snapshot.crn] = {str(r.id): r for r in snapshot.records}
        for change in response.changes:
            case = self.held[change.crn]
            if change.deleted:
                case.pop(str(change.id), None)
            else:
                case[str(change.id)] = change
        self.cursor = response.cursor

    def sync(self, limit: int = 1000) -> list[PullResponse]:
        pages = [self.pull_page(limit)]
        while pages[-1].has_more:
            pages.append(self.pull_page(limit))
        return pages


@dataclass
class Template:
    """A seeded database to copy per test: seeding once per backend keeps tests fast."""

    location: str  # SQLite file path, or PostgreSQL database name
    seed: SeedResult


def _seed(url: str) -> SeedResult:
    return seed_database(
        url,
        officers=3,
        cases_per_officer=4,
        seed=20261122,
        password=PASSWORD,
        today=dt.date(2026, 11, 20),
    )


@pytest.fixture(scope="session")
def templates() -> dict[str, Template]:
    return {}


def _sqlite_copy(
    url: str, templates: dict[str, Template], factory: pytest.TempPathFactory
) -> SeedResult:
    if "sqlite" not in templates:
        path = factory.mktemp("sync-template") / "template.db"
        templates["sqlite"] = Template(str(path), _seed(f"sqlite:///{path}"))
    template = templates["sqlite"]
    shutil.copyfile(template.location, url.removeprefix("sqlite:///"))
    return template.seed


def _postgres_copy(url: str, admin_url: str, templates: dict[str, Template]) -> SeedResult:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        if "postgres" not in templates:
            name = f"sync_template_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            seeded = _seed(admin_url.rsplit("/", 1)[0] + f"/{name}")
            templates["postgres"] = Template(name, seeded)
        template = templates["postgres"]
        target = url.rsplit("/", 1)[1]
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{target}"'))
            conn.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{template.location}"'))
    finally:
        admin.dispose()
    return template.seed


@pytest.fixture
def world(
    database_url: str,
    templates: dict[str, Template],
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Iterator[World]:
    """A fresh copy of the seeded database for each test, on SQLite and PostgreSQL."""
    if database_url.startswith("sqlite"):
        seeded = _sqlite_copy(database_url, templates, tmp_path_factory)
    else:
        admin_url: str = request.getfixturevalue("postgres_admin_url")
        seeded = _postgres_copy(database_url, admin_url, templates)
    engine = make_engine(database_url)
    try:
        yield World(database_url, engine, seeded)
    finally:
        engine.dispose()


def contact_args(crn: str, **extra: Any) -> dict[str, Any]:
    """A phone call recorded today: the simplest record-creating mutation."""
    return {
        "contact_id": str(uuid.uuid4()),
        "crn": crn,
        "type_code": "CTOA",
        "date": dt.date.today().isoformat(),
        **extra,
    }
