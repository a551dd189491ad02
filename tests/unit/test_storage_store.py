"""SqlCipherStore: transactions, rekey in WAL mode, integrity checks and close."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.core.errors import WrongKey
from desktop.core.models import Role
from desktop.storage import SqlCipherStore, create_database, open_database
from tests.fakes import FixedClock

sqlcipher = pytest.importorskip("sqlcipher3.dbapi2")

KEY = bytes(range(32))
NEW_KEY = bytes(reversed(range(32)))
PAGE = 4096


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = create_database(tmp_path / "kura.db", KEY, clock=FixedClock())
    yield s
    s.close()


def fill(store: SqlCipherStore, n: int) -> None:
    with store.transaction() as tx:
        for i in range(n):
            tx.users.add(
                username=f"u{i}",
                display_name="x" * 200,
                role=Role.MEMBER,
                password_hash="h" * 100,
                created_at="2026-01-01T00:00:00.000000Z",
            )
            tx.audit.append(actor="a", action="b", obj=f"u{i}", payload={"pad": "p" * 300})


def decrypts(path: Path, key: bytes) -> bool:
    conn = sqlcipher.connect(str(path), isolation_level=None)
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlcipher.DatabaseError:
        return False
    finally:
        conn.close()
    return True


# ------------------------------------------------------------------ transactions


def test_an_exception_rolls_the_transaction_back(store: SqlCipherStore) -> None:
    with pytest.raises(ZeroDivisionError), store.transaction() as tx:
        tx.settings.set("k", "v")
        tx.audit.append(actor="a", action="b", obj="c", payload={})
        _ = 1 / 0
    with store.transaction() as tx:
        assert tx.settings.get("k") is None
        assert tx.audit.head()[0] == 0 and tx.audit.count() == 0


def test_transactions_do_not_nest(store: SqlCipherStore) -> None:
    with store.transaction(), pytest.raises(RuntimeError), store.transaction():
        pass
    with store.transaction() as tx:  # the outer one was rolled back cleanly
        tx.settings.set("k", "v")


def test_verify_audit_inside_a_transaction_sees_its_writes(store: SqlCipherStore) -> None:
    with store.transaction() as tx:
        tx.audit.append(actor="a", action="b", obj="c", payload={})
        assert store.verify_audit().count == 1


# ------------------------------------------------------------------ rekey


def test_rekey_in_wal_mode_old_key_opens_nothing(tmp_path: Path, store: SqlCipherStore) -> None:
    path = store.path
    fill(store, 50)  # uncheckpointed frames sit in the WAL under the old key
    assert (tmp_path / "kura.db-wal").stat().st_size > 0
    store.rekey(NEW_KEY)
    assert (tmp_path / "kura.db-wal").stat().st_size == 0  # truncated: no old-key frames
    assert not decrypts(path, KEY)  # while the store is still open
    assert decrypts(path, NEW_KEY)
    with store.transaction() as tx:  # the open connection keeps working under the new key
        for i in range(3):
            tx.settings.set(f"after{i}", "yes")
    store.close()
    before = path.read_bytes()
    with pytest.raises(WrongKey):
        open_database(path, KEY, clock=FixedClock())
    assert path.read_bytes() == before
    with open_database(path, NEW_KEY, clock=FixedClock()) as reopened:
        assert reopened.verify_audit().count == 50
        assert reopened.integrity_check() == []
        with reopened.transaction() as tx:
            assert len(tx.users.list()) == 50
            assert tx.settings.get("after2") == "yes"


def test_rekey_refuses_a_malformed_key(store: SqlCipherStore) -> None:
    with pytest.raises(WrongKey, match="32 bytes"):
        store.rekey(b"short")
    assert decrypts(store.path, KEY)


def test_rekey_twice(store: SqlCipherStore) -> None:
    third = bytes([7]) * 32
    store.rekey(NEW_KEY)
    store.rekey(third)
    assert decrypts(store.path, third)
    assert not decrypts(store.path, NEW_KEY) and not decrypts(store.path, KEY)


# ------------------------------------------------------------------ integrity and close


def test_integrity_check_is_empty_for_a_sound_database(store: SqlCipherStore) -> None:
    fill(store, 20)
    assert store.integrity_check() == []


def test_integrity_check_reports_a_damaged_page(tmp_path: Path, store: SqlCipherStore) -> None:
    fill(store, 60)
    store.close()
    path = tmp_path / "kura.db"
    data = bytearray(path.read_bytes())
    assert len(data) >= 20 * PAGE
    data[9 * PAGE + 200] ^= 0xFF  # page 10: table data the open sequence does not read
    path.write_bytes(bytes(data))
    with open_database(path, KEY, clock=FixedClock()) as damaged:
        problems = damaged.integrity_check()
    assert "cipher_integrity_check: HMAC verification failed for page 10" in problems


def test_close_is_idempotent_and_leaves_only_the_database(
    tmp_path: Path, store: SqlCipherStore
) -> None:
    fill(store, 5)
    store.close()
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kura.db"]
    with pytest.raises(RuntimeError), store.transaction():
        pass


def test_schema_version_counts_applied_migrations(store: SqlCipherStore) -> None:
    from desktop.storage.migrations import MIGRATIONS

    assert store.schema_version() == len(MIGRATIONS)
