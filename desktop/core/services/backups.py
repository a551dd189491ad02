"""Encrypted backups of the whole workspace (Owner), and the record of a restore.

A backup is a consistent snapshot of the live database exported under a fresh random
key (never a copy of the open file), sealed with a signed manifest and the key wrapped
for the workspace's recovery key and for any age escrow recipients; the file format is
the adapter's (:mod:`desktop.security.backup_file`). The audit chain is verified first,
and every page is authenticated as it is copied; a backup of a damaged workspace is
refused. The snapshot is taken in
one read transaction, so writers on other connections (a chat being answered, a
document being ingested) go on and the snapshot stays consistent. The backup is audited,
with its file's SHA-256, once the file is complete; the same transaction records it as
the last backup (Settings shows it).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from desktop.core import rbac
from desktop.core.audit import ChainReport
from desktop.core.audit_actions import AuditAction
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import AuditChainBroken, DatabaseCorrupt, KeyItemMissing
from desktop.core.keyring_items import signing_key_item
from desktop.core.models import Actor
from desktop.core.ports import BundleSigner, KeyStore, Store, Transaction
from desktop.core.services.base import AuditedService, no_actor, system_audit

#: The SSHSIG namespace of backup manifests (never an audit bundle's).
NAMESPACE = "kura-backup@v1"
#: The settings key holding the last backup's facts (JSON).
LAST_BACKUP = "backup.last"

Progress = Callable[[str], None]


class SnapshotStore(Store, Protocol):
    def verify_audit(self) -> ChainReport: ...

    def snapshot(self, target: Path, key: bytes) -> dict[str, Any]:
        """Export a consistent copy under ``key`` into ``target``; the facts read with it
        (workspace_id, schema_version, schema_head, audit_seq, audit_head, problems)."""
        ...


class BackupArchiver(Protocol):
    """Writes backup files (``security.backup_file.BackupArchiver``)."""

    def new_key(self) -> bytes: ...

    def check_recipients(self, recipients: Sequence[str]) -> list[str]:
        """The age recipients, normalised; InputError for a malformed one."""
        ...

    def reserve(self, out: Path) -> Path:
        """An empty private temp file beside ``out``; InputError when ``out`` exists."""
        ...

    def discard(self, temp: Path) -> None: ...

    def key_wraps(
        self, workspace_id: str, backup_id: str, backup_key: bytes, recipients: Sequence[str]
    ) -> dict[str, Any]: ...

    def seal(
        self, temp: Path, out: Path, manifest: dict[str, Any], sign: Callable[[bytes], str]
    ) -> tuple[str, int]:
        """Finish the file and put it at ``out`` (never overwriting); (sha256, size)."""
        ...


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    backup_id: str
    sha256: str
    size: int
    created_at: str
    audit_seq: int
    escrow: int


class BackupService(AuditedService):
    def __init__(
        self,
        store: SnapshotStore,
        clock: Clock,
        key_store: KeyStore,
        signer: BundleSigner,
        archiver: BackupArchiver,
        app_version: str,
    ) -> None:
        super().__init__(store)
        self._store: SnapshotStore = store
        self._clock = clock
        self._key_store = key_store
        self._signer = signer
        self._archiver = archiver
        self._app_version = app_version

    def _now(self) -> str:
        return iso_utc(self._clock.now())

    def backup(
        self,
        actor: Actor,
        out: Path,
        *,
        escrow: Sequence[str] = (),
        progress: Progress | None = None,
    ) -> BackupResult:
        """Write an encrypted, signed backup of the workspace to ``out`` (Owner only);
        ``escrow``: age X25519 public keys that may also open it. Never overwrites."""
        step = progress or (lambda _: None)
        self._precheck(actor, rbac.Permission.MANAGE_BACKUPS, f"backup:{out.name}")
        recipients = self._archiver.check_recipients(escrow)
        temp = self._archiver.reserve(out)  # refuses an existing target before any work
        try:
            step("checking")
            report = self._store.verify_audit()  # one read snapshot of the chain
            if not report.ok:
                raise AuditChainBroken("backup.chain_broken", error=report.error)
            seed, public, fingerprint = self._signing_key()
            backup_id = str(uuid.uuid4())
            key = self._archiver.new_key()
            step("snapshot")
            facts = self._store.snapshot(temp, key)
            if facts.get("problems"):  # met while copying: writers go on meanwhile
                raise DatabaseCorrupt("backup.database_corrupt", problem=facts["problems"][0])
            step("sealing")
            created_at = self._now()
            manifest = {
                "format": "kura-backup",
                "version": 1,
                "backup_id": backup_id,
                "workspace_id": facts["workspace_id"],
                "created_at": created_at,
                "created_by": actor.username,
                "app_version": self._app_version,
                "schema": {"version": facts["schema_version"], "head": facts["schema_head"]},
                "audit": {"seq": facts["audit_seq"], "head": facts["audit_head"]},
                "signer": {
                    "public_key": public,
                    "fingerprint": fingerprint,
                    "namespace": NAMESPACE,
                },
                "keys": self._archiver.key_wraps(facts["workspace_id"], backup_id, key, recipients),
            }
            sha256, size = self._archiver.seal(
                temp, out, manifest, lambda message: self._signer.sign(seed, message, NAMESPACE)
            )
        finally:
            self._archiver.discard(temp)
        return self._record(actor, out, manifest, sha256, size, recipients)

    def _record(
        self,
        actor: Actor,
        out: Path,
        manifest: dict[str, Any],
        sha256: str,
        size: int,
        recipients: list[str],
    ) -> BackupResult:
        with self._continue(actor) as op:  # the record of the backup it allowed
            facts = {
                "backup_id": manifest["backup_id"],
                "file": out.name,
                "folder": str(out.parent),
                "sha256": sha256,
                "size": size,
                "at": manifest["created_at"],
            }
            event = op.audit(
                AuditAction.BACKUP_CREATED,
                f"backup:{manifest['backup_id']}",
                {
                    **{k: facts[k] for k in ("backup_id", "file", "sha256", "size")},
                    "snapshot_audit_seq": manifest["audit"]["seq"],
                    "snapshot_audit_head": manifest["audit"]["head"],
                    "escrow_recipients": recipients,
                    "signing_key": manifest["signer"]["fingerprint"],
                },
            )
            op.tx.settings.set(LAST_BACKUP, json.dumps(facts, sort_keys=True))
        return BackupResult(
            out,
            str(manifest["backup_id"]),
            sha256,
            size,
            str(manifest["created_at"]),
            event.seq,
            len(recipients),
        )

    def _signing_key(self) -> tuple[bytes, str, str]:
        with self._store.transaction() as tx:
            workspace_id = tx.settings.get("workspace_id") or ""
            current = [k for k in tx.review.signing_keys() if k["retired_at"] is None]
        if not current:
            raise KeyItemMissing("backup.signing_key_missing")
        key = current[-1]
        seed = self._key_store.get_secret(signing_key_item(workspace_id, int(key["id"])))
        if seed is None:
            raise KeyItemMissing("backup.signing_key_missing")
        return seed, str(key["public_key"]), str(key["fingerprint"])

    def last_backup(self, actor: Actor) -> dict[str, Any] | None:
        """The last backup's facts (time, file, folder, size, SHA-256), or None."""
        with self._op(actor, rbac.Permission.MANAGE_BACKUPS) as op:
            raw = op.tx.settings.get(LAST_BACKUP)
        if not raw:
            return None
        value = json.loads(raw)
        return value if isinstance(value, dict) else None

    # ---- the restored side -----------------------------------------------------------

    @no_actor("a restore checks the backup's signer before any sign-in")
    def signer_known(self, public_key: str) -> bool:
        """Whether ``public_key`` is one of this workspace's signing keys (a restore
        checks the backup was signed by the workspace it holds)."""
        wanted = public_key.split()[:2]
        with self._store.transaction() as tx:
            return any(str(k["public_key"]).split()[:2] == wanted for k in tx.review.signing_keys())

    @no_actor("a restore's own event, before anyone has signed in")
    def record_restore(self, payload: dict[str, Any]) -> int:
        """In a workspace just installed from a backup: retire the signing keys (their
        private halves stayed in the old keyring), add a new one to this keyring, and
        audit the restore. Returns the restore event's seq."""
        seed, public, fingerprint = self._signer.new_key()
        now = self._now()
        with self._store.transaction() as tx:
            retired = _retire_all(tx, now)
            key_id = tx.review.add_signing_key(public, fingerprint, now)
            workspace_id = tx.settings.get("workspace_id") or ""
            self._key_store.set_secret(signing_key_item(workspace_id, key_id), seed)
            event = system_audit(
                tx,
                AuditAction.WORKSPACE_RESTORED,
                "workspace",
                {**payload, "signing_key": fingerprint, "retired_signing_keys": retired},
                actor="key-holder",
            )
            system_audit(
                tx,
                AuditAction.SIGNING_KEY_ROTATED,
                f"signing_key:{key_id}",
                {"fingerprint": fingerprint, "public_key": public, "retired": retired},
                actor="key-holder",
            )
        return event.seq


def _retire_all(tx: Transaction, now: str) -> list[str]:
    retired = []
    for key in tx.review.signing_keys():
        if key["retired_at"] is None:
            tx.review.retire_signing_key(int(key["id"]), now)
            retired.append(str(key["fingerprint"]))
    return retired
