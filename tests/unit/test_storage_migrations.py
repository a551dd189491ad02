"""Migrations: the ledger, one transaction per step, newer files refused, backup restored."""

from __future__ import annotations

import importlib
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core.clock import iso_utc
from desktop.core.errors import MigrationFailed, SchemaTooNew
from desktop.storage import create_database, migrate, open_database
from desktop.storage.files import backup_path
from desktop.storage.migrations import MIGRATIONS, applied_migrations, schema_version
from desktop.storage.repo_conversations import SqlConversationRepository
from desktop.storage.repo_knowledge import SqlKnowledgeRepository
from tests.fakes import FixedClock

sqlcipher = pytest.importorskip("sqlcipher3.dbapi2")

KEY = bytes(range(32))

EXPECTED_COLUMNS = {
    "app_versions": ["app_id", "version", "config", "created_at"],
    "apps": ["id", "name", "current_version", "created_by", "created_at", "updated_at"],
    "audit_events": [
        "seq",
        "ts",
        "actor",
        "action",
        "object",
        "payload",
        "payload_sha256",
        "prev_hash",
        "hash",
    ],
    "audit_head": ["id", "seq", "hash"],
    "chunk_fts": ["search_text"],
    "annotations": ["id", "turn_id", "author", "answer", "at"],
    "app_retention": ["app_id", "days", "legal_hold", "updated_by", "updated_at"],
    "feedback": ["turn_id", "user_id", "rating", "comment", "at"],
    "signing_keys": ["id", "public_key", "fingerprint", "created_at", "retired_at"],
    "bundle_keys": ["id", "checkpoint_sha256", "export_seq", "secret", "created_at"],
    "login_guard": ["name_key", "failures", "locked_until", "last_failure_at"],
    "recovery_codes": ["user_id", "code_hash", "used_at"],
    "role_requests": ["user_id", "role", "requested_by", "requested_at"],
    "totp": ["user_id", "secret", "pending_secret", "last_step", "enrolled_at"],
    "user_preferences": ["user_id", "key", "value", "updated_at"],
    "chunk_fts_config": ["k", "v"],
    "chunk_fts_data": ["id", "block"],
    "chunk_fts_docsize": ["id", "sz"],
    "chunk_fts_idx": ["segid", "term", "pgno"],
    "chunk_fts_terms": ["term", "doc", "cnt"],
    "chunk_words": ["words"],
    "chunk_words_config": ["k", "v"],
    "chunk_words_content": ["id", "c0"],
    "chunk_words_data": ["id", "block"],
    "chunk_words_docsize": ["id", "sz"],
    "chunk_words_idx": ["segid", "term", "pgno"],
    "turn_fts": ["user_text", "answer"],
    "turn_fts_config": ["k", "v"],
    "turn_fts_data": ["id", "block"],
    "turn_fts_docsize": ["id", "sz"],
    "turn_fts_idx": ["segid", "term", "pgno"],
    "chunks": ["id", "version_id", "kb_id", "idx", "start", "end", "heading", "text", "folded"],
    "conversations": [
        "id",
        "app_id",
        "app_version",
        "user_id",
        "title",
        "variables",
        "created_at",
        "updated_at",
    ],
    "document_versions": [
        "id",
        "document_id",
        "version",
        "sha256",
        "size",
        "kind",
        "meta",
        "added_by",
        "added_at",
        "text",
        "original",
    ],
    "documents": ["id", "kb_id", "name", "active_version_id", "created_at"],
    "embeddings": ["chunk_id", "vector"],
    "kb_index": ["kb_id", "stamp", "saved_at", "size"],
    "kb_index_part": ["kb_id", "part", "blob"],
    "kb_word_counts": ["kb_id", "word", "chunks"],
    "knowledge_bases": [
        "id",
        "name",
        "description",
        "visibility",
        "members",
        "app_allowlist",
        "settings",
        "created_by",
        "created_at",
        "updated_at",
        "conversation_id",
        "active_chunks",
    ],
    "models": [
        "id",
        "name",
        "path",
        "sha256",
        "size",
        "mtime_ns",
        "info",
        "settings",
        "created_at",
        "created_by",
        "file_key",
        "endpoint",
    ],
    "schema_migrations": ["name", "applied_at"],
    "settings": ["key", "value"],
    "sqlite_sequence": ["name", "seq"],
    "turn_pseudonyms": ["turn_id", "conversation_id", "mapping"],
    "turns": [
        "id",
        "conversation_id",
        "seq",
        "user_text",
        "answer",
        "stop_reason",
        "app_version",
        "model_sha256",
        "usage",
        "timings",
        "dropped_turns",
        "created_at",
        "citations",
        "superseded_by",
        "superseded_at",
    ],
    "usage_limits": [
        "id",
        "user_id",
        "app_id",
        "model_id",
        "tokens_per_day",
        "tokens_per_month",
        "requests_per_minute",
        "concurrent",
        "updated_at",
        "updated_by",
    ],
    "users": [
        "id",
        "username",
        "display_name",
        "role",
        "status",
        "password_hash",
        "created_at",
        "last_login_at",
    ],
}
EXPECTED_TRIGGERS = {
    "app_versions_no_update",
    "audit_events_extend_only",
    "audit_events_no_delete",
    "audit_events_no_update",
    "audit_head_forward_only",
    "audit_head_no_delete",
    "chunks_fts_delete",
    "chunks_fts_insert",
    "chunks_no_update",
    "chunks_words_delete",
    "chunks_words_insert",
    "document_versions_no_update",
    "documents_active_version_is_own",
    "turns_fts_delete",
    "turns_fts_insert",
    "turns_fts_update",
}
EXPECTED_INDEXES = {
    "annotations_by_turn": ["turn_id"],
    "audit_by_action": ["action", "seq"],
    "chunks_by_kb": ["kb_id"],
    "chunks_scope": ["id", "kb_id", "version_id"],
    "conversations_by_app": ["app_id"],
    "conversations_by_app_updated": ["app_id", "updated_at"],
    "conversations_by_user": ["user_id", "updated_at"],
    "documents_by_active_version": ["active_version_id"],
    "knowledge_bases_conversation": ["conversation_id"],
    "turn_pseudonyms_by_conversation": ["conversation_id", "turn_id"],
    "turns_by_conversation_created": ["conversation_id", "created_at", "stop_reason", None],
    "turns_by_created": ["created_at"],
    "usage_limits_by_app": ["app_id"],
    "usage_limits_by_model": ["model_id"],
    "usage_limits_by_user": ["user_id"],
}


@pytest.fixture
def plain() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    yield conn
    conn.close()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def raw(path: Path) -> Any:
    conn = sqlcipher.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{KEY.hex()}'\"")
    return conn


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "kura.db"
    with create_database(path, KEY, clock=FixedClock()) as store, store.transaction() as tx:
        tx.settings.set("workspace_id", "w-1")
        tx.audit.append(actor="system", action="workspace.created", obj="w", payload={})
    return path


def m0002_add_notes(conn: Any) -> None:
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    conn.execute("INSERT INTO notes (body) VALUES ('kept')")


def m0003_explodes(conn: Any) -> None:
    conn.execute("CREATE TABLE half_done (x)")
    raise RuntimeError("boom")


# ------------------------------------------------------------------ the list and the schema


def test_migration_names_are_ordered_and_unique() -> None:
    names = [m.__name__ for m in MIGRATIONS]
    assert all(re.fullmatch(r"m\d{4}_[a-z0-9_]+", n) for n in names)
    assert names == sorted(set(names))
    assert [int(n[1:5]) for n in names] == list(range(1, len(names) + 1))


def test_blank_database_gets_the_expected_schema(plain: sqlite3.Connection) -> None:
    clock = FixedClock()
    assert migrate(plain, clock) == [m.__name__ for m in MIGRATIONS]
    tables = {
        name: [row[1] for row in plain.execute(f"PRAGMA table_info({name})")]
        for (name,) in plain.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    assert tables == EXPECTED_COLUMNS
    triggers = {n for (n,) in plain.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert triggers == EXPECTED_TRIGGERS
    indexes = {
        name: [row[2] for row in plain.execute(f"PRAGMA index_info({name})")]
        for (name,) in plain.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    }
    assert indexes == EXPECTED_INDEXES
    strict = {n for (n, s) in plain.execute("SELECT name, strict FROM pragma_table_list") if s}
    fts = {
        n for n in EXPECTED_COLUMNS if n.startswith(("chunk_fts", "chunk_words", "turn_fts"))
    }  # virtual
    assert strict == set(EXPECTED_COLUMNS) - {"schema_migrations", "sqlite_sequence"} - fts
    assert plain.execute("SELECT id, seq, hash FROM audit_head").fetchall() == [(1, 0, "0" * 64)]
    ledger = plain.execute("SELECT name, applied_at FROM schema_migrations").fetchall()
    assert ledger == [(m.__name__, iso_utc(clock.now())) for m in MIGRATIONS]
    assert schema_version(plain) == len(MIGRATIONS)


def test_migrate_is_idempotent(plain: sqlite3.Connection) -> None:
    migrate(plain, FixedClock())
    assert migrate(plain, FixedClock()) == []
    assert applied_migrations(plain) == [m.__name__ for m in MIGRATIONS]


def test_a_failing_step_rolls_back_with_its_ledger_row(plain: sqlite3.Connection) -> None:
    migrate(plain, FixedClock())
    steps = (*MIGRATIONS, m0002_add_notes, m0003_explodes)
    with pytest.raises(MigrationFailed, match="m0003_explodes"):
        migrate(plain, FixedClock(), migrations=steps)
    assert applied_migrations(plain)[-1] == "m0002_add_notes"
    tables = {n for (n,) in plain.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "notes" in tables and "half_done" not in tables
    assert not plain.in_transaction


def test_before_first_runs_only_when_something_is_pending(plain: sqlite3.Connection) -> None:
    calls: list[int] = []
    migrate(plain, FixedClock(), before_first=lambda: calls.append(1))
    migrate(plain, FixedClock(), before_first=lambda: calls.append(2))
    assert calls == [1]


# ------------------------------------------------------------------ on the encrypted file


def test_newer_schema_is_refused(db: Path, tmp_path: Path) -> None:
    conn = raw(db)
    conn.execute(
        "INSERT INTO schema_migrations (name, applied_at) VALUES ('m9999_from_the_future', 'x')"
    )
    conn.close()
    before = snapshot(tmp_path)
    with pytest.raises(SchemaTooNew, match="m9999_from_the_future"):
        open_database(db, KEY, clock=FixedClock())
    assert snapshot(tmp_path) == before


def test_pending_migration_runs_on_open_with_a_backup(db: Path, tmp_path: Path) -> None:
    original = db.read_bytes()
    seen: list[bytes] = []

    def m0002_checks_backup(conn: Any) -> None:
        seen.append(backup_path(db).read_bytes())
        m0002_add_notes(conn)

    with open_database(
        db, KEY, clock=FixedClock(), migrations=(*MIGRATIONS, m0002_checks_backup)
    ) as store:
        assert store.schema_version() == len(MIGRATIONS) + 1
        with store.transaction() as tx:
            assert tx.settings.get("workspace_id") == "w-1"
    assert seen == [original]  # the backup is the encrypted file, byte for byte
    assert not seen[0].startswith(b"SQLite format 3")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kura.db"]


def test_failed_migration_restores_the_file_byte_identical(db: Path, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    steps = (*MIGRATIONS, m0002_add_notes, m0003_explodes)
    with pytest.raises(MigrationFailed, match="restored") as info:
        open_database(db, KEY, clock=FixedClock(), migrations=steps)
    assert "m0003_explodes" in info.value.message
    assert isinstance(info.value.__cause__, MigrationFailed)
    assert snapshot(tmp_path) == before  # no backup, WAL or shm left behind
    with open_database(db, KEY, clock=FixedClock()) as store:
        assert store.schema_version() == len(MIGRATIONS)  # m0002 was undone too


def test_failed_migration_on_create_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(MigrationFailed):
        create_database(
            tmp_path / "kura.db", KEY, clock=FixedClock(), migrations=(*MIGRATIONS, m0003_explodes)
        )
    assert list(tmp_path.iterdir()) == []


def test_m0011_lets_a_turn_end_as_failed_and_keeps_every_stored_turn(
    plain: sqlite3.Connection,
) -> None:
    clock = FixedClock()
    migrate(plain, clock, migrations=MIGRATIONS[:10])
    before = plain.execute("SELECT sql FROM sqlite_schema WHERE name = 'turns'").fetchone()[0]
    assert "'failed'" not in before
    migrate(plain, clock)
    after = plain.execute("SELECT sql FROM sqlite_schema WHERE name = 'turns'").fetchone()[0]
    assert "'cancelled', 'failed')" in after
    assert plain.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    columns = [r[1] for r in plain.execute("PRAGMA table_info(turns)")]
    assert "stop_reason" in columns and "superseded_by" in columns


def test_m0012_indexes_the_turns_already_stored_and_follows_later_changes(
    plain: sqlite3.Connection,
) -> None:
    clock = FixedClock()
    migrate(plain, clock, migrations=MIGRATIONS[:11])
    plain.execute("PRAGMA foreign_keys = OFF")  # a bare turn, without its user and app
    plain.execute(
        "INSERT INTO conversations (id, app_id, app_version, user_id, title, variables,"
        " created_at, updated_at) VALUES (1, 1, 1, 1, 't', '{}', 'x', 'x')"
    )
    plain.execute(
        "INSERT INTO turns (id, conversation_id, seq, user_text, answer, app_version,"
        " model_sha256, usage, timings, created_at)"
        " VALUES (7, 1, 1, '出張旅費の精算方法', 'Form B-12', 1, 'h', '{}', '{}', 'x')"
    )
    migrate(plain, clock)
    repo = SqlConversationRepository(plain)
    assert [c.id for c in repo.search(1, "旅費の精算")] == [1]
    plain.execute("UPDATE turns SET answer = 'Form C-34' WHERE id = 7")
    assert repo.search(1, "b-12") == [] and [c.id for c in repo.search(1, "c-34")] == [1]
    plain.execute("DELETE FROM turns WHERE id = 7")
    found = plain.execute("SELECT count(*) FROM turn_fts WHERE turn_fts MATCH '\"旅費の\"'")
    assert found.fetchone() == (0,)


def test_m0013_builds_the_word_index_for_the_chunks_already_stored(
    plain: sqlite3.Connection,
) -> None:
    clock = FixedClock()
    migrate(plain, clock, migrations=MIGRATIONS[:12])
    plain.execute(
        "INSERT INTO knowledge_bases VALUES"
        " (1, 'kb', '', 'all', '[]', '[]', '{}', 'o', 't', 't', NULL)"
    )
    plain.execute("PRAGMA foreign_keys = OFF")  # a bare version, without its document
    plain.execute(
        "INSERT INTO document_versions (id, document_id, version, sha256, size, kind, meta,"
        " added_by, added_at, text, original) VALUES (5, 3, 1, 'h', 1, 'txt', '{}', 'a', 'x',"
        " '', x'00')"
    )
    plain.execute("INSERT INTO documents VALUES (3, 1, 'a.txt', 5, 'x')")
    plain.execute(
        'INSERT INTO chunks (id, version_id, kb_id, idx, start, "end", heading, text)'
        " VALUES (9, 5, 1, 0, 0, 9, '', 'ﾛｸﾞの附属書を引越しで更新した')"
    )
    migrate(plain, clock)
    (words,) = plain.execute("SELECT words FROM chunk_words WHERE rowid = 9").fetchone()
    assert {"ログ", "付属", "引っ越し", "更新"} <= set(words.split())
    assert "の" not in words.split() and "た" not in words.split()
    repo = SqlKnowledgeRepository(plain)
    assert [c for c, _ in repo.fulltext(1, [], [], 5, words=[("付属", 1.0)])] == [9]


def test_m0014_moves_each_saved_index_into_parts_that_read_back_whole(
    plain: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    m0014 = importlib.import_module("desktop.storage.migrations.m0014_index_parts")
    monkeypatch.setattr(m0014, "PART_BYTES", 7)
    clock = FixedClock()
    migrate(plain, clock, migrations=MIGRATIONS[:13])
    big, small, empty = bytes(range(200)) * 3, b"abc", b""
    for kb_id, blob in ((1, big), (2, small), (3, empty)):
        plain.execute(
            "INSERT INTO knowledge_bases (id, name, description, visibility, members,"
            " app_allowlist, settings, created_by, created_at, updated_at)"
            " VALUES (?, ?, '', 'all', '[]', '[]', '{}', 'a', 'x', 'x')",
            (kb_id, f"kb{kb_id}"),
        )
        plain.execute("INSERT INTO kb_index VALUES (?, ?, ?, 'x')", (kb_id, blob, f"s{kb_id}"))
    migrate(plain, clock)
    parts = plain.execute(
        "SELECT kb_id, count(*), max(length(blob)) FROM kb_index_part GROUP BY kb_id"
    ).fetchall()
    assert parts == [(1, 86, 7), (2, 1, 3), (3, 1, 0)]  # 600 bytes = 85 * 7 + 5
    repo = SqlKnowledgeRepository(plain)
    assert repo.load_index(1) == (big, "s1")
    assert repo.load_index(2) == (small, "s2")
    assert repo.load_index(3) == (empty, "s3")
    plain.execute("PRAGMA foreign_keys = ON")
    repo.delete_kb(1)
    assert plain.execute("SELECT DISTINCT kb_id FROM kb_index_part").fetchall() == [(2,), (3,)]
