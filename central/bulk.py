"""Many-row INSERTs at the driver's speed, stored exactly as SQLAlchemy would store them.

`conn.execute(table.insert(), rows)` spends most of its time per row inside SQLAlchemy
(a parameter set built for each row, then each value's bind processor reached through
several layers of calls); a 250-mutation push batch inserts 750 rows that way, which
cost more than SQLite's own work. `BulkInsert` compiles the statement once per dialect,
passes each value through the column type's own bind processor (JSON to text,
datetimes to SQLite's text form, booleans to integers), so the stored values are the
same, and hands the tuples to the driver's `executemany` in one call.

Column defaults are not applied: every row must carry every column it inserts. A
dialect with named parameters (PostgreSQL's psycopg) takes the ordinary path.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.engine import Dialect

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    columns: tuple[tuple[str, Processor], ...]  # in the statement's parameter order

    def values(self, rows: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        """Each row's values in parameter order, through the processors that apply."""
        names = [name for name, _p in self.columns]
        get = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
        processed = [(i, p) for i, (_n, p) in enumerate(self.columns) if p is not None]
        if not processed:
            return [get(row) for row in rows]
        out = []
        for row in rows:
            values = list(get(row))
            for i, process in processed:
                values[i] = process(values[i])
            out.append(tuple(values))
        return out


class BulkInsert:
    """`INSERT INTO table (columns...)` for many rows at once (see the module's docstring)."""

    def __init__(self, table: Table, *, skip: Collection[str] = ()) -> None:
        self.table = table
        self.columns = tuple(c.name for c in table.columns if c.name not in skip)
        # Per dialect object: each engine's has its own JSON serializer.
        self._compiled: weakref.WeakKeyDictionary[Dialect, _Compiled | None] = (
            weakref.WeakKeyDictionary()
        )

    def execute(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        compiled = self._compile(conn.dialect)
        if compiled is None:
            conn.execute(self.table.insert(), [dict(row) for row in rows])
            return
        conn.exec_driver_sql(compiled.sql, compiled.values(rows))

    def _compile(self, dialect: Dialect) -> _Compiled | None:
        if dialect in self._compiled:
            return self._compiled[dialect]
        statement = self.table.insert().compile(dialect=dialect, column_keys=list(self.columns))
        found = None
        if statement.positional and statement.positiontup is not None:
            order = tuple(statement.positiontup)
            if sorted(order) == sorted(self.columns):
                found = _Compiled(
                    str(statement), tuple((n, _processor(self.table, n, dialect)) for n in order)
                )
        self._compiled[dialect] = found
        return found


def _processor(table: Table, name: str, dialect: Dialect) -> Processor:
    """What SQLAlchemy applies to this column's values on the way in, on this dialect."""
    return table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
