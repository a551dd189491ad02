"""``ReviewRepository`` on SQLite: feedback, annotations, retention and signing keys
(tables from migration m0007)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop.storage.dbapi import Connection


class SqlReviewRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # ------------------------------------------------------------------ feedback

    def set_feedback(self, turn_id: int, user_id: int, rating: str, comment: str, at: str) -> None:
        self._conn.execute(
            "INSERT INTO feedback (turn_id, user_id, rating, comment, at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (turn_id) DO UPDATE SET rating = excluded.rating,"
            " comment = excluded.comment, at = excluded.at",
            (turn_id, user_id, rating, comment, at),
        )

    def feedback(self, turn_id: int) -> dict[str, Any] | None:
        row = self._conn.execute(
            "SELECT rating, comment, at FROM feedback WHERE turn_id = ?", (turn_id,)
        ).fetchone()
        return None if row is None else {"rating": row[0], "comment": row[1], "at": row[2]}

    def add_annotation(self, turn_id: int, author: str, answer: str, at: str) -> int:
        row = self._conn.execute(
            "INSERT INTO annotations (turn_id, author, answer, at) VALUES (?, ?, ?, ?)"
            " RETURNING id",
            (turn_id, author, answer, at),
        ).fetchone()
        return int(row[0])

    def annotations(self, turn_id: int) -> list[dict[str, Any]]:
        rows = self._conn.execute(
            "SELECT id, author, answer, at FROM annotations WHERE turn_id = ? ORDER BY id",
            (turn_id,),
        ).fetchall()
        return [{"id": int(r[0]), "author": r[1], "answer": r[2], "at": r[3]} for r in rows]

    def turn_context(self, turn_id: int) -> tuple[int, int, int] | None:
        """(conversation id, app id, user id) of a turn, or None."""
        row = self._conn.execute(
            "SELECT c.id, c.app_id, c.user_id FROM turns AS t"
            " JOIN conversations AS c ON c.id = t.conversation_id WHERE t.id = ?",
            (turn_id,),
        ).fetchone()
        return None if row is None else (int(row[0]), int(row[1]), int(row[2]))

    # ------------------------------------------------------------------ retention

    def retention(self, app_id: int) -> tuple[int | None, bool]:
        row = self._conn.execute(
            "SELECT days, legal_hold FROM app_retention WHERE app_id = ?", (app_id,)
        ).fetchone()
        if row is None:
            return None, False
        return (None if row[0] is None else int(row[0])), bool(row[1])

    def set_retention(
        self, app_id: int, days: int | None, legal_hold: bool, by: str, at: str
    ) -> None:
        self._conn.execute(
            "INSERT INTO app_retention (app_id, days, legal_hold, updated_by, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (app_id) DO UPDATE SET days = excluded.days,"
            " legal_hold = excluded.legal_hold, updated_by = excluded.updated_by,"
            " updated_at = excluded.updated_at",
            (app_id, days, int(legal_hold), by, at),
        )

    def expired_turns(self, app_id: int, before: str) -> list[int]:
        rows = self._conn.execute(
            "SELECT t.id FROM turns AS t JOIN conversations AS c ON c.id = t.conversation_id"
            " WHERE c.app_id = ? AND t.created_at < ? ORDER BY t.id",
            (app_id, before),
        ).fetchall()
        return [int(row[0]) for row in rows]

    def delete_turns(self, turn_ids: Sequence[int]) -> int:
        if not turn_ids:
            return 0
        marks = ",".join("?" * len(turn_ids))
        conversations = [
            int(row[0])
            for row in self._conn.execute(
                f"SELECT DISTINCT conversation_id FROM turns WHERE id IN ({marks})", list(turn_ids)
            ).fetchall()
        ]
        self._conn.execute(f"DELETE FROM turns WHERE id IN ({marks})", list(turn_ids))
        gone = 0
        for conversation_id in conversations:
            cur = self._conn.execute(
                "DELETE FROM conversations WHERE id = ?"
                " AND NOT EXISTS (SELECT 1 FROM turns WHERE conversation_id = ?)",
                (conversation_id, conversation_id),
            )
            gone += cur.rowcount
        return gone

    # ------------------------------------------------------------------ signing keys

    def add_signing_key(self, public_key: str, fingerprint: str, at: str) -> int:
        row = self._conn.execute(
            "INSERT INTO signing_keys (public_key, fingerprint, created_at) VALUES (?, ?, ?)"
            " RETURNING id",
            (public_key, fingerprint, at),
        ).fetchone()
        return int(row[0])

    def retire_signing_key(self, key_id: int, at: str) -> None:
        self._conn.execute(
            "UPDATE signing_keys SET retired_at = ? WHERE id = ? AND retired_at IS NULL",
            (at, key_id),
        )

    def signing_keys(self) -> list[dict[str, Any]]:
        rows = self._conn.execute(
            "SELECT id, public_key, fingerprint, created_at, retired_at FROM signing_keys"
            " ORDER BY id"
        ).fetchall()
        keys = ("id", "public_key", "fingerprint", "created_at", "retired_at")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def add_bundle_key(
        self, checkpoint_sha256: str, export_seq: int, secret: bytes, at: str
    ) -> None:
        self._conn.execute(
            "INSERT INTO bundle_keys (checkpoint_sha256, export_seq, secret, created_at)"
            " VALUES (?, ?, ?, ?)",
            (checkpoint_sha256, export_seq, secret, at),
        )

    def bundle_key(self, checkpoint_sha256: str) -> tuple[int, bytes] | None:
        row = self._conn.execute(
            "SELECT export_seq, secret FROM bundle_keys WHERE checkpoint_sha256 = ?",
            (checkpoint_sha256,),
        ).fetchone()
        return None if row is None else (int(row[0]), bytes(row[1]))
