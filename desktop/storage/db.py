"""The encrypted store: create and open ``kura.db``, and the ``SqlCipherStore`` adapter.

Every open runs the same sequence (see :mod:`desktop.storage.recipe`), then refuses
newer schemas and migrates. A failed open closes the connection, removes any side file
it created and leaves the database file as it found it; it never creates a database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.core.audit import ChainReport
from desktop.core.clock import Clock
from desktop.core.errors import (
    AppError,
    DatabaseCorrupt,
    DataDirUnreadable,
    MigrationFailed,
    WorkspaceExists,
    WorkspaceNotFound,
)
from desktop.core.messages import Term
from desktop.storage import files, recipe
from desktop.storage.dbapi import Connection, scalar
from desktop.storage.migrations import (
    MIGRATIONS,
    Migration,
    check_not_newer,
    migrate,
    schema_version,
)
from desktop.storage.repo_audit import SqlAuditLog, verify_log
from desktop.storage.repositories import SqlTransaction, transaction

if TYPE_CHECKING:
    from desktop.core.ports import Store


def driver_info() -> dict[str, str]:
    """Versions of the bundled driver, read from a throw-away in-memory connection."""
    driver = recipe.load_driver()
    conn = driver.connect(":memory:", isolation_level=None)
    try:
        return {
            "cipher_version": str(scalar(conn, "PRAGMA cipher_version") or ""),
            "sqlite_version": str(scalar(conn, "SELECT sqlite_version()")),
        }
    finally:
        conn.close()


def create_database(
    path: Path, key: bytes, *, clock: Clock, migrations: Sequence[Migration] = MIGRATIONS
) -> SqlCipherStore:
    """Create a new encrypted database at ``path`` and migrate it; never overwrites.

    ``migrations`` is for tests; the application always uses the default.
    """
    literal = recipe.key_literal(key)
    recipe.load_driver()
    _reserve(path)
    try:
        return _open(path, literal, clock, migrations, new=True)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def open_database(
    path: Path, key: bytes, *, clock: Clock, migrations: Sequence[Migration] = MIGRATIONS
) -> SqlCipherStore:
    """Open an existing database, assert the recipe, refuse newer schemas, migrate.

    Raises WorkspaceNotFound, DatabaseCorrupt, WrongKey, EncryptionRecipeViolation,
    SchemaTooNew or MigrationFailed; never creates a file.
    """
    literal = recipe.key_literal(key)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise WorkspaceNotFound("workspace.database_missing", name=path.name) from exc
    except OSError as exc:
        raise DataDirUnreadable(
            "workspace.cannot_read", path=path.name, reason=exc.strerror
        ) from exc
    if size == 0:
        raise DatabaseCorrupt("workspace.database_empty", name=path.name)
    return _open(path, literal, clock, migrations, new=False)


def _reserve(path: Path) -> None:
    """Create ``path`` as an empty, private file, or refuse when anything is in the way."""
    leftovers = [s for s in files.SIDE_SUFFIXES if files.side_path(path, s).exists()]
    try:
        if leftovers:
            raise FileExistsError(path.name + leftovers[0])
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError as exc:
        raise WorkspaceExists(
            "workspace.file_exists", name=exc.args[0] if leftovers else path.name
        ) from exc
    except OSError as exc:
        raise DataDirUnreadable(
            "workspace.cannot_create", path=path.name, reason=exc.strerror
        ) from exc


def _open(
    path: Path, literal: str, clock: Clock, migrations: Sequence[Migration], *, new: bool
) -> SqlCipherStore:
    driver = recipe.load_driver()
    side = files.SideFiles(path)
    conn: Connection | None = None
    try:
        if not new:
            _validate(driver, path, literal, migrations, clean=not side.wal_has_content)
        conn = recipe.connect(driver, path)
        _unlock(conn, driver, path, literal)
        with recipe.driver_errors(driver, path, Term("workspace.step.setting_recipe")):
            recipe.set_and_check(conn, recipe.FILE_PRAGMAS)
            conn.execute("PRAGMA busy_timeout = 5000")
        _migrate(conn, driver, path, clock, migrations, backup=not new)
    except BaseException:
        if conn is not None:
            conn.close()
        side.remove_new()
        raise
    return SqlCipherStore(conn, path, clock, driver)


def _unlock(conn: Connection, driver: Any, path: Path, literal: str) -> None:
    """Key first, SQLCipher 4 only, memory settings on, then decryption proven."""
    with recipe.driver_errors(driver, path, Term("workspace.step.applying_key")):
        recipe.apply_key(conn, literal)
        recipe.assert_sqlcipher(conn)
        recipe.set_and_check(conn, recipe.MEMORY_PRAGMAS)
    recipe.assert_decrypts(conn, driver, path, literal)


def _validate(
    driver: Any, path: Path, literal: str, migrations: Sequence[Migration], *, clean: bool
) -> None:
    """Every check that only reads, made on a read-only connection.

    A read-write connection that fails would still, when it closes, checkpoint a WAL
    left by a crash into the main file and delete it (SQLite copies WAL frames without
    decrypting them, so it does this even under a wrong key). A read-only one cannot.
    """
    probe = recipe.connect(driver, path, read_only=True)
    try:
        _unlock(probe, driver, path, literal)
        with recipe.driver_errors(driver, path, Term("workspace.step.checking_file")):
            recipe.check_not_truncated(probe, path, clean=clean)
            check_not_newer(probe, migrations)
    finally:
        probe.close()


def _migrate(
    conn: Connection,
    driver: Any,
    path: Path,
    clock: Clock,
    migrations: Sequence[Migration],
    *,
    backup: bool,
) -> None:
    """Migrate; on an existing file, back it up first and restore it if a step fails."""
    made: list[Path] = []

    def before_first() -> None:
        _checkpoint(conn, path)
        made.append(files.make_backup(path))

    try:
        with recipe.driver_errors(driver, path, Term("workspace.step.upgrading_schema")):
            migrate(
                conn, clock, migrations=migrations, before_first=before_first if backup else None
            )
    except BaseException as exc:
        if made:
            conn.close()
            _restore(path, made[0], exc)
        raise
    if made:
        made[0].unlink(missing_ok=True)


def _restore(path: Path, backup: Path, exc: BaseException) -> None:
    """Put the pre-migration copy back and raise MigrationFailed saying what happened."""
    why: object = exc if isinstance(exc, AppError) else f"{type(exc).__name__}: {exc}"
    try:
        files.restore_backup(path, backup)
    except OSError as restore_exc:
        raise MigrationFailed(
            "workspace.migration_restore_failed",
            name=path.name,
            reason=why,
            restore_reason=restore_exc.strerror,
            backup=backup.name,
            details=repr(exc),
        ) from exc
    if not isinstance(exc, Exception):
        return  # KeyboardInterrupt and friends propagate unchanged, file restored
    raise MigrationFailed(
        "workspace.migration_restored", name=path.name, reason=why, details=repr(exc)
    ) from exc


def _checkpoint(conn: Connection, path: Path) -> None:
    """Move every WAL frame into the main file and truncate the WAL."""
    row = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if row is not None and int(row[0]) != 0:
        raise DataDirUnreadable("workspace.database_busy", name=path.name)


def _stored_tables(conn: Connection) -> list[str]:
    """Every table stored in b-trees (the schema first), not the virtual ones."""
    rows = conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' "
        "AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
    ).fetchall()
    return ["sqlite_schema", *(str(row[0]) for row in rows)]


class SqlCipherStore:
    """The encrypted database (the ``Store`` port) on one SQLCipher connection."""

    def __init__(self, conn: Connection, path: Path, clock: Clock, driver: Any) -> None:
        self.path = path
        self._conn: Connection | None = conn
        self._clock = clock
        self._driver = driver

    def __enter__(self) -> SqlCipherStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _live(self) -> Connection:
        if self._conn is None:
            raise RuntimeError(f"{self.path.name} is closed")
        return self._conn

    def _errors(self, step: Term) -> AbstractContextManager[None]:
        return recipe.driver_errors(self._driver, self.path, step, strict=False)

    @contextmanager
    def transaction(self) -> Iterator[SqlTransaction]:
        """``BEGIN IMMEDIATE``; commit on normal exit, roll back on exception."""
        with (
            self._errors(Term("workspace.step.transaction")),
            transaction(self._live(), self._clock) as tx,
        ):
            yield tx

    def checkpoint(self) -> None:
        """Move every WAL frame into the main file and truncate the WAL to zero bytes.

        Run after deleting private content (a conversation, an app): ``secure_delete``
        zeroes the freed space in the main file, and once the WAL is truncated no older
        copy of those pages is left in it. Refused inside a transaction.
        """
        conn = self._live()
        if conn.in_transaction:
            raise RuntimeError("checkpoint inside a transaction")
        with self._errors(Term("workspace.step.checkpointing")):
            _checkpoint(conn, self.path)

    def schema_version(self) -> int:
        """How many migrations are applied."""
        with self._errors(Term("workspace.step.reading_schema_version")):
            return schema_version(self._live())

    def recipe(self) -> dict[str, str]:
        """The asserted connection settings and versions, as read back now."""
        with self._errors(Term("workspace.step.reading_recipe")):
            return recipe.read_recipe(self._live())

    def integrity_check(self) -> list[str]:
        """Problems found by ``cipher_integrity_check`` and ``quick_check``; empty when sound.

        The WAL is checkpointed first, since ``cipher_integrity_check`` reads the main file.
        A check that cannot run on a damaged file is itself reported as a problem.
        """
        conn = self._live()
        problems: list[str] = []
        for pragma in ("wal_checkpoint(TRUNCATE)", "cipher_integrity_check", "quick_check"):
            try:
                rows = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}").fetchall()]
            except (self._driver.Error, MemoryError) as exc:
                problems.append(f"{pragma}: {type(exc).__name__}: {exc}")
                continue
            if pragma != "wal_checkpoint(TRUNCATE)":
                problems.extend(f"{pragma}: {row}" for row in rows if row != "ok")
        return problems

    def check_snapshot(self) -> list[str]:
        """Problems ``quick_check`` finds in one read snapshot; empty when sound.

        Safe beside writers on other connections (which ``integrity_check`` is not: it
        checkpoints, then reads the main file, into which a writer's checkpoint may be
        moving pages, and a bare ``quick_check`` lets the full-text index's own checks
        read a newer state than the tables'). Every page it reads is authenticated; one
        that fails is reported as a problem.
        """
        conn = self._live()
        if conn.in_transaction:
            raise RuntimeError("check inside a transaction")
        with self._errors(Term("workspace.step.checking_file")):
            conn.execute("BEGIN")
            try:
                rows = [
                    f"{table}: {row[0]}"
                    for table in _stored_tables(conn)
                    for row in conn.execute(f'PRAGMA quick_check("{table}")').fetchall()
                ]
            except MemoryError as exc:  # SQLCipher's SQLITE_NOMEM for a page failing its HMAC
                return [f"quick_check: a page fails authentication ({exc!r})"]
            except self._driver.Error as exc:
                return [f"quick_check: {type(exc).__name__}: {exc}"]
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
        return [f"quick_check: {row}" for row in rows if not row.endswith(": ok")]

    def verify_audit(self) -> ChainReport:
        """Re-derive the whole audit chain and check ``audit_head`` matches its end."""
        conn = self._live()
        log = SqlAuditLog(conn, self._clock)
        with self._errors(Term("workspace.step.verifying_audit_log")):
            if conn.in_transaction:
                return verify_log(log)
            conn.execute("BEGIN")  # one read snapshot for the events and the head
            try:
                return verify_log(log)
            finally:
                conn.execute("ROLLBACK")

    def snapshot(self, target: Path, key: bytes) -> dict[str, Any]:
        """Export a consistent copy of the database into ``target`` (an empty file)
        under ``key`` (:mod:`desktop.storage.snapshot`); the facts read with it."""
        from desktop.storage.snapshot import export_snapshot

        with self._errors(Term("workspace.step.snapshotting")):
            return export_snapshot(self._live(), self._driver, target, key)

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt every page under ``new_key``; afterwards the old key opens nothing."""
        literal = recipe.key_literal(new_key)
        conn = self._live()
        if conn.in_transaction:
            raise RuntimeError("rekey inside a transaction")
        with self._errors(Term("workspace.step.reencrypting")):
            _checkpoint(conn, self.path)  # nothing under the old key stays in the WAL
            conn.execute(f"PRAGMA rekey = {literal}").fetchall()
            _checkpoint(conn, self.path)  # every page under the new key in the main file
        self._prove_key(literal)

    def _prove_key(self, literal: str) -> None:
        probe = recipe.connect(self._driver, self.path)
        try:
            recipe.apply_key(probe, literal)
            scalar(probe, "SELECT count(*) FROM sqlite_master")
        except self._driver.Error as exc:
            raise DatabaseCorrupt(
                "workspace.rekey_unproven", name=self.path.name, details=repr(exc)
            ) from exc
        finally:
            probe.close()

    def close(self) -> None:
        """Checkpoint (truncating the WAL), optimize and close. Safe to call twice.

        Best effort before the close itself: on a damaged file the checkpoint or optimize
        may fail, and the committed data then stays in the WAL for the next open.
        """
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            _checkpoint(conn, self.path)
            conn.execute("PRAGMA optimize").fetchall()
        except (self._driver.Error, MemoryError, AppError):
            pass
        finally:
            conn.close()


if TYPE_CHECKING:

    def _is_a_store(store: SqlCipherStore) -> Store:
        return store
