"""The connection recipe, asserted at every open (DESIGN.md, Keys and the encrypted store).

On every connection: the raw key is the first statement; the driver must be SQLCipher
4; the memory settings are on before any page is decrypted; decryption is proven by
reading ``sqlite_master``. Then (see ``desktop.storage.db``) the file must not be
truncated, and the file settings are set and read back. Every failure is a specific
``AppError`` and the caller closes the connection (fail closed).
"""

from __future__ import annotations

import binascii
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from desktop.core.errors import (
    AppError,
    DatabaseCorrupt,
    DataDirUnreadable,
    EncryptionRecipeViolation,
    WrongKey,
)
from desktop.core.messages import Term
from desktop.storage.dbapi import (
    SQLITE_CANTOPEN,
    SQLITE_CORRUPT,
    SQLITE_FULL,
    SQLITE_IOERR,
    SQLITE_NOTADB,
    SQLITE_PERM,
    SQLITE_READONLY,
    Connection,
    primary_code,
    scalar,
)

KEY_BYTES = 32
#: SQLCipher 4's default page size; the recipe never changes it.
CIPHER_PAGE_SIZE = 4096

#: (pragma, value set, value expected back), set before the first page is decrypted.
MEMORY_PRAGMAS = (
    ("cipher_memory_security", "ON", "1"),
    ("temp_store", "MEMORY", "2"),
)
#: The same, set once decryption has been proven.
FILE_PRAGMAS = (
    ("secure_delete", "ON", "1"),
    ("journal_mode", "WAL", "wal"),
    ("synchronous", "FULL", "2"),
    ("foreign_keys", "ON", "1"),
)
#: Read back by ``recipe()`` for ``kura doctor``.
REPORTED_PRAGMAS = (
    "cipher_version",
    "cipher_provider",
    "cipher_memory_security",
    "temp_store",
    "secure_delete",
    "journal_mode",
    "synchronous",
    "foreign_keys",
    "page_size",
    "cipher_page_size",
    "cipher_use_hmac",
    "cipher_hmac_algorithm",
    "cipher_kdf_algorithm",
    "kdf_iter",
    "cipher_plaintext_header_size",
)


def load_driver() -> Any:
    """The ``sqlcipher3.dbapi2`` module, imported lazily; fail closed when it is missing."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError as exc:
        raise EncryptionRecipeViolation("workspace.driver_missing", details=repr(exc)) from exc
    return dbapi2


def key_literal(key: bytes) -> str:
    """The raw-key form ``"x'<64 hex>'"``; refuses anything but exactly 32 bytes."""
    if not isinstance(key, bytes) or len(key) != KEY_BYTES:
        size = len(key) if isinstance(key, bytes) else type(key).__name__
        raise WrongKey("workspace.key_wrong_size", expected=KEY_BYTES, size=size)
    hex_key = binascii.hexlify(key).decode("ascii")
    return f"\"x'{hex_key}'\""


def translate(exc: BaseException, path: Path, step: Term) -> AppError | None:
    """The core error naming problem and remedy for a driver exception; None if unknown.
    ``step`` is what was being done (``Term("workspace.step.…")``)."""
    name, code = path.name, primary_code(exc)
    if code == SQLITE_CORRUPT:
        return DatabaseCorrupt(
            "workspace.database_damaged", name=name, step=step, details=repr(exc)
        )
    if code == SQLITE_NOTADB:
        return WrongKey("workspace.database_wrong_key", name=name, details=repr(exc))
    if code == SQLITE_FULL:
        return DataDirUnreadable("workspace.disk_full", name=name, step=step)
    if code in (SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN):
        return DataDirUnreadable(
            "workspace.cannot_read_write", name=name, step=step, details=repr(exc)
        )
    return None


@contextmanager
def driver_errors(driver: Any, path: Path, step: Term, *, strict: bool = True) -> Iterator[None]:
    """Translate driver exceptions raised inside the block, chaining the cause.

    ``strict``: an exception with no specific translation, or a ``MemoryError`` (how
    SQLCipher's page-authentication failures surface), becomes DatabaseCorrupt (used by
    the open sequence, which fails closed); otherwise it propagates unchanged (a
    constraint violation inside a transaction is a programming error, not damage).
    """
    try:
        yield
    except MemoryError as exc:
        if not strict:
            raise
        raise DatabaseCorrupt(  # SQLCipher's SQLITE_NOMEM for a page failing its HMAC
            "workspace.database_page_unauthentic", name=path.name, step=step, details=repr(exc)
        ) from exc
    except driver.Error as exc:
        error = translate(exc, path, step)
        if error is None and not strict:
            raise
        raise error or DatabaseCorrupt(
            "workspace.database_failed", name=path.name, step=step, details=repr(exc)
        ) from exc


def connect(driver: Any, path: Path, *, read_only: bool = False) -> Connection:
    """An autocommit connection; nothing is executed on it yet."""
    with driver_errors(driver, path, Term("workspace.step.opening_file")):
        if read_only:
            uri = f"{path.absolute().as_uri()}?mode=ro"
            conn: Connection = driver.connect(uri, uri=True, isolation_level=None)
        else:
            conn = driver.connect(str(path), isolation_level=None)
    return conn


def apply_key(conn: Connection, literal: str) -> None:
    """The first statement on every connection: the raw key, then quiet SQLCipher logs."""
    conn.execute(f"PRAGMA key = {literal}")
    conn.execute("PRAGMA cipher_log_level = NONE")


def assert_sqlcipher(conn: Connection) -> str:
    """Fail closed unless the driver is SQLCipher 4.x; returns the version."""
    version = scalar(conn, "PRAGMA cipher_version")
    if not version:
        raise EncryptionRecipeViolation("workspace.driver_not_sqlcipher")
    if not str(version).startswith("4."):
        raise EncryptionRecipeViolation("workspace.sqlcipher_unsupported", version=version)
    return str(version)


def set_and_check(conn: Connection, pragmas: tuple[tuple[str, str, str], ...]) -> None:
    """Set each pragma and read it back; any mismatch is a recipe violation."""
    for name, value, expected in pragmas:
        conn.execute(f"PRAGMA {name} = {value}").fetchall()
        actual = scalar(conn, f"PRAGMA {name}")
        if str(actual).lower() != expected:
            raise EncryptionRecipeViolation(
                "workspace.recipe_setting_wrong",
                name=name,
                actual=actual,
                expected=expected,
                details=f"PRAGMA {name} = {value} -> {actual!r}",
            )


def assert_decrypts(conn: Connection, driver: Any, path: Path, literal: str) -> None:
    """Prove the key by reading ``sqlite_master``; explain why it failed when it does.

    SQLCipher reports a page that fails authentication after page 1 as SQLITE_NOMEM,
    which the driver raises as ``MemoryError``: here it means damage, not memory.
    """
    try:
        scalar(conn, "SELECT count(*) FROM sqlite_master")
    except (driver.Error, MemoryError) as exc:
        raise _undecryptable(driver, path, literal, exc) from exc


def _undecryptable(driver: Any, path: Path, literal: str, exc: BaseException) -> AppError:
    """A wrong key, an SQLCipher 3 file, damage or truncation: tell them apart."""
    code = primary_code(exc)
    # Page 1 decrypted and passed its HMAC, yet the file is inconsistent: SQLite says
    # CORRUPT when the authentic header counts more pages than the file holds.
    damaged = code == SQLITE_CORRUPT or isinstance(exc, MemoryError)
    if not damaged and code not in (SQLITE_NOTADB, None):
        return translate(exc, path, Term("workspace.step.reading_schema")) or DatabaseCorrupt(
            "workspace.database_truncated", name=path.name, reason=repr(exc), details=repr(exc)
        )
    if not damaged and _opens_as_sqlcipher3(driver, path, literal):
        return EncryptionRecipeViolation(
            "workspace.sqlcipher3_file", name=path.name, details=repr(exc)
        )
    size = path.stat().st_size
    if size % CIPHER_PAGE_SIZE:
        return DatabaseCorrupt(
            "workspace.database_partial_page",
            name=path.name,
            size=size,
            details=f"{size} bytes is not a whole number of pages",
        )
    if damaged:
        return DatabaseCorrupt(
            "workspace.database_shorter_than_header",
            name=path.name,
            details="it is shorter than its header says, or a page is damaged",
        )
    return WrongKey("workspace.database_wrong_key", name=path.name, details=repr(exc))


def _opens_as_sqlcipher3(driver: Any, path: Path, literal: str) -> bool:
    """Whether the key reads the file under SQLCipher 3 settings (a probe only)."""
    try:
        probe = connect(driver, path, read_only=True)
    except AppError:
        return False
    try:
        apply_key(probe, literal)
        probe.execute("PRAGMA cipher_compatibility = 3")
        scalar(probe, "SELECT count(*) FROM sqlite_master")
    except driver.Error:
        return False
    finally:
        probe.close()
    return True


def check_not_truncated(conn: Connection, path: Path, *, clean: bool) -> None:
    """The file holds whole pages, and, with no WAL, exactly the pages the header counts."""
    page_size = int(scalar(conn, "PRAGMA page_size"))
    page_count = int(scalar(conn, "PRAGMA page_count"))
    size = path.stat().st_size
    if size % page_size:
        raise DatabaseCorrupt(
            "workspace.database_not_page_multiple",
            name=path.name,
            size=size,
            page_size=page_size,
            details=f"{size} bytes is not a multiple of the {page_size}-byte page",
        )
    if clean and size != page_size * page_count:
        raise DatabaseCorrupt(
            "workspace.database_size_mismatch",
            name=path.name,
            size=size,
            expected=page_size * page_count,
            details=f"{size} bytes on disk, {page_size * page_count} expected",
        )


def read_recipe(conn: Connection) -> dict[str, str]:
    """The asserted settings and versions, as the database reports them now."""
    found = {"sqlite_version": str(scalar(conn, "SELECT sqlite_version()"))}
    for name in REPORTED_PRAGMAS:
        found[name] = str(scalar(conn, f"PRAGMA {name}"))
    return found
