"""Cover for a colleague: who covers whose cases, for which period and why.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 01:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "covers",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("staff_code", sa.String(7), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("visits_only", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(
            ["username"], ["users.username"], name=op.f("fk_covers_username_users")
        ),
        sa.ForeignKeyConstraint(
            ["staff_code"], ["staff.code"], name=op.f("fk_covers_staff_code_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_covers")),
    )
    op.create_index(op.f("ix_covers_username"), "covers", ["username"])
    op.create_index(op.f("ix_covers_staff_code"), "covers", ["staff_code"])
    op.create_table(
        "cover_cases",
        sa.Column("cover_id", sa.String(36), nullable=False),
        sa.Column("crn", sa.String(7), nullable=False),
        sa.ForeignKeyConstraint(
            ["cover_id"], ["covers.id"], name=op.f("fk_cover_cases_cover_id_covers")
        ),
        sa.ForeignKeyConstraint(["crn"], ["cases.crn"], name=op.f("fk_cover_cases_crn_cases")),
        sa.PrimaryKeyConstraint("cover_id", "crn", name=op.f("pk_cover_cases")),
    )
    op.create_index(op.f("ix_cover_cases_crn"), "cover_cases", ["crn"])


def downgrade() -> None:
    op.drop_index(op.f("ix_cover_cases_crn"), table_name="cover_cases")
    op.drop_table("cover_cases")
    op.drop_index(op.f("ix_covers_staff_code"), table_name="covers")
    op.drop_index(op.f("ix_covers_username"), table_name="covers")
    op.drop_table("covers")
