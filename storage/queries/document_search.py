"""Cases found by words inside their documents (text taken when each was stored)."""

from __future__ import annotations

from storage.db import CacheDb
from storage.queries import common
from storage.queries.rows import SearchResult
from storage.search import match_expression

_DOCUMENTS = """
SELECT d.crn, json_extract(d.data, '$.name') AS name, p.first_name, p.surname, p.date_of_birth
FROM (SELECT rowid FROM document_text_fts WHERE document_text_fts MATCH ? LIMIT ?) m
JOIN document_blob b ON b.rowid = m.rowid JOIN document d ON d.sha256 = b.sha256
LEFT JOIN person p ON p.crn = d.crn"""


def document_hits(cdb: CacheDb, text: str, rows: int) -> list[SearchResult]:
    """One result per document whose text holds the words (the last as a prefix)."""
    expression = match_expression(text)
    if expression is None:
        return []
    return [
        SearchResult(
            row["crn"],
            f"{row['first_name'] or ''} {row['surname'] or ''}".strip(),
            common.date_or_none(row["date_of_birth"]),
            f"Found in a document: {row['name']}",
        )
        for row in cdb.query(_DOCUMENTS, (expression, rows))
    ]
