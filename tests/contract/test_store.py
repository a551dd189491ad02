"""The Store port's contract: users, settings and the audit log inside transactions.

``StoreContract`` is the suite; every implementation inherits it. Here the SQLCipher
store runs it, and so does the same repository code on a plain stdlib ``sqlite3``
connection (what the SQLCipher-vs-SQLite benchmark relies on).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from desktop.core.audit import GENESIS_HASH, ChainReport, verify_chain
from desktop.core.clock import iso_utc
from desktop.core.errors import AlreadyExists, NotFound
from desktop.core.models import Role, UserStatus
from desktop.core.ports import Transaction
from desktop.storage import create_database, migrate, transaction
from desktop.storage.repo_audit import SqlAuditLog, verify_log
from tests.fakes import FixedClock

CREATED = "2026-01-02T03:04:05.000000Z"


class StoreContract:
    """Inherit and provide ``store`` (an object with ``transaction()`` and ``verify_audit()``)."""

    @pytest.fixture
    def clock(self) -> FixedClock:
        return FixedClock()

    @pytest.fixture
    def store(self, tmp_path: Path, clock: FixedClock) -> Iterator[Any]:
        raise NotImplementedError

    @staticmethod
    def add(tx: Transaction, name: str, role: Role = Role.MEMBER) -> Any:
        return tx.users.add(
            username=name,
            display_name=name.title(),
            role=role,
            password_hash=f"hash-{name}",
            created_at=CREATED,
        )

    # -------------------------------------------------------------- users

    def test_add_and_get_a_user(self, store: Any) -> None:
        with store.transaction() as tx:
            user = self.add(tx, "alice", Role.ADMIN)
            assert tx.users.get(user.id) == user
            assert tx.users.get_by_name("alice") == user
        assert user.role is Role.ADMIN and user.status is UserStatus.ACTIVE
        assert user.display_name == "Alice" and user.password_hash == "hash-alice"
        assert user.created_at == CREATED and user.last_login_at is None

    def test_unknown_users_are_none(self, store: Any) -> None:
        with store.transaction() as tx:
            assert tx.users.get(42) is None
            assert tx.users.get_by_name("nobody") is None

    def test_user_names_are_unique_ignoring_case(self, store: Any) -> None:
        with store.transaction() as tx:
            alice = self.add(tx, "alice")
            assert tx.users.get_by_name("ALICE") == alice
            with pytest.raises(AlreadyExists):
                self.add(tx, "Alice")

    def test_list_is_oldest_first(self, store: Any) -> None:
        with store.transaction() as tx:
            names = ["zoe", "adam", "さくら"]
            for name in names:
                self.add(tx, name)
            assert [u.username for u in tx.users.list()] == names

    def test_count_active_by_role(self, store: Any) -> None:
        with store.transaction() as tx:
            self.add(tx, "owner", Role.OWNER)
            a = self.add(tx, "a", Role.ADMIN)
            self.add(tx, "b", Role.ADMIN)
            tx.users.set_status(a.id, UserStatus.DISABLED)
            assert tx.users.count_active(Role.ADMIN) == 1
            assert tx.users.count_active(Role.OWNER) == 1
            assert tx.users.count_active(Role.EDITOR) == 0

    def test_setters_change_one_field(self, store: Any) -> None:
        with store.transaction() as tx:
            user = self.add(tx, "bob")
            tx.users.set_role(user.id, Role.EDITOR)
            tx.users.set_status(user.id, UserStatus.DISABLED)
            tx.users.set_password_hash(user.id, "new-hash")
            tx.users.set_last_login(user.id, "2026-02-03T00:00:00.000000Z")
            changed = tx.users.get(user.id)
        assert changed is not None
        assert changed.role is Role.EDITOR and changed.status is UserStatus.DISABLED
        assert changed.password_hash == "new-hash"
        assert changed.last_login_at == "2026-02-03T00:00:00.000000Z"
        assert (changed.username, changed.created_at) == (user.username, user.created_at)

    def test_setters_on_an_unknown_user_raise_not_found(self, store: Any) -> None:
        with store.transaction() as tx:
            with pytest.raises(NotFound):
                tx.users.set_role(999, Role.ADMIN)
            with pytest.raises(NotFound):
                tx.users.set_status(999, UserStatus.DISABLED)
            with pytest.raises(NotFound):
                tx.users.set_password_hash(999, "x")
            with pytest.raises(NotFound):
                tx.users.set_last_login(999, CREATED)

    # -------------------------------------------------------------- settings

    def test_settings_get_set_and_overwrite(self, store: Any) -> None:
        with store.transaction() as tx:
            assert tx.settings.get("workspace_id") is None
            tx.settings.set("workspace_id", "w-1")
            tx.settings.set("policy", "日本語")
            tx.settings.set("workspace_id", "w-2")
        with store.transaction() as tx:
            assert tx.settings.get("workspace_id") == "w-2"
            assert tx.settings.get("policy") == "日本語"

    # -------------------------------------------------------------- audit log

    def test_empty_log(self, store: Any) -> None:
        with store.transaction() as tx:
            assert tx.audit.head() == (0, GENESIS_HASH)
            assert tx.audit.count() == 0
            assert list(tx.audit.iter_events()) == []

    def test_append_chains_events(self, store: Any, clock: FixedClock) -> None:
        with store.transaction() as tx:
            first = tx.audit.append(actor="a", action="x.did", obj="o:1", payload={"n": 1})
            clock.advance(2.5)
            second = tx.audit.append(actor="b", action="y.did", obj="o:2", payload={"ja": "監査"})
            assert tx.audit.head() == (2, second.hash)
            assert tx.audit.count() == 2
            assert list(tx.audit.iter_events()) == [first, second]
            assert list(tx.audit.iter_events(since_seq=2)) == [second]
        assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)
        assert (second.seq, second.prev_hash) == (2, first.hash)
        assert second.ts == iso_utc(clock.now()) and first.ts != second.ts
        assert verify_chain([first, second]).ok

    def test_events_survive_across_transactions(self, store: Any) -> None:
        with store.transaction() as tx:
            event = tx.audit.append(actor="a", action="b", obj="c", payload={"k": [1, None]})
        with store.transaction() as tx:
            assert list(tx.audit.iter_events()) == [event]
            assert tx.audit.head() == (1, event.hash)
        assert store.verify_audit().ok

    def test_rollback_discards_users_settings_events_and_head(self, store: Any) -> None:
        with store.transaction() as tx:
            kept = tx.audit.append(actor="a", action="kept", obj="c", payload={})
        with pytest.raises(KeyError), store.transaction() as tx:
            self.add(tx, "ghost")
            tx.settings.set("ghost", "1")
            tx.audit.append(actor="a", action="lost", obj="c", payload={})
            raise KeyError("undo")
        with store.transaction() as tx:
            assert tx.users.get_by_name("ghost") is None
            assert tx.settings.get("ghost") is None
            assert tx.audit.head() == (1, kept.hash)
            assert tx.audit.count() == 1
        # The next append continues the committed chain, not the rolled-back one.
        with store.transaction() as tx:
            nxt = tx.audit.append(actor="a", action="next", obj="c", payload={})
        assert (nxt.seq, nxt.prev_hash) == (2, kept.hash)
        report = store.verify_audit()
        assert report.ok and report.count == 2


class TestSqlCipherStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path, clock: FixedClock) -> Iterator[Any]:
        pytest.importorskip("sqlcipher3")
        s = create_database(tmp_path / "kura.db", bytes(range(32)), clock=clock)
        yield s
        s.close()


class PlainSqliteStore:
    """The same migrations and repositories on a stdlib ``sqlite3`` connection."""

    def __init__(self, path: Path, clock: FixedClock) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.clock = clock
        migrate(self.conn, clock)

    def transaction(self) -> AbstractContextManager[Any]:
        return transaction(self.conn, self.clock)

    def verify_audit(self) -> ChainReport:
        with self.transaction():
            return verify_log(SqlAuditLog(self.conn, self.clock))

    def close(self) -> None:
        self.conn.close()


class TestPlainSqliteRepositories(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path, clock: FixedClock) -> Iterator[Any]:
        s = PlainSqliteStore(tmp_path / "plain.db", clock)
        yield s
        s.close()
