"""Search the cases on this laptop: names, aliases, CRN and PNC first, then contact text.

People matches come first (ranked by FTS5's bm25), then cases whose contacts mention
the words, newest contact first. Whatever the officer typed is turned into a safe
expression by storage.search; junk input simply finds nothing.
"""

from __future__ import annotations

from typing import Any

from storage.db import CacheDb
from storage.queries import common
from storage.queries.rows import SearchResult
from storage.search import match_expression

_PEOPLE = """
SELECT p.crn, p.first_name, p.surname, p.date_of_birth FROM person_fts f
JOIN person p ON p.seq = f.rowid
WHERE person_fts MATCH ? ORDER BY f.rank LIMIT ?"""

# The newest matching contacts; bounded so a common word costs the same as a rare one.
_CONTACTS = """
SELECT c.crn, c.date, c.type_code, p.first_name, p.surname, p.date_of_birth
FROM (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ? ORDER BY rowid DESC LIMIT ?) m
JOIN contact c ON c.seq = m.rowid LEFT JOIN person p ON p.crn = c.crn"""


def _name(row: dict[str, Any]) -> str:
    return f"{row['first_name'] or ''} {row['surname'] or ''}".strip()


def search(cdb: CacheDb, text: str, *, limit: int = 20) -> list[SearchResult]:
    """At most `limit` cases matching `text`; never raises on odd input."""
    expression = match_expression(text)
    if expression is None or limit <= 0:
        return []
    found: dict[str, SearchResult] = {}
    for row in cdb.query(_PEOPLE, (expression, limit)):
        found.setdefault(
            row["crn"],
            SearchResult(
                row["crn"],
                _name(row),
                common.date_or_none(row["date_of_birth"]),
                "Name or identifier",
            ),
        )
    if len(found) < limit:
        for row in cdb.query(_CONTACTS, (expression, limit * 10)):
            if len(found) >= limit:
                break
            detail = f"{common.type_text(row['type_code'])} on {row['date']}"
            found.setdefault(
                row["crn"],
                SearchResult(
                    row["crn"], _name(row), common.date_or_none(row["date_of_birth"]), detail
                ),
            )
    return list(found.values())[:limit]
