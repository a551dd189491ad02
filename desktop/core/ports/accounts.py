"""The repositories of users, their sign-in security, preferences and workspace settings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from desktop.core.models import (
    LoginGuard,
    Role,
    RoleRequest,
    TotpState,
    User,
    UserStatus,
)


class UserRepository(Protocol):
    def add(
        self, *, username: str, display_name: str, role: Role, password_hash: str, created_at: str
    ) -> User: ...

    def get(self, user_id: int) -> User | None: ...

    def get_by_name(self, username: str) -> User | None: ...

    def list(self) -> list[User]: ...

    def count_active(self, role: Role) -> int: ...

    def set_role(self, user_id: int, role: Role) -> None: ...

    def set_status(self, user_id: int, status: UserStatus) -> None: ...

    def set_password_hash(self, user_id: int, password_hash: str) -> None: ...

    def set_last_login(self, user_id: int, ts: str) -> None: ...


class AccountSecurityRepository(Protocol):
    """Sign-in throttling, TOTP secrets, recovery codes and pending role requests."""

    def guard(self, name_key: str) -> LoginGuard: ...

    def set_guard(
        self, name_key: str, failures: int, locked_until: str | None, at: str
    ) -> None: ...

    def clear_guard(self, name_key: str) -> None: ...

    def totp(self, user_id: int) -> TotpState | None: ...

    def set_pending_totp(self, user_id: int, secret: str) -> None:
        """Start (or restart) an enrollment; a confirmed secret stays until confirmed."""
        ...

    def confirm_totp(self, user_id: int, step: int, at: str) -> None:
        """The pending secret becomes the secret; ``step`` is the last accepted."""
        ...

    def set_totp_step(self, user_id: int, step: int) -> None: ...

    def delete_totp(self, user_id: int) -> None:
        """Remove TOTP and the recovery codes."""
        ...

    def replace_recovery_codes(self, user_id: int, code_hashes: Sequence[str]) -> None: ...

    def use_recovery_code(self, user_id: int, code_hash: str, at: str) -> bool:
        """Mark an unused code used; False when there is no such unused code."""
        ...

    def unused_recovery_codes(self, user_id: int) -> int: ...

    def request_role(self, user_id: int, role: Role, requested_by: str, at: str) -> None: ...

    def role_request(self, user_id: int) -> RoleRequest | None: ...

    def role_requests(self) -> list[RoleRequest]: ...

    def delete_role_request(self, user_id: int) -> None: ...


class SettingsRepository(Protocol):
    """Small non-secret workspace facts (workspace id, created at, policies)."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...


class PreferenceRepository(Protocol):
    """Each user's own preferences (language, theme), as strings by key."""

    def all(self, user_id: int) -> dict[str, str]:
        """Every preference the user has set; keys never set are absent."""
        ...

    def set(self, user_id: int, key: str, value: str, at: str) -> None: ...
