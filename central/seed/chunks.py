"""Generating the cases in independent chunks, in parallel when the seed is large.

Each chunk has its own random generator derived from (seed, chunk index), so the
data is the same whichever process builds which chunk, and in whatever order.
A chunk comes back as plain rows (records already JSON-encoded), cheap to send
between processes and ready for executemany.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from multiprocessing import get_context
from typing import Any

from faker import Faker

from central.seed.cases import SeededCase, build_case
from central.seed.context import CaseContext
from central.seed.organisation import Organisation

CHUNK = 250
PARALLEL_FROM = 2_000  # cases; below this, starting processes costs more than it saves


@dataclass(frozen=True, slots=True)
class Assignment:
    """Which officer manages a CRN, and who managed it before (a transfer), if anyone."""

    crn: str
    officer: int
    previous: int | None


@dataclass(frozen=True, slots=True)
class ChunkSpec:
    seed: int
    index: int
    today: date
    assignments: tuple[Assignment, ...]
    communications: int = 1  # see CaseContext.communications


@dataclass(frozen=True, slots=True)
class ChunkRows:
    cases: list[dict[str, Any]]
    allocations: list[dict[str, Any]]
    records: list[tuple[str, str, str, str]]  # (id, kind, crn, JSON data)


_ORG: Organisation | None = None


def _init(org: Organisation) -> None:
    global _ORG  # noqa: PLW0603 - one organisation per worker process
    _ORG = org


def build_chunk(spec: ChunkSpec, org: Organisation | None = None) -> ChunkRows:
    org = org or _ORG
    assert org is not None
    rng = random.Random(f"{spec.seed}:{spec.index}")  # noqa: S311 - reproducible test data
    fake = Faker("en_GB")
    fake.seed_instance(spec.seed * 1_000_003 + spec.index)
    rows = ChunkRows([], [], [])
    for item in spec.assignments:
        officer = org.officers[item.officer]
        ctx = CaseContext(
            item.crn,
            officer,
            org.team_offices[officer.team_code],
            org.team_place[officer.team_code],
            spec.today,
            rng,
            fake,
            spec.communications,
        )
        previous = org.officers[item.previous] if item.previous is not None else None
        _add(rows, build_case(ctx, previous))
    return rows


def _add(rows: ChunkRows, case: SeededCase) -> None:
    crn = case.person.crn
    rows.cases.append(case.case_row())
    rows.allocations.extend(
        {
            "crn": crn,
            **a.model_dump(include={"staff_code", "team_code", "start_date", "end_date", "reason"}),
        }
        for a in case.allocations
    )
    rows.records.extend(
        (str(getattr(entity, "id")), kind, crn, entity.model_dump_json())  # noqa: B009
        for kind, entity in case.records
    )


def generate(org: Organisation, specs: list[ChunkSpec]) -> Iterator[ChunkRows]:
    """Chunks in order; built by a process pool for large seeds."""
    total = sum(len(s.assignments) for s in specs)
    workers = min(os.cpu_count() or 1, 8)
    if total < PARALLEL_FROM or workers < 2:
        for spec in specs:
            yield build_chunk(spec, org)
        return
    context = get_context("spawn")  # safe beside threads, and what Windows does anyway
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init, initargs=(org,)
    ) as pool:
        yield from pool.map(build_chunk, specs)
