"""m0016: the keys of pseudonymised log bundles.

``bundle_keys``: for each bundle exported with ``--pseudonymise``, the random 32-byte key
its pseudonyms were made with, beside the seq of the ``logs.exported`` event that
recorded the export. The key never goes into an audit payload or a bundle; it lives only
here, in the encrypted database, so the Owner can later disclose one value's opening
(``kura logs prove``). The bundle is named by the SHA-256 of its checkpoint.json.
"""

from __future__ import annotations

from desktop.storage.dbapi import Connection

_STATEMENTS = (
    """
    CREATE TABLE bundle_keys (
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        checkpoint_sha256 TEXT NOT NULL UNIQUE,
        export_seq        INTEGER NOT NULL,
        secret            BLOB NOT NULL,
        created_at        TEXT NOT NULL
    ) STRICT
    """,
)


def m0016_bundle_keys(conn: Connection) -> None:
    for statement in _STATEMENTS:
        conn.execute(statement)
