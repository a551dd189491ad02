"""``apps`` + ``app_versions``: chat apps whose every edit is a new, immutable version."""

from __future__ import annotations

from typing import Any

from desktop.core.chat_models import AppConfig, AppRecord
from desktop.core.errors import AlreadyExists, NotFound
from desktop.storage.columns import json_object, to_json, unique_name
from desktop.storage.dbapi import Connection, scalar

# One version of one app: ``apps`` holds the identity, ``app_versions`` the config and
# (as ``updated_at``) when that version was written. ``?`` picks the version; NULL
# picks the newest.
_SELECT_APP = (
    "SELECT a.id, v.version, v.config, a.created_by, a.created_at, v.created_at"
    " FROM apps AS a JOIN app_versions AS v"
    " ON v.app_id = a.id AND v.version = coalesce(?, a.current_version)"
)


def _app(row: Any) -> AppRecord:
    app_id, version, config, created_by, created_at, updated_at = row
    data = json_object(config, f"app #{app_id} version {version}")
    return AppRecord(
        id=int(app_id),
        version=int(version),
        config=AppConfig.from_dict(data),
        created_by=str(created_by),
        created_at=str(created_at),
        updated_at=str(updated_at),
    )


def _name_taken(name: str) -> AlreadyExists:
    return AlreadyExists("storage.app_name_taken", name=name)


class SqlAppRepository:
    """Apps with append-only versions; ``apps.name`` follows the newest config's name."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def create(self, config: AppConfig, *, created_by: str, now: str) -> AppRecord:
        """Insert the app and its version 1; AlreadyExists when the name is taken."""
        with unique_name(
            lambda: self.get_by_name(config.name) is not None, _name_taken(config.name)
        ):
            app_id = int(
                scalar(
                    self._conn,
                    "INSERT INTO apps (name, current_version, created_by, created_at, updated_at)"
                    " VALUES (?, 1, ?, ?, ?) RETURNING id",
                    (config.name, created_by, now, now),
                )
            )
        return self._insert_version(app_id, 1, config, now)

    def add_version(self, app_id: int, config: AppConfig, *, now: str) -> AppRecord:
        """Append the next version and make it current; the older ones stay readable.

        NotFound for an unknown id; AlreadyExists when another app has the new name.
        """
        current = scalar(self._conn, "SELECT current_version FROM apps WHERE id = ?", (app_id,))
        if current is None:
            raise NotFound("storage.app_not_found", app_id=app_id)
        version = int(current) + 1

        def taken() -> bool:
            other = self.get_by_name(config.name)
            return other is not None and other.id != app_id

        with unique_name(taken, _name_taken(config.name)):
            self._conn.execute(
                "UPDATE apps SET name = ?, current_version = ?, updated_at = ? WHERE id = ?",
                (config.name, version, now, app_id),
            )
        return self._insert_version(app_id, version, config, now)

    def _insert_version(self, app_id: int, version: int, config: AppConfig, now: str) -> AppRecord:
        self._conn.execute(
            "INSERT INTO app_versions (app_id, version, config, created_at) VALUES (?, ?, ?, ?)",
            (app_id, version, to_json(config.as_dict()), now),
        )
        record = self.get(app_id, version)
        if record is None:  # cannot happen: the row was inserted just above
            raise NotFound("storage.app_version_vanished", app_id=app_id, version=version)
        return record

    def get(self, app_id: int, version: int | None = None) -> AppRecord | None:
        """That version of the app (the newest when ``version`` is None), or None."""
        row = self._conn.execute(f"{_SELECT_APP} WHERE a.id = ?", (version, app_id)).fetchone()
        return None if row is None else _app(row)

    def get_by_name(self, name: str) -> AppRecord | None:
        """The newest version of the app with this name (any case), or None."""
        row = self._conn.execute(f"{_SELECT_APP} WHERE a.name = ?", (None, name)).fetchone()
        return None if row is None else _app(row)

    def list(self) -> list[AppRecord]:
        """The newest version of every app, by name (case-insensitively)."""
        rows = self._conn.execute(f"{_SELECT_APP} ORDER BY a.name, a.id", (None,)).fetchall()
        return [_app(row) for row in rows]

    def delete(self, app_id: int) -> None:
        """Remove the app, its versions, conversations and turns; NotFound for an unknown id."""
        cur = self._conn.execute("DELETE FROM apps WHERE id = ?", (app_id,))
        if cur.rowcount == 0:
            raise NotFound("storage.app_not_found", app_id=app_id)
