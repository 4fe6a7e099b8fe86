"""Devices bound to a DPoP key and approved; sign-in sessions checked on every request.

Devices registered before this revision are treated as approved (they were in use);
their next sign-in binds them to a key. Refresh tokens issued before it have no
session row and no key, so they are refused and each laptop signs in once more.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-07 01:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("jkt", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("approved_by", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE devices SET approved_at = registered_at, approved_by = 'before approval' "
        "WHERE revoked_at IS NULL"
    )
    op.create_table(
        "token_families",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("jkt", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_token_families_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["username"], ["users.username"], name=op.f("fk_token_families_username_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_token_families")),
    )
    op.create_index(
        op.f("ix_token_families_device_id"), "token_families", ["device_id"], unique=False
    )
    op.create_index(
        op.f("ix_token_families_username"), "token_families", ["username"], unique=False
    )
    op.create_table(
        "dpop_proofs",
        sa.Column("jti", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("jti", name=op.f("pk_dpop_proofs")),
    )
    op.create_index(op.f("ix_dpop_proofs_seen_at"), "dpop_proofs", ["seen_at"], unique=False)
    op.create_table(
        "device_approval",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_device_approval")),
    )


def downgrade() -> None:
    op.drop_table("device_approval")
    op.drop_index(op.f("ix_dpop_proofs_seen_at"), table_name="dpop_proofs")
    op.drop_table("dpop_proofs")
    op.drop_index(op.f("ix_token_families_username"), table_name="token_families")
    op.drop_index(op.f("ix_token_families_device_id"), table_name="token_families")
    op.drop_table("token_families")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("approved_by")
        batch_op.drop_column("approved_at")
        batch_op.drop_column("jkt")
