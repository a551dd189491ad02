"""Backups and restore at the service level, on the real SQLCipher store with an
in-memory keyring: the round trip, the container's tamper evidence (1,000 seeded
single-byte changes), and every refusal as a one-line error that installs nothing."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyrage
import pytest

from desktop import app, backups
from desktop.core.errors import (
    AppError,
    BackupInvalid,
    InputError,
    PermissionDenied,
    SchemaTooNew,
    WorkspaceExists,
    WrongKey,
)
from desktop.core.models import Actor, Role
from desktop.security import backup_file
from desktop.security.recovery import format_recovery_key, new_recovery_key
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FixedClock, MemoryKeyStore
from tests.tools import FAST_HASHER
from tests.unit.shared_workspace import (
    big_document,
    damage_a_middle_page,
    ingesting_beside,
    owner_of,
    shared_workspace,
)

FLIPS = 1000


class Made:
    def __init__(self, ws: app.Workspace, owner: Actor, recovery_key: str, root: Path) -> None:
        self.ws, self.owner, self.recovery_key, self.root = ws, owner, recovery_key, root


@pytest.fixture
def made(tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock) -> Iterator[Made]:
    init = app.init_workspace(
        tmp_path / "w",
        "owner",
        PEOPLE_PASSWORD,
        key_store=key_store,
        hasher=FAST_HASHER,
        clock=clock,
    )
    with app.open_workspace(
        tmp_path / "w", key_store=key_store, hasher=FAST_HASHER, clock=clock
    ) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        yield Made(ws, owner, init.recovery_key, tmp_path)


def tables(ws: app.Workspace) -> dict[str, list[tuple[Any, ...]]]:
    conn = ws.store._live()
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        ).fetchall()
    ]
    return {n: sorted(map(tuple, conn.execute(f'SELECT * FROM "{n}"').fetchall())) for n in names}


def restored(made: Made, out: Path, **kw: Any) -> backups.RestoreResult:
    return backups.restore_workspace(
        out,
        made.root / "restored",
        key_store=kw.pop("key_store", MemoryKeyStore()),
        clock=FixedClock(),
        **kw,
    )


def nothing_installed(root: Path) -> None:
    assert not (root / "restored").exists()
    assert not list(root.glob(".restored.restore-*"))


def test_round_trip_on_a_fresh_keyring(made: Made) -> None:
    made.ws.accounts.add_user(made.owner, "mo", Role.MEMBER, PEOPLE_PASSWORD)
    before = tables(made.ws)
    out = made.root / "w.kbak"
    result = made.ws.backups.backup(made.owner, out)
    assert out.exists() and result.size == out.stat().st_size
    assert made.ws.backups.last_backup(made.owner)["sha256"] == result.sha256
    fresh = MemoryKeyStore()
    done = restored(made, out, recovery_key=made.recovery_key, key_store=fresh)
    assert done.recovery_key != made.recovery_key
    with app.open_workspace(
        made.root / "restored", key_store=fresh, hasher=FAST_HASHER, clock=FixedClock()
    ) as again:
        after = tables(again)
        assert again.store.verify_audit().ok
        # everything the backup held is there as it was; the restore only adds its own
        # events, a new signing key (the old ones retired) and its key-slot bookkeeping
        head_seq = backup_file.read_backup(out).manifest["audit"]["seq"]
        assert [e for e in after["audit_events"] if e[0] <= head_seq] == before["audit_events"]
        for name in set(before) - {"audit_events", "audit_head", "signing_keys", "settings"}:
            assert after[name] == before[name], name
        assert {r[0] for r in after["signing_keys"]} > {r[0] for r in before["signing_keys"]}
        assert set(before["settings"]) - set(after["settings"]) <= {
            r for r in before["settings"] if r[0].startswith("keyslots")
        }
        owner = again.accounts.authenticate("owner", PEOPLE_PASSWORD)
        again.backups.backup(owner, made.root / "again.kbak")  # the new signing key works


def test_escrow_identity_opens_and_another_is_refused(made: Made) -> None:
    holder, stranger = pyrage.x25519.Identity.generate(), pyrage.x25519.Identity.generate()
    out = made.root / "w.kbak"
    made.ws.backups.backup(made.owner, out, escrow=[str(holder.to_public())])
    (made.root / "stranger.txt").write_text(f"# created: now\n{stranger}\n")
    with pytest.raises(WrongKey) as exc:
        restored(made, out, identity=made.root / "stranger.txt")
    assert "\n" not in str(exc.value) and "other recipients" in str(exc.value)
    nothing_installed(made.root)
    (made.root / "holder.txt").write_text(f"{holder}\n")
    assert restored(made, out, identity=made.root / "holder.txt").workspace_id


def test_wrong_recovery_key_is_one_line_and_installs_nothing(made: Made) -> None:
    out = made.root / "w.kbak"
    made.ws.backups.backup(made.owner, out)
    with pytest.raises(WrongKey) as exc:
        restored(made, out, recovery_key=format_recovery_key(new_recovery_key()))
    assert "\n" not in str(exc.value)
    with pytest.raises(InputError):  # a typo is caught by the checksum, not a wrong key
        typo = "1" if made.recovery_key.endswith("0") else "0"  # a key ending in 0 too
        restored(made, out, recovery_key=made.recovery_key[:-1] + typo)
    nothing_installed(made.root)


def test_newer_schema_is_refused(made: Made) -> None:
    conn = made.ws.store._live()
    conn.execute("INSERT INTO schema_migrations (name, applied_at) VALUES ('m9999_future', 'now')")
    out = made.root / "w.kbak"
    made.ws.backups.backup(made.owner, out)
    with pytest.raises(SchemaTooNew) as exc:
        restored(made, out, recovery_key=made.recovery_key)
    assert "newer Kura" in str(exc.value)
    nothing_installed(made.root)


def test_never_overwrites_and_only_the_owner_backs_up(made: Made) -> None:
    out = made.root / "w.kbak"
    out.write_bytes(b"precious")
    with pytest.raises(InputError):
        made.ws.backups.backup(made.owner, out)
    assert out.read_bytes() == b"precious"
    made.ws.accounts.add_user(made.owner, "ada", Role.ADMIN, PEOPLE_PASSWORD)
    admin = made.ws.accounts.authenticate("ada", PEOPLE_PASSWORD)
    with pytest.raises(PermissionDenied):
        made.ws.backups.backup(admin, made.root / "admin.kbak")
    assert not (made.root / "admin.kbak").exists()
    with pytest.raises(InputError):
        made.ws.backups.backup(made.owner, made.root / "x.kbak", escrow=["age1nothing"])
    assert sorted(p.name for p in made.root.iterdir()) == ["w", "w.kbak"]


def test_target_rules_and_move_aside(made: Made, key_store: MemoryKeyStore) -> None:
    out = made.root / "w.kbak"
    made.ws.backups.backup(made.owner, out)
    busy = made.root / "restored"
    busy.mkdir()
    (busy / "notes.txt").write_text("keep me")
    with pytest.raises(WorkspaceExists):
        restored(made, out, recovery_key=made.recovery_key)
    done = restored(made, out, recovery_key=made.recovery_key, move_aside=True)
    assert done.moved_aside is not None and (done.moved_aside / "notes.txt").exists()
    # the keyring still holds the live workspace's key: another folder is refused
    with pytest.raises(WorkspaceExists) as exc:
        backups.restore_workspace(
            out, made.root / "elsewhere", key_store=key_store, recovery_key=made.recovery_key
        )
    assert "still installed" in str(exc.value)


def test_a_thousand_single_byte_changes_are_all_refused(made: Made) -> None:
    out = made.root / "w.kbak"
    made.ws.backups.backup(made.owner, out)
    data = out.read_bytes()
    trailer = len(data) - backup_file.read_backup(out).db_size
    rng = random.Random(19)
    bad = made.root / "bad.kbak"
    refused: dict[str, int] = {}
    for n in range(FLIPS):
        # half anywhere (mostly the database), half in the manifest, signature and tail
        at = rng.randrange(len(data)) if n % 2 else len(data) - 1 - rng.randrange(trailer)
        changed = bytearray(data)
        changed[at] ^= rng.randrange(1, 256)
        bad.write_bytes(bytes(changed))
        with pytest.raises(AppError) as exc:
            restored(made, bad, recovery_key=made.recovery_key)
        assert "\n" not in str(exc.value)
        refused[type(exc.value).__name__] = refused.get(type(exc.value).__name__, 0) + 1
        nothing_installed(made.root)
    assert set(refused) <= {"BackupInvalid", "SchemaTooNew"}, refused
    assert refused.get("BackupInvalid", 0) > FLIPS * 0.9


def test_truncated_and_foreign_files_are_refused(made: Made) -> None:
    out = made.root / "w.kbak"
    made.ws.backups.backup(made.owner, out)
    data = out.read_bytes()
    cut = made.root / "cut.kbak"
    for size in (0, 10, len(data) // 2, len(data) - 1):
        cut.write_bytes(data[:size])
        with pytest.raises(BackupInvalid):
            restored(made, cut, recovery_key=made.recovery_key)
    nothing_installed(made.root)


def test_a_backup_while_another_connection_ingests_is_consistent(
    tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock
) -> None:
    """A writer on its own connection (as the GUI's ingest lane) adds documents, each
    with its chunks, embeddings and audit event in one transaction, while the backup
    runs: the restored copy holds whole transactions only, and its chain verifies."""
    shared = shared_workspace(tmp_path / "w", key_store, clock)
    with shared.open() as ws:
        owner = owner_of(ws)
        kb = ws.knowledge.create(owner, "docs")
        with ingesting_beside(shared, kb.id, pause=0.02, before=3) as written:
            outs = [tmp_path / f"b{i}.kbak" for i in range(3)]
            for out in outs:
                ws.backups.backup(owner, out)
    for i, out in enumerate(outs):
        fresh = MemoryKeyStore()
        target = tmp_path / f"r{i}"
        backups.restore_workspace(
            out, target, key_store=fresh, recovery_key=shared.recovery_key, clock=FixedClock()
        )
        with app.open_workspace(
            target, key_store=fresh, hasher=FAST_HASHER, clock=FixedClock(), engines=shared.engines
        ) as again:
            assert again.store.integrity_check() == [] and again.store.verify_audit().ok
            conn = again.store._live()
            documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            added = conn.execute(
                "SELECT count(*) FROM audit_events WHERE action = 'kb.document_added'"
            ).fetchone()[0]
            bare = conn.execute(
                "SELECT count(*) FROM document_versions v WHERE NOT EXISTS "
                "(SELECT 1 FROM chunks c WHERE c.version_id = v.id)"
            ).fetchone()[0]
        assert documents == added and bare == 0
    assert written[0] > 3  # the writer really ran beside the backups


def test_a_page_that_fails_authentication_refuses_the_backup(
    tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock
) -> None:
    """Every page is authenticated as the snapshot copies it: one changed byte in a page
    the open never reads refuses the backup with one line, and leaves no file behind."""
    shared = shared_workspace(tmp_path / "w", key_store, clock)
    with shared.open() as ws:
        db = big_document(ws)
    damage_a_middle_page(db)
    before = sorted(p.name for p in tmp_path.iterdir())
    with shared.open() as ws, pytest.raises(AppError) as caught:
        ws.backups.backup(owner_of(ws), tmp_path / "w.kbak")
    assert caught.value.code == "backup.database_corrupt"
    assert "\n" not in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_the_next_backup_sweeps_temp_files_a_killed_backup_left(made: Made) -> None:
    """A killed backup leaves its encrypted temp file; the next backup into the folder
    removes it, but not one a running backup holds (locked), nor anyone else's file."""
    import fcntl

    shelf = made.root / "shelf"
    shelf.mkdir()
    killed = shelf / f".old.kbak.k1ll3d{backup_file.TEMP_SUFFIX}"
    killed.write_bytes(b"\x8f" * 8192)  # as a snapshot cut short: pages, no trailer
    running = shelf / f".other.kbak.run{backup_file.TEMP_SUFFIX}"
    running.write_bytes(b"")
    theirs = [shelf / ".notes.tmp", shelf / f"plain{backup_file.TEMP_SUFFIX}"]
    for path in theirs:
        path.write_bytes(b"keep")
    with running.open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # a backup at work
        made.ws.backups.backup(made.owner, shelf / "next.kbak")
        assert not killed.exists()
        assert running.exists()
    assert all(path.read_bytes() == b"keep" for path in theirs)
    made.ws.backups.backup(made.owner, shelf / "after.kbak")  # its holder is gone now
    assert sorted(p.name for p in shelf.iterdir()) == sorted(
        ["after.kbak", "next.kbak", *(p.name for p in theirs)]
    )
