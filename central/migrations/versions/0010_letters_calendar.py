"""Offices get a phone number (letters say whom to call); officers' calendar feed tokens.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 01:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("offices") as batch:
        batch.add_column(sa.Column("phone", sa.String(40), nullable=False, server_default=""))
    op.create_table(
        "calendar_feeds",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["username"],
            ["users.username"],
            name=op.f("fk_calendar_feeds_username_users"),
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_calendar_feeds")),
    )
    op.create_index(
        op.f("ix_calendar_feeds_username"), "calendar_feeds", ["username"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_calendar_feeds_username"), table_name="calendar_feeds")
    op.drop_table("calendar_feeds")
    with op.batch_alter_table("offices") as batch:
        batch.drop_column("phone")
