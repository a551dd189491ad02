"""Signed, encrypted knowledge-base packages: export a knowledge base for another
workspace, import one from a trusted workspace (Admin and above).

Export reads the knowledge base (every document, every version with its original,
extracted text, chunks and embeddings, and its settings), signs the package's content
with the workspace signing key (SSHSIG, namespace ``kura-kb-package@v1``) and encrypts
it with age, in memory; the front end writes the ciphertext to a new file. The export
is audited with the file's SHA-256.

Import decrypts in memory (this workspace's exchange identity, or a passphrase),
checks the signature and that its signer is trusted (``exchange_keys``), then — outside
any transaction — re-embeds the chunks when the local embedding model's fingerprint
differs from the package's, and finally stores everything in ONE transaction with its
audit event: a crash or ``kill -9`` leaves nothing half-imported. Versions whose content
(name and SHA-256) is already in the knowledge base are skipped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.core import kb_package, rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import AlreadyExists, EmbeddingFailed, InputError, KeyItemMissing
from desktop.core.kb_package import Package, PackageRefused
from desktop.core.keyring_items import signing_key_item
from desktop.core.knowledge_models import Chunk, KbSettings, KbVisibility, KnowledgeBase
from desktop.core.models import Actor
from desktop.core.ports import BundleSigner, Embedder, KeyStore, Store, Transaction
from desktop.core.ports.exchange import PackageCrypto
from desktop.core.services.base import AuditedService, Op
from desktop.core.services.exchange_keys import IDENTITY_PREFIX, ExchangeKeyService, check_trusted
from desktop.core.services.knowledge_access import can_manage, find_kb, name_taken
from desktop.core.tasks import CancelToken, ProgressSink, no_progress
from desktop.verifier import bundle_verify

#: The largest package file read (its plaintext is held in memory).
MAX_PACKAGE_BYTES = 2 * 2**30
EMBED_BATCH = 64


@dataclass(frozen=True, slots=True)
class Exported:
    data: bytes
    sha256: str
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class Imported:
    kb: KnowledgeBase
    sha256: str
    added: int  # versions stored
    skipped: int  # versions already present (same name and content)
    reembedded: bool
    signer: str  # the signing key's fingerprint

    def as_dict(self) -> dict[str, Any]:
        return {
            "kb": self.kb.name,
            "kb_id": self.kb.id,
            "package_sha256": self.sha256,
            "versions_added": self.added,
            "versions_skipped": self.skipped,
            "reembedded": self.reembedded,
            "signer": self.signer,
        }


class KbPackageService(AuditedService):
    def __init__(
        self,
        store: Store,
        clock: Clock,
        key_store: KeyStore,
        signer: BundleSigner,
        crypto: PackageCrypto,
        embedders: Callable[[KnowledgeBase], Embedder],
        ensure_signing_key: Callable[[], None],
        app_version: str,
    ) -> None:
        super().__init__(store)
        self._clock = clock
        self._key_store = key_store
        self._signer = signer
        self._crypto = crypto
        self._embedders = embedders
        self._ensure_signing_key = ensure_signing_key
        self._app_version = app_version
        self.keys = ExchangeKeyService(store, clock, key_store, crypto)

    def _now(self) -> str:
        return iso_utc(self._clock.now())

    # ------------------------------------------------------------------ export

    def export(
        self,
        actor: Actor,
        ref: str | int,
        write: Callable[[bytes], None],
        *,
        recipients: Sequence[str] = (),
        passphrase: str | None = None,
    ) -> Exported:
        """Sign and encrypt knowledge base ``ref`` (to ``recipients`` or ``passphrase``),
        hand the ciphertext to ``write`` and audit the export with its SHA-256."""
        self._precheck(actor, rbac.Permission.MANAGE_KNOWLEDGE)
        if bool(recipients) == (passphrase is not None):
            raise InputError("kbpackage.recipient_or_passphrase")
        checked = [self._crypto.check_recipient(r) for r in recipients]
        self._ensure_signing_key()
        with self._op(actor, rbac.Permission.MANAGE_KNOWLEDGE) as op:
            kb = _managed(op, ref)
            workspace_id = op.tx.settings.get("workspace_id") or ""
            key = [k for k in op.tx.review.signing_keys() if k["retired_at"] is None][-1]
            documents = _read_documents(op.tx, kb)
            username = op.actor.username
        seed = self._key_store.get_secret(signing_key_item(workspace_id, int(key["id"])))
        if seed is None:
            raise KeyItemMissing("logs.signing_key_missing")
        vectors = [c.vector for d in documents for v in d.versions for c in v.chunks]
        package = Package(
            workspace_id=workspace_id,
            identity=IDENTITY_PREFIX + workspace_id,
            exported_by=username,
            exported_at=self._now(),
            app_version=self._app_version,
            kb_name=kb.name,
            description=kb.description,
            settings=kb.settings.as_dict(),
            model_id=self._embedders(kb).model_id(),
            dimension=len(vectors[0]) // 4 if vectors else 1,
            documents=documents,
        )
        content = kb_package.encode_content(package)
        signature = self._signer.sign(seed, content, kb_package.NAMESPACE)
        plain = kb_package.envelope(signature, content)
        data = (
            self._crypto.encrypt(plain, checked)
            if passphrase is None
            else self._crypto.encrypt_with_passphrase(plain, passphrase)
        )
        del plain
        digest = hashlib.sha256(data).hexdigest()
        write(data)
        with self._continue(actor) as op:  # the record of the export it allowed
            op.audit(
                AuditAction.KB_PACKAGE_EXPORTED,
                f"kb:{kb.id}",
                {
                    "kb": kb.name,
                    "package_sha256": digest,
                    "content_sha256": hashlib.sha256(content).hexdigest(),
                    "recipients": checked,
                    "passphrase": passphrase is not None,
                    "embedding_model": package.model_id,
                    "key_fingerprint": key["fingerprint"],
                    **package.counts(),
                },
            )
        return Exported(data, digest, package.counts())

    # ------------------------------------------------------------------ import

    def open_package(self, data: bytes, passphrase: str | None = None) -> tuple[Package, bytes]:
        """Decrypt ``data`` in memory and check its signature; returns the package and its
        signer's public key blob. The signer's trust is checked by :meth:`import_package`."""
        if len(data) > MAX_PACKAGE_BYTES:
            raise InputError("kbpackage.too_large", limit=MAX_PACKAGE_BYTES // 2**20)
        if passphrase is not None:
            plain = self._crypto.decrypt_with_passphrase(data, passphrase)
        elif self._crypto.needs_passphrase(data):
            raise InputError("kbpackage.passphrase_needed")
        else:
            identity = self.keys.identity()
            if identity is None:
                raise PackageRefused("kbpackage.no_exchange_key")
            plain = self._crypto.decrypt(data, identity)
        armored, content = kb_package.open_envelope(plain)
        del plain
        try:
            sig = bundle_verify.verify_sshsig(armored, content, kb_package.NAMESPACE)
        except (bundle_verify.BundleError, ValueError, UnicodeError):
            raise PackageRefused("kbpackage.signature_invalid") from None
        return kb_package.decode_content(content), sig.public_key_blob

    def import_package(
        self,
        actor: Actor,
        data: bytes,
        *,
        into: str | int | None = None,
        passphrase: str | None = None,
        cancel: CancelToken | None = None,
        progress: ProgressSink = no_progress,
    ) -> Imported:
        """Import a package as a new knowledge base, or as new versions of ``into``."""
        cancel = cancel or CancelToken()
        self._precheck(actor, rbac.Permission.MANAGE_KNOWLEDGE)
        digest = hashlib.sha256(data).hexdigest()
        package, key_blob = self.open_package(data, passphrase)
        fingerprint = bundle_verify.key_fingerprint(key_blob)
        with self._op(actor, rbac.Permission.MANAGE_KNOWLEDGE) as op:
            check_trusted(op.tx, key_blob, package.identity)
            target = _managed(op, into) if into is not None else None
            if target is None:
                _check_new_name(op, package)
        local = target or _new_kb(package, op.actor, self._now())
        embedder = self._embedders(local)
        reembed = embedder.model_id() != package.model_id
        vectors = (
            _reembed(embedder, package, cancel, progress)
            if reembed
            else [[c.vector for c in v.chunks] for d in package.documents for v in d.versions]
        )
        cancel.raise_if_cancelled()
        with self._op(actor, rbac.Permission.MANAGE_KNOWLEDGE) as op:  # ONE transaction
            check_trusted(op.tx, key_blob, package.identity)
            if target is None:
                _check_new_name(op, package)
                kb = op.tx.knowledge.create_kb(_new_kb(package, op.actor, self._now()))
            else:
                kb = _managed(op, target.id)
            added, skipped = _store(op, kb, package, vectors, self._now())
            op.audit(
                AuditAction.KB_PACKAGE_IMPORTED,
                f"kb:{kb.id}",
                {
                    "kb": kb.name,
                    "new_kb": target is None,
                    "package_sha256": digest,
                    "from_workspace": package.workspace_id,
                    "exported_by": package.exported_by,
                    "exported_at": package.exported_at,
                    "signer": fingerprint,
                    "versions_added": added,
                    "versions_skipped": skipped,
                    "reembedded": reembed,
                    "embedding_model": embedder.model_id(),
                    "package_embedding_model": package.model_id,
                },
            )
        return Imported(kb, digest, added, skipped, reembed, fingerprint)


# ---------------------------------------------------------------------- helpers


def _managed(op: Op, ref: str | int) -> KnowledgeBase:
    kb = find_kb(op.tx, op.actor, ref)
    if not can_manage(op.actor, kb):
        op.refuse("manage_knowledge", f"kb:{kb.id}", "knowledge.read_only")
    return kb


def _read_documents(tx: Transaction, kb: KnowledgeBase) -> tuple[kb_package.PackedDocument, ...]:
    documents = []
    for active in tx.knowledge.list_documents(kb.id):
        versions = []
        for v in tx.knowledge.versions(kb.id, active.name):
            chunks = list(tx.knowledge.chunks_of_versions([v.id]))
            vectors = dict(tx.knowledge.embeddings([c.id for c in chunks]))
            text, original, meta = tx.knowledge.version_content(v.id)
            packed = tuple(
                kb_package.PackedChunk(c.index, c.start, c.end, c.heading, c.text, vectors[c.id])
                for c in chunks
            )
            versions.append(
                kb_package.PackedVersion(
                    v.version,
                    v.sha256,
                    v.size,
                    v.kind,
                    meta,
                    v.added_by,
                    v.added_at,
                    text,
                    original,
                    packed,
                )
            )
        documents.append(kb_package.PackedDocument(active.name, active.version, tuple(versions)))
    return tuple(documents)


def _new_kb(package: Package, actor: Actor, now: str) -> KnowledgeBase:
    """The knowledge base a package becomes: its name, description and settings, on this
    workspace's default embedding model, visible to the importer only."""
    values = {**KbSettings().as_dict(), **package.settings, "embedding_model": ""}
    try:
        settings = KbSettings.from_dict(values)
    except (InputError, TypeError, ValueError):
        raise InputError("kbpackage.malformed", what="kb.settings") from None
    name = package.kb_name.strip()
    if not name or len(name) > 100 or not name.isprintable():
        raise InputError("kbpackage.malformed", what="kb.name")
    return KnowledgeBase(
        0,
        name,
        package.description,
        KbVisibility.ONLY_ME,
        (),
        (),
        settings,
        actor.username,
        now,
        now,
    )


def _check_new_name(op: Op, package: Package) -> None:
    probe = _new_kb(package, op.actor, "")
    if name_taken(op.tx, op.actor, probe):
        raise AlreadyExists("kbpackage.kb_exists", name=probe.name)


def _reembed(
    embedder: Embedder, package: Package, cancel: CancelToken, progress: ProgressSink
) -> list[list[bytes]]:
    """Every version's chunks embedded again with the local model (batched)."""
    texts = [c.text for d in package.documents for v in d.versions for c in v.chunks]
    flat: list[bytes] = []
    for start in range(0, len(texts), EMBED_BATCH):
        cancel.raise_if_cancelled()
        try:
            block = embedder.embed(texts[start : start + EMBED_BATCH])
        except EmbeddingFailed as exc:
            raise InputError("kbpackage.reembed_failed", error=exc) from exc
        flat.extend(bytes(row.tobytes()) for row in block)
        progress(min(start + EMBED_BATCH, len(texts)), len(texts), "")
    out, at = [], 0
    for d in package.documents:
        for v in d.versions:
            out.append(flat[at : at + len(v.chunks)])
            at += len(v.chunks)
    return out


def _store(
    op: Op, kb: KnowledgeBase, package: Package, vectors: list[list[bytes]], now: str
) -> tuple[int, int]:
    """Add every version not already present, then make the package's active version
    the active one; (versions added, versions skipped)."""
    added = skipped = 0
    at = 0
    for doc in package.documents:
        for version in doc.versions:
            block = vectors[at]
            at += 1
            if op.tx.knowledge.find_version(kb.id, doc.name, version.sha256) is not None:
                skipped += 1
                continue
            op.tx.knowledge.add_version(
                kb_id=kb.id,
                name=doc.name,
                sha256=version.sha256,
                size=version.size,
                kind=version.kind,
                original=version.original,
                text=version.text,
                meta=version.meta,
                chunks=[Chunk(c.index, c.start, c.end, c.text, c.heading) for c in version.chunks],
                vectors=block,
                added_by=op.actor.username,
                now=now,
            )
            added += 1
        active = next(v for v in doc.versions if v.version == doc.active_version)
        local = op.tx.knowledge.find_version(kb.id, doc.name, active.sha256)
        if local is not None and not local.active:
            op.tx.knowledge.set_active(kb.id, doc.name, local.version)
    return added, skipped
