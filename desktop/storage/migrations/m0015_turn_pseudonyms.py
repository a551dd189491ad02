"""m0015: a turn's pseudonym table (which value each placeholder stands for).

With *pseudonymise before the model* or *minimise logs* on, the values a turn masked are
numbered per type (``〔人名1〕``, ``<PERSON_1>``); the table is kept beside the turn, in
the encrypted database, so later turns of the conversation number the same values the
same way. It never goes into a prompt, a trace or the audit log. Deleting the turn (or
its conversation) deletes it.
"""

from __future__ import annotations

from desktop.storage.dbapi import Connection


def m0015_turn_pseudonyms(conn: Connection) -> None:
    conn.execute(
        "CREATE TABLE turn_pseudonyms ("
        " turn_id INTEGER PRIMARY KEY REFERENCES turns(id) ON DELETE CASCADE,"
        " conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
        " mapping TEXT NOT NULL) STRICT"
    )
    conn.execute(
        "CREATE INDEX turn_pseudonyms_by_conversation ON turn_pseudonyms(conversation_id, turn_id)"
    )
