"""Plain domain records shared by services, ports and front ends."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Role(enum.StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    EDITOR = "editor"
    MEMBER = "member"


class UserStatus(enum.StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who performs a service call. Every service method takes one first."""

    user_id: int
    username: str
    role: Role


#: The actor recorded for events no user performs (workspace creation bootstrap).
SYSTEM_ACTOR_NAME = "system"


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role
    status: UserStatus
    password_hash: str = field(repr=False)
    created_at: str
    last_login_at: str | None = None

    def as_actor(self) -> Actor:
        return Actor(user_id=self.id, username=self.username, role=self.role)

    def public_dict(self) -> dict[str, Any]:
        """Everything about the user that may be shown — never the password hash."""
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role.value,
            "status": self.status.value,
            "created_at": self.created_at,
            "last_login_at": self.last_login_at,
        }


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One link of the hash chain (DESIGN.md, Audit chain and bundles).

    ``payload`` is ``None`` for a tombstone whose payload a retention purge removed;
    ``payload_sha256`` stays, so the chain still verifies.
    """

    seq: int
    ts: str
    actor: str
    action: str
    object: str
    payload: dict[str, Any] | None
    payload_sha256: str
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class LoginGuard:
    """Failed sign-ins in a row for one user name, and until when it is locked."""

    failures: int = 0
    locked_until: str | None = None


@dataclass(frozen=True, slots=True)
class TotpState:
    """A user's TOTP: the confirmed secret, one being enrolled, the last step accepted."""

    secret: str | None = field(default=None, repr=False)
    pending_secret: str | None = field(default=None, repr=False)
    last_step: int = -1
    enrolled_at: str | None = None

    @property
    def enabled(self) -> bool:
        return self.secret is not None


@dataclass(frozen=True, slots=True)
class RoleRequest:
    """A role change an Admin asked for, waiting for the Owner (policy: role approval)."""

    user_id: int
    role: Role
    requested_by: str
    requested_at: str


@dataclass(frozen=True, slots=True)
class TraceFilter:
    """Which chat traces to list: every field that is set must match."""

    app_id: int | None = None
    username: str | None = None
    since: str | None = None  # ISO 8601 UTC, inclusive
    until: str | None = None  # ISO 8601 UTC, exclusive
    rating: str | None = None  # "up" or "down"
    text: str | None = None  # in the question or the answer, ignoring case
