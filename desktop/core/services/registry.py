"""The services a front end talks to, as one protocol.

The composition root (``desktop.app.Workspace``) satisfies it; the GUI's lanes hand ops
a :class:`Services`, so every call from a front end into a service is type-checked
against the real service classes. mypy proves the conformance where the GUI gives its
task runner ``UiContext.open_workspace`` (which returns an ``app.Workspace``): a service
added here must be added to ``Workspace`` too. It lists services only: the adapters behind them
(the store, the key slots) stay with the composition root.
"""

from __future__ import annotations

from typing import Protocol

from desktop.core.ports import PiiDetector
from desktop.core.services.accounts import AccountService
from desktop.core.services.app_templates import AppTemplateService
from desktop.core.services.apps import AppService
from desktop.core.services.backup_schedule import BackupSchedule
from desktop.core.services.backups import BackupService
from desktop.core.services.chat import ChatService
from desktop.core.services.kb_packages import KbPackageService
from desktop.core.services.knowledge import KnowledgeService
from desktop.core.services.limits import LimitService
from desktop.core.services.logs import LogService
from desktop.core.services.models import ModelService
from desktop.core.services.pii_policy import PrivacyService
from desktop.core.services.policies import PolicyService
from desktop.core.services.remote_models import RemoteModelService
from desktop.core.services.settings import SettingsService
from desktop.core.services.totp import TotpService
from desktop.core.services.usage import UsageService
from desktop.core.services.workspace import WorkspaceService


class Services(Protocol):
    """An open workspace as a front end sees it: its services, its id, and ``close``."""

    @property
    def accounts(self) -> AccountService: ...

    @property
    def totp(self) -> TotpService: ...

    @property
    def policies(self) -> PolicyService: ...

    @property
    def logs(self) -> LogService: ...

    @property
    def workspace(self) -> WorkspaceService: ...

    @property
    def models(self) -> ModelService: ...

    @property
    def apps(self) -> AppService: ...

    @property
    def app_templates(self) -> AppTemplateService: ...

    @property
    def chat(self) -> ChatService: ...

    @property
    def knowledge(self) -> KnowledgeService: ...

    @property
    def privacy(self) -> PrivacyService: ...

    @property
    def kb_packages(self) -> KbPackageService: ...

    @property
    def settings(self) -> SettingsService: ...

    @property
    def usage(self) -> UsageService: ...

    @property
    def limits(self) -> LimitService: ...

    @property
    def remote_models(self) -> RemoteModelService: ...

    @property
    def backups(self) -> BackupService: ...

    @property
    def backup_schedule(self) -> BackupSchedule: ...

    @property
    def pii_detector(self) -> PiiDetector | None:
        """The model host's personal-data detector (None with engines that have none)."""

    @property
    def workspace_id(self) -> str: ...

    def close(self) -> None:
        """Release the workspace's connection (the lane that opened it calls this)."""
