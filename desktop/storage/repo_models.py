"""``models``: registered GGUF files, their header facts and load settings."""

from __future__ import annotations

from typing import Any

from desktop.core.chat_models import GgufInfo, LoadSettings, ModelRecord
from desktop.core.errors import AlreadyExists, NotFound
from desktop.core.remote import RemoteEndpoint
from desktop.storage.columns import json_object, to_json, unique_name
from desktop.storage.dbapi import Connection

_MODEL_COLUMNS = (
    "id, name, path, sha256, size, mtime_ns, info, settings, created_at, created_by, file_key,"
    " endpoint"
)


def _model(row: Any) -> ModelRecord:
    mid, name, path, sha256, size, mtime_ns, info, settings, created_at, created_by, key, ep = row
    where = f"model #{mid}"
    endpoint = (
        None if ep is None else RemoteEndpoint.from_dict(json_object(ep, f"{where} endpoint"))
    )
    return ModelRecord(
        id=int(mid),
        name=str(name),
        path=str(path),
        sha256=str(sha256),
        size=int(size),
        mtime_ns=int(mtime_ns),
        info=GgufInfo.from_dict(json_object(info, f"{where} info")),
        settings=LoadSettings.from_dict(json_object(settings, f"{where} settings")),
        created_at=str(created_at),
        created_by=str(created_by),
        file_key=str(key),
        endpoint=endpoint,
    )


class SqlModelRepository:
    """``models``: one row per registered file; the file itself stays where it is."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self,
        *,
        name: str,
        path: str,
        sha256: str,
        size: int,
        mtime_ns: int,
        info: GgufInfo,
        settings: LoadSettings,
        created_at: str,
        created_by: str,
        endpoint: RemoteEndpoint | None = None,
    ) -> ModelRecord:
        """Insert a model; AlreadyExists when the name is taken (any case). ``endpoint``:
        a remote model's registration (its ``path`` is then the base URL)."""
        values = (
            name,
            path,
            sha256,
            size,
            mtime_ns,
            to_json(info.as_dict()),
            to_json(settings.as_dict()),
            created_at,
            created_by,
            None if endpoint is None else to_json(endpoint.as_dict()),
        )
        with unique_name(
            lambda: self.get_by_name(name) is not None,
            AlreadyExists("storage.model_name_taken", name=name),
        ):
            row = self._conn.execute(
                "INSERT INTO models (name, path, sha256, size, mtime_ns, info, settings,"
                " created_at, created_by, endpoint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                f" RETURNING {_MODEL_COLUMNS}",
                values,
            ).fetchone()
        return _model(row)

    def get(self, model_id: int) -> ModelRecord | None:
        """The model with this id, or None."""
        row = self._conn.execute(
            f"SELECT {_MODEL_COLUMNS} FROM models WHERE id = ?", (model_id,)
        ).fetchone()
        return None if row is None else _model(row)

    def get_by_name(self, name: str) -> ModelRecord | None:
        """The model with this name, compared case-insensitively, or None."""
        row = self._conn.execute(
            f"SELECT {_MODEL_COLUMNS} FROM models WHERE name = ?", (name,)
        ).fetchone()
        return None if row is None else _model(row)

    def list(self) -> list[ModelRecord]:
        """Every model, by name (case-insensitively)."""
        rows = self._conn.execute(
            f"SELECT {_MODEL_COLUMNS} FROM models ORDER BY name, id"
        ).fetchall()
        return [_model(row) for row in rows]

    def update_file_state(self, model_id: int, *, size: int, mtime_ns: int, file_key: str) -> None:
        """Remember that the file in this state still has the recorded hash.

        NotFound for an unknown id.
        """
        cur = self._conn.execute(
            "UPDATE models SET size = ?, mtime_ns = ?, file_key = ? WHERE id = ?",
            (size, mtime_ns, file_key, model_id),
        )
        self._found(cur.rowcount, model_id)

    def update_settings(self, model_id: int, settings: LoadSettings) -> None:
        """Replace the load settings; NotFound for an unknown id."""
        cur = self._conn.execute(
            "UPDATE models SET settings = ? WHERE id = ?",
            (to_json(settings.as_dict()), model_id),
        )
        self._found(cur.rowcount, model_id)

    def update_endpoint(self, model_id: int, endpoint: RemoteEndpoint, sha256: str) -> None:
        """Replace a remote model's endpoint and its identity; NotFound for an unknown id."""
        cur = self._conn.execute(
            "UPDATE models SET endpoint = ?, sha256 = ? WHERE id = ? AND endpoint IS NOT NULL",
            (to_json(endpoint.as_dict()), sha256, model_id),
        )
        self._found(cur.rowcount, model_id)

    def delete(self, model_id: int) -> None:
        """Remove the model's row; NotFound for an unknown id."""
        cur = self._conn.execute("DELETE FROM models WHERE id = ?", (model_id,))
        self._found(cur.rowcount, model_id)

    @staticmethod
    def _found(rowcount: int, model_id: int) -> None:
        if rowcount == 0:
            raise NotFound("storage.model_not_found", model_id=model_id)
