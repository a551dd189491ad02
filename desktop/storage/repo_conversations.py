"""``conversations`` + ``turns``: each user's chats with an app, one turn per message."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from typing import Any

from desktop.core.chat_models import Conversation, Turn
from desktop.core.errors import NotFound
from desktop.core.messages import Term
from desktop.storage.columns import json_object, to_json
from desktop.storage.dbapi import Connection

_CONVERSATION_COLUMNS = "id, app_id, app_version, user_id, title, variables, created_at, updated_at"
_TURN_COLUMNS = (
    "id, conversation_id, seq, user_text, answer, stop_reason, app_version, model_sha256,"
    " usage, timings, dropped_turns, created_at, citations, superseded_by"
)


def _conversation(row: Any) -> Conversation:
    cid, app_id, app_version, user_id, title, variables, created_at, updated_at = row
    values = json_object(variables, f"conversation #{cid} variables")
    return Conversation(
        id=int(cid),
        app_id=int(app_id),
        app_version=int(app_version),
        user_id=int(user_id),
        title=str(title),
        variables={str(k): str(v) for k, v in values.items()},
        created_at=str(created_at),
        updated_at=str(updated_at),
    )


def _turn(row: Any) -> Turn:
    tid, cid, seq, user_text, answer, stop, version, sha, usage, timings, dropped, created = row[
        :12
    ]
    where = f"turn #{tid}"
    return Turn(
        id=int(tid),
        conversation_id=int(cid),
        seq=int(seq),
        user_text=str(user_text),
        answer=str(answer),
        stop_reason=None if stop is None else str(stop),
        app_version=int(version),
        model_sha256=str(sha),
        usage={str(k): int(v) for k, v in json_object(usage, f"{where} usage").items()},
        timings={str(k): float(v) for k, v in json_object(timings, f"{where} timings").items()},
        dropped_turns=int(dropped),
        created_at=str(created),
        citations=tuple(json.loads(row[12])),
        superseded_by=None if row[13] is None else int(row[13]),
    )


#: Below this many characters a search cannot use the trigram index: it scans the turns.
_TRIGRAM = 3


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere (``\\`` escapes ``%`` and ``_``)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _phrase(text: str) -> str:
    """An FTS5 phrase for ``text`` (double quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


def _not_found(what: Term, ident: int) -> NotFound:
    return NotFound("storage.row_not_found", what=what, ident=ident)


class SqlConversationRepository:
    """Conversations and their turns; deleting one removes its turns (``ON DELETE CASCADE``)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def create(
        self,
        *,
        app_id: int,
        app_version: int,
        user_id: int,
        title: str,
        variables: dict[str, str],
        now: str,
    ) -> Conversation:
        """Start a conversation with that version of the app."""
        row = self._conn.execute(
            "INSERT INTO conversations (app_id, app_version, user_id, title, variables,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            f" RETURNING {_CONVERSATION_COLUMNS}",
            (app_id, app_version, user_id, title, to_json(variables), now, now),
        ).fetchone()
        return _conversation(row)

    def get(self, conversation_id: int) -> Conversation | None:
        """The conversation with this id, or None."""
        row = self._conn.execute(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations WHERE id = ?", (conversation_id,)
        ).fetchone()
        return None if row is None else _conversation(row)

    def list_for_user(self, user_id: int, app_id: int | None = None) -> list[Conversation]:
        """This user's conversations (with one app, when given), most recently active first."""
        rows = self._conn.execute(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations"
            " WHERE user_id = ? AND (? IS NULL OR app_id = ?)"
            " ORDER BY updated_at DESC, id DESC",
            (user_id, app_id, app_id),
        ).fetchall()
        return [_conversation(row) for row in rows]

    def rename(self, conversation_id: int, title: str, *, now: str) -> None:
        """Change the title; NotFound for an unknown id."""
        self._touch(conversation_id, now, title=title)

    def delete(self, conversation_id: int) -> None:
        """Remove the conversation and its turns; NotFound for an unknown id.

        The freed pages are zeroed (``secure_delete``); checkpoint afterwards so the WAL
        keeps no older copy of them.
        """
        cur = self._conn.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
        if cur.rowcount == 0:
            raise _not_found(Term("storage.what.conversation"), conversation_id)

    def turns(self, conversation_id: int, *, current_only: bool = False) -> list[Turn]:
        """Every turn of the conversation, oldest (seq 1) first; ``current_only`` leaves
        out the turns an edited message replaced (``superseded_by`` set)."""
        rows = self._conn.execute(
            f"SELECT {_TURN_COLUMNS} FROM turns WHERE conversation_id = ?"
            " AND (? = 0 OR superseded_by IS NULL) ORDER BY seq",
            (conversation_id, int(current_only)),
        ).fetchall()
        return [_turn(row) for row in rows]

    def add_turn(
        self,
        *,
        conversation_id: int,
        user_text: str,
        app_version: int,
        model_sha256: str,
        now: str,
    ) -> Turn:
        """A pending turn (answer empty, stop_reason None), last in the conversation.

        Its seq is one more than the highest so far; the conversation's ``updated_at``
        becomes ``now``. NotFound for an unknown conversation.
        """
        self._touch(conversation_id, now)
        row = self._conn.execute(
            "INSERT INTO turns (conversation_id, seq, user_text, app_version, model_sha256,"
            " created_at) VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM turns"
            " WHERE conversation_id = ?), ?, ?, ?, ?)"
            f" RETURNING {_TURN_COLUMNS}",
            (conversation_id, conversation_id, user_text, app_version, model_sha256, now),
        ).fetchone()
        return _turn(row)

    def finish_turn(
        self,
        turn_id: int,
        *,
        answer: str,
        stop_reason: str,
        usage: dict[str, int],
        timings: dict[str, float],
        dropped_turns: int,
        now: str,
        citations: Sequence[dict[str, Any]] = (),
    ) -> Turn:
        """Record the (possibly partial) answer and its counters; NotFound for an unknown id.

        ``stop_reason`` is one of ``StopReason``'s values; the conversation's
        ``updated_at`` becomes ``now``.
        """
        row = self._conn.execute(
            "UPDATE turns SET answer = ?, stop_reason = ?, usage = ?, timings = ?,"
            f" dropped_turns = ?, citations = ? WHERE id = ? RETURNING {_TURN_COLUMNS}",
            (
                answer,
                stop_reason,
                to_json(usage),
                to_json(timings),
                dropped_turns,
                to_json(list(citations)),
                turn_id,
            ),
        ).fetchone()
        if row is None:
            raise _not_found(Term("storage.what.turn"), turn_id)
        turn = _turn(row)
        self._touch(turn.conversation_id, now)
        return turn

    def delete_turn(self, turn_id: int) -> None:
        """Remove one turn (the later ones keep their seq); NotFound for an unknown id."""
        cur = self._conn.execute("DELETE FROM turns WHERE id = ?", (turn_id,))
        if cur.rowcount == 0:
            raise _not_found(Term("storage.what.turn"), turn_id)

    def supersede(self, turn_ids: Sequence[int], *, by: int, now: str) -> int:
        """Mark these turns as replaced by turn ``by`` (an edited message and its answer).

        They stay stored; turns already superseded keep their first mark. Returns how
        many were marked.
        """
        if not turn_ids:
            return 0
        marks = ",".join("?" * len(turn_ids))
        cur = self._conn.execute(
            "UPDATE turns SET superseded_by = ?, superseded_at = ?"
            f" WHERE id IN ({marks}) AND superseded_by IS NULL",
            (by, now, *turn_ids),
        )
        return int(cur.rowcount)

    def search(self, user_id: int, text: str) -> list[Conversation]:
        """This user's conversations whose title, or the question or answer of one of
        their current turns, contains ``text`` (as typed, or NFKC-folded so full-width
        and half-width forms meet); most recently active first.

        Three characters or more use ``turn_fts`` (trigram index, case-insensitive);
        shorter text scans the user's turns with LIKE."""
        forms = list(dict.fromkeys((text, unicodedata.normalize("NFKC", text))))
        titles = " OR ".join("c.title LIKE ? ESCAPE '\\'" for _ in forms)
        params: list[Any] = [user_id, *(_like(f) for f in forms)]
        if min(len(f) for f in forms) >= _TRIGRAM:
            in_turns = "t.id IN (SELECT rowid FROM turn_fts WHERE turn_fts MATCH ?)"
            params.append(" OR ".join(_phrase(f) for f in forms))
        else:
            in_turns = (
                "("
                + " OR ".join(
                    "t.user_text LIKE ? ESCAPE '\\' OR t.answer LIKE ? ESCAPE '\\'" for _ in forms
                )
                + ")"
            )
            params += [p for f in forms for p in (_like(f), _like(f))]
        rows = self._conn.execute(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations AS c WHERE c.user_id = ?"
            f" AND (({titles}) OR c.id IN (SELECT t.conversation_id FROM turns AS t"
            f" WHERE t.superseded_by IS NULL AND {in_turns}))"
            " ORDER BY c.updated_at DESC, c.id DESC",
            params,
        ).fetchall()
        return [_conversation(row) for row in rows]

    def pseudonyms(self, conversation_id: int) -> str | None:
        """The conversation's pseudonym table as its latest turn stored it (m0015)."""
        row = self._conn.execute(
            "SELECT mapping FROM turn_pseudonyms WHERE conversation_id = ?"
            " ORDER BY turn_id DESC LIMIT 1",
            (conversation_id,),
        ).fetchone()
        return None if row is None else str(row[0])

    def save_pseudonyms(self, turn_id: int, mapping: str) -> None:
        """Store the table a turn used (the conversation's, with what it added)."""
        self._conn.execute(
            "INSERT INTO turn_pseudonyms (turn_id, conversation_id, mapping)"
            " SELECT id, conversation_id, ? FROM turns WHERE id = ?"
            " ON CONFLICT (turn_id) DO UPDATE SET mapping = excluded.mapping",
            (mapping, turn_id),
        )

    def private_kb(self, conversation_id: int) -> int | None:
        """The id of the conversation's private knowledge base (m0012), if any."""
        found = self._conn.execute(
            "SELECT id FROM knowledge_bases WHERE conversation_id = ?", (conversation_id,)
        ).fetchone()
        return None if found is None else int(found[0])

    def link_kb(self, conversation_id: int, kb_id: int) -> None:
        """Mark ``kb_id`` as the conversation's private knowledge base: deleting the
        conversation deletes it (``ON DELETE CASCADE``); NotFound for an unknown id."""
        cur = self._conn.execute(
            "UPDATE knowledge_bases SET conversation_id = ? WHERE id = ?", (conversation_id, kb_id)
        )
        if cur.rowcount == 0:
            raise _not_found(Term("storage.what.knowledge_base"), kb_id)

    def _touch(self, conversation_id: int, now: str, *, title: str | None = None) -> None:
        """Set ``updated_at`` (and the title, when given); NotFound for an unknown id."""
        cur = self._conn.execute(
            "UPDATE conversations SET updated_at = ?, title = coalesce(?, title) WHERE id = ?",
            (now, title, conversation_id),
        )
        if cur.rowcount == 0:
            raise _not_found(Term("storage.what.conversation"), conversation_id)
