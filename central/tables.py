"""The central service's database schema (SQLAlchemy Core), the contract of `central/`.

Case records are stored as versioned JSON documents in `records`, one row per
domain record (person, address, event, requirement, licence_condition, contact,
registration): the mutation semantics in `domain.semantics` read and write them
in the same shape on the server and in the client's cache. `version` rises with
every write of a record. On SQLite it is a value of the counter `feed_counter`, taken
under the single write lock, and the change feed is "records whose `version` is above
the cursor". On PostgreSQL it comes from the sequence `record_versions` and each row
also carries `txid`, the writing transaction: the feed serves rows by `(txid,
version)` below the visibility watermark, so writers run in parallel and a reader
never skips a late commit (see `central/sync/feed.py`).

Queryable facts the server needs for scope, search and administration live in
ordinary typed tables (`cases`, `allocations`, `lao_*`, `pins`, ...). Every
schema change goes through an Alembic migration in `central/migrations/`.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
)

from central.xid import Xid8, current_txid

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

UUID_LEN = 36

# --- organisation -----------------------------------------------------------------

providers = Table(
    "providers",
    metadata,
    Column("code", String(8), primary_key=True),
    Column("name", String(120), nullable=False),
)

pdus = Table(
    "pdus",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("provider_code", ForeignKey("providers.code"), nullable=False),
)

teams = Table(
    "teams",
    metadata,
    Column("code", String(6), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("pdu_code", ForeignKey("pdus.code"), nullable=False),
    Column("provider_code", ForeignKey("providers.code"), nullable=False),
)

offices = Table(
    "offices",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("description", String(200), nullable=False),
    Column("team_code", ForeignKey("teams.code"), nullable=True),
    Column("address", String(300), nullable=False, default=""),
    # Printed on letters as "who to call" (migration 0010).
    Column("phone", String(40), nullable=False, default="", server_default=""),
)

staff = Table(
    "staff",
    metadata,
    Column("code", String(7), primary_key=True),
    Column("forename", String(80), nullable=False),
    Column("surname", String(80), nullable=False),
    Column("team_code", ForeignKey("teams.code"), nullable=False, index=True),
)

# --- people who sign in, their laptops and tokens ------------------------------------

users = Table(
    "users",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("staff_code", ForeignKey("staff.code"), nullable=True, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("password_changed_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Failed sign-ins per username as typed, whether or not such a user exists, so that
# throttling cannot tell an attacker which usernames are real (migration 0002).
sign_in_throttle = Table(
    "sign_in_throttle",
    metadata,
    Column("username", String(200), primary_key=True),
    Column("failures", Integer, nullable=False, default=0),
    Column("locked_until", DateTime(timezone=True), nullable=True),
)

devices = Table(
    "devices",
    metadata,
    # The device id is also the sync client id: one per laptop profile.
    Column("id", String(UUID_LEN), primary_key=True),
    Column("username", ForeignKey("users.username"), nullable=False, index=True),
    Column("name", String(120), nullable=False, default=""),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("revoked_by", String(64), nullable=True),
    # The laptop's DPoP key (RFC 7638 thumbprint), sent with its first sign-in, and the
    # administrator's approval: no token is issued to a device until it is approved.
    Column("jkt", String(64), nullable=True),
    Column("approved_at", DateTime(timezone=True), nullable=True),
    Column("approved_by", String(64), nullable=True),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # sha256 hex; the token is never stored
    Column("family_id", String(UUID_LEN), nullable=False, index=True),
    Column("device_id", ForeignKey("devices.id"), nullable=False, index=True),
    Column("username", ForeignKey("users.username"), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    # Rotation: each token is used once; a second use revokes its whole family.
    Column("used_at", DateTime(timezone=True), nullable=True),
)

# One row per sign-in (a refresh-token family): its access tokens carry its id (`sid`)
# and every request checks it, so revoking it ends the session at the next request.
token_families = Table(
    "token_families",
    metadata,
    Column("id", String(UUID_LEN), primary_key=True),
    Column("device_id", ForeignKey("devices.id"), nullable=False, index=True),
    Column("username", ForeignKey("users.username"), nullable=False, index=True),
    Column("jkt", String(64), nullable=False),  # the key every refresh must prove
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

# DPoP proof ids seen within the accepted time window: a replayed proof is refused.
dpop_proofs = Table(
    "dpop_proofs",
    metadata,
    Column("jti", String(64), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False, index=True),
)

# Whether a new laptop needs an administrator's approval: scope "*" is service-wide, a
# provider (region) code overrides it for that region's officers. No row: required.
device_approval = Table(
    "device_approval",
    metadata,
    Column("scope", String(16), primary_key=True),
    Column("required", Boolean, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("changed_by", String(64), nullable=False),
)

# --- the case records and their change feed -----------------------------------------

# Record versions on PostgreSQL (SQLite has no sequences and keeps `feed_counter`).
record_versions = Sequence("record_versions", metadata=metadata)

feed_counter = Table(
    "feed_counter",
    metadata,
    Column("id", Integer, primary_key=True),  # exactly one row, id = 1
    Column("value", BigInteger, nullable=False),
)

records = Table(
    "records",
    metadata,
    Column("id", String(UUID_LEN), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("crn", String(7), nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("data", JSON, nullable=True),
    Column("field_versions", JSON, nullable=False, default=dict),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(64), nullable=True),
    # The transaction that last wrote the row (PostgreSQL; 0 on SQLite): the feed's order.
    Column("txid", Xid8(), nullable=False, server_default=current_txid(), onupdate=current_txid()),
    # Leads with (crn, kind); the rest lets a pull's checksums read the index alone
    # (migration 0015).
    Index("ix_records_crn_lines", "crn", "kind", "id", "version", "deleted"),
    Index("ix_records_version", "version"),
    # Pull range-scans each held case from the cursor (central/sync/tables_wanted.md).
    Index("ix_records_crn_version", "crn", "version"),
    # The PostgreSQL feed: pull range-scans each held case by (txid, version) from the
    # cursor up to the watermark, so its cost follows the laptop's cases, not the nation's
    # writes (a (txid, version) index alone would walk every case's writes since the cursor).
    Index("ix_records_crn_txid_version", "crn", "txid", "version"),
)

cases = Table(
    "cases",
    metadata,
    Column("crn", String(7), primary_key=True),
    Column("person_id", String(UUID_LEN), nullable=False, unique=True),
    Column("staff_code", ForeignKey("staff.code"), nullable=True, index=True),
    Column("team_code", ForeignKey("teams.code"), nullable=True),
    # Lower-cased copies for national search; the person record is authoritative.
    Column("surname", String(80), nullable=False, index=True),
    Column("first_name", String(80), nullable=False),
    Column("date_of_birth", Date, nullable=False, index=True),
    Column("aliases", Text, nullable=False, default=""),
    # National search by name prefix: trigrams on PostgreSQL (migration 0015).
    Index(
        "ix_cases_names",
        "surname",
        "first_name",
        "aliases",
        postgresql_using="gin",
        postgresql_ops=dict.fromkeys(("surname", "first_name", "aliases"), "gin_trgm_ops"),
    ),
)

allocations = Table(
    "allocations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("crn", ForeignKey("cases.crn"), nullable=False, index=True),
    Column("staff_code", ForeignKey("staff.code"), nullable=False),
    Column("team_code", ForeignKey("teams.code"), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=True),
    Column("reason", String(200), nullable=False, default=""),
)

lao_messages = Table(
    "lao_messages",
    metadata,
    Column("crn", ForeignKey("cases.crn"), primary_key=True),
    Column("exclusion_message", String(500), nullable=False),
    Column("restriction_message", String(500), nullable=False),
)

lao_exclusions = Table(
    "lao_exclusions",
    metadata,
    Column("crn", ForeignKey("cases.crn"), primary_key=True),
    Column("username", ForeignKey("users.username"), primary_key=True),
)

lao_restrictions = Table(
    "lao_restrictions",
    metadata,
    Column("crn", ForeignKey("cases.crn"), primary_key=True),
    Column("username", ForeignKey("users.username"), primary_key=True),
)

pins = Table(
    "pins",
    metadata,
    Column("username", ForeignKey("users.username"), primary_key=True),
    Column("crn", ForeignKey("cases.crn"), primary_key=True),
    Column("pinned_at", DateTime(timezone=True), nullable=False),
    # Why the officer keeps a case from outside their caseload, and when the keep lapses
    # (null: kept before keeps lapsed). `pending` waits for approval (migration 0006).
    Column("reason", String(16), nullable=False, default="other", server_default="other"),
    Column("reason_text", String(200), nullable=False, default="", server_default=""),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("status", String(16), nullable=False, default="kept", server_default="kept"),
)

# Per probation region (provider): how long a kept case stays, and whether keeping one
# needs approval. A region without a row uses the service's settings (migration 0006).
keep_policies = Table(
    "keep_policies",
    metadata,
    Column("provider_code", ForeignKey("providers.code"), primary_key=True),
    Column("needs_approval", Boolean, nullable=False),
    Column("keep_days", Integer, nullable=False),
)

# --- exactly-once push ------------------------------------------------------------

sync_clients = Table(
    "sync_clients",
    metadata,
    Column("client_id", ForeignKey("devices.id"), primary_key=True),
    Column("username", ForeignKey("users.username"), nullable=False),
    Column("last_applied_seq", BigInteger, nullable=False, default=0),
    Column("last_push_at", DateTime(timezone=True), nullable=True),
    Column("last_pull_at", DateTime(timezone=True), nullable=True),
)

applied_mutations = Table(
    "applied_mutations",
    metadata,
    Column("client_id", ForeignKey("sync_clients.client_id"), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("mutation_id", String(UUID_LEN), nullable=False, unique=True),
    Column("name", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # applied | conflict | rejected
    Column("result", JSON, nullable=False),  # the stored MutationResult, replayed verbatim
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

# --- documents (central/documents/): bytes by SHA-256, kept in chunks ----------------

document_blobs = Table(
    "document_blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("media_type", String(120), nullable=False),
    Column("received_bytes", BigInteger, nullable=False, default=0),
    Column("complete", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(64), nullable=False),
)

document_chunks = Table(
    "document_chunks",
    metadata,
    Column("sha256", ForeignKey("document_blobs.sha256"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

# --- audit ------------------------------------------------------------------------

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("username", String(64), nullable=False),
    Column("device_id", String(UUID_LEN), nullable=True),
    Column("action", String(48), nullable=False),
    Column("crn", String(7), nullable=True, index=True),
    Column("record_id", String(UUID_LEN), nullable=True),
    Column("detail", JSON, nullable=False, default=dict),
    # `at` is the server's receipt time; a time the client claims (a case viewed offline)
    # is kept beside it with the plausibility check's verdict (migration 0006).
    Column("claimed_at", DateTime(timezone=True), nullable=True),
    Column("claim_check", String(24), nullable=True),
)

# --- cover for a colleague (migration 0011, central/sync/cover.py) --------------------

covers = Table(
    "covers",
    metadata,
    Column("id", String(UUID_LEN), primary_key=True),
    Column("username", ForeignKey("users.username"), nullable=False, index=True),  # covering
    Column("staff_code", ForeignKey("staff.code"), nullable=False, index=True),  # covered
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("visits_only", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
    Column("ended_by", String(64), nullable=True),
)

cover_cases = Table(
    "cover_cases",
    metadata,
    Column("cover_id", ForeignKey("covers.id"), primary_key=True),
    Column("crn", ForeignKey("cases.crn"), primary_key=True, index=True),
)


# --- calendar feeds (migration 0010) -----------------------------------------------

calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    # sha256 of the token in the feed's URL: the token itself is never stored.
    Column("token_hash", String(64), primary_key=True),
    Column("username", ForeignKey("users.username"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_read_at", DateTime(timezone=True), nullable=True),
)
