"""``models``: registered GGUF files, their header facts and load settings."""

from __future__ import annotations

from typing import Any

from desktop.core.chat_models import GgufInfo, LoadSettings, ModelRecord
from desktop.core.errors import AlreadyExists, NotFound
from desktop.storage.columns import json_object, to_json, unique_name
from desktop.storage.dbapi import Connection

_MODEL_COLUMNS = (
    "id, name, path, sha256, size, mtime_ns, info, settings, created_at, created_by, file_key"
)


def _model(row: Any) -> ModelRecord:
    mid, name, path, sha256, size, mtime_ns, info, settings, created_at, created_by, key = row
    where = f"model #{mid}"
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
    ) -> ModelRecord:
        """Insert a model; AlreadyExists when the name is taken (any case)."""
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
        )
        with unique_name(
            lambda: self.get_by_name(name) is not None,
            AlreadyExists("storage.model_name_taken", name=name),
        ):
            row = self._conn.execute(
                "INSERT INTO models (name, path, sha256, size, mtime_ns, info, settings,"
                f" created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
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

    @staticmethod
    def _found(rowcount: int, model_id: int) -> None:
        if rowcount == 0:
            raise NotFound("storage.model_not_found", model_id=model_id)
