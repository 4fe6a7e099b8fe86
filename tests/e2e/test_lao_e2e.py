"""A Limited Access change made with `fieldcase-central lao` reaches the laptop at its next
sync: the real client and encrypted cache against the real service over loopback."""

from __future__ import annotations

import pytest

from central.lao_admin import add
from tests.sync.live import encrypted_cache, live_central

pytestmark = pytest.mark.e2e


@pytest.fixture
def live(database_url: str):
    with live_central(database_url) as running:
        yield running


def _indexed(cache, word: str) -> int:
    return cache.db().one(
        "SELECT count(*) FROM person_fts WHERE person_fts MATCH ?", (f'"{word}"',)
    )


def test_a_new_exclusion_evicts_the_case_and_its_search_entries(live, tmp_path):
    officer = live.seed.officers[0]
    cache = encrypted_cache(tmp_path / "p", officer)
    laptop = live.laptop(officer, cache)
    try:
        laptop.sync()
        held = set(cache.pull_state().held_cases)
        crn = sorted(held)[0]
        text = cache.db().one("SELECT search_text FROM person WHERE crn = ?", (crn,))
        word = max(text.split(), key=len)
        before = _indexed(cache, word)
        assert before >= 1
        with live.admin() as conn:
            add(conn, "exclusion", crn, officer, by="ana", message="Excluded for test.")
        summary = laptop.sync()
        assert summary.evicted >= 1
        assert crn not in set(cache.pull_state().held_cases)
        assert cache.db().one("SELECT count(*) FROM person WHERE crn = ?", (crn,)) == 0
        assert _indexed(cache, word) == before - 1
    finally:
        cache.close()
