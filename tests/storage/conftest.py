"""A fresh encrypted cache per test (fast Argon2 parameters; the real ones are benchmarked)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.crypto import FAST_TEST_PARAMS
from storage.db import CacheDb
from storage.profile import Profile
from storage.pulled import apply_pull_page
from tests.storage.builders import CaseData, make_case

PASSWORD = "correct horse battery staple"


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[Profile]:
    found = Profile(tmp_path / "profile", "officer.one", kdf=FAST_TEST_PARAMS)
    yield found
    found.close()


@pytest.fixture
def key(profile: Profile) -> bytes:
    return profile.keys.create(PASSWORD)


@pytest.fixture
def cdb(profile: Profile, key: bytes) -> Iterator[CacheDb]:
    opened = profile.open_writer(key)
    yield opened
    opened.close()


@pytest.fixture
def case(cdb: CacheDb) -> CaseData:
    """One case already pulled from the server."""
    data = make_case()
    apply_pull_page(cdb, snapshots=[data.snapshot()], cursor="c1", last_applied_seq=0)
    return data
