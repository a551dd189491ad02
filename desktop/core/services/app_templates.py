"""App templates: export an app as readable YAML (optionally signed), import one.

- Export and import are for Editors and above (the app permission); each is audited
  with the template's SHA-256, and an import in the same transaction that creates the app.
- ``--sign`` writes a detached SSHSIG by the workspace signing key (the key that signs
  audit bundles), in its own namespace (:data:`~desktop.core.app_template.NAMESPACE`),
  so a template signature can never pass for a bundle's or a package's.
- Import verifies a signature when one comes with the template (an altered template or
  signature is refused) and then its signer: one of this workspace's own signing keys
  (current or retired), or a key on the list of signers the Owner trusts (``kura keys
  trust``, the list knowledge-base packages are checked against) whose ``namespaces=``
  names the template namespace; any other signer is refused with one line. A template
  names no workspace, so a trusted line counts by its key, whichever principal it
  names. An unsigned template is imported as such, and the
  import's output and audit event say so.
- The template names the model and knowledge bases; import finds the model by its
  SHA-256 and each knowledge base by name among those the importing user may read, and
  otherwise needs an explicit mapping (the CLI's ``--model``/``--kb``, the Studio's
  dialog). A knowledge base the exporting user may not read is never named.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop.core import app_template, rbac
from desktop.core.app_template import NAMESPACE, AppTemplate
from desktop.core.audit_actions import AuditAction
from desktop.core.chat_models import AppRecord, ModelRecord
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import (
    EXIT_CHECK_FAILED,
    AlreadyExists,
    AppError,
    InputError,
    KeyItemMissing,
    ModelNotFound,
    NotFound,
)
from desktop.core.keyring_items import signing_key_item
from desktop.core.models import Actor
from desktop.core.ports import BundleSigner, KeyStore, Store, Transaction
from desktop.core.services.apps import AppService, find_app
from desktop.core.services.base import AuditedService
from desktop.core.services.exchange_keys import Trust, signer_trust
from desktop.core.services.knowledge_access import find_kb, readable_kb
from desktop.verifier import bundle_verify

MAX_SIGNATURE_BYTES = 8 * 1024


class TemplateSignatureInvalid(AppError):
    """A template's detached signature does not verify (exit 1: a check failed)."""

    exit_code = EXIT_CHECK_FAILED


class TemplateSignerUntrusted(AppError):
    """A template's signature verifies, by a key this workspace does not trust (exit 1)."""

    exit_code = EXIT_CHECK_FAILED


@dataclass(frozen=True, slots=True)
class TemplateExport:
    """The YAML's bytes, its SHA-256 and, when signed, the armored signature."""

    data: bytes
    sha256: str
    app_id: int
    version: int
    signature: bytes | None = None
    fingerprint: str | None = None


@dataclass(frozen=True, slots=True)
class TemplateSigner:
    """Who signed a template: the key's fingerprint, whether it is this workspace's, and
    otherwise the principals of the trusted signer line that holds it."""

    fingerprint: str
    public_key: str
    this_workspace: bool
    trusted_as: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "public_key": self.public_key,
            "this_workspace": self.this_workspace,
            "trusted_as": self.trusted_as,
        }


@dataclass(frozen=True, slots=True)
class TemplatePlan:
    """What importing a template would use here, before any mapping is given."""

    template: AppTemplate
    sha256: str
    signer: TemplateSigner | None
    #: the registered model with the template's SHA-256, if any
    model: ModelRecord | None
    #: each linked knowledge base the user may read under the same name: name -> id
    kb_ids: dict[str, int] = field(default_factory=dict)
    missing_kbs: tuple[str, ...] = ()
    name_taken: bool = False


@dataclass(frozen=True, slots=True)
class TemplateImport:
    app: AppRecord
    sha256: str
    signer: TemplateSigner | None
    #: False when the mapped model is not the file the template was made with
    model_matches: bool


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class AppTemplateService(AuditedService):
    def __init__(
        self,
        store: Store,
        clock: Clock,
        key_store: KeyStore,
        signer: BundleSigner,
        ensure_signing_key: Callable[[], None],
    ) -> None:
        super().__init__(store)
        self._clock = clock
        self._key_store = key_store
        self._signer = signer
        self._ensure_signing_key = ensure_signing_key

    # ------------------------------------------------------------------ export

    def export(self, actor: Actor, ref: str | int, *, sign: bool = False) -> TemplateExport:
        """The app's newest version as a template (Editor and above); ``sign`` adds a
        detached SSHSIG by the workspace signing key. Audited with the YAML's SHA-256."""
        if sign:
            self._precheck(actor, rbac.Permission.MANAGE_APPS)
            self._ensure_signing_key()
        with self._op(actor, rbac.Permission.MANAGE_APPS) as op:
            tx, actor = op.tx, op.actor
            app = find_app(tx, actor, ref)
            model = tx.models.get(app.config.model_id)
            if model is None:
                raise NotFound("chat.app_model_not_registered")
            kb_names = tuple(
                kb.name
                for kb in (readable_kb(tx, actor, i) for i in app.config.kb_ids)
                if kb is not None
            )
            template = app_template.from_config(
                app.config, model_name=model.name, model_sha256=model.sha256, kb_names=kb_names
            )
            data = app_template.dump(template).encode("utf-8")
            signature, fingerprint = self._sign(tx, data) if sign else (None, None)
            sha = _sha256(data)
            op.audit(
                AuditAction.APP_TEMPLATE_EXPORTED,
                f"app:{app.id}",
                {
                    "name": app.config.name,
                    "version": app.version,
                    "sha256": sha,
                    "signed": sign,
                    "key_fingerprint": fingerprint,
                    "model_sha256": model.sha256,
                    "knowledge_bases": list(kb_names),
                },
            )
        return TemplateExport(data, sha, app.id, app.version, signature, fingerprint)

    def _sign(self, tx: Transaction, data: bytes) -> tuple[bytes, str]:
        workspace_id = tx.settings.get("workspace_id") or ""
        key = [k for k in tx.review.signing_keys() if k["retired_at"] is None][-1]
        seed = self._key_store.get_secret(signing_key_item(workspace_id, int(key["id"])))
        if seed is None:
            raise KeyItemMissing("apptpl.signing_key_missing")
        armored = self._signer.sign(seed, data, NAMESPACE)
        return armored.encode("ascii"), str(key["fingerprint"])

    # ------------------------------------------------------------------ import

    def inspect(self, actor: Actor, data: bytes, signature: bytes | None = None) -> TemplatePlan:
        """Read and check a template (and its signature) without changing anything:
        what it would use here and what still needs mapping (Editor and above)."""
        with self._op(actor, rbac.Permission.MANAGE_APPS) as op:
            return self._plan(op.tx, op.actor, data, signature)

    def import_template(
        self,
        actor: Actor,
        data: bytes,
        signature: bytes | None = None,
        *,
        name: str | None = None,
        model: str | None = None,
        kbs: Mapping[str, str] | None = None,
    ) -> TemplateImport:
        """Create an app from a template (Editor and above), in one transaction with its
        audit event. ``model``: a registered model's name or id, for a template whose
        model (by SHA-256) is not registered here; ``kbs``: the template's knowledge base
        name -> a local one's name or id, for those not found under the same name."""
        with self._op(actor, rbac.Permission.MANAGE_APPS) as op:
            tx, actor = op.tx, op.actor
            plan = self._plan(tx, actor, data, signature)
            template = plan.template
            chosen = self._model(tx, plan, model)
            kb_map = self._kb_map(tx, actor, plan, kbs or {})
            kb_ids = tuple(dict.fromkeys(kb_map.values()))  # two mapped to one: linked once
            app_name = (name if name is not None else template.name).strip()
            if tx.apps.get_by_name(app_name) is not None:
                raise AlreadyExists("chat.app_exists", name=app_name)
            config = template.config(name=app_name, model_id=chosen.id, kb_ids=kb_ids)
            config = AppService._validated(tx, config)
            app = tx.apps.create(config, created_by=actor.username, now=self._now())
            op.audit(
                AuditAction.APP_TEMPLATE_IMPORTED,
                f"app:{app.id}",
                {
                    "sha256": plan.sha256,
                    "signed": plan.signer is not None,
                    "signer": plan.signer.as_dict() if plan.signer else None,
                    "template_name": template.name,
                    "model": {
                        "template": {"name": template.model_name, "sha256": template.model_sha256},
                        "local": {"id": chosen.id, "name": chosen.name, "sha256": chosen.sha256},
                    },
                    "knowledge_bases": kb_map,
                    "version": app.version,
                    "config": config.as_dict(),
                },
            )
            return TemplateImport(
                app, plan.sha256, plan.signer, chosen.sha256 == template.model_sha256
            )

    def _plan(
        self, tx: Transaction, actor: Actor, data: bytes, signature: bytes | None
    ) -> TemplatePlan:
        signer = self._verify(tx, data, signature) if signature is not None else None
        template = app_template.parse(data)
        # the model file the template was made with, preferably under the same name
        same = [m for m in tx.models.list() if m.sha256 == template.model_sha256]
        named = [m for m in same if m.name == template.model_name]
        model = (named or same)[0] if same else None
        found: dict[str, int] = {}
        missing: list[str] = []
        for kb_name in template.knowledge_bases:
            try:
                found[kb_name] = find_kb(tx, actor, kb_name).id
            except (NotFound, InputError):  # none readable, or two of that name
                missing.append(kb_name)
        return TemplatePlan(
            template=template,
            sha256=_sha256(data),
            signer=signer,
            model=model,
            kb_ids=found,
            missing_kbs=tuple(missing),
            name_taken=tx.apps.get_by_name(template.name) is not None,
        )

    @staticmethod
    def _verify(tx: Transaction, data: bytes, signature: bytes) -> TemplateSigner:
        if len(signature) > MAX_SIGNATURE_BYTES:
            raise InputError("apptpl.signature_too_large")
        try:
            sig = bundle_verify.verify_sshsig(signature, data, NAMESPACE)
        except (bundle_verify.BundleError, ValueError, UnicodeDecodeError):
            raise TemplateSignatureInvalid("apptpl.signature_invalid") from None
        blob = sig.public_key_blob
        fingerprint = bundle_verify.key_fingerprint(blob)
        public = "ssh-ed25519 " + base64.b64encode(blob).decode("ascii")
        trust, line = signer_trust(tx, blob, NAMESPACE)
        if trust is Trust.OWN:
            return TemplateSigner(fingerprint, public, True)
        if trust is Trust.TRUSTED and line is not None:
            return TemplateSigner(fingerprint, public, False, line.principals)
        if trust is Trust.OTHER_NAMESPACE:
            raise TemplateSignerUntrusted(
                "apptpl.signer_namespace", fingerprint=fingerprint, namespace=NAMESPACE
            )
        raise TemplateSignerUntrusted("apptpl.signer_untrusted", fingerprint=fingerprint)

    @staticmethod
    def _model(tx: Transaction, plan: TemplatePlan, ref: str | None) -> ModelRecord:
        if ref is None:
            if plan.model is None:
                sha = plan.template.model_sha256
                raise InputError(
                    "apptpl.model_missing", name=plan.template.model_name, sha=sha[:16] + "…"
                )
            return plan.model
        text = ref.strip()
        record = tx.models.get(int(text)) if text.isdigit() else tx.models.get_by_name(text)
        if record is None:
            raise ModelNotFound("models.not_found", name=text)
        return record

    @staticmethod
    def _kb_map(
        tx: Transaction, actor: Actor, plan: TemplatePlan, mapping: Mapping[str, str]
    ) -> dict[str, int]:
        """Each of the template's knowledge bases -> the local one it links."""
        linked = {n.casefold(): n for n in plan.template.knowledge_bases}
        chosen: dict[str, str] = {}
        for old, new in mapping.items():
            original = linked.get(old.strip().casefold())
            if original is None:
                raise InputError(
                    "apptpl.kb_mapping_unknown",
                    name=old,
                    linked=", ".join(plan.template.knowledge_bases) or "-",
                )
            chosen[original] = new
        unmapped = [n for n in plan.missing_kbs if n not in chosen]
        if unmapped:
            raise InputError("apptpl.kbs_missing", names=", ".join(unmapped))
        return {
            n: find_kb(tx, actor, chosen[n]).id if n in chosen else plan.kb_ids[n]
            for n in plan.template.knowledge_bases
        }

    def _now(self) -> str:
        return iso_utc(self._clock.now())
