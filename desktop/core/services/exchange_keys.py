"""The keys knowledge-base packages travel under: this workspace's age X25519 exchange
identity (``kura keys exchange-pubkey``) and the signers it trusts (``kura keys trust``).

- The exchange identity is created on first use and kept only in the OS keyring
  (``keyring_items.exchange_key_item``); its public half is what another workspace
  encrypts a package to.
- Trusted signers are ``allowed_signers`` lines, as ``kura logs pubkey`` prints them on
  the exporting workspace, kept in the workspace database (settings key
  ``TRUSTED_SIGNERS``). A line pins an Ed25519 key and the principal (``kura-audit@<its
  workspace id>``) it may sign as, and its ``namespaces=`` option what it may sign: a
  package (or an app template) is accepted only when the line names its namespace (or
  has no such option). ``kura logs pubkey`` prints lines naming the audit-bundle,
  package and template namespaces; a line trusted from an older Kura names the
  audit-bundle one only and is replaced by trusting the current lines again.
"""

from __future__ import annotations

import base64
import enum
import json
from dataclasses import dataclass
from typing import Any

from desktop.core import rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import InputError
from desktop.core.kb_package import NAMESPACE as PACKAGE_NAMESPACE
from desktop.core.kb_package import PackageRefused
from desktop.core.keyring_items import exchange_key_item
from desktop.core.models import Actor
from desktop.core.ports import KeyStore, Store, Transaction
from desktop.core.ports.exchange import PackageCrypto
from desktop.core.services.base import AuditedService, system_audit
from desktop.verifier import bundle_verify

TRUSTED_SIGNERS = "kb_package.trusted_signers"
#: The principal a workspace signs as (the identity ``kura logs pubkey`` prints).
IDENTITY_PREFIX = "kura-audit@"


@dataclass(frozen=True, slots=True)
class TrustedSigner:
    line: str
    principals: str
    fingerprint: str
    added_by: str
    added_at: str

    def as_dict(self) -> dict[str, str]:
        return {
            "line": self.line,
            "principals": self.principals,
            "fingerprint": self.fingerprint,
            "added_by": self.added_by,
            "added_at": self.added_at,
        }

    def key_blob(self) -> bytes:
        return bundle_verify.parse_allowed_signers(self.line)[0].key_blob

    def allows(self, namespace: str) -> bool:
        """Whether the line's ``namespaces=`` option (absent: any) names ``namespace``."""
        patterns = bundle_verify.parse_allowed_signers(self.line)[0].namespaces
        return patterns is None or bundle_verify.match_pattern_list(namespace, patterns)


def trusted_signers(tx: Transaction) -> list[TrustedSigner]:
    raw = tx.settings.get(TRUSTED_SIGNERS)
    entries: list[dict[str, str]] = json.loads(raw) if raw else []
    return [TrustedSigner(**entry) for entry in entries]


def own_signers(tx: Transaction) -> list[tuple[str, bytes]]:
    """(principal, key blob) of this workspace's own signing keys, current and retired."""
    workspace_id = tx.settings.get("workspace_id") or ""
    out = []
    for key in tx.review.signing_keys():
        blob = base64.b64decode(str(key["public_key"]).split()[1])
        out.append((IDENTITY_PREFIX + workspace_id, blob))
    return out


class Trust(enum.Enum):
    """How this workspace trusts a key to sign something of one kind (namespace)."""

    OWN = "own"  # one of this workspace's own signing keys
    TRUSTED = "trusted"  # a trusted signer's line names the key and the namespace
    OTHER_NAMESPACE = "other_namespace"  # trusted, but its line names other namespaces
    UNKNOWN = "unknown"


def signer_trust(
    tx: Transaction, key_blob: bytes, namespace: str, identity: str | None = None
) -> tuple[Trust, TrustedSigner | None]:
    """How ``key_blob`` may sign in ``namespace`` (as ``identity``, when one is claimed),
    and the trusted signer's line that says so. The one trust decision that packages and
    app templates share."""
    if any(
        blob == key_blob and (identity is None or who == identity) for who, blob in own_signers(tx)
    ):
        return Trust.OWN, None
    narrow = False
    for signer in trusted_signers(tx):
        if signer.key_blob() == key_blob and (
            identity is None or bundle_verify.match_pattern_list(identity, signer.principals)
        ):
            if signer.allows(namespace):
                return Trust.TRUSTED, signer
            narrow = True
    return (Trust.OTHER_NAMESPACE if narrow else Trust.UNKNOWN), None


def check_trusted(
    tx: Transaction, key_blob: bytes, identity: str, namespace: str = PACKAGE_NAMESPACE
) -> None:
    """PackageRefused unless ``key_blob`` may sign as ``identity`` in ``namespace``: a
    trusted signer's line lists it for that principal and that namespace, or it is one
    of this workspace's own keys."""
    trust, _ = signer_trust(tx, key_blob, namespace, identity)
    fingerprint = bundle_verify.key_fingerprint(key_blob)
    if trust is Trust.OTHER_NAMESPACE:
        raise PackageRefused(
            "kbpackage.signer_namespace", fingerprint=fingerprint, namespace=namespace
        )
    if trust is Trust.UNKNOWN:
        raise PackageRefused(
            "kbpackage.signer_untrusted", fingerprint=fingerprint, identity=identity
        )


class ExchangeKeyService(AuditedService):
    def __init__(
        self, store: Store, clock: Clock, key_store: KeyStore, crypto: PackageCrypto
    ) -> None:
        super().__init__(store)
        self._clock = clock
        self._key_store = key_store
        self._crypto = crypto

    def _item(self) -> str:
        with self._store.transaction() as tx:
            return exchange_key_item(tx.settings.get("workspace_id") or "")

    def identity(self) -> bytes | None:
        """The exchange identity's secret, or None before it was first made (import)."""
        return self._key_store.get_secret(self._item())

    def public_key(self, actor: Actor) -> str:
        """This workspace's age recipient (``age1...``), made on first use (Admin and
        above: they export and import knowledge bases)."""
        with self._op(actor, rbac.Permission.MANAGE_KNOWLEDGE, "exchange_key") as op:
            item = exchange_key_item(op.tx.settings.get("workspace_id") or "")
            secret = self._key_store.get_secret(item)
            if secret is None:
                secret, public = self._crypto.new_identity()
                self._key_store.set_secret(item, secret)
                system_audit(
                    op.tx,
                    AuditAction.EXCHANGE_KEY_CREATED,
                    "exchange_key",
                    {"recipient": public},
                    actor=op.actor.username,
                )
                return public
        return self._crypto.recipient_of(secret)

    def trust(self, actor: Actor, text: str) -> list[dict[str, str]]:
        """Add the ``allowed_signers`` lines in ``text`` (Owner); returns those added.
        Lines already trusted are skipped; a malformed or non-Ed25519 line refuses all."""
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
        if not lines:
            raise InputError("kbpackage.trust_empty")
        parsed = []
        for number, line in enumerate(lines, 1):
            try:
                signer = bundle_verify.parse_allowed_signers(line)[0]
                bundle_verify.ed25519_public_key(signer.key_blob, "allowed_signers")
                if signer.unsupported is not None:  # cert-authority, valid-before...
                    raise bundle_verify.BundleError(signer.unsupported)
            except (bundle_verify.BundleError, IndexError):
                raise InputError("kbpackage.trust_line_invalid", line=number) from None
            parsed.append((line, signer))
        added: list[dict[str, str]] = []
        with self._op(actor, rbac.Permission.MANAGE_SECURITY, "trusted_signers") as op:
            current = trusted_signers(op.tx)
            known = {(s.principals, s.key_blob()): s.line for s in current}
            for line, signer in parsed:
                was = known.get((signer.principals, signer.key_blob))
                if was == line:
                    continue
                if was is not None:  # the same signer, other options: the new line holds
                    current = [s for s in current if s.line != was]
                known[(signer.principals, signer.key_blob)] = line
                entry = TrustedSigner(
                    line,
                    signer.principals,
                    bundle_verify.key_fingerprint(signer.key_blob),
                    op.actor.username,
                    iso_utc(self._clock.now()),
                )
                current.append(entry)
                added.append(entry.as_dict())
            op.tx.settings.set(TRUSTED_SIGNERS, json.dumps([s.as_dict() for s in current]))
            op.audit(
                AuditAction.SIGNER_TRUSTED,
                "trusted_signers",
                {"added": [{k: a[k] for k in ("principals", "fingerprint")} for a in added]},
            )
        return added

    def trusted(self, actor: Actor) -> list[dict[str, Any]]:
        """The trusted signers (Admin and above)."""
        with self._op(actor, rbac.Permission.MANAGE_KNOWLEDGE) as op:
            return [s.as_dict() for s in trusted_signers(op.tx)]
