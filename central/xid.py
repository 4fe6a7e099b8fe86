"""PostgreSQL transaction ids as a column type, for the change feed's watermark.

Each record row is stamped with the transaction that wrote it (`pg_current_xact_id()`,
the 64-bit `xid8`: no wraparound), so a pull can serve only what every older
transaction has finished writing (`central/sync/feed.py`). SQLite has one writer at a
time and keeps its counter; there the column is an integer left at 0.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, TypeDecorator
from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeEngine, UserDefinedType


class _PgXid8(UserDefinedType[str]):
    cache_ok = True

    def get_col_spec(self, **_kw: Any) -> str:
        return "XID8"


class Xid8(TypeDecorator[int]):
    """A transaction id: PostgreSQL's 64-bit `xid8` (never wraps), an integer elsewhere.

    psycopg passes text for it (xid8 has no cast from bigint) and reads text back."""

    impl = BigInteger
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(_PgXid8())
        return dialect.type_descriptor(BigInteger())

    def process_bind_param(self, value: int | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "postgresql":
            return value
        return str(int(value))

    def process_result_value(self, value: Any, _dialect: Dialect) -> int | None:
        return None if value is None else int(value)


class current_txid(FunctionElement[int]):
    """The writing transaction's id: `pg_current_xact_id()`; 0 on SQLite (unused there)."""

    type = Xid8()
    inherit_cache = True


@compiles(current_txid)
def _current_txid_default(_element: Any, _compiler: Any, **_kw: Any) -> str:
    return "0"


@compiles(current_txid, "postgresql")
def _current_txid_postgres(_element: Any, _compiler: Any, **_kw: Any) -> str:
    return "pg_current_xact_id()"


# Reflection (alembic's schema comparison) knows the column's type instead of warning.
ischema_names["xid8"] = _PgXid8
