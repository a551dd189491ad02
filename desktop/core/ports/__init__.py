"""Ports: the Protocols adapters implement and services depend on.

Adapters are named ``<Tech><Role>`` (``SqlCipherStore``, ``KeyringKeyStore``,
``Argon2PasswordHasher``) and are wired to services only in ``desktop.app``.

One module per area, every name re-exported here (import them from
``desktop.core.ports``): ``security`` (keyring, passwords, TOTP, bundle signing),
``accounts``, ``audit``, ``chat`` and ``knowledge`` (the repositories), ``store`` (the
store and its transaction), ``inference``, ``retrieval`` and ``pii``.
"""

from __future__ import annotations

from desktop.core.ports.accounts import (
    AccountSecurityRepository,
    PreferenceRepository,
    SettingsRepository,
    UserRepository,
)
from desktop.core.ports.audit import AuditLog, ReviewRepository, UsageRepository
from desktop.core.ports.chat import AppRepository, ConversationRepository, ModelRepository
from desktop.core.ports.inference import ChatModel, Generation, ModelInspector
from desktop.core.ports.knowledge import KnowledgeRepository
from desktop.core.ports.limits import LimitRepository
from desktop.core.ports.pii import PiiDetector
from desktop.core.ports.retrieval import (
    DocumentParser,
    Embedder,
    Ocr,
    Reranker,
    TextChunker,
    VectorIndex,
)
from desktop.core.ports.security import (
    BundleSigner,
    KeyStore,
    PasswordHasher,
    PasswordStrength,
    TotpEngine,
)
from desktop.core.ports.store import Store, Transaction

__all__ = [
    "AccountSecurityRepository",
    "AppRepository",
    "AuditLog",
    "BundleSigner",
    "ChatModel",
    "ConversationRepository",
    "DocumentParser",
    "Embedder",
    "Generation",
    "KeyStore",
    "KnowledgeRepository",
    "LimitRepository",
    "ModelInspector",
    "ModelRepository",
    "Ocr",
    "PasswordHasher",
    "PasswordStrength",
    "PiiDetector",
    "PreferenceRepository",
    "Reranker",
    "ReviewRepository",
    "SettingsRepository",
    "Store",
    "TextChunker",
    "TotpEngine",
    "Transaction",
    "UsageRepository",
    "UserRepository",
    "VectorIndex",
]
