"""WorkspaceKeys and keyslots.json, against the in-memory key store."""

from __future__ import annotations

import base64
import json
import os
import stat
import uuid
from pathlib import Path

import pytest

from desktop.core.errors import (
    AlreadyExists,
    DatabaseCorrupt,
    DataDirUnreadable,
    InputError,
    KeyItemMissing,
    KeyringLocked,
    NotFound,
    SchemaTooNew,
    WorkspaceExists,
    WorkspaceNotFound,
    WrongKey,
)
from desktop.security import slotfile, slotio
from desktop.security.keyslots import FILE_NAME, WorkspaceKeys
from desktop.security.recovery import parse_recovery_key
from tests.fakes import FixedClock, MemoryKeyStore

WS_A = "0b7e8a52-6a4e-4c55-9d3f-1f2e3d4c5b6a"
WS_B = "5c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e"


@pytest.fixture
def store() -> MemoryKeyStore:
    return MemoryKeyStore()


def make_keys(directory: Path, store: MemoryKeyStore) -> WorkspaceKeys:
    directory.mkdir(parents=True, exist_ok=True)
    return WorkspaceKeys(directory / FILE_NAME, store, FixedClock())


@pytest.fixture
def keys(tmp_path: Path, store: MemoryKeyStore) -> WorkspaceKeys:
    return make_keys(tmp_path / "ws", store)


def read_json(keys: WorkspaceKeys) -> dict:
    return json.loads(keys.path.read_text())


def write_json(keys: WorkspaceKeys, document: dict) -> None:
    keys.path.write_text(json.dumps(document))


def mistype(text: str) -> str:
    """Change one character of the first group to another valid symbol."""
    first = text[0]
    return ("Z" if first != "Z" else "Y") + text[1:]


# ---- create and unlock ---------------------------------------------------------------


def test_create_then_unlock_returns_the_same_key(keys: WorkspaceKeys, store: MemoryKeyStore):
    dek, recovery = keys.create(WS_A)
    assert len(dek) == 32
    assert keys.exists()
    assert keys.workspace_id == WS_A
    assert keys.unlock() == dek
    assert keys.unlock_with_recovery(recovery) == dek
    assert set(store.items) == {f"workspace:{WS_A}"}
    assert len(store.items[f"workspace:{WS_A}"]) == 32


def test_file_records_slots_and_backend(keys: WorkspaceKeys):
    keys.create(WS_A)
    document = read_json(keys)
    assert document["format"] == "kura-keyslots"
    assert document["version"] == 2
    assert document["workspace_id"] == WS_A
    assert document["pending"] == []
    types = sorted(slot["type"] for slot in document["slots"])
    assert types == ["keyring", "recovery"]
    keyring_slot = next(s for s in document["slots"] if s["type"] == "keyring")
    assert keyring_slot["backend"] == "memory (tests only)"
    assert keyring_slot["item"] == f"workspace:{WS_A}"
    assert [row["state"] for row in keys.describe()] == ["active", "active"]


def test_two_workspaces_get_different_keys(tmp_path: Path, store: MemoryKeyStore):
    dek_a, rec_a = make_keys(tmp_path / "a", store).create(WS_A)
    dek_b, rec_b = make_keys(tmp_path / "b", store).create(WS_B)
    assert dek_a != dek_b
    assert rec_a != rec_b


def test_create_refuses_an_existing_workspace(keys: WorkspaceKeys):
    dek, _ = keys.create(WS_A)
    with pytest.raises(WorkspaceExists):
        keys.create(WS_B)
    assert keys.unlock() == dek


def test_create_never_overwrites_a_keyring_item(keys: WorkspaceKeys, store: MemoryKeyStore):
    store.items[f"workspace:{WS_A}"] = b"k" * 32
    with pytest.raises(WorkspaceExists, match="already holds a key"):
        keys.create(WS_A)
    assert store.items[f"workspace:{WS_A}"] == b"k" * 32
    assert not keys.exists()


def test_create_rejects_a_non_uuid(keys: WorkspaceKeys):
    with pytest.raises(ValueError, match="not a UUID"):
        keys.create("../../etc")


def test_create_stores_the_keyring_key_before_writing_the_file(tmp_path: Path):
    seen: list[bool] = []

    class RecordingStore(MemoryKeyStore):
        def set_secret(self, item: str, value: bytes) -> None:
            seen.append((tmp_path / FILE_NAME).exists())
            super().set_secret(item, value)

    WorkspaceKeys(tmp_path / FILE_NAME, RecordingStore(), FixedClock()).create(WS_A)
    assert seen == [False]


def test_failed_create_leaves_no_key_and_no_file(
    keys: WorkspaceKeys, store: MemoryKeyStore, monkeypatch: pytest.MonkeyPatch
):
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(slotio, "write_atomic", broken)
    with pytest.raises(DataDirUnreadable, match="No space left"):
        keys.create(WS_A)
    assert store.items == {}
    assert not keys.exists()


def test_missing_keyring_item_never_makes_a_new_key(keys: WorkspaceKeys, store: MemoryKeyStore):
    keys.create(WS_A)
    before = keys.path.read_bytes()
    store.items.clear()
    with pytest.raises(KeyItemMissing) as caught:
        keys.unlock()
    assert "kura recover --recovery-key-stdin" in caught.value.message
    assert caught.value.exit_code == 4
    assert store.items == {}
    assert keys.path.read_bytes() == before


def test_wrong_keyring_item_is_wrong_key(keys: WorkspaceKeys, store: MemoryKeyStore):
    keys.create(WS_A)
    store.items[f"workspace:{WS_A}"] = os.urandom(32)
    with pytest.raises(WrongKey, match="kura recover --recovery-key-stdin"):
        keys.unlock()
    store.items[f"workspace:{WS_A}"] = b"short"
    with pytest.raises(WrongKey):
        keys.unlock()


def test_locked_keyring_is_reported_as_locked(keys: WorkspaceKeys, store: MemoryKeyStore):
    keys.create(WS_A)
    store.locked = True
    with pytest.raises(KeyringLocked) as caught:
        keys.unlock()
    assert caught.value.exit_code == 4


def test_missing_file_is_workspace_not_found(keys: WorkspaceKeys):
    assert not keys.exists()
    with pytest.raises(WorkspaceNotFound, match="kura init"):
        keys.unlock()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xff\xfe not utf-8",
        b"{not json",
        b"[]",
        b'{"format": "something-else", "version": 1}',
        b'{"format": "kura-keyslots", "version": "1"}',
        b'{"format": "kura-keyslots", "version": 1, "workspace_id": "x", "slots": []}',
    ],
)
def test_garbled_file_is_reported_as_damaged(keys: WorkspaceKeys, content: bytes):
    keys.path.write_bytes(content)
    with pytest.raises(DatabaseCorrupt, match="damaged") as caught:
        keys.unlock()
    assert "\n" not in caught.value.message


def test_damaged_slot_fields_are_reported(keys: WorkspaceKeys):
    keys.create(WS_A)
    document = read_json(keys)
    for mutate in (
        lambda s: s.update(nonce="!!!"),
        lambda s: s.update(wrapped=base64.b64encode(b"x" * 10).decode()),
        lambda s: s.update(type="password"),
        lambda s: s.update(cipher="rot13"),
        lambda s: s.pop("id"),
    ):
        broken = json.loads(json.dumps(document))
        mutate(broken["slots"][0])
        write_json(keys, broken)
        with pytest.raises(DatabaseCorrupt):
            keys.unlock()


def test_unreadable_file_is_data_dir_unreadable(keys: WorkspaceKeys):
    keys.path.mkdir()  # a directory where the file should be: reading it fails
    with pytest.raises(DataDirUnreadable, match="cannot read"):
        keys.unlock()


def test_newer_format_is_schema_too_new(keys: WorkspaceKeys):
    keys.create(WS_A)
    document = read_json(keys)
    document["version"] = 3
    write_json(keys, document)
    with pytest.raises(SchemaTooNew, match="upgrade Kura"):
        keys.unlock()


# ---- recovery ------------------------------------------------------------------------


def test_recovery_key_is_forgiving_about_layout(keys: WorkspaceKeys):
    dek, recovery = keys.create(WS_A)
    sloppy = " ".join(recovery.lower().split("-")).replace("0", "o").replace("1", "l")
    assert keys.unlock_with_recovery(sloppy) == dek


def test_mistyped_recovery_key_is_input_error(keys: WorkspaceKeys):
    _, recovery = keys.create(WS_A)
    with pytest.raises(InputError, match=r"mistyped.*check each group"):
        keys.unlock_with_recovery(mistype(recovery))


def test_another_recovery_key_is_wrong_key(tmp_path: Path, store: MemoryKeyStore):
    keys_a = make_keys(tmp_path / "a", store)
    keys_a.create(WS_A)
    _, recovery_b = make_keys(tmp_path / "b", store).create(WS_B)
    with pytest.raises(WrongKey):
        keys_a.unlock_with_recovery(recovery_b)


def test_restore_keyring_slot_after_a_lost_keyring(keys: WorkspaceKeys, store: MemoryKeyStore):
    dek, recovery = keys.create(WS_A)
    store.items.clear()
    recovered = keys.unlock_with_recovery(recovery)
    assert recovered == dek
    keys.restore_keyring_slot(recovered)
    assert keys.unlock() == dek
    assert keys.unlock_with_recovery(recovery) == dek  # the recovery slot is kept
    assert len(store.items) == 1
    assert sorted(s["type"] for s in read_json(keys)["slots"]) == ["keyring", "recovery"]


def test_restore_replaces_a_damaged_keyring_key(keys: WorkspaceKeys, store: MemoryKeyStore):
    dek, recovery = keys.create(WS_A)
    store.items[f"workspace:{WS_A}"] = os.urandom(32)
    keys.restore_keyring_slot(keys.unlock_with_recovery(recovery))
    assert keys.unlock() == dek
    assert list(store.items) == [f"workspace:{WS_A}:2"]  # the other item; the old one is gone
    keys.restore_keyring_slot(dek)
    assert list(store.items) == [f"workspace:{WS_A}"]


def test_restore_rejects_a_key_of_the_wrong_size(keys: WorkspaceKeys):
    keys.create(WS_A)
    with pytest.raises(ValueError, match="32 bytes"):
        keys.restore_keyring_slot(b"short")


# ---- rekey ---------------------------------------------------------------------------


def test_rekey_begin_then_commit(keys: WorkspaceKeys, store: MemoryKeyStore):
    old_dek, old_recovery = keys.create(WS_A)
    assert keys.pending_dek() is None
    new_dek, new_recovery = keys.begin_rekey()
    assert new_dek != old_dek
    assert new_recovery != old_recovery
    assert keys.has_pending()
    assert keys.unlock() == old_dek  # active slots untouched until commit
    assert keys.pending_dek() == new_dek
    assert len(store.items) == 2
    keys.commit_rekey()
    assert not keys.has_pending()
    assert keys.pending_dek() is None
    assert keys.unlock() == new_dek
    assert keys.unlock_with_recovery(new_recovery) == new_dek
    with pytest.raises(WrongKey):
        keys.unlock_with_recovery(old_recovery)
    assert len(store.items) == 1
    assert len(read_json(keys)["slots"]) == 2


def test_rekey_survives_a_restart_between_steps(tmp_path: Path, store: MemoryKeyStore):
    make_keys(tmp_path, store).create(WS_A)
    rekeying = make_keys(tmp_path, store)
    rekeying.unlock()  # a rotation runs in an open workspace
    new_dek, _ = rekeying.begin_rekey()
    reopened = make_keys(tmp_path, store)  # as after a crash
    assert reopened.pending_dek() == new_dek
    reopened.commit_rekey()
    assert make_keys(tmp_path, store).unlock() == new_dek


def test_rekey_abort_drops_pending(keys: WorkspaceKeys, store: MemoryKeyStore):
    old_dek, old_recovery = keys.create(WS_A)
    _, new_recovery = keys.begin_rekey()
    keys.abort_rekey()
    assert not keys.has_pending()
    assert keys.unlock() == old_dek
    assert keys.unlock_with_recovery(old_recovery) == old_dek
    with pytest.raises(WrongKey):
        keys.unlock_with_recovery(new_recovery)
    assert list(store.items) == [f"workspace:{WS_A}"]
    keys.abort_rekey()  # nothing pending: no-op


def test_two_rekeys_in_a_row(keys: WorkspaceKeys, store: MemoryKeyStore):
    keys.create(WS_A)
    for _ in range(3):
        new_dek, new_recovery = keys.begin_rekey()
        keys.commit_rekey()
        assert keys.unlock() == new_dek
        assert keys.unlock_with_recovery(new_recovery) == new_dek
        assert len(store.items) == 1


def test_second_begin_while_pending_is_refused(keys: WorkspaceKeys):
    keys.create(WS_A)
    keys.begin_rekey()
    before = keys.path.read_bytes()
    with pytest.raises(AlreadyExists, match="interrupted"):
        keys.begin_rekey()
    assert keys.path.read_bytes() == before


def test_commit_without_pending_is_refused(keys: WorkspaceKeys):
    keys.create(WS_A)
    with pytest.raises(NotFound):
        keys.commit_rekey()


def test_pending_key_missing_from_keyring(keys: WorkspaceKeys, store: MemoryKeyStore):
    keys.create(WS_A)
    keys.begin_rekey()
    del store.items[f"workspace:{WS_A}:2"]
    with pytest.raises(KeyItemMissing, match="interrupted rekey"):
        keys.pending_dek()


# ---- binding and tampering -----------------------------------------------------------


def test_slot_swapped_between_workspaces_is_refused(tmp_path: Path, store: MemoryKeyStore):
    keys_a = make_keys(tmp_path / "a", store)
    keys_b = make_keys(tmp_path / "b", store)
    _, recovery_a = keys_a.create(WS_A)
    keys_b.create(WS_B)
    doc_a, doc_b = read_json(keys_a), read_json(keys_b)
    # B's file carrying A's recovery slot: the AAD names workspace A, so it cannot open.
    doc_b["slots"] = [s for s in doc_b["slots"] if s["type"] != "recovery"] + [
        s for s in doc_a["slots"] if s["type"] == "recovery"
    ]
    write_json(keys_b, doc_b)
    with pytest.raises(WrongKey):
        keys_b.unlock_with_recovery(recovery_a)
    # A's whole slot list relabelled as workspace B: nothing opens.
    doc_a["workspace_id"] = WS_B
    for slot in doc_a["slots"]:
        if slot["type"] == "keyring":
            slot["item"] = f"workspace:{WS_B}"
    write_json(keys_b, doc_a)
    with pytest.raises(WrongKey):
        keys_b.unlock()
    with pytest.raises(WrongKey):
        keys_b.unlock_with_recovery(recovery_a)


def test_slot_id_or_type_changes_break_the_slot(keys: WorkspaceKeys):
    _, recovery = keys.create(WS_A)
    document = read_json(keys)
    recovery_slot = next(s for s in document["slots"] if s["type"] == "recovery")
    recovery_slot["id"] = uuid.uuid4().hex
    write_json(keys, document)
    with pytest.raises(WrongKey):
        keys.unlock_with_recovery(recovery)


def test_keyring_slot_cannot_name_a_foreign_item(keys: WorkspaceKeys, store: MemoryKeyStore):
    keys.create(WS_A)
    store.items["audit-signing-key"] = b"s" * 32
    document = read_json(keys)
    for slot in document["slots"]:
        if slot["type"] == "keyring":
            slot["item"] = "audit-signing-key"
    write_json(keys, document)
    with pytest.raises(DatabaseCorrupt, match="another workspace"):
        keys.unlock()
    assert store.items["audit-signing-key"] == b"s" * 32


# ---- the file on disk ----------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_file_mode_is_0600(keys: WorkspaceKeys):
    keys.create(WS_A)
    assert stat.S_IMODE(keys.path.stat().st_mode) == 0o600
    keys.begin_rekey()
    keys.commit_rekey()
    assert stat.S_IMODE(keys.path.stat().st_mode) == 0o600


def test_writes_leave_no_temp_files(keys: WorkspaceKeys):
    keys.create(WS_A)
    keys.begin_rekey()
    keys.commit_rekey()
    keys.begin_rekey()
    keys.abort_rekey()
    assert sorted(p.name for p in keys.path.parent.iterdir()) == [FILE_NAME]


def test_failed_write_keeps_the_old_file_and_no_temp_file(
    keys: WorkspaceKeys, store: MemoryKeyStore, monkeypatch: pytest.MonkeyPatch
):
    dek, _ = keys.create(WS_A)
    before = keys.path.read_bytes()

    def no_replace(src: object, dst: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", no_replace)
    with pytest.raises(DataDirUnreadable, match="cannot write"):
        keys.begin_rekey()
    monkeypatch.undo()
    assert keys.path.read_bytes() == before
    assert sorted(p.name for p in keys.path.parent.iterdir()) == [FILE_NAME]
    assert list(store.items) == [f"workspace:{WS_A}"]  # the pending key was taken back
    assert keys.unlock() == dek


def encodings(secret: bytes) -> list[bytes]:
    forms = [
        secret,
        secret.hex().encode(),
        secret.hex().upper().encode(),
        base64.b64encode(secret),
        base64.urlsafe_b64encode(secret),
        base64.b64encode(secret).rstrip(b"="),
        base64.b32encode(secret),
    ]
    # any 12-byte window in raw or hex form would also be a leak
    forms += [secret[i : i + 12] for i in range(0, len(secret) - 12, 4)]
    return forms


def test_file_contains_no_key_material(keys: WorkspaceKeys, store: MemoryKeyStore):
    dek, recovery = keys.create(WS_A)
    new_dek, new_recovery = keys.begin_rekey()
    content = keys.path.read_bytes()
    secrets_ = [dek, new_dek, parse_recovery_key(recovery), parse_recovery_key(new_recovery)]
    secrets_ += list(store.items.values())
    assert len(secrets_) == 6
    for secret in secrets_:
        for form in encodings(secret):
            assert form not in content
    assert recovery.encode() not in content
    assert new_recovery.encode() not in content


def test_reprs_show_no_key(keys: WorkspaceKeys):
    keys.create(WS_A)
    state = slotfile.SlotFile.parse(keys.path.read_bytes())
    text = repr(keys) + repr(state)
    for slot in state.slots:
        for secret in (slot.wrapped, slot.nonce, slot.salt or b"\x00" * 8):
            assert base64.b64encode(secret).decode() not in text
            assert repr(secret) not in text


def test_forget_undoes_create(keys: WorkspaceKeys, store: MemoryKeyStore):
    keys.create(WS_A)
    keys.begin_rekey()
    store.items["unrelated"] = b"u"
    keys.forget()
    assert not keys.exists()
    assert store.items == {"unrelated": b"u"}
    keys.forget()  # nothing left: no-op


def test_forget_deletes_nothing_when_the_file_is_damaged(
    keys: WorkspaceKeys, store: MemoryKeyStore
):
    keys.create(WS_A)
    keys.path.write_bytes(b"{damaged")
    with pytest.raises(DatabaseCorrupt):
        keys.forget()
    assert list(store.items) == [f"workspace:{WS_A}"]


def test_missing_key_names_the_backend_it_was_stored_in(tmp_path: Path):
    class OtherStore(MemoryKeyStore):
        def backend_name(self) -> str:
            return "keyring.backends.macOS.Keyring"

    make_keys(tmp_path, OtherStore()).create(WS_A)
    with pytest.raises(KeyItemMissing, match=r"stored in keyring\.backends\.macOS\.Keyring"):
        make_keys(tmp_path, MemoryKeyStore()).unlock()
