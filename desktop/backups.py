"""Restore a workspace from a backup file (``kura restore``): the composition of the
backup file's checks, the encrypted store and new key slots.

Order, each step refusing with one line and leaving nothing installed:

1. the file's trailer, manifest and signature (:func:`backup_file.read_backup`); a
   schema newer than this Kura's;
2. the target folder: empty or new, or with ``move_aside`` anything there is renamed
   ``<folder>.moved-<time>`` at the very end;
3. the backup key, from the recovery key of the time or from an age identity;
4. in a private staging folder beside the target (``.<folder>.restore-<random>``): the
   database copied out with its SHA-256 checked, opened under the backup key (an older
   schema is migrated), ``cipher_integrity_check`` + ``quick_check``, the audit chain
   re-derived and compared with the manifest's head, the workspace id and the signer
   checked against the database;
5. a NEW database key (the staging database is rekeyed) and a new ``keyslots.json``
   (a new keyring item, a new recovery key), a new signing key, the restore audited;
6. one rename puts the staging folder in place.

Staging folders left by a killed restore hold only encrypted files; the next restore
into the same folder removes them and the keyring items they name.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop import app
from desktop.core.clock import Clock, SystemClock, iso_utc
from desktop.core.errors import (
    AppError,
    AuditChainBroken,
    BackupInvalid,
    DataDirUnreadable,
    InputError,
    SchemaTooNew,
    WorkspaceExists,
)
from desktop.core.keyring_items import workspace_key_items
from desktop.core.ports import KeyStore
from desktop.core.services.workspace import WorkspaceService
from desktop.data_dir import Layout
from desktop.security import backup_file
from desktop.security.keyslots import WorkspaceKeys
from desktop.security.passwords import Argon2PasswordHasher
from desktop.storage.db import SqlCipherStore, open_database
from desktop.storage.files import fsync_dir
from desktop.storage.migrations import MIGRATIONS

__all__ = ["RestoreResult", "restore_workspace"]

_STAGING = ".{name}.restore-"


@dataclass(frozen=True, slots=True)
class RestoreResult:
    workspace_id: str
    data_dir: Path
    recovery_key: str
    backup_id: str
    backup_created_at: str
    audit_seq: int
    audit_head: str
    moved_aside: Path | None


def restore_workspace(
    file: Path,
    data_dir: Path,
    *,
    key_store: KeyStore,
    recovery_key: str | None = None,
    identity: Path | None = None,
    move_aside: bool = False,
    clock: Clock | None = None,
) -> RestoreResult:
    """Verify ``file`` and install the workspace it holds at ``data_dir`` with new keys;
    returns the new recovery key (shown once). See the module docstring."""
    clock = clock or SystemClock()
    if recovery_key is None and identity is None:
        raise InputError("backup.key_source_required")
    if recovery_key is not None and identity is not None:
        raise InputError("backup.key_source_both")
    backup = backup_file.read_backup(file)
    _check_schema(backup)
    occupied = _check_target(data_dir, move_aside=move_aside)
    if recovery_key is not None:
        backup_key = backup_file.unwrap_with_recovery(backup, recovery_key)
    else:
        assert identity is not None
        backup_key = backup_file.unwrap_with_identity(backup, identity)
    workspace_id = str(backup.manifest["workspace_id"])
    parent = data_dir.absolute().parent
    claim = _claim_keyring(workspace_id, data_dir, key_store, clock, move_aside=move_aside)
    try:
        parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=_STAGING.format(name=data_dir.name), dir=parent))
    except OSError as exc:
        raise DataDirUnreadable(
            "backup.target_unusable", folder=data_dir, reason=exc.strerror or str(exc)
        ) from exc
    keys = WorkspaceKeys(Layout(staging).slots, key_store, clock)
    try:
        opened_with = "recovery_key" if recovery_key is not None else "age_identity"
        result = _install(backup, backup_key, staging, keys, clock, key_store, claim, opened_with)
        moved = _put_in_place(staging, data_dir, occupied, clock)
    except BaseException:
        with contextlib.suppress(AppError, OSError):
            if keys.exists():
                keys.forget()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return RestoreResult(**result, data_dir=data_dir, moved_aside=moved)  # type: ignore[arg-type]


def _check_schema(backup: backup_file.BackupFile) -> None:
    schema = backup.manifest.get("schema") or {}
    version, head = schema.get("version"), schema.get("head")
    known = [m.__name__ for m in MIGRATIONS]
    if not isinstance(version, int) or version > len(known) or head not in known:
        raise SchemaTooNew(
            "backup.schema_too_new", name=backup.path.name, version=version, known=len(known)
        )


def _check_target(data_dir: Path, *, move_aside: bool) -> bool:
    """Whether ``data_dir`` holds anything (then only ``move_aside`` lets it go on)."""
    try:
        occupied = data_dir.exists() and (not data_dir.is_dir() or any(data_dir.iterdir()))
    except OSError as exc:
        raise DataDirUnreadable(
            "backup.target_unusable", folder=data_dir, reason=exc.strerror or str(exc)
        ) from exc
    if occupied and not move_aside:
        raise WorkspaceExists("backup.target_not_empty", folder=data_dir)
    return occupied


def _claim_keyring(
    workspace_id: str, data_dir: Path, key_store: KeyStore, clock: Clock, *, move_aside: bool
) -> Callable[[], None]:
    """Refuse when the keyring holds this workspace's key for a workspace installed
    elsewhere on this computer. The key may be taken only from the target folder's own
    workspace being moved aside (which then opens with its recovery key, ``kura
    recover``) or from a restore into this folder that was killed (its staging folder
    names it). Returns what takes it: called once the backup has verified."""
    parent = data_dir.absolute().parent
    stale = list(parent.glob(_STAGING.format(name=data_dir.name) + "*"))
    items = workspace_key_items(workspace_id)
    held = [item for item in items if key_store.get_secret(item) is not None]
    if held and not (
        (move_aside and _workspace_id(data_dir, key_store, clock) == workspace_id)
        or any(_workspace_id(folder, key_store, clock) == workspace_id for folder in stale)
    ):
        raise WorkspaceExists("backup.keyring_item_exists", workspace_id=workspace_id)

    def claim() -> None:
        for folder in stale:
            shutil.rmtree(folder, ignore_errors=True)
        for item in held:
            key_store.delete_secret(item)

    return claim


def _workspace_id(folder: Path, key_store: KeyStore, clock: Clock) -> str | None:
    with contextlib.suppress(AppError, OSError, ValueError):
        keys = WorkspaceKeys(Layout(folder).slots, key_store, clock)
        if keys.exists():
            return keys.workspace_id
    return None


def _install(
    backup: backup_file.BackupFile,
    backup_key: bytes,
    staging: Path,
    keys: WorkspaceKeys,
    clock: Clock,
    key_store: KeyStore,
    claim: Callable[[], None],
    opened_with: str,
) -> dict[str, object]:
    layout = Layout(staging)
    backup_file.copy_database(backup, layout.db)
    store = open_database(layout.db, backup_key, clock=clock)
    try:
        _verify(backup, store)
        workspace_id = str(backup.manifest["workspace_id"])
        workspace = WorkspaceService(store, keys)
        keys.adopt_generation(workspace.recorded_slot_generation())
        claim()
        dek, new_recovery = keys.create(workspace_id)
        store.rekey(dek)
        ws = app.wire(layout, store, keys, Argon2PasswordHasher(), clock, key_store=key_store)
        ws.workspace.settle_slot_file()
        if not ws.backups.signer_known(backup.public_key):
            raise BackupInvalid("backup.signer_unknown", name=backup.path.name)
        seq = ws.backups.record_restore(
            {
                "backup_id": backup.manifest["backup_id"],
                "backup_created_at": backup.manifest["created_at"],
                "backup_sha256": backup.manifest["database"]["sha256"],
                "backup_audit_seq": backup.manifest["audit"]["seq"],
                "backup_audit_head": backup.manifest["audit"]["head"],
                "opened_with": opened_with,
                "keyring_backend": key_store.backend_name(),
            }
        )
        store.checkpoint()
    finally:
        store.close()
    fsync_dir(staging)
    return {
        "workspace_id": workspace_id,
        "recovery_key": new_recovery,
        "backup_id": str(backup.manifest["backup_id"]),
        "backup_created_at": str(backup.manifest["created_at"]),
        "audit_seq": seq,
        "audit_head": str(backup.manifest["audit"]["head"]),
    }


def _verify(backup: backup_file.BackupFile, store: SqlCipherStore) -> None:
    name = backup.path.name
    problems = store.integrity_check()
    if problems:
        raise BackupInvalid("backup.restored_corrupt", name=name, problem=problems[0])
    report = store.verify_audit()
    if not report.ok:
        raise AuditChainBroken("backup.restored_chain_broken", name=name, error=report.error)
    audit = backup.manifest.get("audit") or {}
    with store.transaction() as tx:
        seq, head = tx.audit.head()
        workspace_id = tx.settings.get("workspace_id")
    if (seq, head) != (audit.get("seq"), audit.get("head")):
        raise BackupInvalid("backup.contents_mismatch", name=name, what="audit head")
    if workspace_id != backup.manifest.get("workspace_id"):
        raise BackupInvalid("backup.contents_mismatch", name=name, what="workspace id")


def _put_in_place(staging: Path, data_dir: Path, occupied: bool, clock: Clock) -> Path | None:
    moved: Path | None = None
    try:
        if occupied:
            stamp = iso_utc(clock.now()).replace(":", "").replace("-", "")
            moved = data_dir.with_name(f"{data_dir.name}.moved-{stamp}-{secrets.token_hex(2)}")
            os.rename(data_dir, moved)
        elif data_dir.exists():
            data_dir.rmdir()  # empty: the staging folder takes its place
        os.rename(staging, data_dir)
    except OSError as exc:
        if moved is not None and not data_dir.exists():
            with contextlib.suppress(OSError):
                os.rename(moved, data_dir)
        raise DataDirUnreadable(
            "backup.target_unusable", folder=data_dir, reason=exc.strerror or str(exc)
        ) from exc
    fsync_dir(data_dir.absolute().parent)
    return moved
