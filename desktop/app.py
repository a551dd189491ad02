"""Composition root: builds the adapters and injects them into the services.

The only module that knows every layer. Front ends (``cli``, ``ui``) call the functions
here to obtain a :class:`Workspace`, then talk to its services only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop import __version__
from desktop.core.audit_actions import AuditAction
from desktop.core.clock import Clock, SystemClock
from desktop.core.errors import (
    AppError,
    AuthenticationFailed,
    DataDirUnreadable,
    KeyItemMissing,
    WorkspaceExists,
    WorkspaceNotFound,
    WrongKey,
)
from desktop.core.policy import PASSWORD_MIN, check_password, normalise_username
from desktop.core.ports import ChatModel, Embedder, KeyStore, PasswordHasher
from desktop.core.ports.pii import PiiDetector
from desktop.core.ports.remote import EndpointProbe
from desktop.core.remote import REMOTE_EMBEDDER_PREFIX
from desktop.core.services.accounts import AccountService, check_new_password
from desktop.core.services.app_templates import AppTemplateService
from desktop.core.services.apps import AppService
from desktop.core.services.backup_schedule import BackupSchedule
from desktop.core.services.backups import BackupService
from desktop.core.services.chat import ChatService
from desktop.core.services.diagnostics import DiagnosticsService
from desktop.core.services.kb_packages import KbPackageService
from desktop.core.services.knowledge import KnowledgeService
from desktop.core.services.limits import LimitService, shared_gate
from desktop.core.services.logs import LogService
from desktop.core.services.models import ModelService
from desktop.core.services.pii_policy import PrivacyService
from desktop.core.services.policies import PolicyService
from desktop.core.services.remote_models import RemoteModelService
from desktop.core.services.settings import SettingsService
from desktop.core.services.totp import TotpService
from desktop.core.services.usage import UsageService
from desktop.core.services.workspace import WorkspaceService
from desktop.data_dir import (
    APP_DIR_NAME,
    DB_NAME,
    SLOTS_NAME,
    Layout,
    check_dir,
    resolve_data_dir,
)
from desktop.engines import Engines, RerankerFactory, knowledge_service
from desktop.security.age_crypto import AgePackageCrypto
from desktop.security.backup_file import BackupArchiver
from desktop.security.bundle_signer import SshBundleSigner
from desktop.security.keyslots import Credentials, WorkspaceKeys
from desktop.security.netguard import (
    GuardEgress,
    GuardResolver,
    install_network_guard,
    report_violations_to,
)
from desktop.security.passwords import Argon2PasswordHasher
from desktop.security.process import disable_core_dumps
from desktop.security.strength import ZxcvbnStrength
from desktop.security.totp import PyOtpTotp
from desktop.storage.db import SqlCipherStore, create_database, open_database
from desktop.storage.recipe import FILE_PRAGMAS, MEMORY_PRAGMAS

__all__ = [
    "APP_DIR_NAME",
    "DB_NAME",
    "SLOTS_NAME",
    "Credentials",
    "Engines",
    "InitResult",
    "KeyStoreFactory",
    "Layout",
    "RerankerFactory",
    "Workspace",
    "bootstrap",
    "default_key_store",
    "forget_workspace_keys",
    "init_workspace",
    "open_workspace",
    "recover_workspace",
    "resolve_data_dir",
    "unlock_mode",
]


def bootstrap() -> None:
    """Process-wide guards every front end installs before doing anything else."""
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[var] = "1"
    disable_core_dumps()
    install_network_guard()


@contextlib.contextmanager
def pii_detector() -> Iterator[PiiDetector]:
    """A personal-data detector in a model host of its own, for work without a workspace
    (``kura pii detect``); the host stops when the block ends."""
    from desktop.modelhost.adapters import HostedPiiDetector
    from desktop.modelhost.client import PII_REMEDY, HostProcess

    host = HostProcess("pii", PII_REMEDY)
    try:
        yield HostedPiiDetector(host)
    finally:
        host.close()


def default_key_store() -> KeyStore:
    from desktop.security.keystore import KeyringKeyStore

    return KeyringKeyStore()


@dataclass
class Workspace:
    """An open workspace: its services, and what closing it must release."""

    layout: Layout
    store: SqlCipherStore
    keys: WorkspaceKeys
    accounts: AccountService
    totp: TotpService
    policies: PolicyService
    logs: LogService
    workspace: WorkspaceService
    models: ModelService
    apps: AppService
    chat: ChatService
    knowledge: KnowledgeService
    settings: SettingsService
    usage: UsageService
    limits: LimitService
    diagnostics: DiagnosticsService
    privacy: PrivacyService
    app_templates: AppTemplateService
    #: internal OpenAI-compatible servers registered as models, and the egress allowlist
    remote_models: RemoteModelService
    kb_packages: KbPackageService
    backups: BackupService
    backup_schedule: BackupSchedule
    #: Personal-data detection in the model host, for the services that mask and
    #: pseudonymise (None with engines that have none, e.g. tests' fakes).
    pii_detector: PiiDetector | None = None
    #: Closes what the workspace's chat model holds open of its own (a remote model's
    #: spare connection); the model hosts themselves outlive it.
    release_chat: Callable[[], None] = lambda: None

    @property
    def workspace_id(self) -> str:
        return self.keys.workspace_id

    def close(self) -> None:
        with contextlib.suppress(AppError):  # the guard's refusals, into the audit log
            self.remote_models.flush_refusals()
        self.release_chat()
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True, slots=True)
class InitResult:
    workspace_id: str
    data_dir: Path
    recovery_key: str


#: Each pragma the open sequence asserts, and the value it must read back.
_EXPECTED_RECIPE = {name: value for name, _, value in (*MEMORY_PRAGMAS, *FILE_PRAGMAS)}


def wire(
    layout: Layout,
    store: SqlCipherStore,
    keys: WorkspaceKeys,
    hasher: PasswordHasher,
    clock: Clock,
    engines: Engines | None = None,
    *,
    key_store: KeyStore,
) -> Workspace:
    engines = engines or Engines.local()
    totp = PyOtpTotp()
    models = ModelService(store, engines.inspector, clock)
    remote = RemoteModelService(
        store, clock, key_store, GuardResolver(), GuardEgress(), remote_probe()
    )
    chat_model = remote_router(engines.chat_model, remote)
    knowledge = knowledge_service(store, remote_embedders(engines, remote), clock)
    workspace = WorkspaceService(store, keys)
    logs = LogService(
        store, clock, key_store, SshBundleSigner(), __version__, pii=engines.pii_detector
    )
    limits = LimitService(store, clock, shared_gate(keys.workspace_id))
    backups = BackupService(
        store,
        clock,
        key_store,
        SshBundleSigner(),
        BackupArchiver(layout.slots, keys.held_key),
        __version__,
    )
    ws = Workspace(
        layout=layout,
        store=store,
        keys=keys,
        accounts=AccountService(
            store, hasher, clock, strength=ZxcvbnStrength(), totp=totp, slots=keys
        ),
        totp=TotpService(store, totp, clock),
        policies=PolicyService(store, clock, slots=keys, hasher=hasher, rotate=workspace.rekey),
        logs=logs,
        workspace=workspace,
        models=models,
        apps=AppService(store, clock),
        chat=ChatService(
            store,
            models,
            chat_model,
            clock,
            retriever=knowledge.retriever,
            files=knowledge.conversation_files,
            pii=engines.pii_detector,
            limits=limits,
        ),
        knowledge=knowledge,
        settings=SettingsService(store, clock),
        usage=UsageService(store, clock),
        limits=limits,
        diagnostics=DiagnosticsService(store, _EXPECTED_RECIPE),
        privacy=PrivacyService(store),
        app_templates=AppTemplateService(
            store, clock, key_store, SshBundleSigner(), logs.ensure_signing_key
        ),
        remote_models=remote,
        kb_packages=KbPackageService(
            store,
            clock,
            key_store,
            SshBundleSigner(),
            AgePackageCrypto(),
            knowledge.embedder_for,
            logs.ensure_signing_key,
            __version__,
        ),
        backups=backups,
        backup_schedule=BackupSchedule(store, backups, clock),
        pii_detector=engines.pii_detector,
        release_chat=getattr(chat_model, "release_remote", lambda: None),
    )
    remote.refresh_egress()  # a remote model: the guard allows exactly its addresses
    report_violations_to(lambda v: remote.note_refusal(v.event, v.target))
    return ws


def remote_embedders(engines: Engines, remote: RemoteModelService) -> Engines:
    """``engines`` whose embedder factory also gives a knowledge base's ``remote:NAME``
    embedding model: the registered remote embedding model NAME (desktop/remote/)."""
    local = engines.embedder_factory

    def factory(folder: str) -> Embedder:
        if not folder.startswith(REMOTE_EMBEDDER_PREFIX):
            return local(folder)
        from desktop.remote.openai import RemoteEmbedder

        endpoint = remote.embedding_endpoint(folder.removeprefix(REMOTE_EMBEDDER_PREFIX))
        return RemoteEmbedder(endpoint, remote.api_key)

    return dataclasses.replace(engines, embedder_factory=factory)


def remote_probe() -> EndpointProbe:
    """The connection test of an endpoint at registration (``kura models add-remote``)."""
    from desktop.remote.probe import HttpProbe

    return HttpProbe()


def remote_router(local: ChatModel, remote: RemoteModelService) -> ChatModel:
    """The workspace's chat model: ``local`` (the model host), or a registered remote
    endpoint's adapter when an app's model is one (desktop/remote/)."""
    from desktop.remote.openai import RemoteChatModel, RoutingChatModel

    def remote_for(sha256: str) -> RemoteChatModel | None:
        endpoint = remote.endpoint_for(sha256)
        return None if endpoint is None else RemoteChatModel(endpoint, remote.api_key, sha256)

    return RoutingChatModel(local, remote_for)


def init_workspace(
    data_dir: Path,
    owner: str,
    password: str,
    *,
    key_store: KeyStore,
    hasher: PasswordHasher | None = None,
    clock: Clock | None = None,
) -> InitResult:
    """Create a workspace: keys, encrypted database, the Owner. Never overwrites."""
    clock = clock or SystemClock()
    hasher = hasher or Argon2PasswordHasher()
    normalise_username(owner)
    check_password(password)
    layout = Layout(data_dir)
    if layout.exists():
        raise WorkspaceExists("workspace.exists_in_folder", folder=data_dir)
    created_dir = not data_dir.exists()
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirUnreadable(
            "workspace.cannot_create", path=data_dir, reason=exc.strerror
        ) from exc
    workspace_id = str(uuid.uuid4())
    keys = WorkspaceKeys(layout.slots, key_store, clock)
    made: list[str] = []
    try:
        dek, recovery_key = keys.create(workspace_id)
        made.append("keys")
        store = create_database(layout.db, dek, clock=clock)
        made.append("db")
        with wire(layout, store, keys, hasher, clock, key_store=key_store) as ws:
            ws.accounts.bootstrap_owner(owner, password, workspace_id=workspace_id)
            ws.workspace.settle_slot_file()
            ws.logs.ensure_signing_key()
    except BaseException:
        _undo_init(layout, keys, workspace_id, made, created_dir)
        raise
    return InitResult(workspace_id=workspace_id, data_dir=data_dir, recovery_key=recovery_key)


def _undo_init(
    layout: Layout, keys: WorkspaceKeys, workspace_id: str, made: list[str], created_dir: bool
) -> None:
    """Remove what this failed ``init`` made, and nothing else, so a retry works. A
    workspace another process created in the same folder meanwhile is left alone."""
    if "keys" in made and keys.exists() and keys.workspace_id == workspace_id:
        with contextlib.suppress(AppError):
            keys.forget()
    if "db" in made:
        for path in layout.data_dir.glob(f"{DB_NAME}*"):
            path.unlink(missing_ok=True)
    if created_dir:
        shutil.rmtree(layout.data_dir, ignore_errors=True)


def unlock_mode(data_dir: Path, *, key_store: KeyStore) -> str:
    """``keyring`` or ``strict`` (then opening needs a user's password), as
    ``keyslots.json`` says before anything is unwrapped; the open checks its MAC."""
    _, keys = _existing(data_dir, key_store, SystemClock())
    return keys.mode


def open_workspace(
    data_dir: Path,
    *,
    key_store: KeyStore,
    credentials: Credentials | None = None,
    hasher: PasswordHasher | None = None,
    clock: Clock | None = None,
    engines: Engines | None = None,
) -> Workspace:
    """Unwrap the key from the keyring slot (keyring mode) or from the password slot of
    ``credentials`` (strict mode: a user name and that user's password), check that the
    slot set is authentic, open the database and assert its recipe.

    Strict mode without ``credentials`` raises AuthenticationFailed; the caller still
    signs the user in afterwards. Finishes a rotation a crash interrupted (the pending
    slots are promoted when only the pending key opens the database).
    """
    clock = clock or SystemClock()
    layout, keys = _existing(data_dir, key_store, clock)
    store, finished = _open_with_slots(layout, keys, clock, credentials)
    try:
        ws = wire(
            layout,
            store,
            keys,
            hasher or Argon2PasswordHasher(),
            clock,
            engines,
            key_store=key_store,
        )
        ws.workspace.settle_slot_file()
        if finished:
            ws.workspace.finish_interrupted_rekey()
    except BaseException:
        store.close()
        raise
    return ws


def _existing(data_dir: Path, key_store: KeyStore, clock: Clock) -> tuple[Layout, WorkspaceKeys]:
    check_dir(data_dir)
    layout = Layout(data_dir)
    keys = WorkspaceKeys(layout.slots, key_store, clock)
    if not keys.exists():
        raise WorkspaceNotFound("workspace.not_found", folder=data_dir, file=SLOTS_NAME)
    return layout, keys


def _open_with_slots(
    layout: Layout, keys: WorkspaceKeys, clock: Clock, credentials: Credentials | None
) -> tuple[SqlCipherStore, bool]:
    try:
        key = keys.unlock(credentials)
    except (KeyItemMissing, AuthenticationFailed):
        if not keys.has_pending():
            raise
        # The active slot is gone but a rotation left its new key: finish with that.
        store = open_database(layout.db, keys.pending_dek(credentials) or b"", clock=clock)
        keys.commit_rekey()
        return store, True
    try:
        store = open_database(layout.db, key, clock=clock)
    except WrongKey:
        pending = keys.pending_dek(credentials)
        if pending is None:
            raise
        store = open_database(layout.db, pending, clock=clock)
        keys.commit_rekey()
        return store, True
    if keys.has_pending():
        keys.abort_rekey()  # the rotation never reached the database
    return store, False


def recover_workspace(
    data_dir: Path,
    recovery_key: str,
    *,
    key_store: KeyStore,
    clock: Clock | None = None,
    hasher: PasswordHasher | None = None,
) -> Workspace:
    """Open with the recovery key and rewrite the slot file: a fresh keyring slot, the
    recovery slot(s) (only the one that opened when the file was altered), keyring mode
    (strict mode is turned off and the audit event says so; the Owner can turn it on
    again). This is also the remedy for a ``keyslots.json`` altered outside Kura."""
    clock = clock or SystemClock()
    layout, keys = _existing(data_dir, key_store, clock)
    key = keys.unlock_with_recovery(recovery_key)
    try:
        store = open_database(layout.db, key, clock=clock)
    except WrongKey:
        if keys.has_pending():
            raise WrongKey("workspace.rotation_outdated_recovery_key") from None
        raise
    was_strict = keys.strict()
    ws = wire(layout, store, keys, hasher or Argon2PasswordHasher(), clock, key_store=key_store)
    try:
        # the rewritten file goes above the generation the database recorded, so it is
        # also the remedy for an older keyslots.json put back
        keys.adopt_generation(ws.workspace.recorded_slot_generation())
        keys.abort_rekey()  # a rotation that never reached the database is void
        keys.restore_keyring_slot(key)
    except BaseException:
        store.close()
        raise
    ws.workspace.record_key_event(
        AuditAction.WORKSPACE_RECOVERED,
        {"keyring_backend": key_store.backend_name(), "strict_unlock_turned_off": was_strict},
    )
    return ws


KeyStoreFactory = Callable[[], KeyStore]


def forget_workspace_keys(data_dir: Path, *, key_store: KeyStore) -> None:
    """Delete the keyring items of the workspace's key slots and its ``keyslots.json``
    (the self-test's cleanup of the throwaway workspace it made; a user never does this:
    the database cannot be opened afterwards without a backup of both)."""
    WorkspaceKeys(Layout(data_dir).slots, key_store, SystemClock()).forget()


@dataclass(frozen=True, slots=True)
class PasswordVerdict:
    """A new password judged as the account service will: zxcvbn's score (0-4, for a
    meter) and the InputError it would be refused with (None when accepted)."""

    score: int
    problem: AppError | None


def judge_password(password: str, *user_inputs: str) -> PasswordVerdict:
    """The live check of a password being typed (before a workspace exists, too)."""
    strength = ZxcvbnStrength()
    score = strength.assess(password, [u for u in user_inputs if u])[0]
    try:
        check_new_password(password, user_inputs, strength)
    except AppError as exc:
        return PasswordVerdict(0 if len(password) < PASSWORD_MIN else score, exc)
    return PasswordVerdict(score, None)
