"""Strict unlock mode: what an edited slot file, a guessed user name and ``kura doctor``
can tell or cost (review findings 3 to 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pyotp
import pytest

from desktop import app
from desktop.core.clock import SystemClock
from desktop.core.errors import DatabaseCorrupt
from desktop.diagnostics.store import workspace_check
from desktop.security.keyslots import WorkspaceKeys
from tests.fakes import FixedClock, MemoryKeyStore
from tests.strict_support import ADA_PW, cheap_kdf, make_strict, new_workspace


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_kdf(monkeypatch)


@pytest.fixture
def strict(tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock) -> Path:
    return make_strict(new_workspace(tmp_path, key_store, clock), key_store)


def _edit_slot(folder: Path, user: str, **fields: int) -> None:
    path = folder / "keyslots.json"
    document = json.loads(path.read_text())
    for slot in document["slots"]:
        if slot.get("user") == user:
            slot.update(fields)
    path.write_text(json.dumps(document))


@pytest.mark.parametrize(
    "fields", [{"m": 1024 * 1024}, {"t": 6}, {"p": 16}], ids=["1GiB", "t6", "p16"]
)
def test_argon2_settings_beyond_what_kura_writes_are_refused_before_argon2_runs(
    strict: Path, key_store: MemoryKeyStore, monkeypatch: pytest.MonkeyPatch, fields: dict
):
    _edit_slot(strict, "ada", **fields)
    ran: list[object] = []
    monkeypatch.setattr("argon2.low_level.hash_secret_raw", lambda *a, **k: ran.append(a))
    with pytest.raises(DatabaseCorrupt, match="out of range"):
        WorkspaceKeys(strict / "keyslots.json", key_store, FixedClock()).unlock(("ada", ADA_PW))
    assert ran == []


def test_an_unknown_user_name_runs_argon2_like_a_wrong_password(
    strict: Path, key_store: MemoryKeyStore, monkeypatch: pytest.MonkeyPatch
):
    import argon2.low_level

    real = argon2.low_level.hash_secret_raw
    runs: list[int] = []

    def counting(*args: object, **kwargs: object) -> bytes:
        runs.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(argon2.low_level, "hash_secret_raw", counting)
    keys = WorkspaceKeys(strict / "keyslots.json", key_store, FixedClock())
    for name in ("ada", "nobody"):
        with pytest.raises(Exception, match="user name or password is wrong"):
            keys.unlock((name, "a wrong password guess"))
    assert len(runs) == 2  # one for the known name, one (dummy) for the unknown one


def test_doctor_without_a_user_does_not_call_a_strict_slot_set_ok(
    strict: Path, key_store: MemoryKeyStore
):
    path = strict / "keyslots.json"
    document = json.loads(path.read_text())
    document["slots"] = [s for s in document["slots"] if s.get("user") != "owner"]
    path.write_text(json.dumps(document))
    check = workspace_check(strict, key_store, None)
    assert not check.ok and check.data["slots"] == "not_checked"
    assert "not checked" in check.detail


def test_doctor_with_a_user_asks_for_the_one_time_code(strict: Path, key_store: MemoryKeyStore):
    with app.open_workspace(
        strict, key_store=key_store, credentials=("ada", ADA_PW), clock=SystemClock()
    ) as ws:
        ada = ws.accounts.authenticate("ada", ADA_PW)
        enrollment = ws.totp.begin(ada)
        ws.totp.confirm(ada, pyotp.TOTP(enrollment.secret).now())
    check = workspace_check(strict, key_store, ("ada", ADA_PW))
    assert not check.ok and "audit_events" not in check.data
    wrong = workspace_check(strict, key_store, ("ada", ADA_PW), code=lambda: "000000")
    assert not wrong.ok and "audit_events" not in wrong.data
