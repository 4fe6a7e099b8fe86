"""Initial schema, generated from central/tables.py; seeds the single feed_counter row.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 07:57:30.542643
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("crn", sa.String(length=7), nullable=True),
        sa.Column("record_id", sa.String(length=36), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_crn"), ["crn"], unique=False)

    op.create_table(
        "feed_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_counter")),
    )
    op.bulk_insert(
        sa.table(
            "feed_counter", sa.column("id", sa.Integer()), sa.column("value", sa.BigInteger())
        ),
        [{"id": 1, "value": 0}],
    )
    op.create_table(
        "providers",
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_providers")),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("crn", sa.String(length=7), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_records")),
    )
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.create_index("ix_records_crn_kind", ["crn", "kind"], unique=False)
        batch_op.create_index("ix_records_version", ["version"], unique=False)

    op.create_table(
        "pdus",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("provider_code", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_code"], ["providers.code"], name=op.f("fk_pdus_provider_code_providers")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_pdus")),
    )
    op.create_table(
        "teams",
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("pdu_code", sa.String(length=16), nullable=False),
        sa.Column("provider_code", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["pdu_code"], ["pdus.code"], name=op.f("fk_teams_pdu_code_pdus")),
        sa.ForeignKeyConstraint(
            ["provider_code"], ["providers.code"], name=op.f("fk_teams_provider_code_providers")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_teams")),
    )
    op.create_table(
        "offices",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("team_code", sa.String(length=6), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_code"], ["teams.code"], name=op.f("fk_offices_team_code_teams")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_offices")),
    )
    op.create_table(
        "staff",
        sa.Column("code", sa.String(length=7), nullable=False),
        sa.Column("forename", sa.String(length=80), nullable=False),
        sa.Column("surname", sa.String(length=80), nullable=False),
        sa.Column("team_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_code"], ["teams.code"], name=op.f("fk_staff_team_code_teams")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_staff")),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_team_code"), ["team_code"], unique=False)

    op.create_table(
        "cases",
        sa.Column("crn", sa.String(length=7), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("staff_code", sa.String(length=7), nullable=True),
        sa.Column("team_code", sa.String(length=6), nullable=True),
        sa.Column("surname", sa.String(length=80), nullable=False),
        sa.Column("first_name", sa.String(length=80), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_code"], ["staff.code"], name=op.f("fk_cases_staff_code_staff")
        ),
        sa.ForeignKeyConstraint(
            ["team_code"], ["teams.code"], name=op.f("fk_cases_team_code_teams")
        ),
        sa.PrimaryKeyConstraint("crn", name=op.f("pk_cases")),
        sa.UniqueConstraint("person_id", name=op.f("uq_cases_person_id")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_date_of_birth"), ["date_of_birth"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_staff_code"), ["staff_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_surname"), ["surname"], unique=False)

    op.create_table(
        "users",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("staff_code", sa.String(length=7), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_code"], ["staff.code"], name=op.f("fk_users_staff_code_staff")
        ),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_users")),
        sa.UniqueConstraint("staff_code", name=op.f("uq_users_staff_code")),
    )
    op.create_table(
        "allocations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("crn", sa.String(length=7), nullable=False),
        sa.Column("staff_code", sa.String(length=7), nullable=False),
        sa.Column("team_code", sa.String(length=6), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["crn"], ["cases.crn"], name=op.f("fk_allocations_crn_cases")),
        sa.ForeignKeyConstraint(
            ["staff_code"], ["staff.code"], name=op.f("fk_allocations_staff_code_staff")
        ),
        sa.ForeignKeyConstraint(
            ["team_code"], ["teams.code"], name=op.f("fk_allocations_team_code_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocations")),
    )
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allocations_crn"), ["crn"], unique=False)

    op.create_table(
        "devices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["username"], ["users.username"], name=op.f("fk_devices_username_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
    )
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_devices_username"), ["username"], unique=False)

    op.create_table(
        "lao_exclusions",
        sa.Column("crn", sa.String(length=7), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["crn"], ["cases.crn"], name=op.f("fk_lao_exclusions_crn_cases")),
        sa.ForeignKeyConstraint(
            ["username"], ["users.username"], name=op.f("fk_lao_exclusions_username_users")
        ),
        sa.PrimaryKeyConstraint("crn", "username", name=op.f("pk_lao_exclusions")),
    )
    op.create_table(
        "lao_messages",
        sa.Column("crn", sa.String(length=7), nullable=False),
        sa.Column("exclusion_message", sa.String(length=500), nullable=False),
        sa.Column("restriction_message", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["crn"], ["cases.crn"], name=op.f("fk_lao_messages_crn_cases")),
        sa.PrimaryKeyConstraint("crn", name=op.f("pk_lao_messages")),
    )
    op.create_table(
        "lao_restrictions",
        sa.Column("crn", sa.String(length=7), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["crn"], ["cases.crn"], name=op.f("fk_lao_restrictions_crn_cases")),
        sa.ForeignKeyConstraint(
            ["username"], ["users.username"], name=op.f("fk_lao_restrictions_username_users")
        ),
        sa.PrimaryKeyConstraint("crn", "username", name=op.f("pk_lao_restrictions")),
    )
    op.create_table(
        "pins",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("crn", sa.String(length=7), nullable=False),
        sa.Column("pinned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["crn"], ["cases.crn"], name=op.f("fk_pins_crn_cases")),
        sa.ForeignKeyConstraint(
            ["username"], ["users.username"], name=op.f("fk_pins_username_users")
        ),
        sa.PrimaryKeyConstraint("username", "crn", name=op.f("pk_pins")),
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("family_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_refresh_tokens_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["username"], ["users.username"], name=op.f("fk_refresh_tokens_username_users")
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_refresh_tokens")),
    )
    with op.batch_alter_table("refresh_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_refresh_tokens_device_id"), ["device_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_refresh_tokens_family_id"), ["family_id"], unique=False
        )

    op.create_table(
        "sync_clients",
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("last_applied_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_push_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_pull_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["devices.id"], name=op.f("fk_sync_clients_client_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["username"], ["users.username"], name=op.f("fk_sync_clients_username_users")
        ),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_sync_clients")),
    )
    op.create_table(
        "applied_mutations",
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("mutation_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["sync_clients.client_id"],
            name=op.f("fk_applied_mutations_client_id_sync_clients"),
        ),
        sa.PrimaryKeyConstraint("client_id", "seq", name=op.f("pk_applied_mutations")),
        sa.UniqueConstraint("mutation_id", name=op.f("uq_applied_mutations_mutation_id")),
    )


def downgrade() -> None:
    op.drop_table("applied_mutations")
    op.drop_table("sync_clients")
    with op.batch_alter_table("refresh_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refresh_tokens_family_id"))
        batch_op.drop_index(batch_op.f("ix_refresh_tokens_device_id"))

    op.drop_table("refresh_tokens")
    op.drop_table("pins")
    op.drop_table("lao_restrictions")
    op.drop_table("lao_messages")
    op.drop_table("lao_exclusions")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_devices_username"))

    op.drop_table("devices")
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocations_crn"))

    op.drop_table("allocations")
    op.drop_table("users")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_surname"))
        batch_op.drop_index(batch_op.f("ix_cases_staff_code"))
        batch_op.drop_index(batch_op.f("ix_cases_date_of_birth"))

    op.drop_table("cases")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_team_code"))

    op.drop_table("staff")
    op.drop_table("offices")
    op.drop_table("teams")
    op.drop_table("pdus")
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index("ix_records_version")
        batch_op.drop_index("ix_records_crn_kind")

    op.drop_table("records")
    op.drop_table("providers")
    op.drop_table("feed_counter")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_crn"))

    op.drop_table("audit_log")
