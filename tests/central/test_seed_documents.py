"""The demo's synthetic documents: records in the feed, bytes stored whole and checked."""

from __future__ import annotations

import hashlib

import sqlalchemy
from sqlalchemy import select

from central.documents.store import SqlChunkStore, read_range
from central.seed import seed_database
from central.tables import document_blobs, records
from domain.documents import sniff


def test_the_demo_seed_puts_a_report_and_a_letter_on_some_cases(tmp_path) -> None:
    url = f"sqlite:///{tmp_path}/demo.db"
    result = seed_database(
        url, officers=2, cases_per_officer=3, seed=5, password="pw", documents_per_officer=2
    )
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(records).where(records.c.kind == "document")).all()
        assert len(rows) == 2 * 2 * 2
        for row in rows:
            blob = conn.execute(
                select(document_blobs).where(document_blobs.c.sha256 == row.data["sha256"])
            ).one()
            content = b"".join(read_range(SqlChunkStore(), conn, blob.sha256, 0, blob.size - 1))
            assert blob.complete
            assert hashlib.sha256(content).hexdigest() == blob.sha256
            assert sniff(content) == row.data["media_type"]
            assert row.crn in {c for cases in result.caseloads.values() for c in cases}
            assert b"synthetic demo document" in content or row.data["name"].endswith(".docx")
    engine.dispose()
