"""Audit: the server's receipt time beside the client's claimed time; kept cases carry a
reason and a lapse time, and a region may require approval before a case is kept.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 01:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("claim_check", sa.String(length=24), nullable=True))
    with op.batch_alter_table("pins", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reason", sa.String(length=16), nullable=False, server_default="other")
        )
        batch_op.add_column(
            sa.Column("reason_text", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="kept")
        )
    op.create_table(
        "keep_policies",
        sa.Column("provider_code", sa.String(length=8), nullable=False),
        sa.Column("needs_approval", sa.Boolean(), nullable=False),
        sa.Column("keep_days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_code"],
            ["providers.code"],
            name=op.f("fk_keep_policies_provider_code_providers"),
        ),
        sa.PrimaryKeyConstraint("provider_code", name=op.f("pk_keep_policies")),
    )


def downgrade() -> None:
    op.drop_table("keep_policies")
    with op.batch_alter_table("pins", schema=None) as batch_op:
        for name in ("status", "expires_at", "reason_text", "reason"):
            batch_op.drop_column(name)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("claim_check")
        batch_op.drop_column("claimed_at")
