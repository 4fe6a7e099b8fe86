"""Per-request cost that does not grow with the database: two indexes.

1. National search by name uses an index: trigrams of the search columns (PostgreSQL).

`GET /v1/search` matches each name word as a prefix of the surname, the first name or
any alias (`LIKE 'word%'`, `LIKE '% word%'`): no B-tree serves the alias form, so the
query scanned every case (3 ms at 20,000 cases, ten times that for the nation). A GIN
index of trigrams (`pg_trgm`, shipped with PostgreSQL and a trusted extension: the
database owner may create it) serves every form. SQLite gets a plain index of the same
columns, which keeps the schema one declaration (`central/tables.py`).

2. The checksums every pull's last page carries (`central.sync.snapshots.checksums`:
each held case's kind, id and version of its live records) are read from an index
alone: `(crn, kind, id, version, deleted)` replaces `(crn, kind)`, which it extends, so
the query no longer visits the table's pages (an officer's 50 cases are 14,000
records on 1,400 pages, rarely all in memory when the table is the nation's): 15-23 ms
became 7 ms on a 5.5-million-record database. Building it on a national database
takes about a minute, with writes paused (the migration holds the table's lock).

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-07 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["surname", "first_name", "aliases"]


LINES = ["crn", "kind", "id", "version", "deleted"]


def upgrade() -> None:
    op.create_index("ix_records_crn_lines", "records", LINES)
    op.drop_index("ix_records_crn_kind", table_name="records")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_cases_names",
        "cases",
        COLUMNS,
        postgresql_using="gin",
        postgresql_ops=dict.fromkeys(COLUMNS, "gin_trgm_ops"),
    )


def downgrade() -> None:
    op.drop_index("ix_cases_names", table_name="cases")
    op.create_index("ix_records_crn_kind", "records", ["crn", "kind"])
    op.drop_index("ix_records_crn_lines", table_name="records")
