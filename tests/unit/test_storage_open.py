"""The open sequence: key first, SQLCipher 4 only, recipe read back, fail closed.

Every refused open must leave the folder exactly as it was: same bytes, no new files.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core.errors import (
    DatabaseCorrupt,
    EncryptionRecipeViolation,
    WorkspaceExists,
    WorkspaceNotFound,
    WrongKey,
)
from desktop.core.models import Role
from desktop.storage import create_database, driver_info, open_database, recipe
from tests.fakes import FixedClock

sqlcipher = pytest.importorskip("sqlcipher3.dbapi2")

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
PAGE = 4096


def literal(key: bytes) -> str:
    return f"\"x'{key.hex()}'\""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A closed workspace database with a few pages of users and events."""
    path = tmp_path / "kura.db"
    with create_database(path, KEY, clock=FixedClock()) as store, store.transaction() as tx:
        for i in range(40):
            tx.users.add(
                username=f"user{i}",
                display_name="利用者 " * 20,
                role=Role.MEMBER,
                password_hash="h" * 90,
                created_at="2026-01-01T00:00:00.000000Z",
            )
            tx.audit.append(actor="system", action="test", obj=f"o{i}", payload={"i": i})
    return path


@pytest.fixture
def untouched(tmp_path: Path) -> Iterator[Callable[[], None]]:
    """Call the returned function after the files are in place; the test end checks them."""
    before: dict[str, dict[str, bytes]] = {}

    def take() -> None:
        before["files"] = snapshot(tmp_path)

    yield take
    assert "files" in before, "the test never took its snapshot"
    assert snapshot(tmp_path) == before["files"]


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


# ------------------------------------------------------------------ create and open


def test_create_then_open_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "kura.db"
    with create_database(path, KEY, clock=FixedClock()) as store:
        with store.transaction() as tx:
            tx.settings.set("workspace_id", "w-1")
        assert store.path == path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kura.db"]
    with open_database(path, KEY, clock=FixedClock()) as store, store.transaction() as tx:
        assert tx.settings.get("workspace_id") == "w-1"


def test_create_refuses_an_existing_file(db: Path, untouched: Callable[[], None]) -> None:
    untouched()
    with pytest.raises(WorkspaceExists):
        create_database(db, KEY, clock=FixedClock())


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_create_refuses_leftover_side_files(tmp_path: Path, suffix: str) -> None:
    (tmp_path / f"kura.db{suffix}").write_bytes(b"stale")
    with pytest.raises(WorkspaceExists, match=suffix):
        create_database(tmp_path / "kura.db", KEY, clock=FixedClock())
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"kura.db{suffix}"]


def test_open_never_creates_a_database(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceNotFound):
        open_database(tmp_path / "kura.db", KEY, clock=FixedClock())
    assert list(tmp_path.iterdir()) == []


def test_open_refuses_a_zero_byte_file(tmp_path: Path, untouched: Callable[[], None]) -> None:
    (tmp_path / "kura.db").touch()
    untouched()
    with pytest.raises(DatabaseCorrupt, match="empty"):
        open_database(tmp_path / "kura.db", KEY, clock=FixedClock())


@pytest.mark.parametrize("bad", [b"", bytes(31), bytes(33), "00" * 32])
def test_key_must_be_exactly_32_bytes(tmp_path: Path, bad: Any) -> None:
    with pytest.raises(WrongKey, match="32 bytes"):
        create_database(tmp_path / "kura.db", bad, clock=FixedClock())
    assert list(tmp_path.iterdir()) == []


def test_key_is_the_first_statement_and_a_raw_hex_key(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connections: list[list[str]] = []

    class Recording:
        def __init__(self, conn: Any) -> None:
            self._conn = conn
            self.seen: list[str] = []
            connections.append(self.seen)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._conn, name)

        def execute(self, sql: str, *args: Any) -> Any:
            self.seen.append(sql)
            return self._conn.execute(sql, *args)

    class Driver:
        Error = sqlcipher.Error

        @staticmethod
        def connect(*args: Any, **kwargs: Any) -> Any:
            return Recording(sqlcipher.connect(*args, **kwargs))

    monkeypatch.setattr(recipe, "load_driver", lambda: Driver)
    open_database(db, KEY, clock=FixedClock()).close()
    assert connections  # a read-only probe, then the read-write connection
    for seen in connections:
        assert seen[0] == f"PRAGMA key = {literal(KEY)}"
        assert re.fullmatch(r"PRAGMA key = \"x'[0-9a-f]{64}'\"", seen[0])


# ------------------------------------------------------------------ wrong key, damage


def test_wrong_key_is_refused(db: Path, untouched: Callable[[], None]) -> None:
    untouched()
    with pytest.raises(WrongKey, match="cannot be decrypted") as info:
        open_database(db, OTHER_KEY, clock=FixedClock())
    assert isinstance(info.value.__cause__, sqlcipher.DatabaseError)
    assert "\n" not in info.value.message


@pytest.mark.parametrize("offset", [0, 15, 16, 100, 2048, PAGE - 1])
def test_corrupted_first_page_is_refused(
    db: Path, untouched: Callable[[], None], offset: int
) -> None:
    flip(db, offset)
    untouched()
    with pytest.raises(WrongKey, match="damaged or belongs to another key"):
        open_database(db, KEY, clock=FixedClock())


@pytest.mark.parametrize(
    "cut",
    [
        pytest.param(lambda size: size - PAGE, id="last-page"),
        pytest.param(lambda size: size - 3 * PAGE, id="three-pages"),
        pytest.param(lambda size: size - 1000, id="mid-page"),
        pytest.param(lambda size: PAGE + 10, id="just-after-page-1"),
        pytest.param(lambda size: 2000, id="inside-page-1"),
    ],
)
def test_truncated_file_is_refused(
    db: Path, untouched: Callable[[], None], cut: Callable[[int], int]
) -> None:
    size = db.stat().st_size
    assert size % PAGE == 0 and size >= 6 * PAGE
    with db.open("r+b") as fh:
        fh.truncate(cut(size))
    untouched()
    with pytest.raises(DatabaseCorrupt, match="truncated"):
        open_database(db, KEY, clock=FixedClock())


def test_stdlib_sqlite_cannot_read_the_file(db: Path) -> None:
    assert db.read_bytes()[:16] != b"SQLite format 3\x00"
    conn = sqlite3.connect(db)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute("SELECT * FROM sqlite_master").fetchall()
    finally:
        conn.close()


def test_no_plaintext_reaches_the_disk(tmp_path: Path) -> None:
    path = tmp_path / "kura.db"
    marker = "PLAINTEXT-MARKER-機密"
    store = create_database(path, KEY, clock=FixedClock())
    with store.transaction() as tx:
        tx.settings.set("secret", marker * 50)
        tx.audit.append(actor="a", action="b", obj="c", payload={"text": marker})
    on_disk = snapshot(tmp_path)  # WAL and shared memory included, before close
    assert "kura.db-wal" in on_disk
    store.close()
    on_disk.update(snapshot(tmp_path))
    for name, data in on_disk.items():
        assert marker.encode() not in data, name
        assert b"PLAINTEXT-MARKER" not in data, name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kura.db"]


def test_sqlcipher3_file_is_refused(tmp_path: Path, untouched: Callable[[], None]) -> None:
    path = tmp_path / "kura.db"
    conn = sqlcipher.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = {literal(KEY)}")
    conn.execute("PRAGMA cipher_compatibility = 3")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    untouched()
    with pytest.raises(EncryptionRecipeViolation, match="SQLCipher 3"):
        open_database(path, KEY, clock=FixedClock())
    # With another key nothing can be decrypted; 2 KiB is not a whole SQLCipher 4 page.
    with pytest.raises((WrongKey, DatabaseCorrupt)):
        open_database(path, OTHER_KEY, clock=FixedClock())


# ------------------------------------------------------------------ the driver and recipe


def test_a_driver_that_is_not_sqlcipher_is_refused(
    db: Path, untouched: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recipe, "load_driver", lambda: sqlite3)
    untouched()
    with pytest.raises(EncryptionRecipeViolation, match="not SQLCipher"):
        open_database(db, KEY, clock=FixedClock())


class _FakeConn:
    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers

    def execute(self, sql: str, *args: Any) -> Any:
        value = self.answers.get(sql)
        return _FakeCursor(None if value is None else (value,))


class _FakeCursor:
    def __init__(self, row: Any) -> None:
        self.row = row

    def fetchone(self) -> Any:
        return self.row

    def fetchall(self) -> list[Any]:
        return [] if self.row is None else [self.row]


def test_sqlcipher_other_than_4_is_refused() -> None:
    conn: Any = _FakeConn({"PRAGMA cipher_version": "3.4.2 community"})
    with pytest.raises(EncryptionRecipeViolation, match=r"4\.x"):
        recipe.assert_sqlcipher(conn)


def test_a_setting_that_does_not_read_back_is_named() -> None:
    conn: Any = _FakeConn({"PRAGMA secure_delete": 0, "PRAGMA journal_mode": "delete"})
    with pytest.raises(EncryptionRecipeViolation, match="secure_delete"):
        recipe.set_and_check(conn, recipe.FILE_PRAGMAS)
    conn = _FakeConn({"PRAGMA secure_delete": 1, "PRAGMA journal_mode": "delete"})
    with pytest.raises(EncryptionRecipeViolation, match="journal_mode"):
        recipe.set_and_check(conn, recipe.FILE_PRAGMAS)


def test_recipe_reads_back_every_setting(db: Path) -> None:
    with open_database(db, KEY, clock=FixedClock()) as store:
        found = store.recipe()
    assert found["cipher_version"].startswith("4.")
    assert found["cipher_memory_security"] == "1"
    assert found["temp_store"] == "2"
    assert found["secure_delete"] == "1"
    assert found["journal_mode"] == "wal"
    assert found["synchronous"] == "2"
    assert found["foreign_keys"] == "1"
    assert found["page_size"] == found["cipher_page_size"] == "4096"
    assert found["cipher_plaintext_header_size"] == "0"
    assert found["sqlite_version"].startswith("3.")


def test_driver_info_names_the_versions() -> None:
    info = driver_info()
    assert info["cipher_version"].startswith("4.")
    assert info["sqlite_version"].startswith("3.")


def test_open_after_a_crash_keeps_the_wal(tmp_path: Path) -> None:
    """A WAL left by a crash holds committed data: the size check must allow it."""
    path = tmp_path / "kura.db"
    store = create_database(path, KEY, clock=FixedClock())
    with store.transaction() as tx:
        tx.settings.set("k", "v")
    crash_copy = tmp_path / "crash"
    crash_copy.mkdir()
    for p in tmp_path.glob("kura.db*"):
        shutil.copy(p, crash_copy / p.name)  # the files as a power cut would leave them
    store.close()
    reopened = open_database(crash_copy / "kura.db", KEY, clock=FixedClock())
    with reopened, reopened.transaction() as tx:
        assert tx.settings.get("k") == "v"


def test_failed_open_of_a_crashed_workspace_leaves_its_wal(tmp_path: Path) -> None:
    path = tmp_path / "kura.db"
    store = create_database(path, KEY, clock=FixedClock())
    with store.transaction() as tx:
        tx.settings.set("k", "v")
    crash = tmp_path / "crash"
    crash.mkdir()
    for p in tmp_path.glob("kura.db*"):
        shutil.copy(p, crash / p.name)
    store.close()
    assert (crash / "kura.db-wal").stat().st_size > 0
    before = snapshot(crash)
    with pytest.raises(WrongKey):
        open_database(crash / "kura.db", OTHER_KEY, clock=FixedClock())
    after = snapshot(crash)
    # The -shm is SQLite's shared-memory WAL index, rebuilt from the WAL by any reader
    # and never holding data of its own; the database and its WAL stay byte-identical.
    assert after.keys() == before.keys()
    assert {n: b for n, b in after.items() if not n.endswith("-shm")} == {
        n: b for n, b in before.items() if not n.endswith("-shm")
    }
    store = open_database(crash / "kura.db", KEY, clock=FixedClock())
    with store, store.transaction() as tx:
        assert tx.settings.get("k") == "v"
