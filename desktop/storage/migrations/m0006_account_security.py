"""m0006: sign-in hardening: throttling, TOTP, recovery codes, role requests.

- ``login_guard``: failed sign-ins per user name (casefolded, known or not, so throttling
  does not tell which names exist) and until when the name is locked; it survives
  restarts because it is in the database.
- ``totp``: a user's confirmed secret (``secret``) and the one being enrolled
  (``pending_secret``), and the last time step accepted (a code is accepted once).
- ``recovery_codes``: SHA-256 of one-time codes that stand in for a TOTP code.
- ``role_requests``: an elevation an Admin asked for, waiting for the Owner's approval
  (when the workspace policy asks for approval).
"""

from __future__ import annotations

from desktop.storage.dbapi import Connection

_STATEMENTS = (
    """
    CREATE TABLE login_guard (
        name_key        TEXT PRIMARY KEY,
        failures        INTEGER NOT NULL CHECK (failures >= 0),
        locked_until    TEXT,
        last_failure_at TEXT NOT NULL
    ) STRICT
    """,
    """
    CREATE TABLE totp (
        user_id        INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        secret         TEXT,
        pending_secret TEXT,
        last_step      INTEGER NOT NULL DEFAULT -1,
        enrolled_at    TEXT
    ) STRICT
    """,
    """
    CREATE TABLE recovery_codes (
        user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash TEXT NOT NULL,
        used_at   TEXT,
        PRIMARY KEY (user_id, code_hash)
    ) STRICT
    """,
    """
    CREATE TABLE role_requests (
        user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        role         TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'member')),
        requested_by TEXT NOT NULL,
        requested_at TEXT NOT NULL
    ) STRICT
    """,
)


def m0006_account_security(conn: Connection) -> None:
    for statement in _STATEMENTS:
        conn.execute(statement)
