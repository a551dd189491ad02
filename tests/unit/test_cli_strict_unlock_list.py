"""``kura policy set strict-unlock on`` names the users who cannot open the workspace
until their password is reset, in the CLI's language (the handler in-process, over the
in-memory key store; the real CLI and keyring run in
tests/integration/test_cli_strict_unlock.py)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from desktop import app
from desktop.cli import build_parser
from desktop.core.models import Role
from desktop.security import slotcrypto
from tests.fakes import FixedClock, MemoryKeyStore
from tests.tools import FAST_HASHER

PW = "a long enough passphrase"


@pytest.fixture
def folder(
    tmp_path: Path,
    key_store: MemoryKeyStore,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    monkeypatch.setattr(slotcrypto, "DEFAULT_KDF", slotcrypto.KdfParams(1, 8192, 1))
    monkeypatch.setattr(app, "default_key_store", lambda: key_store)
    path = tmp_path / "w"
    app.init_workspace(path, "owner", PW, key_store=key_store, hasher=FAST_HASHER, clock=clock)
    with app.open_workspace(path, key_store=key_store, hasher=FAST_HASHER) as ws:
        owner = ws.accounts.authenticate("owner", PW)
        ws.accounts.add_user(owner, "mo", Role.MEMBER, "mo's own long passphrase")
        ws.accounts.add_user(owner, "ada", Role.ADMIN, "ada's own long passphrase")
    return path


def _strict_on(folder: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> int:
    argv = ["policy", "set", "strict-unlock", "on", "--data-dir", str(folder)]
    args = build_parser().parse_args([*argv, "--user", "owner", "--password-stdin", *extra])
    monkeypatch.setattr(sys, "stdin", io.StringIO(PW + "\n"))
    return int(args.handler(args))


def test_turning_strict_unlock_on_lists_who_has_no_slot(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert _strict_on(folder, monkeypatch) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == (
        "these users have no key slot yet and cannot open the workspace until their "
        "password is reset: ada, mo; an Admin runs `kura users reset-password NAME` for each"
    )


def test_the_list_reads_in_japanese_and_is_in_the_json_document(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LC_ALL", "ja_JP.UTF-8")
    assert _strict_on(folder, monkeypatch) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("次のユーザーにはまだキースロットがなく") and "ada, mo" in last
    assert _strict_on(folder, monkeypatch, "--json") == 0  # on again: still the same two
    assert json.loads(capsys.readouterr().out)["users_without_slot"] == ["ada", "mo"]
