"""The bundle-signing key and signed bundle export, for :class:`LogService`.

- The signing key is Ed25519; its private half lives only in the OS keyring, its public
  half (and every retired one, so old bundles still verify) in the database.
- Export (Admin and Owner) checks the database (``cipher_integrity_check``) and the
  whole chain first, then writes the bundle (:mod:`desktop.core.bundle`) over a
  contiguous seq range; events outside an app filter appear redacted (seq and hashes
  only) so the chain stays continuous. The export is itself audited.

:class:`~desktop.core.services.logs.LogService` hands its key and export methods to the
:class:`BundleService` here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from desktop.core import rbac
from desktop.core.audit import ChainReport
from desktop.core.audit_actions import AuditAction
from desktop.core.bundle import NAMESPACE, build_bundle, full_record, redacted_record
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import AuditChainBroken, DatabaseCorrupt, InputError, KeyItemMissing
from desktop.core.keyring_items import signing_key_item
from desktop.core.models import Actor
from desktop.core.ports import BundleSigner, KeyStore, Store, Transaction
from desktop.core.services.apps import find_app
from desktop.core.services.base import AuditedService, system_audit


class CheckedStore(Store, Protocol):
    def integrity_check(self) -> list[str]: ...

    def verify_audit(self) -> ChainReport: ...


@dataclass(frozen=True, slots=True)
class Export:
    """A bundle's bytes and what its checkpoint says."""

    data: bytes
    first_seq: int
    last_seq: int
    count: int
    redacted: int
    fingerprint: str


def parse_when(text: str | None, *, end: bool = False) -> str | None:
    """``YYYY-MM-DD`` (a whole UTC day: its start, or with ``end`` the next day's start)
    or an ISO 8601 time with a zone, as the log's ISO UTC form; InputError otherwise."""
    if text is None or not text.strip():
        return None
    raw = text.strip()
    try:
        if len(raw) == 10:
            day = datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
            return iso_utc(day + timedelta(days=1) if end else day)
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InputError("logs.date_invalid", text=text)
    return iso_utc(moment)


class BundleService(AuditedService):
    def __init__(
        self,
        store: CheckedStore,
        clock: Clock,
        key_store: KeyStore,
        signer: BundleSigner,
        app_version: str,
    ) -> None:
        super().__init__(store)
        self._store: CheckedStore = store
        self._clock = clock
        self._key_store = key_store
        self._signer = signer
        self._app_version = app_version

    def _now(self) -> str:
        return iso_utc(self._clock.now())

    def _identity(self, tx: Transaction) -> tuple[str, str]:
        workspace_id = tx.settings.get("workspace_id") or ""
        return workspace_id, f"kura-audit@{workspace_id}"

    def ensure_signing_key(self) -> None:
        """Create the first signing key if the workspace has none (at ``init``)."""
        with self._store.transaction() as tx:
            if not tx.review.signing_keys():
                self._add_key(tx, actor_name="system", retire=None)

    def _add_key(
        self, tx: Transaction, *, actor_name: str, retire: dict[str, Any] | None
    ) -> dict[str, Any]:
        """A new key, in the caller's transaction: the keyring item first, then its
        public half and the audit event. The caller removes the retired key's keyring
        item once that transaction has committed."""
        seed, public, fingerprint = self._signer.new_key()
        workspace_id, _ = self._identity(tx)
        key_id = tx.review.add_signing_key(public, fingerprint, self._now())
        self._key_store.set_secret(signing_key_item(workspace_id, key_id), seed)
        if retire is not None:
            tx.review.retire_signing_key(int(retire["id"]), self._now())
        system_audit(
            tx,
            actor=actor_name,
            action=AuditAction.SIGNING_KEY_ROTATED if retire else AuditAction.SIGNING_KEY_CREATED,
            obj=f"signing_key:{key_id}",
            payload={
                "fingerprint": fingerprint,
                "public_key": public,
                "retired": retire["fingerprint"] if retire else None,
            },
        )
        return {"id": key_id, "public_key": public, "fingerprint": fingerprint}

    def rotate_signing_key(self, actor: Actor) -> dict[str, Any]:
        """A new signing key; the old one is retired (its public half stays)."""
        with self._op(actor, rbac.Permission.MANAGE_SECURITY, "signing_key") as op:
            current = [k for k in op.tx.review.signing_keys() if k["retired_at"] is None]
            retire = current[-1] if current else None
            added = self._add_key(op.tx, actor_name=op.actor.username, retire=retire)
            workspace_id, _ = self._identity(op.tx)
        if retire is not None:
            self._key_store.delete_secret(signing_key_item(workspace_id, int(retire["id"])))
        return added

    def allowed_signers(self, actor: Actor) -> str:
        """``allowed_signers`` lines for every signing key, the current one first."""
        self._precheck(actor, rbac.Permission.VIEW_LOGS)
        self.ensure_signing_key()
        with self._op(actor, rbac.Permission.VIEW_LOGS) as op:
            tx = op.tx
            _, identity = self._identity(tx)
            keys = sorted(tx.review.signing_keys(), key=lambda k: k["retired_at"] is not None)
        return "".join(
            self._signer.allowed_signers_line(identity, k["public_key"], NAMESPACE) + "\n"
            for k in keys
        )

    # ------------------------------------------------------------------ export

    def export(
        self,
        actor: Actor,
        *,
        app_ref: str | int | None = None,
        since: str | None = None,
        until: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Export:
        """A signed bundle of the events in [since, until) (Admin and Owner)."""
        self._precheck(actor, rbac.Permission.VIEW_LOGS)  # before checking the whole file
        start, end = parse_when(since), parse_when(until, end=True)
        problems = self._store.integrity_check()
        if problems:
            raise DatabaseCorrupt("logs.export_database_corrupt", problem=problems[0])
        report = self._store.verify_audit()
        if not report.ok:
            raise AuditChainBroken("logs.export_chain_broken", error=report.error)
        self.ensure_signing_key()
        with self._op(actor, rbac.Permission.VIEW_LOGS) as op:
            tx, actor = op.tx, op.actor
            app_id = find_app(tx, actor, app_ref).id if app_ref is not None else None
            span = tx.audit.seq_range(start, end)
            if span is None:
                raise InputError("logs.no_events_in_range")
            workspace_id, identity = self._identity(tx)
            key = [k for k in tx.review.signing_keys() if k["retired_at"] is None][-1]
            events = []
            redacted = 0
            for event in tx.audit.events_between(*span):
                visible = app_id is None or (event.payload or {}).get("app_id") == app_id
                redacted += not visible
                events.append(full_record(event) if visible else redacted_record(event))
                if progress is not None and len(events) % 5000 == 0:
                    progress(len(events), span[1] - span[0] + 1)
            purges = [
                {"seq": seq, "ranges": [list(r) for r in ranges]}
                for seq, ranges in tx.audit.purges()
                if any(a <= span[1] and b >= span[0] for a, b in ranges)
            ]
        seed = self._key_store.get_secret(signing_key_item(workspace_id, int(key["id"])))
        if seed is None:
            raise KeyItemMissing("logs.signing_key_missing")
        data = build_bundle(
            events,
            workspace_id=workspace_id,
            exporter=actor.username,
            app_version=self._app_version,
            exported_at=self._now(),
            filter={"app_id": app_id, "since": start, "until": end},
            purges=purges,
            identity=identity,
            allowed_signers=self._signer.allowed_signers_line(
                identity, str(key["public_key"]), NAMESPACE
            )
            + "\n",
            sign=lambda message: self._signer.sign(seed, message, NAMESPACE),
            public_key=str(key["public_key"]),
        )
        with self._continue(actor) as op:  # the record of the export it allowed
            op.audit(
                action=AuditAction.LOGS_EXPORTED,
                obj=f"workspace:{workspace_id}",
                payload={
                    "first_seq": span[0],
                    "last_seq": span[1],
                    "count": len(events),
                    "redacted": redacted,
                    "filter": {"app_id": app_id, "since": start, "until": end},
                    "key_fingerprint": key["fingerprint"],
                },
            )
        return Export(data, span[0], span[1], len(events), redacted, str(key["fingerprint"]))
