"""Writers in parallel on PostgreSQL: records stamped with their transaction id.

PostgreSQL: `records.txid xid8` (the writing transaction, `pg_current_xact_id()`),
indexed `(crn, txid, version)` for pull's per-case range scans, stamped by a trigger on
every rewrite, and the sequence `record_versions` continuing from the counter. Rows
written before this revision get txid 0, below every later transaction, so an old cursor
(a version) translates exactly into the new order `(0, version)`. SQLite keeps its
counter; the column is there at 0 so both databases share one schema.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_STAMP_FUNCTION = """
CREATE FUNCTION records_stamp_txid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.txid := pg_current_xact_id();
    RETURN NEW;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE record_versions")
        op.execute(
            "SELECT setval('record_versions', greatest(value, 1), value > 0) "
            "FROM feed_counter WHERE id = 1"
        )
        # A constant default fills existing rows without rewriting the table.
        op.execute("ALTER TABLE records ADD COLUMN txid xid8 NOT NULL DEFAULT '0'")
        op.execute("ALTER TABLE records ALTER COLUMN txid SET DEFAULT pg_current_xact_id()")
        # Any rewrite moves the row to its writer's transaction, whoever issues it (an
        # UPDATE that kept the old txid could sit below a cursor already past it).
        op.execute(_STAMP_FUNCTION)
        op.execute(
            "CREATE TRIGGER records_stamp_txid BEFORE UPDATE ON records "
            "FOR EACH ROW EXECUTE FUNCTION records_stamp_txid()"
        )
    else:
        op.add_column(
            "records",
            sa.Column("txid", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
        )
    op.create_index("ix_records_crn_txid_version", "records", ["crn", "txid", "version"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER records_stamp_txid ON records")
        op.execute("DROP FUNCTION records_stamp_txid()")
    op.drop_index("ix_records_crn_txid_version", table_name="records")
    op.drop_column("records", "txid")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE feed_counter SET value = greatest(value, "
            "(SELECT last_value FROM record_versions)) WHERE id = 1"
        )
        op.execute("DROP SEQUENCE record_versions")
