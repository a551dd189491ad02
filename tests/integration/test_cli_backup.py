"""Backups and restore through the real CLI, a real keyring and real SQLCipher files:
canaries never readable on disk, every table and the audit head identical after a
restore on a fresh keyring, one-line refusals, kill -9 at random moments, stock age."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop import app
from desktop.core.chat_models import AppConfig
from desktop.core.keyring_items import all_items
from desktop.security import backup_file
from tests.fakes import FakeChatModel, FakeInspector, MemorySource
from tests.fakes_retrieval import HashEmbedder
from tests.integration.cli_support import REPO, Kura, require_secret_service

pytestmark = [pytest.mark.keyring, pytest.mark.slow]

OWNER_PW = "correct horse battery staple 蔵"
CANARIES = ["CANARY-b4c7-chat-question", "CANARY-b4c7-answer 蔵", "CANARY-b4c7-document カナリア"]
KILLS = 10


def _engines(reply: str) -> app.Engines:
    return app.Engines(
        FakeInspector(), FakeChatModel([[reply]]), embedder_factory=lambda _: HashEmbedder(64)
    )


class BackupKura(Kura):
    recovery_key = ""


@pytest.fixture
def kura(tmp_path: Path) -> Iterator[BackupKura]:
    """A workspace with the canaries in a chat (question, answer, so the audit log too)
    and in a document, made in this process on the real keyring."""
    require_secret_service()
    kura = BackupKura(tmp_path / "ws", tmp_path / "tmp")
    kura.recovery_key = kura.init("owner", OWNER_PW)["recovery_key"]
    key_store = app.default_key_store()
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    with app.open_workspace(
        kura.data_dir, key_store=key_store, engines=_engines(CANARIES[1])
    ) as ws:
        owner = ws.accounts.authenticate("owner", OWNER_PW)
        model_id = ws.models.register(owner, str(model), name="m").id
        chat = ws.apps.create(owner, AppConfig(name="desk", model_id=model_id))
        ws.chat.send(owner, chat.id, CANARIES[0])
        kb = ws.knowledge.create(owner, "docs")
        bulk = " ".join(f"filler sentence number {i} about storehouses." for i in range(20000))
        ws.knowledge.ingest(
            owner,
            kb.id,
            [
                MemorySource("canary.txt", f"{CANARIES[2]}\n\n{bulk}".encode()),
            ],
        )
    yield kura
    with_ids = []
    for folder in (kura.data_dir, tmp_path / "restored"):
        if (folder / "keyslots.json").exists():
            with (
                app.open_workspace(folder, key_store=key_store) as ws,
                ws.store.transaction() as tx,
            ):
                ids = [int(k["id"]) for k in tx.review.signing_keys()]
                with_ids.append((ws.workspace_id, ids))
    for workspace_id, ids in with_ids:
        for item in all_items(workspace_id, ids):
            key_store.delete_secret(item)


def dump(folder: Path) -> dict[str, list[tuple[Any, ...]]]:
    with app.open_workspace(folder, key_store=app.default_key_store()) as ws:
        conn = ws.store._live()
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            ).fetchall()
        ]
        return {
            n: sorted(map(tuple, conn.execute(f'SELECT * FROM "{n}"').fetchall())) for n in names
        }


def needles(kura: BackupKura) -> list[bytes]:
    texts = [*CANARIES, OWNER_PW, kura.recovery_key]
    return [t.encode(enc) for t in texts for enc in ("utf-8", "utf-16-le", "utf-16-be")]


def scan(folders: list[Path], found: list[bytes]) -> int:
    count = 0
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                count += 1
                data = path.read_bytes()
                hits = [n for n in found if n in data]
                assert not hits, f"{path} contains {hits[:1]!r}"
    return count


def backup(kura: BackupKura, out: Path, *extra: str) -> Any:
    return kura(
        "backup",
        "--out",
        str(out),
        "--user",
        "owner",
        "--password-stdin",
        "--json",
        *extra,
        stdin=OWNER_PW + "\n",
    )


def forget(folder: Path) -> None:
    """Delete a workspace: its folder and every keyring item it had."""
    key_store = app.default_key_store()
    with app.open_workspace(folder, key_store=key_store) as ws, ws.store.transaction() as tx:
        workspace_id = tx.settings.get("workspace_id") or ""
        ids = [int(k["id"]) for k in tx.review.signing_keys()]
    for item in all_items(workspace_id, ids):
        key_store.delete_secret(item)
    shutil.rmtree(folder)


def test_restore_on_a_fresh_keyring_is_identical_and_nothing_readable(
    kura: BackupKura, tmp_path: Path
) -> None:
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    made = backup(kura, shelf / "w.kbak")
    assert made.code == 0, made.err
    manifest = backup_file.read_backup(shelf / "w.kbak").manifest
    seq = manifest["audit"]["seq"]
    # the workspace as the backup saw it: now, less the backup's own record
    before = dump(kura.data_dir)
    assert [e[3] for e in before["audit_events"] if e[0] > seq] == ["backup.created"]
    forget(kura.data_dir)
    restored = tmp_path / "restored"
    res = kura(
        "restore",
        str(shelf / "w.kbak"),
        "--data-dir",
        str(restored),
        "--recovery-key-stdin",
        "--json",
        stdin=kura.recovery_key + "\n",
    )
    assert res.code == 0, res.err
    after = dump(restored)
    assert [e for e in after["audit_events"] if e[0] <= seq] == [
        e for e in before["audit_events"] if e[0] <= seq
    ]
    skip = {"audit_events", "audit_head", "signing_keys", "settings", "sqlite_sequence"}
    for name in set(before) - skip:
        assert after[name] == before[name], name
    grown = {"audit_events", "signing_keys"}  # the restore's own rows
    assert [r for r in after["sqlite_sequence"] if r[0] not in grown] == [
        r for r in before["sqlite_sequence"] if r[0] not in grown
    ]
    # settings: the same, but the last backup's record (written after the snapshot) and
    # the key-slot file generation of the new keyslots.json
    changed = {r[0] for r in set(before["settings"]) ^ set(after["settings"])}
    assert changed <= {"backup.last", "keyslots_generation"}, changed
    # the old signing keys are kept (retired); one new key signs from now on
    old = {r[0]: r[1:3] for r in before["signing_keys"]}
    assert {r[0]: r[1:3] for r in after["signing_keys"] if r[0] in old} == old
    assert len(after["signing_keys"]) == len(old) + 1
    with app.open_workspace(restored, key_store=app.default_key_store()) as ws:
        assert ws.store.integrity_check() == [] and ws.store.verify_audit().ok
        with ws.store.transaction() as tx:
            events = [e for e in tx.audit.iter_events() if e.action == "workspace.restored"]
            payloads = [str(e.payload) for e in tx.audit.iter_events()]
        assert events and events[0].payload["backup_audit_head"] == manifest["audit"]["head"]
        assert any(CANARIES[0] in p for p in payloads)  # the scan below is not vacuous
    assert scan([shelf, restored, kura.tmp_dir], needles(kura)) >= 3


def test_refusals_are_one_line_and_install_nothing(kura: BackupKura, tmp_path: Path) -> None:
    out = tmp_path / "w.kbak"
    assert backup(kura, out).code == 0
    again = backup(kura, out)
    assert again.code == 2 and again.err_lines == [
        "kura: error: w.kbak already exists: Kura never overwrites a backup; choose another "
        "file name"
    ]
    target = tmp_path / "target"
    from desktop.security.recovery import format_recovery_key, new_recovery_key

    wrong = kura(
        "restore",
        str(out),
        "--data-dir",
        str(target),
        "--recovery-key-stdin",
        stdin=format_recovery_key(new_recovery_key()) + "\n",
    )
    assert wrong.code == 4 and len(wrong.err_lines) == 1, wrong.err
    into_live = kura(
        "restore",
        str(out),
        "--data-dir",
        str(kura.data_dir),
        "--recovery-key-stdin",
        stdin=kura.recovery_key + "\n",
    )
    assert into_live.code == 2 and len(into_live.err_lines) == 1 and "--move-aside" in into_live.err
    altered = bytearray(out.read_bytes())
    altered[-300] ^= 0x40  # in the signed trailer
    (tmp_path / "bad.kbak").write_bytes(bytes(altered))
    bad = kura(
        "restore",
        str(tmp_path / "bad.kbak"),
        "--data-dir",
        str(target),
        "--recovery-key-stdin",
        stdin=kura.recovery_key + "\n",
    )
    assert bad.code == 1 and len(bad.err_lines) == 1 and "altered" in bad.err, bad.err
    assert not target.exists() and not list(tmp_path.glob(".target.restore-*"))


def _kill_at_random(cmd: list[str], stdin: str, env: dict[str, str], delay: float) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "desktop", *cmd],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=REPO,
        env=env,
        text=True,
    )
    assert child.stdin is not None
    child.stdin.write(stdin)
    child.stdin.close()
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait()


def test_kill_9_during_backup_and_restore(kura: BackupKura, tmp_path: Path) -> None:
    rng = random.Random(1919)
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    started = time.monotonic()
    assert backup(kura, shelf / "timing.kbak").code == 0
    span = time.monotonic() - started
    outcomes = {"finished": 0, "cut": 0, "early": 0}
    for run in range(KILLS):
        out = shelf / f"b{run}.kbak"
        cmd = ["backup", "--out", str(out), "--user", "owner", "--password-stdin"]
        _kill_at_random(cmd, OWNER_PW + "\n", kura.env, rng.uniform(0.2, span * 1.1))
        if out.exists():  # it finished before the kill: then it is whole
            backup_file.read_backup(out)
            outcomes["finished"] += 1
        else:
            outcomes["cut" if list(shelf.glob(f".{out.name}.*")) else "early"] += 1
        with app.open_workspace(kura.data_dir, key_store=app.default_key_store()) as ws:
            assert ws.store.integrity_check() == [] and ws.store.verify_audit().ok
    assert backup(kura, shelf / "after-kills.kbak").code == 0
    assert not list(shelf.glob(f".*{backup_file.TEMP_SUFFIX}"))  # the killed ones' temp files
    forget(kura.data_dir)  # lost laptop: only the backups are left
    restored = tmp_path / "restored"
    for _ in range(KILLS):
        cmd = [
            "restore",
            str(shelf / "timing.kbak"),
            "--data-dir",
            str(restored),
            "--recovery-key-stdin",
        ]
        _kill_at_random(cmd, kura.recovery_key + "\n", kura.env, rng.uniform(0.2, span * 1.5))
        if restored.exists():  # the rename happened: a whole, verified workspace
            with app.open_workspace(restored, key_store=app.default_key_store()) as ws:
                assert ws.store.integrity_check() == [] and ws.store.verify_audit().ok
            forget(restored)
            outcomes["restore finished"] = outcomes.get("restore finished", 0) + 1
        elif list(tmp_path.glob(".restored.restore-*")):
            outcomes["restore cut"] = outcomes.get("restore cut", 0) + 1
    final = kura(
        "restore",
        str(shelf / "timing.kbak"),
        "--data-dir",
        str(restored),
        "--recovery-key-stdin",
        stdin=kura.recovery_key + "\n",
    )
    assert final.code == 0, final.err
    print(f"kill -9 outcomes: {outcomes}")
    assert not list(tmp_path.glob(".restored.restore-*"))  # a killed restore's leftovers went
    assert scan([shelf, tmp_path / "restored", kura.tmp_dir], needles(kura)) >= 3


@pytest.mark.skipif(shutil.which("age") is None, reason="stock age is not installed")
def test_stock_age_unwraps_the_escrow_key(kura: BackupKura, tmp_path: Path) -> None:
    identity = tmp_path / "escrow.txt"
    subprocess.run(["age-keygen", "-o", str(identity)], check=True, capture_output=True)
    public = subprocess.run(
        ["age-keygen", "-y", str(identity)], check=True, capture_output=True, text=True
    ).stdout.strip()
    out = tmp_path / "w.kbak"
    made = backup(kura, out, "--escrow", public)
    assert made.code == 0, made.err
    sealed = backup_file.read_backup(out)
    wrapped = tmp_path / "key.age"
    wrapped.write_text(sealed.manifest["keys"]["escrow"][0]["age"])
    key = subprocess.run(
        ["age", "-d", "-i", str(identity), str(wrapped)], check=True, capture_output=True
    ).stdout
    assert len(key) == 32
    from desktop.storage.db import open_database
    from tests.fakes import FixedClock

    db = tmp_path / "check" / "kura.db"
    db.parent.mkdir()
    backup_file.copy_database(sealed, db)
    with open_database(db, key, clock=FixedClock()) as store:  # the key age gave opens it
        assert store.verify_audit().ok
    forget(kura.data_dir)
    res = kura(
        "restore", str(out), "--data-dir", str(tmp_path / "restored"), "--identity", str(identity)
    )
    assert res.code == 0, res.err
