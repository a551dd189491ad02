"""Workspace facts, audit verification and key rotation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from desktop.core import rbac
from desktop.core.audit import ChainReport
from desktop.core.audit_actions import AuditAction
from desktop.core.errors import DatabaseCorrupt
from desktop.core.models import Actor
from desktop.core.ports import Store
from desktop.core.services import slot_generation
from desktop.core.services.base import AuditedService, no_actor, system_audit


class AuditableStore(Store, Protocol):
    def verify_audit(self) -> ChainReport: ...


class KeyRotation(Protocol):
    """The key-slot side of a rekey (implemented by ``security.keyslots.WorkspaceKeys``)."""

    def begin_rekey(self) -> tuple[bytes, str]: ...

    def commit_rekey(self) -> None: ...

    def abort_rekey(self) -> None: ...

    @property
    def legacy(self) -> bool: ...

    def has_pending(self) -> bool: ...

    def upgrade_legacy(self) -> None: ...

    @property
    def generation(self) -> int: ...

    def require_generation(self, recorded: int) -> None: ...


_UNSEEN = "recovery_key_unseen"
#: Set once ``keyslots.json`` carries a MAC: from then on a file without one is refused
#: (a version 1 file put back to strip the MAC is a downgrade, not an old workspace).
_SLOTS_MAC = "keyslots_authenticated"


@dataclass(frozen=True, slots=True)
class RekeyResult:
    recovery_key: str
    audit_seq: int


class WorkspaceService(AuditedService):
    def __init__(self, store: AuditableStore, keys: KeyRotation) -> None:
        super().__init__(store)
        self._store: AuditableStore = store
        self._keys = keys

    @no_actor("read-only facts for diagnostics")
    def summary(self) -> dict[str, Any]:
        """Non-sensitive facts for diagnostics: ids, counts, versions, chain state."""
        with self._store.transaction() as tx:
            facts: dict[str, Any] = {
                "workspace_id": tx.settings.get("workspace_id"),
                "created_at": tx.settings.get("created_at"),
                "users": len(tx.users.list()),
                "audit_events": tx.audit.count(),
            }
            facts["recovery_key_unseen"] = tx.settings.get(_UNSEEN) == "1"
        facts["schema_version"] = self._store.schema_version()
        facts["audit_chain"] = self._store.verify_audit().as_dict()
        return facts

    def verify_audit(self, actor: Actor) -> ChainReport:
        """Re-derive every hash of the audit chain (Admin and Owner)."""
        self._precheck(actor, rbac.Permission.VIEW_LOGS)  # the chain is read outside it
        return self._store.verify_audit()

    def rekey(self, actor: Actor) -> RekeyResult:
        """Rotate the database key crash-safely and re-wrap every slot (Owner only).

        Order: new slots are written as *pending* next to the active ones, the database
        is rekeyed, then the pending slots replace the old ones in one atomic file
        write. A crash at any point leaves a key that opens the database; the open
        sequence finishes an interrupted rotation.
        """
        with self._op(actor, rbac.Permission.MANAGE_SECURITY) as op:
            actor = op.actor
            new_key, recovery_key = self._keys.begin_rekey()
            slot_generation.record(op.tx.settings, self._keys)
            op.tx.settings.set(_UNSEEN, "1")  # until the front end confirms it showed the key
        # A failure from here on leaves the pending slots in place: whichever key the
        # database ends up under, the next open finds it and settles the rotation.
        self._store.rekey(new_key)
        self._keys.commit_rekey()
        with self._continue(actor) as op:  # the rotation it authorised is done
            slot_generation.record(op.tx.settings, self._keys)
            event = op.audit(
                action=AuditAction.WORKSPACE_REKEYED,
                obj="workspace",
                payload={"slots_rewrapped": self._rewrapped()},
            )
        return RekeyResult(recovery_key=recovery_key, audit_seq=event.seq)

    def _rewrapped(self) -> list[str]:
        strict = getattr(self._keys, "strict", None)
        if callable(strict) and strict():
            return ["password", "recovery"]
        return ["keyring", "recovery"]

    def recovery_key_shown(self, actor: Actor) -> None:
        """The front end has shown the new recovery key: clear the doctor's warning."""
        with self._op(actor, rbac.Permission.MANAGE_SECURITY) as op:
            tx, actor = op.tx, op.actor
            tx.settings.set(_UNSEEN, "0")
            op.audit(
                action=AuditAction.WORKSPACE_RECOVERY_KEY_SHOWN,
                obj="workspace",
                payload={},
            )

    @no_actor("the open sequence, before any sign-in")
    def finish_interrupted_rekey(self) -> None:
        """Record that the open sequence promoted the slots of a rotation a crash cut short.

        Nobody saw that rotation's recovery key, so it is flagged until the next rekey;
        ``kura doctor`` fails while the flag is set.
        """
        with self._store.transaction() as tx:
            slot_generation.record(tx.settings, self._keys)
            tx.settings.set(_UNSEEN, "1")
            system_audit(
                tx,
                actor="key-holder",
                action=AuditAction.WORKSPACE_REKEY_COMPLETED,
                obj="workspace",
                payload={
                    "reason": "finished a rotation interrupted by a crash",
                    "recovery_key_unseen": True,
                },
            )

    @no_actor("the open sequence, before any sign-in")
    def settle_slot_file(self) -> None:
        """At open: upgrade a version 1 slot file (no MAC) once, and refuse one that
        comes back after the workspace's file was authenticated; refuse a file older than
        the generation the database recorded (an earlier copy put back), and record a
        newer one (a write whose database record a crash cut off)."""
        with self._store.transaction() as tx:
            authenticated = tx.settings.get(_SLOTS_MAC) == "1"
            if self._keys.legacy and authenticated:
                raise DatabaseCorrupt("workspace.keyslots_tampered", path="keyslots.json")
            self._keys.require_generation(slot_generation.recorded(tx.settings))
            if self._keys.legacy:
                if self._keys.has_pending():
                    return  # settled with the rotation; upgraded at a later open
                self._keys.upgrade_legacy()
            if not authenticated:
                tx.settings.set(_SLOTS_MAC, "1")
            slot_generation.record(tx.settings, self._keys)

    @no_actor("recovery, before any sign-in")
    def recorded_slot_generation(self) -> int:
        """The slot file generation the database holds (recovery writes above it)."""
        with self._store.transaction() as tx:
            return slot_generation.recorded(tx.settings)

    @no_actor("key events no signed-in user performs")
    def record_key_event(self, action: AuditAction, payload: dict[str, Any]) -> None:
        """Audit a key event no signed-in user performs (recovery, finished rotation)."""
        with self._store.transaction() as tx:
            slot_generation.record(tx.settings, self._keys)
            system_audit(tx, action, "workspace", payload, actor="key-holder")
