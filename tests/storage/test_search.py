from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.db import CacheDb
from storage.profile import Profile
from storage.pulled import apply_pull_page
from storage.queries.search import search
from storage.search import match_expression, terms
from tests.storage.builders import make_case

NASTY = [
    "",
    "   ",
    '"',
    '""',
    "'",
    "o'brien-smith",
    "AND",
    "NOT OR AND",
    "*",
    "**",
    "smi*",
    "(",
    "((x",
    "a)",
    "NEAR(a b)",
    "surname:x",
    "^start",
    "-",
    "🙂",
    "Zoë",
    "\x00",
    "x" * 10_000,
    "a " * 500,
]


@pytest.mark.parametrize("text", NASTY)
def test_expressions_are_quoted_literals(text: str) -> None:
    expression = match_expression(text)
    if expression is None:
        assert terms(text) == []
    else:
        assert expression.count('"') % 2 == 0


def test_hyphens_and_apostrophes_split_like_the_index() -> None:
    assert terms("O'Brien-Smith") == ["o", "brien", "smith"]
    assert match_expression("smi") == '"smi"*'


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CacheDb]:
    from storage.crypto import FAST_TEST_PARAMS

    folder: Path = tmp_path_factory.mktemp("search")
    profile = Profile(folder, "search-test", kdf=FAST_TEST_PARAMS)
    cdb = profile.open_writer(bytes(range(32)))
    cases = [
        make_case("X320741", surname="O'Brien-Smith", first="Zoë"),
        make_case("Y123456", surname="Jones", first="Alex", alias=None),
    ]
    apply_pull_page(cdb, snapshots=[c.snapshot() for c in cases], cursor="c", last_applied_seq=0)
    yield cdb
    cdb.close()
    profile.close()


@pytest.mark.parametrize(
    ("text", "crn"),
    [
        ("obrien", "X320741"),
        ("obriensmith", "X320741"),
        ("nobody-here", None),
        ("o'brien", "X320741"),
        ("brien smi", "X320741"),
        ("zoe", "X320741"),
        ("x3207", "X320741"),
        ("Y123456", "Y123456"),
        ("tess sample", "X320741"),  # an alias
        ("jones", "Y123456"),
        ("employment", "X320741"),  # contact notes
        ("employm", "X320741"),  # a word still being typed
    ],
)
def test_finds_people_by_name_alias_crn_and_notes(
    seeded: CacheDb, text: str, crn: str | None
) -> None:
    hits = [h.crn for h in search(seeded, text)]
    if crn is None:
        assert hits == []
    else:
        assert crn in hits
        assert hits[0] == crn or text.startswith("employ")


@pytest.mark.parametrize("text", NASTY)
def test_nasty_input_never_raises(seeded: CacheDb, text: str) -> None:
    assert isinstance(search(seeded, text), list)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=80))
def test_any_input_returns_results_or_nothing(seeded: CacheDb, text: str) -> None:
    assert isinstance(search(seeded, text, limit=5), list)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            ['"', "(", ")", "*", "AND", "OR", "NOT", "-", "^", ":", "jones", "NEAR", "+", "{", "}"]
        ),
        max_size=12,
    ).map(" ".join)
)
def test_fts_syntax_soup_is_harmless(seeded: CacheDb, text: str) -> None:
    assert isinstance(search(seeded, text), list)
