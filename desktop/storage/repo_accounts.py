"""``AccountSecurityRepository`` on SQLite: throttling, TOTP, recovery codes, role requests
(tables from migration m0006)."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.core.models import LoginGuard, Role, RoleRequest, TotpState
from desktop.storage.dbapi import Connection


class SqlAccountSecurityRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # ------------------------------------------------------------------ throttling

    def guard(self, name_key: str) -> LoginGuard:
        row = self._conn.execute(
            "SELECT failures, locked_until FROM login_guard WHERE name_key = ?", (name_key,)
        ).fetchone()
        return LoginGuard() if row is None else LoginGuard(int(row[0]), row[1])

    def set_guard(self, name_key: str, failures: int, locked_until: str | None, at: str) -> None:
        self._conn.execute(
            "INSERT INTO login_guard (name_key, failures, locked_until, last_failure_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (name_key) DO UPDATE SET"
            " failures = excluded.failures, locked_until = excluded.locked_until,"
            " last_failure_at = excluded.last_failure_at",
            (name_key, failures, locked_until, at),
        )

    def clear_guard(self, name_key: str) -> None:
        self._conn.execute("DELETE FROM login_guard WHERE name_key = ?", (name_key,))

    # ------------------------------------------------------------------ TOTP

    def totp(self, user_id: int) -> TotpState | None:
        row = self._conn.execute(
            "SELECT secret, pending_secret, last_step, enrolled_at FROM totp WHERE user_id = ?",
            (user_id,),
        ).fetchone()
        if row is None:
            return None
        return TotpState(row[0], row[1], int(row[2]), row[3])

    def set_pending_totp(self, user_id: int, secret: str) -> None:
        self._conn.execute(
            "INSERT INTO totp (user_id, pending_secret) VALUES (?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET pending_secret = excluded.pending_secret",
            (user_id, secret),
        )

    def confirm_totp(self, user_id: int, step: int, at: str) -> None:
        self._conn.execute(
            "UPDATE totp SET secret = pending_secret, pending_secret = NULL, last_step = ?,"
            " enrolled_at = ? WHERE user_id = ? AND pending_secret IS NOT NULL",
            (step, at, user_id),
        )

    def set_totp_step(self, user_id: int, step: int) -> None:
        self._conn.execute("UPDATE totp SET last_step = ? WHERE user_id = ?", (step, user_id))

    def delete_totp(self, user_id: int) -> None:
        self._conn.execute("DELETE FROM totp WHERE user_id = ?", (user_id,))
        self._conn.execute("DELETE FROM recovery_codes WHERE user_id = ?", (user_id,))

    # ------------------------------------------------------------------ recovery codes

    def replace_recovery_codes(self, user_id: int, code_hashes: Sequence[str]) -> None:
        self._conn.execute("DELETE FROM recovery_codes WHERE user_id = ?", (user_id,))
        for code_hash in code_hashes:
            self._conn.execute(
                "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)",
                (user_id, code_hash),
            )

    def use_recovery_code(self, user_id: int, code_hash: str, at: str) -> bool:
        cur = self._conn.execute(
            "UPDATE recovery_codes SET used_at = ?"
            " WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
            (at, user_id, code_hash),
        )
        return bool(cur.rowcount)

    def unused_recovery_codes(self, user_id: int) -> int:
        row = self._conn.execute(
            "SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL",
            (user_id,),
        ).fetchone()
        return int(row[0])

    # ------------------------------------------------------------------ role requests

    def request_role(self, user_id: int, role: Role, requested_by: str, at: str) -> None:
        self._conn.execute(
            "INSERT INTO role_requests (user_id, role, requested_by, requested_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET role = excluded.role,"
            " requested_by = excluded.requested_by, requested_at = excluded.requested_at",
            (user_id, role.value, requested_by, at),
        )

    def role_request(self, user_id: int) -> RoleRequest | None:
        row = self._conn.execute(
            "SELECT user_id, role, requested_by, requested_at FROM role_requests WHERE user_id = ?",
            (user_id,),
        ).fetchone()
        return None if row is None else RoleRequest(int(row[0]), Role(row[1]), row[2], row[3])

    def role_requests(self) -> list[RoleRequest]:
        rows = self._conn.execute(
            "SELECT user_id, role, requested_by, requested_at FROM role_requests ORDER BY user_id"
        ).fetchall()
        return [RoleRequest(int(r[0]), Role(r[1]), r[2], r[3]) for r in rows]

    def delete_role_request(self, user_id: int) -> None:
        self._conn.execute("DELETE FROM role_requests WHERE user_id = ?", (user_id,))
