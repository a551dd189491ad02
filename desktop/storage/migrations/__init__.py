"""Schema migrations: an ordered, append-only list of small functions.

Each migration is a function ``mNNNN_description(conn)`` in its own module. Its name is
recorded with the UTC time in the ``schema_migrations`` ledger, and the migration and its
ledger row commit in ONE transaction, so a crash never leaves a half-applied step. Never
edit or reorder a migration that has shipped; append a new one.

Everything here takes a plain DB-API connection (see :mod:`desktop.storage.dbapi`), so it
runs on SQLCipher and on the standard library's ``sqlite3`` alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import AppError, MigrationFailed, SchemaTooNew
from desktop.storage.dbapi import Connection, scalar
from desktop.storage.migrations.m0001_initial import m0001_initial
from desktop.storage.migrations.m0002_models_apps_conversations import (
    m0002_models_apps_conversations,
)
from desktop.storage.migrations.m0003_knowledge import m0003_knowledge
from desktop.storage.migrations.m0004_turn_citations import m0004_turn_citations
from desktop.storage.migrations.m0005_folded_fulltext import m0005_folded_fulltext
from desktop.storage.migrations.m0006_account_security import m0006_account_security
from desktop.storage.migrations.m0007_audit_review import m0007_audit_review
from desktop.storage.migrations.m0008_model_file_key import m0008_model_file_key
from desktop.storage.migrations.m0009_preferences_usage import m0009_preferences_usage
from desktop.storage.migrations.m0010_turn_superseded import m0010_turn_superseded
from desktop.storage.migrations.m0011_turn_failed import m0011_turn_failed
from desktop.storage.migrations.m0012_conversation_search_files import (
    m0012_conversation_search_files,
)
from desktop.storage.migrations.m0013_word_index import m0013_word_index, register_words
from desktop.storage.migrations.m0014_index_parts import m0014_index_parts
from desktop.storage.migrations.m0015_turn_pseudonyms import m0015_turn_pseudonyms
from desktop.storage.migrations.m0016_bundle_keys import m0016_bundle_keys
from desktop.storage.migrations.m0017_kb_word_counts import m0017_kb_word_counts
from desktop.storage.migrations.m0018_usage_limits import m0018_usage_limits
from desktop.storage.migrations.m0019_remote_endpoints import m0019_remote_endpoints
from desktop.storage.migrations.m0020_exhaustive_turn_mark import m0020_exhaustive_turn_mark

Migration = Callable[[Connection], None]

#: Every migration, oldest first. Append only.
MIGRATIONS: tuple[Migration, ...] = (
    m0001_initial,
    m0002_models_apps_conversations,
    m0003_knowledge,
    m0004_turn_citations,
    m0005_folded_fulltext,
    m0006_account_security,
    m0007_audit_review,
    m0008_model_file_key,
    m0009_preferences_usage,
    m0010_turn_superseded,
    m0011_turn_failed,
    m0012_conversation_search_files,
    m0013_word_index,
    m0014_index_parts,
    m0015_turn_pseudonyms,
    m0016_bundle_keys,
    m0017_kb_word_counts,
    m0018_usage_limits,
    m0019_remote_endpoints,
    m0020_exhaustive_turn_mark,
)

_LEDGER_DDL = (
    "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
)


def applied_migrations(conn: Connection) -> list[str]:
    """Names recorded in the ledger, oldest first; empty for a blank database."""
    exists = scalar(
        conn, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    )
    if not exists:
        return []
    rows = conn.execute("SELECT name FROM schema_migrations ORDER BY rowid").fetchall()
    return [str(row[0]) for row in rows]


def check_not_newer(conn: Connection, migrations: Sequence[Migration] = MIGRATIONS) -> None:
    """Raise SchemaTooNew when the ledger names a migration this code does not know."""
    known = {m.__name__ for m in migrations}
    unknown = [name for name in applied_migrations(conn) if name not in known]
    if unknown:
        raise SchemaTooNew(
            "workspace.schema_too_new",
            steps=", ".join(unknown),
            details=f"unknown migrations: {unknown}",
        )


def pending_migrations(
    conn: Connection, migrations: Sequence[Migration] = MIGRATIONS
) -> list[Migration]:
    """The migrations not yet in the ledger, in order."""
    done = set(applied_migrations(conn))
    return [m for m in migrations if m.__name__ not in done]


def migrate(
    conn: Connection,
    clock: Clock,
    *,
    migrations: Sequence[Migration] = MIGRATIONS,
    before_first: Callable[[], None] | None = None,
) -> list[str]:
    """Apply every pending migration, each with its ledger row in one transaction.

    ``before_first`` runs once, before the first pending migration (the SQLCipher store
    uses it to copy the database file to a backup). Raises SchemaTooNew for a newer
    file and MigrationFailed (after rolling that step back) when a migration raises;
    the steps before it stay committed.
    Returns the names applied.
    """
    register_words(conn)  # the SQL function the word index's triggers call (m0013)
    check_not_newer(conn, migrations)
    pending = pending_migrations(conn, migrations)
    if pending and before_first is not None:
        before_first()
    applied: list[str] = []
    for migration in pending:
        _apply_one(conn, migration, iso_utc(clock.now()))
        applied.append(migration.__name__)
    return applied


def _apply_one(conn: Connection, migration: Migration, applied_at: str) -> None:
    name = migration.__name__
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(_LEDGER_DDL)
        migration(conn)
        conn.execute(
            "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", (name, applied_at)
        )
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if not isinstance(exc, Exception):
            raise
        raise MigrationFailed(
            "workspace.migration_step_failed",
            name=name,
            kind=type(exc).__name__,
            reason=exc if isinstance(exc, AppError) else str(exc),
            details=repr(exc),
        ) from exc


def schema_version(conn: Connection) -> int:
    """The number of applied migrations."""
    return len(applied_migrations(conn))


__all__ = [
    "MIGRATIONS",
    "Migration",
    "applied_migrations",
    "check_not_newer",
    "migrate",
    "pending_migrations",
    "schema_version",
]
