"""The permission table (DESIGN.md, Roles). The only place roles are mapped to actions."""

from __future__ import annotations

import enum
from types import MappingProxyType

from desktop.core.errors import PermissionDenied
from desktop.core.messages import Term
from desktop.core.models import Actor, Role


class Permission(enum.StrEnum):
    USE_APPS = "use_apps"  # use visible apps, own conversations, feedback
    MANAGE_APPS = "manage_apps"  # create / edit / delete apps
    MANAGE_KNOWLEDGE = "manage_knowledge"  # knowledge bases and their documents
    VIEW_LOGS = "view_logs"  # view all logs, annotate, export signed bundles
    MANAGE_MEMBERS = "manage_members"  # manage members (not the Owner)
    MANAGE_MODELS = "manage_models"  # register models, GPU / thread settings
    MANAGE_SECURITY = "manage_security"  # retention, rekey, recovery, signing key, policies
    TRANSFER_OWNERSHIP = "transfer_ownership"
    MANAGE_LIMITS = "manage_limits"  # usage limits of users, apps and models
    MANAGE_BACKUPS = "manage_backups"  # encrypted backups of the whole workspace


_ALL = frozenset(Role)
_EDITOR_UP = frozenset({Role.OWNER, Role.ADMIN, Role.EDITOR})
_ADMIN_UP = frozenset({Role.OWNER, Role.ADMIN})
_OWNER = frozenset({Role.OWNER})

PERMISSIONS: MappingProxyType[Permission, frozenset[Role]] = MappingProxyType(
    {
        Permission.USE_APPS: _ALL,
        Permission.MANAGE_APPS: _EDITOR_UP,
        Permission.MANAGE_KNOWLEDGE: _ADMIN_UP,
        Permission.VIEW_LOGS: _ADMIN_UP,
        Permission.MANAGE_MEMBERS: _ADMIN_UP,
        Permission.MANAGE_MODELS: _OWNER,
        Permission.MANAGE_SECURITY: _OWNER,
        Permission.TRANSFER_OWNERSHIP: _OWNER,
        Permission.MANAGE_LIMITS: _OWNER,
        Permission.MANAGE_BACKUPS: _OWNER,
    }
)


def allowed(role: Role, permission: Permission) -> bool:
    return role in PERMISSIONS[permission]


def require(actor: Actor, permission: Permission) -> None:
    """Raise ``PermissionDenied`` unless the actor's role grants ``permission``."""
    if not allowed(actor.role, permission):
        raise PermissionDenied(
            "accounts.permission_denied",
            role=Term(f"accounts.role.{actor.role.value}"),
            verb=Term(f"accounts.verb.{permission.value}"),
        )
