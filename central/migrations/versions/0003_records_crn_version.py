"""Index records (crn, version): pull range-scans each held case from its cursor.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_records_crn_version", "records", ["crn", "version"])


def downgrade() -> None:
    op.drop_index("ix_records_crn_version", table_name="records")
