"""Model registry: register GGUF files (Owner), list them, and guard them before loads."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from desktop.core import rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.chat_models import LoadSettings, ModelRecord
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import AlreadyExists, InputError, ModelChanged, ModelNotFound
from desktop.core.models import Actor
from desktop.core.ports import ModelInspector, Store, Transaction
from desktop.core.services.base import AuditedService, no_actor
from desktop.core.tasks import CancelToken


def file_key(stat: os.stat_result) -> str:
    """``device:inode:ctime_ns``: what a swap or an edit of the file changes."""
    return f"{stat.st_dev}:{stat.st_ino}:{stat.st_ctime_ns}"


def _visible(actor: Actor, record: ModelRecord) -> ModelRecord:
    """The record as ``actor`` may see it: a remote model's endpoint (URL, addresses,
    trust) only for those who may manage models."""
    if record.endpoint is None or rbac.allowed(actor.role, rbac.Permission.MANAGE_MODELS):
        return record
    return replace(record, path="", endpoint=record.endpoint.redacted())


class ModelService(AuditedService):
    def __init__(self, store: Store, inspector: ModelInspector, clock: Clock) -> None:
        super().__init__(store)
        self._inspector = inspector
        self._clock = clock

    def register(
        self,
        actor: Actor,
        path: str,
        name: str | None = None,
        settings: LoadSettings | None = None,
        cancel: CancelToken | None = None,
    ) -> ModelRecord:
        """Check the GGUF header, hash the file and record it (Owner). The file stays put."""
        self._precheck(actor, rbac.Permission.MANAGE_MODELS)  # before minutes of hashing
        file = Path(path).expanduser().resolve()
        info = self._inspector.inspect(str(file))
        label = (name or file.stem).strip()
        if not label or len(label) > 100:
            raise InputError("models.name_length")
        stat = file.stat()
        digest = self._inspector.sha256(str(file), cancel)
        with self._op(actor, rbac.Permission.MANAGE_MODELS) as op:
            tx = op.tx
            if tx.models.get_by_name(label) is not None:
                raise AlreadyExists("models.name_taken", name=label)
            record = tx.models.add(
                name=label,
                path=str(file),
                sha256=digest,
                size=stat.st_size,
                mtime_ns=stat.st_mtime_ns,
                info=info,
                settings=settings or LoadSettings(),
                created_at=iso_utc(self._clock.now()),
                created_by=actor.username,
            )
            tx.models.update_file_state(
                record.id, size=stat.st_size, mtime_ns=stat.st_mtime_ns, file_key=file_key(stat)
            )
            payload = record.public_dict()
            payload.pop("created_at", None)
            op.audit(AuditAction.MODEL_REGISTERED, f"model:{label}", payload)
        return record

    def list(self, actor: Actor) -> list[ModelRecord]:
        """Registered models (every signed-in user: apps name them). A remote model's
        endpoint is shown only to those who may manage models."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            return [_visible(op.actor, m) for m in op.tx.models.list()]

    def get(self, actor: Actor, name: str) -> ModelRecord:
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            return _visible(op.actor, self._named(op.tx, name))

    def configure(self, actor: Actor, name: str, settings: LoadSettings) -> None:
        """Change GPU layers, threads, context and batch size (Owner)."""
        with self._op(actor, rbac.Permission.MANAGE_MODELS) as op:
            record = self._named(op.tx, name)
            op.tx.models.update_settings(record.id, settings)
            op.audit(
                AuditAction.MODEL_CONFIGURED,
                f"model:{record.name}",
                {"from": record.settings.as_dict(), "to": settings.as_dict()},
            )

    @no_actor("refreshes the file-state cache of a registered model")
    def verified(self, model_id: int, cancel: CancelToken | None = None) -> ModelRecord:
        """The record, after proving the file still has the registered SHA-256.

        The hash is recomputed only when the file's size, mtime, device, inode or change
        time differ from the last proof (a same-size swap with its mtime set back still
        has a new change time).
        """
        with self._store.transaction() as tx:
            record = tx.models.get(model_id)
        if record is None:
            raise ModelNotFound("models.app_model_gone")
        if record.endpoint is not None:  # served by an internal server: no file to prove
            return record
        try:
            stat = os.stat(record.path)
        except OSError as exc:
            raise ModelNotFound("models.file_missing", name=record.name, path=record.path) from exc
        state = (stat.st_size, stat.st_mtime_ns, file_key(stat))
        if state == (record.size, record.mtime_ns, record.file_key):
            return record
        if self._inspector.sha256(record.path, cancel) != record.sha256:
            raise ModelChanged("models.file_changed", name=record.name)
        with self._store.transaction() as tx:
            tx.models.update_file_state(
                record.id, size=stat.st_size, mtime_ns=stat.st_mtime_ns, file_key=state[2]
            )
        return record

    @staticmethod
    def _named(tx: Transaction, name: str) -> ModelRecord:
        record = tx.models.get_by_name(name.strip())
        if record is None:
            raise ModelNotFound("models.not_found", name=name)
        return record
