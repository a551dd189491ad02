"""The bundle-signing key and signed bundle export, for :class:`LogService`.

- The signing key is Ed25519; its private half lives only in the OS keyring, its public
  half (and every retired one, so old bundles still verify) in the database.
- Export (Admin and Owner) checks the database (``quick_check`` in one read snapshot,
  every page it reads authenticated, so a writer on another connection is never taken
  for damage) and the whole chain first, then writes the bundle (:mod:`desktop.core.bundle`) over a
  contiguous seq range; events outside an app filter appear redacted (seq and hashes
  only) so the chain stays continuous. The export is itself audited.

:class:`~desktop.core.services.logs.LogService` hands its key and export methods to the
:class:`BundleService` here.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from desktop.core import rbac
from desktop.core.app_template import NAMESPACE as TEMPLATE_NAMESPACE
from desktop.core.audit import ChainReport
from desktop.core.audit_actions import AuditAction
from desktop.core.bundle import (
    NAMESPACE,
    build_bundle,
    checkpoint_digest,
    full_record,
    redacted_record,
)
from desktop.core.bundle_pseudonyms import KEY_BYTES, Pseudonymiser, pii_opening
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import AuditChainBroken, DatabaseCorrupt, InputError, KeyItemMissing
from desktop.core.kb_package import NAMESPACE as PACKAGE_NAMESPACE
from desktop.core.keyring_items import signing_key_item
from desktop.core.models import Actor
from desktop.core.pii import PiiType
from desktop.core.ports import BundleSigner, KeyStore, Store, Transaction
from desktop.core.ports.pii import PiiDetector
from desktop.core.services.apps import find_app
from desktop.core.services.base import AuditedService, no_actor, system_audit
from desktop.verifier import bundle_verify

#: What the lines ``kura logs pubkey`` prints let a workspace's key sign: audit bundles,
#: knowledge-base packages and app templates (``namespaces=``, an OpenSSH pattern list).
SIGNED_NAMESPACES = ",".join((NAMESPACE, PACKAGE_NAMESPACE, TEMPLATE_NAMESPACE))


class CheckedStore(Store, Protocol):
    def check_snapshot(self) -> list[str]:
        """``quick_check`` problems in one read snapshot (safe beside writers)."""
        ...

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
    #: Events whose payload is a pseudonymised view (0 unless asked to pseudonymise).
    pseudonymised: int = 0


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
        pii: PiiDetector | None = None,
    ) -> None:
        super().__init__(store)
        self._store: CheckedStore = store
        self._clock = clock
        self._key_store = key_store
        self._signer = signer
        self._app_version = app_version
        self._pii = pii

    def _now(self) -> str:
        return iso_utc(self._clock.now())

    def _identity(self, tx: Transaction) -> tuple[str, str]:
        workspace_id = tx.settings.get("workspace_id") or ""
        return workspace_id, f"kura-audit@{workspace_id}"

    @no_actor("the workspace's first key, at init")
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
            self._signer.allowed_signers_line(identity, k["public_key"], SIGNED_NAMESPACES) + "\n"
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
        pseudonymise: bool = False,
    ) -> Export:
        """A signed bundle of the events in [since, until) (Admin and Owner). With
        ``pseudonymise`` the personal data in every payload is replaced by keyed
        pseudonyms (:mod:`desktop.core.bundle_pseudonyms`); without a detector that is
        refused, never exported unmasked."""
        self._precheck(actor, rbac.Permission.VIEW_LOGS)  # before checking the whole file
        if pseudonymise and self._pii is None:
            raise InputError("logs.pseudonymise_unavailable")
        start, end = parse_when(since), parse_when(until, end=True)
        problems = self._store.check_snapshot()  # writers on other connections go on
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
        bundle_key, pseudonymised = None, 0
        if pseudonymise and self._pii is not None:
            bundle_key = secrets.token_bytes(KEY_BYTES)
            masker = Pseudonymiser(self._pii, bundle_key, progress=progress)
            events = masker.records(events)
            pseudonymised = masker.count
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
            payload: dict[str, Any] = {
                "first_seq": span[0],
                "last_seq": span[1],
                "count": len(events),
                "redacted": redacted,
                "filter": {"app_id": app_id, "since": start, "until": end},
                "key_fingerprint": key["fingerprint"],
            }
            if bundle_key is not None:
                payload["pseudonymised"] = pseudonymised
            exported = op.audit(
                action=AuditAction.LOGS_EXPORTED, obj=f"workspace:{workspace_id}", payload=payload
            )
            if bundle_key is not None:  # the key beside its export's event, never in it
                op.tx.review.add_bundle_key(
                    checkpoint_digest(data), exported.seq, bundle_key, self._now()
                )
        return Export(
            data,
            span[0],
            span[1],
            len(events),
            redacted,
            str(key["fingerprint"]),
            pseudonymised,
        )

    # ------------------------------------------------------------------ disclose one value

    def prove(self, actor: Actor, data: bytes, pii_type: PiiType, value: str) -> dict[str, Any]:
        """The opening of one value of a pseudonymised bundle this workspace exported
        (Owner): what lets an auditor check that value against the bundle
        (``verify_bundle.py --check-value``). Refused when the bundle does not verify,
        is not one of this workspace's pseudonymised bundles, or that value is not one
        of its pseudonyms. Audited with the commitment, never the value or opening."""
        self._precheck(actor, rbac.Permission.MANAGE_SECURITY)
        digest = checkpoint_digest(data)
        with self._op(actor, rbac.Permission.MANAGE_SECURITY, f"bundle:{digest}") as op:
            stored = op.tx.review.bundle_key(digest)
            if stored is None:
                raise InputError("logs.bundle_not_pseudonymised")
            export_seq, key = stored
            opening = pii_opening(key, pii_type.value, value).hex()
            report = bundle_verify.verify_bundle_bytes(
                data, check_value=(pii_type.value, value, opening)
            )
            if not report.ok:
                raise InputError("logs.prove_bundle_invalid", reason=report.reason)
            check = report.facts["value_check"]
            if not check["found"]:
                raise InputError("logs.value_not_in_bundle", pii_type=pii_type.value)
            op.audit(
                AuditAction.LOGS_PSEUDONYM_OPENED,
                f"bundle:{digest}",
                {
                    "export_seq": export_seq,
                    "type": pii_type.value,
                    "placeholder": check["placeholder"],
                    "commitment": check["commitment"],
                },
            )
        return {
            "type": pii_type.value,
            "placeholder": check["placeholder"],
            "commitment": check["commitment"],
            "opening": opening,
            "events": check["events"],
        }
