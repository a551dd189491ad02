"""m0010: a turn replaced by an edited message is kept, marked superseded.

Editing message N of a conversation and sending it again replaces that turn and every
later one. The replaced turns stay (they were real turns, and the log's traces name
them) but ``superseded_by`` names the turn that replaced them and ``superseded_at`` says
when; a conversation, and the history a model is given, leave them out.

``superseded_by`` is deliberately not a foreign key: the replacing turn may itself be
regenerated (deleted) later, and the turns it replaced must stay replaced.
"""

from __future__ import annotations

from desktop.storage.dbapi import Connection

_STATEMENTS = (
    "ALTER TABLE turns ADD COLUMN superseded_by INTEGER CHECK (superseded_by >= 1)",
    "ALTER TABLE turns ADD COLUMN superseded_at TEXT",
)


def m0010_turn_superseded(conn: Connection) -> None:
    for statement in _STATEMENTS:
        conn.execute(statement)
