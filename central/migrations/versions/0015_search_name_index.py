"""National search by name uses an index: trigrams of the search columns (PostgreSQL).

`GET /v1/search` matches each name word as a prefix of the surname, the first name or
any alias (`LIKE 'word%'`, `LIKE '% word%'`): no B-tree serves the alias form, so the
query scanned every case (3 ms at 20,000 cases, ten times that for the nation). A GIN
index of trigrams (`pg_trgm`, shipped with PostgreSQL and a trusted extension: the
database owner may create it) serves every form. SQLite gets a plain index of the same
columns, which keeps the schema one declaration (`central/tables.py`).

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-07 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["surname", "first_name", "aliases"]


def upgrade() -> None:
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
