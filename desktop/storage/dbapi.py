"""The slice of DB-API 2.0 the repositories and migrations use.

Both ``sqlcipher3.dbapi2`` and the standard library's ``sqlite3`` connections satisfy
these Protocols, so the same repository code runs on an encrypted and on a plain
database (the benchmark compares the two). Connections must be in autocommit mode
(``isolation_level=None``): transactions are opened explicitly with ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol, runtime_checkable

# Primary SQLite result codes (https://sqlite.org/rescode.html) read from the
# ``sqlite_errorcode`` attribute that both drivers set on their exceptions.
SQLITE_PERM = 3
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_CONSTRAINT = 19
SQLITE_NOTADB = 26


class Cursor(Protocol):
    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    @property
    def rowcount(self) -> int: ...


class Connection(Protocol):
    @property
    def in_transaction(self) -> bool: ...

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor: ...

    def close(self) -> None: ...


@runtime_checkable
class BulkConnection(Protocol):
    """``executemany``, which both drivers have and :class:`Connection` leaves out."""

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Any: ...


def primary_code(exc: BaseException) -> int | None:
    """The primary SQLite result code carried by a driver exception, if any."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def violates_constraint(exc: BaseException) -> bool:
    """Whether a driver exception is a constraint violation (UNIQUE, CHECK, FOREIGN KEY...).

    ``sqlcipher3`` reports only the primary code, the stdlib ``sqlite3`` the extended one
    (``SQLITE_CONSTRAINT_UNIQUE``), so only the primary code is compared.
    """
    return primary_code(exc) == SQLITE_CONSTRAINT


def scalar(conn: Connection, sql: str, parameters: Sequence[Any] = ()) -> Any:
    """The first column of the first row, or None when there is no row."""
    row = conn.execute(sql, parameters).fetchone()
    return None if row is None else row[0]


def execute_many(conn: Connection, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """Run ``sql`` once per row: ``executemany`` where the connection has it, else a loop
    (same result, slower)."""
    if isinstance(conn, BulkConnection):
        conn.executemany(sql, rows)
        return
    for row in rows:
        conn.execute(sql, row)
