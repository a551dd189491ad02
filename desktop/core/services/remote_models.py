"""Remote models: register an internal OpenAI-compatible server as a model (Owner), remove
it, list the endpoints, and keep the network guard's allowlist equal to the registered
(ip, port) pairs.

The API key goes to the OS keyring before the row is written and never into the
database, an audit payload or a message. A refused network attempt is recorded as a
``network.refused`` audit event when the workspace closes or the next endpoint change
commits (the guard's hook itself never touches the database).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace

from desktop.core import rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.chat_models import GgufInfo, LoadSettings, ModelRecord
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import AlreadyExists, AppError, InputError, ModelNotFound
from desktop.core.keyring_items import endpoint_key_item
from desktop.core.models import Actor
from desktop.core.ports import KeyStore, Store, Transaction
from desktop.core.ports.remote import EgressAllowlist, EndpointProbe, HostResolver
from desktop.core.remote import (
    DEFAULT_TIMEOUT_S,
    REMOTE_ARCHITECTURE,
    BaseUrl,
    EndpointCheck,
    RemoteEndpoint,
    RemoteKind,
    check_model_id,
    is_loopback,
    normalise_pin,
    parse_base_url,
)
from desktop.core.services.base import AuditedService, no_actor, system_audit

_PEM_MARK = "-----BEGIN CERTIFICATE-----"
MAX_API_KEY = 4096


@dataclass(frozen=True, slots=True)
class RemoteRegistration:
    """What ``kura models add-remote`` (or Settings -> Models) asks for."""

    name: str
    base_url: str
    model_id: str
    kind: RemoteKind = RemoteKind.CHAT
    ca_pem: str | None = None
    pin_sha256: str | None = None
    api_key: str | None = None
    context_length: int = 4096
    timeout_s: float = DEFAULT_TIMEOUT_S
    #: Try the endpoint (GET /models) before registering it; the CLI and the dialog do
    #: unless told not to (``--no-check``), so that an endpoint that is down can be added.
    check: bool = False


def _endpoint(reg: RemoteRegistration, resolver: HostResolver) -> RemoteEndpoint:
    """Check a registration and pin its addresses; InputError naming what is wrong."""
    url = parse_base_url(reg.base_url)
    if reg.ca_pem is not None and reg.pin_sha256 is not None:
        raise InputError("remote.ca_and_pin")
    pin = normalise_pin(reg.pin_sha256) if reg.pin_sha256 is not None else None
    if reg.ca_pem is not None and _PEM_MARK not in reg.ca_pem:
        raise InputError("remote.ca_not_pem")
    if url.scheme == "https" and pin is None and reg.ca_pem is None:
        raise InputError("remote.https_needs_trust")
    if url.scheme == "http" and (pin is not None or reg.ca_pem is not None):
        raise InputError("remote.trust_needs_https")
    if not 1.0 <= reg.timeout_s <= 3600.0:
        raise InputError("remote.timeout_range")
    return RemoteEndpoint(
        base_url=url.url,
        model_id=check_model_id(reg.model_id),
        kind=reg.kind,
        ca_pem=reg.ca_pem,
        pin_sha256=pin,
        addresses=_pinned(url, resolver),
        timeout_s=float(reg.timeout_s),
    )


def _pinned(url: BaseUrl, resolver: HostResolver) -> tuple[tuple[str, int], ...]:
    """The (ip, port) pairs ``url``'s host resolves to now (an IP literal: itself);
    plain http only when every one is a loopback address."""
    ips = (url.host,) if url.is_ip_literal() else resolver.resolve(url.host, url.port)
    if not ips:
        raise InputError("remote.unresolved", host=url.host)
    if url.scheme == "http" and not all(is_loopback(ip) for ip in ips):
        raise InputError("remote.http_not_loopback", url=url.url)
    return tuple(sorted({(ip, url.port) for ip in ips}))


@dataclass(frozen=True, slots=True)
class Refreshed:
    """``kura models refresh-remote``: the pinned addresses before and after."""

    name: str
    host: str
    old: tuple[tuple[str, int], ...]
    new: tuple[tuple[str, int], ...]

    @property
    def changed(self) -> bool:
        return self.old != self.new


def _identity(endpoint: RemoteEndpoint) -> str:
    """A remote model's "sha256": what the registration says, hashed (never the key)."""
    facts = endpoint.as_dict()
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


class RemoteModelService(AuditedService):
    def __init__(
        self,
        store: Store,
        clock: Clock,
        key_store: KeyStore,
        resolver: HostResolver,
        egress: EgressAllowlist,
        probe: EndpointProbe | None = None,
    ) -> None:
        super().__init__(store)
        self._clock = clock
        self._keys = key_store
        self._resolver = resolver
        self._egress = egress
        self._probe = probe
        self._lock = threading.Lock()
        self._refused: list[tuple[str, str]] = []
        # a registration's identity is the hash of its endpoint: this never goes stale
        self._by_identity: dict[str, RemoteEndpoint] = {}
        self._workspace_id: str | None = None

    def register(self, actor: Actor, reg: RemoteRegistration) -> ModelRecord:
        """Register an OpenAI-compatible endpoint as a model (Owner); the guard then
        allows its pinned (ip, port) pairs. The API key goes to the OS keyring only."""
        return self.register_checked(actor, reg)[0]

    def register_checked(
        self, actor: Actor, reg: RemoteRegistration
    ) -> tuple[ModelRecord, EndpointCheck | None]:
        """:meth:`register`, with the connection test's result when ``reg.check`` (a
        failed test is RemoteCheckFailed and registers nothing; the result, or that the
        test was skipped, is in the ``model.registered`` event)."""
        self._precheck(actor, rbac.Permission.MANAGE_MODELS)
        label = reg.name.strip()
        if not label or len(label) > 100:
            raise InputError("models.name_length")
        if not 256 <= reg.context_length <= 1_048_576:
            raise InputError("models.context_size_range")
        endpoint = _endpoint(reg, self._resolver)
        key = (reg.api_key or "").strip()
        if len(key) > MAX_API_KEY or any(ord(c) < 0x21 or ord(c) > 0x7E for c in key):
            raise InputError("remote.api_key_invalid")
        checked = self._try(endpoint, key or None) if reg.check else None
        if key:
            endpoint = replace(endpoint, key_ref=secrets.token_hex(16))
        with self._op(actor, rbac.Permission.MANAGE_MODELS) as op:
            if op.tx.models.get_by_name(label) is not None:
                raise AlreadyExists("models.name_taken", name=label)
            workspace_id = op.tx.settings.get("workspace_id") or ""
            if endpoint.key_ref:  # before the row: a row never names a key that is not there
                self._keys.set_secret(
                    endpoint_key_item(workspace_id, endpoint.key_ref), key.encode()
                )
            try:
                record = self._add(op.tx, actor, label, endpoint, reg.context_length)
                check = checked.as_dict() if checked else {"skipped": True}
                payload = {"name": label, "remote": endpoint.public_dict(), "check": check}
                op.audit(AuditAction.MODEL_REGISTERED, f"model:{label}", payload)
            except BaseException:
                self._forget_key(workspace_id, endpoint)
                raise
            self._record_refusals(op.tx)
        self.refresh_egress()
        return record, checked

    def _try(self, endpoint: RemoteEndpoint, key: str | None) -> EndpointCheck:
        """The connection test, with the guard allowing the new endpoint's pairs only
        while it runs (outside any transaction: a server may take its timeout)."""
        if self._probe is None:
            raise RuntimeError("no endpoint probe: the workspace was built without one")
        before = self._egress.allowed()
        self._egress.allow(sorted({*before, *endpoint.addresses}))
        try:
            return self._probe.check(endpoint, key)
        finally:
            self._egress.allow(before)

    def _add(
        self, tx: Transaction, actor: Actor, label: str, endpoint: RemoteEndpoint, n_ctx: int
    ) -> ModelRecord:
        info = GgufInfo(
            gguf_version=0,
            architecture=REMOTE_ARCHITECTURE,
            name=endpoint.model_id,
            context_length=n_ctx,
        )
        return tx.models.add(
            name=label,
            path=endpoint.base_url,
            sha256=_identity(endpoint),
            size=0,
            mtime_ns=0,
            info=info,
            settings=LoadSettings(n_ctx=n_ctx),
            created_at=iso_utc(self._clock.now()),
            created_by=actor.username,
            endpoint=endpoint,
        )

    def remove(self, actor: Actor, name: str) -> None:
        """Remove a registered model (Owner) that no app uses; a remote model's API key
        leaves the keyring and its addresses the allowlist."""
        with self._op(actor, rbac.Permission.MANAGE_MODELS) as op:
            record = op.tx.models.get_by_name(name.strip())
            if record is None:
                raise ModelNotFound("models.not_found", name=name)
            users = [a.config.name for a in op.tx.apps.list() if a.config.model_id == record.id]
            if users:
                raise InputError("remote.model_in_use", name=record.name, apps=", ".join(users))
            op.tx.models.delete(record.id)
            payload = {"name": record.name, "sha256": record.sha256, "remote": record.remote}
            op.audit(AuditAction.MODEL_REMOVED, f"model:{record.name}", payload)
            workspace_id = op.tx.settings.get("workspace_id") or ""
            self._record_refusals(op.tx)
        if record.endpoint is not None:
            self._forget_key(workspace_id, record.endpoint)
        self.refresh_egress()

    def refresh(self, actor: Actor, name: str) -> Refreshed:
        """Resolve a remote model's host name again and pin what it resolves to now
        (Owner): connections keep going to pinned addresses only, and the guard's
        allowlist follows. The model's identity changes with its addresses."""
        with self._op(actor, rbac.Permission.MANAGE_MODELS) as op:
            record = op.tx.models.get_by_name(name.strip())
        if record is None or record.endpoint is None:
            raise ModelNotFound("remote.not_a_remote_model", name=name)
        old = record.endpoint
        new = replace(old, addresses=_pinned(parse_base_url(old.base_url), self._resolver))
        with self._op(actor, rbac.Permission.MANAGE_MODELS) as op:
            current = op.tx.models.get(record.id)
            if current is None or current.endpoint != old:  # removed or changed meanwhile
                raise ModelNotFound("remote.not_a_remote_model", name=name)
            if new != old:
                op.tx.models.update_endpoint(record.id, new, _identity(new))
            payload = {
                "name": record.name,
                "old": pairs_text(old.addresses),
                "new": pairs_text(new.addresses),
                "changed": new != old,
            }
            op.audit(AuditAction.MODEL_REFRESHED, f"model:{record.name}", payload)
            self._record_refusals(op.tx)
        with self._lock:
            self._by_identity.clear()
        self.refresh_egress()
        host = parse_base_url(old.base_url).host
        return Refreshed(record.name, host, old.addresses, new.addresses)

    def endpoints(self, actor: Actor) -> list[ModelRecord]:
        """The remote models with their endpoints (Owner: a Member may not read them)."""
        with self._op(actor, rbac.Permission.MANAGE_MODELS) as op:
            return [m for m in op.tx.models.list() if m.endpoint is not None]

    @no_actor("the guard's allowlist from the registered servers")
    def refresh_egress(self) -> tuple[tuple[str, int], ...]:
        """Make the guard's allowlist the registered endpoints' pairs (none: no socket)."""
        with self._store.transaction() as tx:
            pairs = {p for m in tx.models.list() if m.endpoint for p in m.endpoint.addresses}
        self._egress.allow(sorted(pairs))
        return self._egress.allowed()

    def allowed_egress(self) -> tuple[tuple[str, int], ...]:
        """The (ip, port) pairs the guard lets Kura connect to (``kura doctor``)."""
        return self._egress.allowed()

    @no_actor("the server of a model a turn already admitted uses")
    def endpoint_for(self, sha256: str) -> RemoteEndpoint | None:
        """The endpoint of the remote model with this identity (for the chat router)."""
        with self._lock:
            known = self._by_identity.get(sha256)
        if known is not None:
            return known
        with self._store.transaction() as tx:
            found = next(
                (m.endpoint for m in tx.models.list() if m.endpoint and m.sha256 == sha256),
                None,
            )
        if found is not None:
            with self._lock:
                self._by_identity[sha256] = found
        return found

    @no_actor("the server of a kb's embedder, for its search")
    def embedding_endpoint(self, name: str) -> RemoteEndpoint:
        """The endpoint of remote embedding model ``name`` (a knowledge base's
        ``remote:NAME`` embedding model); ModelNotFound when there is none."""
        with self._store.transaction() as tx:
            record = tx.models.get_by_name(name.strip())
        endpoint = record.endpoint if record is not None else None
        if endpoint is None or endpoint.kind is not RemoteKind.EMBEDDING:
            raise ModelNotFound("remote.no_embedding_model", name=name)
        return endpoint

    @no_actor("the key of a server, for a call an admitted turn makes")
    def api_key(self, endpoint: RemoteEndpoint) -> str | None:
        """The endpoint's API key from the keyring (for the adapter only; never shown)."""
        if endpoint.key_ref is None:
            return None
        if self._workspace_id is None:
            with self._store.transaction() as tx:
                self._workspace_id = tx.settings.get("workspace_id") or ""
        value = self._keys.get_secret(endpoint_key_item(self._workspace_id, endpoint.key_ref))
        if value is None:
            raise InputError("remote.api_key_missing")
        return value.decode()

    # ------------------------------------------------------------------ refusals

    def note_refusal(self, event: str, target: str) -> None:
        """Called from the guard's hook (any thread): queued, written later."""
        with self._lock:
            self._refused.append((event, target))

    @no_actor("refusals the network guard made, not a user")
    def flush_refusals(self) -> int:
        """Write the queued refusals as ``network.refused`` audit events (no
        transaction when none is queued: closing a workspace twice stays harmless)."""
        with self._lock:
            if not self._refused:
                return 0
        with self._store.transaction() as tx:
            return self._record_refusals(tx)

    def _record_refusals(self, tx: Transaction) -> int:
        with self._lock:
            refused, self._refused = self._refused, []
        for event, target in refused:
            payload = {"event": event, "target": target, "at": iso_utc(self._clock.now())}
            system_audit(tx, AuditAction.NETWORK_REFUSED, "network", payload, actor="kura")
        return len(refused)

    def _forget_key(self, workspace_id: str, endpoint: RemoteEndpoint) -> None:
        if endpoint.key_ref is None:
            return
        with contextlib.suppress(AppError):  # the row is gone either way
            self._keys.delete_secret(endpoint_key_item(workspace_id, endpoint.key_ref))


def pairs_text(pairs: Iterable[tuple[str, int]]) -> list[str]:
    return [f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}" for ip, port in pairs]
