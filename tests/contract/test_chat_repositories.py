"""The chat ports' contract: models, apps with append-only versions, conversations, turns.

``ChatRepositoriesContract`` runs on the SQLCipher store and, like ``test_store``, on the
same repository code over a plain stdlib ``sqlite3`` connection. The end of the file
covers upgrading an m0001 database and what deleting a conversation leaves on disk.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core.chat_models import (
    AppConfig,
    AppRecord,
    AppVisibility,
    Conversation,
    GgufInfo,
    LoadSettings,
    ModelRecord,
    SamplingParams,
    StopReason,
    Turn,
)
from desktop.core.errors import AlreadyExists, NotFound
from desktop.core.models import Role
from desktop.core.ports import Transaction
from desktop.storage import create_database, migrate, open_database
from desktop.storage.dbapi import violates_constraint
from desktop.storage.migrations import MIGRATIONS
from desktop.storage.migrations.m0001_initial import m0001_initial
from tests.contract.test_store import PlainSqliteStore
from tests.fakes import FixedClock

KEY = bytes(range(32))
SHA = "ab" * 32
CANARY = "カナリア-canary-7f3a9c"

INFO = GgufInfo(
    gguf_version=3,
    architecture="gemma3",
    name="ジェマ 270M 日本語",
    parameter_count=268_098_176,
    quantization="Q4_K_M",
    file_type=15,
    context_length=32_768,
    embedding_length=640,
    block_count=18,
    chat_template="{% for m in messages %}<start_of_turn>{{ m.content }}　です{% endfor %}",
    bos_token="<bos>",
    eos_token="<eos>",
    tensor_count=236,
    metadata_count=41,
)


def at(minute: int) -> str:
    return f"2026-01-02T03:{minute:02d}:00.000000Z"


def config(model_id: int, name: str = "Helper", **changes: Any) -> AppConfig:
    base = AppConfig(
        name=name,
        model_id=model_id,
        description="社内文書の要約",
        icon="📄",
        instructions="あなたは{{ dept }}の{{role}}です。丁寧に答えてください。",
        params=SamplingParams(temperature=0.2, top_k=20, max_tokens=256, seed=7),
        opening_statement="こんにちは！",
        suggested_questions=("要約して", "What changed?"),
        kb_ids=(3, 1),
        visibility=AppVisibility.PARTIAL,
        members=("alice", "さくら"),
    )
    return base.with_changes(**changes)


class ChatRepositoriesContract:
    """Inherit and provide ``store`` (with ``transaction()`` and ``checkpoint()``)."""

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[Any]:
        raise NotImplementedError

    # -------------------------------------------------------------- helpers

    @staticmethod
    def user(tx: Transaction, name: str) -> int:
        return int(
            tx.users.add(
                username=name,
                display_name=name,
                role=Role.MEMBER,
                password_hash="h",
                created_at=at(0),
            ).id
        )

    @staticmethod
    def model(tx: Transaction, name: str = "gemma", **changes: Any) -> ModelRecord:
        values: dict[str, Any] = {
            "name": name,
            "path": f"/models/{name}.gguf",
            "sha256": SHA,
            "size": 253_000_000,
            "mtime_ns": 1_767_000_000_123_456_789,
            "info": INFO,
            "settings": LoadSettings(n_gpu_layers=12, n_threads=4, n_ctx=8192, n_batch=256),
            "created_at": at(1),
            "created_by": "owner",
        }
        return tx.models.add(**{**values, **changes})

    def app(self, tx: Transaction, name: str = "Helper") -> AppRecord:
        return tx.apps.create(
            config(self.model(tx, f"m-{name}").id, name), created_by="ed", now=at(2)
        )

    @staticmethod
    def chat(tx: Transaction, app: AppRecord, user_id: int, minute: int) -> Conversation:
        return tx.conversations.create(
            app_id=app.id,
            app_version=app.version,
            user_id=user_id,
            title=f"相談 {minute}",
            variables={"dept": "経理", "role": "assistant"},
            now=at(minute),
        )

    @staticmethod
    def turn(tx: Transaction, conversation_id: int, minute: int, text: str = "q") -> Turn:
        return tx.conversations.add_turn(
            conversation_id=conversation_id,
            user_text=text,
            app_version=1,
            model_sha256=SHA,
            now=at(minute),
        )

    # -------------------------------------------------------------- models

    def test_add_and_get_a_model_round_trips_its_json(self, store: Any) -> None:
        with store.transaction() as tx:
            added = self.model(tx, "Gemma-3 日本語")
            assert tx.models.get(added.id) == added
            assert tx.models.get_by_name("GEMMA-3 日本語") == added
            assert tx.models.list() == [added]
        assert added.info == INFO and added.info.chat_template == INFO.chat_template
        assert added.settings == LoadSettings(n_gpu_layers=12, n_threads=4, n_ctx=8192, n_batch=256)
        assert (added.sha256, added.size, added.created_by) == (SHA, 253_000_000, "owner")
        with store.transaction() as tx:
            auto = self.model(tx, "auto", settings=LoadSettings())
            assert tx.models.get(auto.id) == auto and auto.settings.n_gpu_layers == "auto"

    def test_unknown_models_are_none(self, store: Any) -> None:
        with store.transaction() as tx:
            assert tx.models.get(42) is None
            assert tx.models.get_by_name("nothing") is None
            assert tx.models.list() == []

    def test_model_names_are_unique_ignoring_case(self, store: Any) -> None:
        with store.transaction() as tx:
            first = self.model(tx, "Gemma")
            with pytest.raises(AlreadyExists) as info:
                self.model(tx, "GEMMA")
            assert tx.models.list() == [first]  # the transaction goes on
        assert "'GEMMA'" in info.value.message and "\n" not in info.value.message
        assert violates_constraint(info.value.__cause__ or Exception())

    def test_other_constraint_violations_are_not_already_exists(self, store: Any) -> None:
        with store.transaction() as tx:
            with pytest.raises(Exception) as info:
                self.model(tx, "broken", size=-1)
            assert not isinstance(info.value, AlreadyExists)
            assert violates_constraint(info.value)

    def test_models_are_listed_by_name(self, store: Any) -> None:
        with store.transaction() as tx:
            for name in ("zeta", "Alpha", "beta"):
                self.model(tx, name)
            assert [m.name for m in tx.models.list()] == ["Alpha", "beta", "zeta"]

    def test_update_file_state_and_settings(self, store: Any) -> None:
        settings = LoadSettings(n_gpu_layers=-1, n_ctx=2048)
        with store.transaction() as tx:
            model = self.model(tx)
            tx.models.update_file_state(model.id, size=7, mtime_ns=99, file_key="1:2:3")
            tx.models.update_settings(model.id, settings)
        with store.transaction() as tx:
            changed = tx.models.get(model.id)
            with pytest.raises(NotFound):
                tx.models.update_file_state(999, size=1, mtime_ns=1, file_key="")
            with pytest.raises(NotFound):
                tx.models.update_settings(999, settings)
        assert changed is not None
        assert (changed.size, changed.mtime_ns, changed.settings) == (7, 99, settings)
        assert changed.file_key == "1:2:3"
        assert (changed.sha256, changed.info, changed.name) == (SHA, INFO, model.name)

    # -------------------------------------------------------------- apps

    def test_create_and_get_an_app_round_trips_its_config(self, store: Any) -> None:
        with store.transaction() as tx:
            app = self.app(tx, "社内ヘルパー")
            assert tx.apps.get(app.id) == app
            assert tx.apps.get(app.id, 1) == app
            assert tx.apps.get_by_name("社内ヘルパー") == app
            assert tx.apps.list() == [app]
        assert app.version == 1 and app.config == config(app.config.model_id, "社内ヘルパー")
        assert app.config.variables == ("dept", "role")
        assert (app.created_by, app.created_at, app.updated_at) == ("ed", at(2), at(2))

    def test_unknown_apps_are_none(self, store: Any) -> None:
        with store.transaction() as tx:
            app = self.app(tx)
            assert tx.apps.get(999) is None
            assert tx.apps.get(app.id, 2) is None
            assert tx.apps.get_by_name("nothing") is None

    def test_versions_are_append_only(self, store: Any) -> None:
        with store.transaction() as tx:
            v1 = self.app(tx, "Helper")
            edited = v1.config.with_changes(name="Helper Pro", instructions="短く答える")
            v2 = tx.apps.add_version(v1.id, edited, now=at(30))
        with store.transaction() as tx:
            assert tx.apps.get(v1.id) == v2
            assert tx.apps.get(v1.id, 1) == v1
            assert tx.apps.get_by_name("helper pro") == v2
            assert tx.apps.get_by_name("Helper") is None  # the name follows the newest
            assert tx.apps.list() == [v2]
            v3 = tx.apps.add_version(v1.id, v1.config, now=at(40))
        assert (v2.id, v2.version, v2.config) == (v1.id, 2, edited)
        assert (v2.created_at, v2.updated_at) == (at(2), at(30))
        assert (v3.version, v3.config, v3.updated_at) == (3, v1.config, at(40))

    def test_app_names_are_unique_ignoring_case(self, store: Any) -> None:
        with store.transaction() as tx:
            first = self.app(tx, "Helper")
            other = self.app(tx, "Other")
            with pytest.raises(AlreadyExists, match="'HELPER'"):
                tx.apps.create(config(first.config.model_id, "HELPER"), created_by="e", now=at(3))
            with pytest.raises(AlreadyExists, match="'helper'"):
                tx.apps.add_version(other.id, other.config.with_changes(name="helper"), now=at(4))
            assert tx.apps.get(other.id) == other  # nothing changed
            assert tx.apps.list() == [first, other]
            renamed = tx.apps.add_version(
                first.id, first.config.with_changes(name="HELPER"), now=at(5)
            )
        assert (renamed.version, renamed.config.name) == (2, "HELPER")

    def test_apps_are_listed_by_name(self, store: Any) -> None:
        with store.transaction() as tx:
            for name in ("zeta", "Alpha", "beta"):
                self.app(tx, name)
            assert [a.config.name for a in tx.apps.list()] == ["Alpha", "beta", "zeta"]

    def test_unknown_app_ids_raise_not_found(self, store: Any) -> None:
        with store.transaction() as tx:
            with pytest.raises(NotFound):
                tx.apps.add_version(999, config(1), now=at(3))
            with pytest.raises(NotFound):
                tx.apps.delete(999)

    def test_deleting_an_app_removes_versions_conversations_and_turns(self, store: Any) -> None:
        with store.transaction() as tx:
            uid = self.user(tx, "alice")
            app, kept = self.app(tx, "Gone"), self.app(tx, "Kept")
            tx.apps.add_version(app.id, app.config, now=at(3))
            gone = self.chat(tx, app, uid, 4)
            self.turn(tx, gone.id, 5)
            other = self.chat(tx, kept, uid, 6)
            tx.apps.delete(app.id)
        with store.transaction() as tx:
            assert tx.apps.get(app.id) is None and tx.apps.get(app.id, 1) is None
            assert tx.conversations.get(gone.id) is None
            assert tx.conversations.turns(gone.id) == []
            assert tx.conversations.list_for_user(uid) == [other]
            assert tx.apps.list() == [kept]

    # -------------------------------------------------------------- conversations

    def test_create_and_get_a_conversation(self, store: Any) -> None:
        with store.transaction() as tx:
            uid, app = self.user(tx, "alice"), self.app(tx)
            conv = self.chat(tx, app, uid, 10)
            assert tx.conversations.get(conv.id) == conv
            assert tx.conversations.get(999) is None
            assert tx.conversations.turns(conv.id) == []
        assert conv.variables == {"dept": "経理", "role": "assistant"}
        assert (conv.app_id, conv.app_version, conv.user_id) == (app.id, 1, uid)
        assert (conv.title, conv.created_at, conv.updated_at) == ("相談 10", at(10), at(10))

    def test_list_for_user_is_newest_first_and_per_user(self, store: Any) -> None:
        with store.transaction() as tx:
            alice, bob = self.user(tx, "alice"), self.user(tx, "bob")
            one, two = self.app(tx, "One"), self.app(tx, "Two")
            old = self.chat(tx, one, alice, 10)
            new = self.chat(tx, two, alice, 20)
            tie = self.chat(tx, one, alice, 20)  # same updated_at: the higher id first
            bobs = self.chat(tx, one, bob, 30)
            assert tx.conversations.list_for_user(alice) == [tie, new, old]
            assert tx.conversations.list_for_user(alice, one.id) == [tie, old]
            assert tx.conversations.list_for_user(bob) == [bobs]
            assert tx.conversations.list_for_user(bob, two.id) == []
            tx.conversations.rename(old.id, "改名", now=at(40))
            listed = tx.conversations.list_for_user(alice)
        assert [c.id for c in listed] == [old.id, tie.id, new.id]
        assert (listed[0].title, listed[0].updated_at, listed[0].created_at) == (
            "改名",
            at(40),
            at(10),
        )

    def test_turns_get_increasing_seqs_and_bump_the_conversation(self, store: Any) -> None:
        with store.transaction() as tx:
            uid, app = self.user(tx, "alice"), self.app(tx)
            conv, other = self.chat(tx, app, uid, 10), self.chat(tx, app, uid, 11)
            turns = [
                self.turn(tx, c.id, 12 + i, f"質問{i}")
                for i, c in enumerate((conv, conv, other, conv))
            ]
            assert tx.conversations.turns(conv.id) == [turns[0], turns[1], turns[3]]
            assert tx.conversations.turns(other.id) == [turns[2]]
            bumped = tx.conversations.get(conv.id)
        assert [t.seq for t in turns] == [1, 2, 1, 3]
        assert bumped is not None and bumped.updated_at == at(15)
        pending = turns[0]
        assert (pending.answer, pending.stop_reason, pending.usage, pending.timings) == (
            "",
            None,
            {},
            {},
        )
        assert (pending.user_text, pending.dropped_turns, pending.created_at) == (
            "質問0",
            0,
            at(12),
        )

    def test_finish_turn_records_the_answer(self, store: Any) -> None:
        usage = {"prompt_tokens": 120, "completion_tokens": 42}
        timings = {"first_token_s": 0.25, "tokens_per_s": 31.5}
        with store.transaction() as tx:
            conv = self.chat(tx, self.app(tx), self.user(tx, "alice"), 10)
            pending = self.turn(tx, conv.id, 11, "要約して")
            done = tx.conversations.finish_turn(
                pending.id,
                answer="はい、要約です。",
                stop_reason=StopReason.CANCELLED.value,
                usage=usage,
                timings=timings,
                dropped_turns=2,
                now=at(12),
            )
            assert tx.conversations.turns(conv.id) == [done]
            assert tx.conversations.list_for_user(conv.user_id)[0].updated_at == at(12)
            with pytest.raises(NotFound):
                tx.conversations.finish_turn(
                    999,
                    answer="",
                    stop_reason="stop",
                    usage={},
                    timings={},
                    dropped_turns=0,
                    now=at(13),
                )
        assert (done.answer, done.stop_reason, done.dropped_turns) == (
            "はい、要約です。",
            "cancelled",
            2,
        )
        assert (done.usage, done.timings) == (usage, timings)
        assert (done.id, done.seq, done.created_at) == (pending.id, 1, at(11))

    def test_finish_turn_refuses_an_unknown_stop_reason(self, store: Any) -> None:
        with store.transaction() as tx:
            conv = self.chat(tx, self.app(tx), self.user(tx, "alice"), 10)
            turn = self.turn(tx, conv.id, 11)
            with pytest.raises(Exception) as info:
                tx.conversations.finish_turn(
                    turn.id,
                    answer="a",
                    stop_reason="exploded",
                    usage={},
                    timings={},
                    dropped_turns=0,
                    now=at(12),
                )
            assert violates_constraint(info.value)

    def test_delete_turn_keeps_later_seqs(self, store: Any) -> None:
        with store.transaction() as tx:
            conv = self.chat(tx, self.app(tx), self.user(tx, "alice"), 10)
            first, second, third = (self.turn(tx, conv.id, m) for m in (11, 12, 13))
            tx.conversations.delete_turn(second.id)
            tx.conversations.delete_turn(third.id)
            fourth = self.turn(tx, conv.id, 14)
            assert tx.conversations.turns(conv.id) == [first, fourth]
            with pytest.raises(NotFound):
                tx.conversations.delete_turn(second.id)
        assert fourth.seq == 2

    def test_deleting_a_conversation_removes_its_turns_only(self, store: Any) -> None:
        with store.transaction() as tx:
            uid, app = self.user(tx, "alice"), self.app(tx)
            gone, kept = self.chat(tx, app, uid, 10), self.chat(tx, app, uid, 11)
            for conv in (gone, kept):
                self.turn(tx, conv.id, 12)
            tx.conversations.delete(gone.id)
            assert tx.conversations.get(gone.id) is None
            assert tx.conversations.turns(gone.id) == []
            assert len(tx.conversations.turns(kept.id)) == 1
            for call in (
                lambda: tx.conversations.delete(gone.id),
                lambda: tx.conversations.rename(gone.id, "x", now=at(13)),
                lambda: self.turn(tx, gone.id, 13),
            ):
                with pytest.raises(NotFound):
                    call()

    def test_ids_of_deleted_rows_are_never_reused(self, store: Any) -> None:
        with store.transaction() as tx:
            uid, app = self.user(tx, "alice"), self.app(tx, "First")
            conv = self.chat(tx, app, uid, 10)
            turn = self.turn(tx, conv.id, 11)
            tx.conversations.delete_turn(turn.id)
            assert self.turn(tx, conv.id, 12).id > turn.id
            tx.conversations.delete(conv.id)
            assert self.chat(tx, app, uid, 13).id > conv.id
            tx.apps.delete(app.id)
            assert self.app(tx, "Second").id > app.id

    def test_rollback_discards_chat_rows(self, store: Any) -> None:
        with pytest.raises(KeyError), store.transaction() as tx:
            self.chat(tx, self.app(tx), self.user(tx, "alice"), 10)
            raise KeyError("undo")
        with store.transaction() as tx:
            assert tx.models.list() == [] and tx.apps.list() == []
            assert tx.users.get_by_name("alice") is None


class TestSqlCipherChatRepositories(ChatRepositoriesContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[Any]:
        pytest.importorskip("sqlcipher3")
        s = create_database(tmp_path / "kura.db", KEY, clock=FixedClock())
        yield s
        s.close()


class PlainSecureStore(PlainSqliteStore):
    """``PlainSqliteStore`` with ``secure_delete`` on and a truncating checkpoint."""

    def __init__(self, path: Path, clock: FixedClock) -> None:
        super().__init__(path, clock)
        self.conn.execute("PRAGMA secure_delete = ON")

    def checkpoint(self) -> None:
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


class TestPlainSqliteChatRepositories(ChatRepositoriesContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[Any]:
        s = PlainSecureStore(tmp_path / "plain.db", FixedClock())
        yield s
        s.close()

    def test_app_versions_cannot_be_updated(self, store: PlainSecureStore) -> None:
        with store.transaction() as tx:
            self.app(tx)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.conn.execute("UPDATE app_versions SET config = '{}'")


# ------------------------------------------------------------------ upgrading an m0001 file


def test_an_m0001_database_upgrades_with_its_rows_intact(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    path = tmp_path / "kura.db"
    with create_database(path, KEY, clock=FixedClock(), migrations=(m0001_initial,)) as old:
        with old.transaction() as tx:
            alice = ChatRepositoriesContract.user(tx, "alice")
            tx.settings.set("workspace_id", "w-1")
            event = tx.audit.append(actor="system", action="a.b", obj="w", payload={"名": "倉"})
        assert old.schema_version() == 1
    with open_database(path, KEY, clock=FixedClock()) as store:
        assert store.schema_version() == len(MIGRATIONS)
        assert store.verify_audit().ok
        with store.transaction() as tx:
            user = tx.users.get(alice)
            assert user is not None and user.username == "alice"
            assert tx.settings.get("workspace_id") == "w-1"
            assert list(tx.audit.iter_events()) == [event]
            ChatRepositoriesContract().chat(tx, ChatRepositoriesContract().app(tx), alice, 10)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kura.db"]  # no backup left


def test_a_plain_m0001_database_gets_only_m0002() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        assert migrate(conn, FixedClock(), migrations=(m0001_initial,)) == ["m0001_initial"]
        assert migrate(conn, FixedClock()) == [m.__name__ for m in MIGRATIONS[1:]]
    finally:
        conn.close()


# ------------------------------------------------------------------ what a delete leaves on disk

PAGE, RESERVED, SALT = 4096, 80, 16  # SQLCipher 4 defaults: IV (16) + HMAC-SHA512 (64)


def decrypted_pages(path: Path) -> bytes:
    """Every page of the file decrypted with the raw ``KEY`` (AES-256-CBC), free ones too."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    data, plain = path.read_bytes(), []
    for offset in range(0, len(data), PAGE):
        page = data[offset : offset + PAGE]
        iv = page[PAGE - RESERVED : PAGE - RESERVED + 16]
        decryptor = Cipher(algorithms.AES(KEY), modes.CBC(iv)).decryptor()
        body = page[SALT if offset == 0 else 0 : PAGE - RESERVED]
        plain.append(decryptor.update(body) + decryptor.finalize())
    return b"".join(plain)


def chat_with_canary(store: Any) -> int:
    """A conversation whose title, variables, question and answer hold ``CANARY``."""
    contract = ChatRepositoriesContract()
    with store.transaction() as tx:
        conv = tx.conversations.create(
            app_id=contract.app(tx).id,
            app_version=1,
            user_id=contract.user(tx, "alice"),
            title=f"title {CANARY}",
            variables={"secret": CANARY},
            now=at(10),
        )
        turn = contract.turn(tx, conv.id, 11, f"question {CANARY} " * 50)
        tx.conversations.finish_turn(
            turn.id,
            answer=f"answer {CANARY} " * 400,  # spills onto overflow pages
            stop_reason="stop",
            usage={},
            timings={},
            dropped_turns=0,
            now=at(12),
        )
    return int(conv.id)


def delete_and_checkpoint(store: Any, conversation_id: int) -> None:
    with store.transaction() as tx:
        tx.conversations.delete(conversation_id)
    store.checkpoint()


def test_a_deleted_conversation_leaves_no_trace_in_the_encrypted_file(tmp_path: Path) -> None:
    sqlcipher = pytest.importorskip("sqlcipher3.dbapi2")
    path, canary = tmp_path / "kura.db", CANARY.encode()
    with create_database(path, KEY, clock=FixedClock()) as store:
        conv_id = chat_with_canary(store)
        store.checkpoint()
        assert canary in decrypted_pages(path)  # the check sees plaintext when it is there
        assert canary not in path.read_bytes()
        delete_and_checkpoint(store, conv_id)
        assert store.recipe()["secure_delete"] == "1"
        assert path.with_name("kura.db-wal").stat().st_size == 0
        assert canary not in decrypted_pages(path)
        raw = sqlcipher.connect(str(path), isolation_level=None)
        try:
            raw.execute(f"PRAGMA key = \"x'{KEY.hex()}'\"")
            tables = raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            rows = [row for (t,) in tables for row in raw.execute(f"SELECT * FROM {t}")]
        finally:
            raw.close()
        assert rows and not any(CANARY in repr(row) for row in rows)


def test_a_deleted_conversation_leaves_no_trace_in_a_plain_file(tmp_path: Path) -> None:
    path, canary = tmp_path / "plain.db", CANARY.encode()
    store = PlainSecureStore(path, FixedClock())
    try:
        conv_id = chat_with_canary(store)
        store.checkpoint()
        assert canary in path.read_bytes()
        delete_and_checkpoint(store, conv_id)
        assert path.with_name("plain.db-wal").stat().st_size == 0
        assert canary not in path.read_bytes()
    finally:
        store.close()


def test_checkpoint_is_refused_inside_a_transaction(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    with create_database(tmp_path / "kura.db", KEY, clock=FixedClock()) as store:
        with store.transaction(), pytest.raises(RuntimeError, match="transaction"):
            store.checkpoint()
        store.checkpoint()
