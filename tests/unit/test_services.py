"""Services: permission checks and audit events in the same transaction (fakes injected)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import app
from desktop.core import rbac
from desktop.core.errors import (
    AlreadyExists,
    AuthenticationFailed,
    InputError,
    PermissionDenied,
    WorkspaceExists,
)
from desktop.core.models import Role, UserStatus
from tests.fakes import FixedClock, MemoryKeyStore
from tests.tools import FAST_HASHER as FAST

PW = "a long enough passphrase"


@pytest.fixture
def ws(tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock):  # type: ignore[no-untyped-def]
    app.init_workspace(tmp_path / "w", "owner", PW, key_store=key_store, hasher=FAST, clock=clock)
    with app.open_workspace(tmp_path / "w", key_store=key_store, hasher=FAST, clock=clock) as w:
        yield w


def _actions(ws: app.Workspace) -> list[str]:
    with ws.store.transaction() as tx:
        return [e.action for e in tx.audit.iter_events()]


def test_init_audits_creation_and_refuses_overwrite(
    ws: app.Workspace, tmp_path: Path, key_store: MemoryKeyStore
) -> None:
    assert _actions(ws) == ["workspace.created", "user.created", "signing_key.created"]
    with pytest.raises(WorkspaceExists):
        app.init_workspace(tmp_path / "w", "x", PW, key_store=key_store, hasher=FAST)


def test_failed_init_leaves_nothing_behind(tmp_path: Path, key_store: MemoryKeyStore) -> None:
    with pytest.raises(InputError):
        app.init_workspace(tmp_path / "n", "bad name", PW, key_store=key_store, hasher=FAST)
    key_store.locked = True
    with pytest.raises(Exception):
        app.init_workspace(tmp_path / "n", "owner", PW, key_store=key_store, hasher=FAST)
    assert not (tmp_path / "n").exists()


def test_every_sign_in_attempt_is_audited(ws: app.Workspace) -> None:
    actor = ws.accounts.authenticate("OWNER", PW)  # user names are case-insensitive
    assert actor.role is Role.OWNER
    with pytest.raises(AuthenticationFailed):
        ws.accounts.authenticate("owner", "wrong password here")
    with pytest.raises(AuthenticationFailed):
        ws.accounts.authenticate("nobody", PW)
    assert _actions(ws)[-3:] == ["login.succeeded", "login.failed", "login.failed"]


def test_member_management_checks_roles(ws: app.Workspace) -> None:
    owner = ws.accounts.authenticate("owner", PW)
    ws.accounts.add_user(owner, "ada", Role.ADMIN, PW)
    ws.accounts.add_user(owner, "eve", Role.EDITOR, PW)
    ws.accounts.add_user(owner, "mo", Role.MEMBER, PW)
    admin = ws.accounts.authenticate("ada", PW)
    editor = ws.accounts.authenticate("eve", PW)
    with pytest.raises(PermissionDenied):
        ws.accounts.add_user(editor, "x", Role.MEMBER, PW)
    with pytest.raises(PermissionDenied):
        ws.accounts.set_status(admin, "owner", UserStatus.DISABLED)
    with pytest.raises(InputError):
        ws.accounts.set_role(admin, "mo", Role.OWNER)
    with pytest.raises(AlreadyExists):
        ws.accounts.add_user(admin, "MO", Role.MEMBER, PW)
    ws.accounts.set_status(admin, "mo", UserStatus.DISABLED)
    with pytest.raises(AuthenticationFailed):
        ws.accounts.authenticate("mo", PW)
    with pytest.raises(PermissionDenied):
        ws.workspace.rekey(admin)


def test_denials_are_audited_and_change_nothing(ws: app.Workspace) -> None:
    owner = ws.accounts.authenticate("owner", PW)
    ws.accounts.add_user(owner, "mo", Role.MEMBER, PW)
    ws.accounts.add_user(owner, "ada", Role.ADMIN, PW)
    member = ws.accounts.authenticate("mo", PW)
    admin = ws.accounts.authenticate("ada", PW)
    before = _actions(ws)
    with pytest.raises(PermissionDenied):
        ws.accounts.add_user(member, "y", Role.MEMBER, PW)
    with pytest.raises(PermissionDenied):
        ws.accounts.reset_password(admin, "owner", "a brand new passphrase")
    with pytest.raises(PermissionDenied):
        ws.accounts.set_role(admin, "ada", Role.EDITOR)
    assert _actions(ws) == [*before, *["permission.denied"] * 3]
    assert ws.accounts.authenticate("owner", PW).role is Role.OWNER  # password unchanged
    assert {u.username: u.role for u in ws.accounts.list_users(owner)}["ada"] is Role.ADMIN


def test_invalid_input_writes_no_audit_event(ws: app.Workspace) -> None:
    owner = ws.accounts.authenticate("owner", PW)
    before = _actions(ws)
    with pytest.raises(InputError):
        ws.accounts.add_user(owner, "y", Role.MEMBER, "short")
    with pytest.raises(InputError):
        ws.accounts.add_user(owner, "has space", Role.MEMBER, PW)
    assert _actions(ws) == before


def test_change_and_audit_event_share_one_transaction(
    ws: app.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = ws.accounts.authenticate("owner", PW)
    count_before = len(_actions(ws))

    def explode(self: object, **kwargs: object) -> None:
        raise RuntimeError("disk full while appending the audit event")

    audit_type = _audit_type(ws)
    monkeypatch.setattr(audit_type, "append", explode)
    with pytest.raises(RuntimeError):
        ws.accounts.add_user(owner, "ghost", Role.MEMBER, PW)
    monkeypatch.undo()
    assert len(_actions(ws)) == count_before
    assert "ghost" not in {u.username for u in ws.accounts.list_users(owner)}


def _audit_type(ws: app.Workspace) -> type:
    with ws.store.transaction() as tx:
        return type(tx.audit)


def test_permission_table_matches_design() -> None:
    table = {p: {r.value for r in roles} for p, roles in rbac.PERMISSIONS.items()}
    assert table[rbac.Permission.USE_APPS] == {"owner", "admin", "editor", "member"}
    assert table[rbac.Permission.MANAGE_APPS] == {"owner", "admin", "editor"}
    for p in (
        rbac.Permission.MANAGE_KNOWLEDGE,
        rbac.Permission.VIEW_LOGS,
        rbac.Permission.MANAGE_MEMBERS,
    ):
        assert table[p] == {"owner", "admin"}
    for p in (
        rbac.Permission.MANAGE_MODELS,
        rbac.Permission.MANAGE_SECURITY,
        rbac.Permission.TRANSFER_OWNERSHIP,
        rbac.Permission.MANAGE_LIMITS,
        rbac.Permission.MANAGE_BACKUPS,
    ):
        assert table[p] == {"owner"}


def test_rekey_then_reopen_and_old_key_is_dead(
    ws: app.Workspace, tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock
) -> None:
    from desktop.core.errors import WrongKey
    from desktop.storage.db import open_database

    owner = ws.accounts.authenticate("owner", PW)
    old = ws.keys.unlock()
    result = ws.workspace.rekey(owner)
    assert result.recovery_key
    assert ws.workspace.verify_audit(owner).ok
    ws.close()
    with pytest.raises(WrongKey):
        open_database(tmp_path / "w" / "kura.db", old, clock=clock)
    with app.open_workspace(tmp_path / "w", key_store=key_store, hasher=FAST, clock=clock) as w2:
        assert _actions(w2)[-1] == "workspace.rekeyed"


def test_interrupted_rekey_is_finished_on_open(
    ws: app.Workspace, tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock
) -> None:
    new_key, _ = ws.keys.begin_rekey()
    ws.store.rekey(new_key)  # crash here: database rekeyed, slots not yet promoted
    ws.close()
    with app.open_workspace(tmp_path / "w", key_store=key_store, hasher=FAST, clock=clock) as w2:
        assert _actions(w2)[-1] == "workspace.rekey_completed"
        assert w2.keys.unlock() == new_key
        assert w2.workspace.summary()["recovery_key_unseen"] is True
        owner = w2.accounts.authenticate("owner", PW)
        w2.workspace.rekey(owner)
        assert w2.workspace.summary()["recovery_key_unseen"] is True  # not shown yet
        w2.workspace.recovery_key_shown(owner)
        assert w2.workspace.summary()["recovery_key_unseen"] is False


def test_abandoned_rekey_before_database_change_is_dropped(
    ws: app.Workspace, tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock
) -> None:
    old = ws.keys.unlock()
    ws.keys.begin_rekey()  # crash before the database was rekeyed
    ws.close()
    with app.open_workspace(tmp_path / "w", key_store=key_store, hasher=FAST, clock=clock) as w2:
        assert w2.keys.unlock() == old
        assert w2.keys.pending_dek() is None


def test_user_names_that_differ_only_in_case_cannot_coexist(ws: app.Workspace) -> None:
    owner = ws.accounts.authenticate("owner", PW)
    ws.accounts.add_user(owner, "Émile", Role.ADMIN, PW)
    with pytest.raises(AlreadyExists):
        ws.accounts.add_user(owner, "émile", Role.MEMBER, PW)  # NOCASE folds ASCII only
    ws.accounts.add_user(owner, "mo", Role.MEMBER, PW)
    member = ws.accounts.authenticate("mo", PW)
    with pytest.raises(PermissionDenied):
        ws.accounts.reset_password(member, "Émile", "a brand new passphrase")


def test_a_demoted_or_disabled_user_loses_rights_at_once(ws: app.Workspace) -> None:
    owner = ws.accounts.authenticate("owner", PW)
    ws.accounts.add_user(owner, "ada", Role.ADMIN, PW)
    admin = ws.accounts.authenticate("ada", PW)  # a long-lived session
    ws.accounts.set_role(owner, "ada", Role.MEMBER)
    with pytest.raises(PermissionDenied):
        ws.accounts.add_user(admin, "x", Role.MEMBER, PW)
    ws.accounts.set_status(owner, "ada", UserStatus.DISABLED)
    with pytest.raises(AuthenticationFailed):
        ws.accounts.list_users(admin)


def test_a_rekey_that_fails_after_the_database_changed_is_settled_on_open(
    ws: app.Workspace,
    tmp_path: Path,
    key_store: MemoryKeyStore,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    owner = ws.accounts.authenticate("owner", PW)
    real_rekey = ws.store.rekey

    def rekey_then_fail(new_key: bytes) -> None:
        real_rekey(new_key)
        raise OSError("checkpoint busy after the rekey")

    monkeypatch.setattr(ws.store, "rekey", rekey_then_fail)
    with pytest.raises(OSError):
        ws.workspace.rekey(owner)
    ws.close()
    with app.open_workspace(tmp_path / "w", key_store=key_store, hasher=FAST, clock=clock) as w2:
        assert _actions(w2)[-1] == "workspace.rekey_completed"
        assert w2.workspace.summary()["recovery_key_unseen"] is True


def test_a_lost_active_item_during_a_rotation_opens_with_the_pending_key(
    ws: app.Workspace, tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock
) -> None:
    new_key, _ = ws.keys.begin_rekey()
    ws.store.rekey(new_key)
    ws.close()
    active = [k for k in key_store.items if not k.endswith(":2")]
    for item in active:
        del key_store.items[item]
    with app.open_workspace(tmp_path / "w", key_store=key_store, hasher=FAST, clock=clock) as w2:
        assert w2.keys.unlock() == new_key


def test_recovery_while_a_rotation_never_reached_the_database(
    tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock
) -> None:
    result = app.init_workspace(
        tmp_path / "r", "owner", PW, key_store=key_store, hasher=FAST, clock=clock
    )
    with app.open_workspace(tmp_path / "r", key_store=key_store, hasher=FAST, clock=clock) as w:
        w.keys.begin_rekey()  # crash before the database changed
    key_store.items.clear()  # and the keyring is wiped
    with app.recover_workspace(
        tmp_path / "r", result.recovery_key, key_store=key_store, hasher=FAST, clock=clock
    ) as w:
        assert not w.keys.has_pending()
    with app.open_workspace(tmp_path / "r", key_store=key_store, hasher=FAST, clock=clock) as w:
        assert w.accounts.authenticate("owner", PW).role is Role.OWNER


def test_bootstrap_disables_core_dumps_and_forces_offline() -> None:
    import subprocess
    import sys

    code = (
        "import os, resource; os.environ['HF_HUB_OFFLINE'] = '0'\n"
        "from desktop import app; app.bootstrap()\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE), os.environ['HF_HUB_OFFLINE'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "(0, 0) 1"


def test_undecodable_input_is_an_input_error(ws: app.Workspace) -> None:
    owner = ws.accounts.authenticate("owner", PW)
    with pytest.raises(InputError):
        ws.accounts.add_user(owner, "bad\udcff", Role.MEMBER, PW)
    with pytest.raises(InputError):
        ws.accounts.add_user(owner, "fine", Role.MEMBER, "long password \udcff here")
