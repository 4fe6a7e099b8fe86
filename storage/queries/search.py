"""Search the cases on this laptop: names, aliases, CRN and PNC first, then contact text.

People matches come first (ranked by FTS5's bm25), then cases whose contacts mention
the words, newest contact first. Whatever the officer typed is turned into a safe
expression by storage.search; junk input simply finds nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from storage.db import CacheDb
from storage.queries import common
from storage.queries.rows import SearchResult
from storage.schema import PREFIX_INDEXED
from storage.search import match_expression, matches, terms, tokens

NAME_MATCH = "Name or CRN matches"  # the detail of a case found by who it is

# No ORDER BY rank: scoring every match of "X00" or "sm" over 10,000 people costs
# more than the budget; candidates are taken in index order and ordered in Python.
_PEOPLE = """
SELECT p.crn, p.first_name, p.surname, p.date_of_birth, p.search_text FROM person p
WHERE p.seq IN (SELECT rowid FROM person_fts WHERE person_fts MATCH ? LIMIT ?)"""

# The newest matching contacts; bounded so a common word costs the same as a rare one.
_CONTACTS = """
SELECT c.crn, c.date, c.type_code, c.search_text, p.first_name, p.surname, p.date_of_birth
FROM (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ? ORDER BY rowid DESC LIMIT ?) m
JOIN contact c ON c.seq = m.rowid LEFT JOIN person p ON p.crn = c.crn"""

_CONTACTS_BELOW = """
SELECT c.seq, c.crn, c.date, c.type_code, c.search_text, p.first_name, p.surname,
  p.date_of_birth
FROM (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ? AND rowid < ?
      ORDER BY rowid DESC LIMIT ?) m
JOIN contact c ON c.seq = m.rowid LEFT JOIN person p ON p.crn = c.crn
ORDER BY c.seq DESC"""


# While a first sync defers the contact search index (storage/schema.py
# DEFERRABLE_SEARCH), contact text is read from the table, newest first, and matched
# here by the index's own rule: the same answers, read more slowly.
_CONTACTS_ALL = """
SELECT c.crn, c.date, c.type_code, c.search_text, p.first_name, p.surname, p.date_of_birth
FROM contact c LEFT JOIN person p ON p.crn = c.crn
WHERE c.search_text != '' ORDER BY c.seq DESC"""


def _unindexed_matches(cdb: CacheDb, words: list[str], rows: int) -> list[dict[str, Any]]:
    """`_contact_matches` without the index: whole words first, then the last as a prefix."""
    found = cdb.query(_CONTACTS_ALL)
    wanted = set(words)
    whole = (r for r in found if wanted <= set(tokens(r["search_text"])))
    kept = list(itertools.islice(whole, rows))
    prefixed = (r for r in found if matches(r["search_text"], words))
    return kept or list(itertools.islice(prefixed, rows))


def _contact_matches(cdb: CacheDb, text: str, rows: int) -> list[dict[str, Any]]:
    """Whole words first; then the last word as a prefix.

    A prefix longer than the prefix indexes would make FTS5 merge every match in memory
    (~30 ms over a million contacts); it is looked up by its first PREFIX_INDEXED
    letters instead (streamed newest first, like a word) and the rows are checked here.
    """
    words = terms(text)
    if not words:
        return []
    if cdb.one("SELECT 1 FROM deferred_index WHERE name = 'contact_fts'") is not None:
        return _unindexed_matches(cdb, words, rows)
    found = cdb.query(_CONTACTS, (match_expression(text, prefix=False), rows))
    if found:
        return found
    *whole, last = words
    if len(last) <= PREFIX_INDEXED:
        return cdb.query(_CONTACTS, (match_expression(text), rows))
    shortened = " ".join([*(f'"{w}"' for w in whole), f'"{last[:PREFIX_INDEXED]}"*'])
    kept: list[dict[str, Any]] = []
    below = None
    for _ in range(3):  # newest first, a batch at a time, until enough rows are kept
        batch = cdb.query(_CONTACTS_BELOW, (shortened, below or 2**62, rows))
        kept += [r for r in batch if _has_prefix(r["search_text"], last)]
        if len(kept) >= rows or len(batch) < rows:
            break
        below = batch[-1]["seq"]
    return kept[:rows]


def _has_prefix(text: str, start: str) -> bool:
    """Cheap substring test first; the tokenised check only for rows that could match."""
    return start in text.casefold() and any(t.startswith(start) for t in tokens(text))


def _closeness(row: dict[str, Any], words: list[str]) -> tuple[int, str, str]:
    """Whole-word matches before prefix-only ones, then by name."""
    tokens = set(terms(row["search_text"]))
    partial = sum(1 for w in words if w not in tokens)
    return partial, (row["surname"] or "").casefold(), (row["first_name"] or "").casefold()


def _name(row: dict[str, Any]) -> str:
    return f"{row['first_name'] or ''} {row['surname'] or ''}".strip()


def search(cdb: CacheDb, text: str, *, limit: int = 20) -> list[SearchResult]:
    """At most `limit` cases matching `text`; never raises on odd input."""
    expression = match_expression(text)
    if expression is None or limit <= 0:
        return []
    found: dict[str, SearchResult] = {}
    words = terms(text)
    people = cdb.query(_PEOPLE, (expression, limit * 5))
    people.sort(key=lambda row: _closeness(row, words))
    for row in people:
        found.setdefault(
            row["crn"],
            SearchResult(
                row["crn"],
                _name(row),
                common.date_or_none(row["date_of_birth"]),
                NAME_MATCH,
            ),
        )
    if len(found) < limit:
        for row in _contact_matches(cdb, text, limit * 10):
            if len(found) >= limit:
                break
            when = dt.date.fromisoformat(row["date"]).strftime("%d %b %Y")
            detail = f"Found in a contact: {common.type_text(row['type_code'])}, {when}"
            found.setdefault(
                row["crn"],
                SearchResult(
                    row["crn"], _name(row), common.date_or_none(row["date_of_birth"]), detail
                ),
            )
    if len(found) < limit:
        from storage.queries.document_search import document_hits

        for hit in document_hits(cdb, text, limit * 2):
            found.setdefault(hit.crn, hit)
    return list(found.values())[:limit]
