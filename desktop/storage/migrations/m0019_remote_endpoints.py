"""m0019: remote OpenAI-compatible models.

``models.endpoint``: NULL for a GGUF file; for a model served by an internal inference
server, a JSON object with its base URL, model id, kind (chat or embedding), how TLS is
verified (a CA in PEM or the certificate's SHA-256), the (ip, port) pairs pinned at
registration and the keyring item's suffix of its API key (the key itself is only in
the OS keyring). Such a row's ``path`` is the base URL, its ``sha256`` identifies the
registration, ``size`` and ``mtime_ns`` are 0.
"""

from __future__ import annotations

from desktop.storage.dbapi import Connection


def m0019_remote_endpoints(conn: Connection) -> None:
    conn.execute(
        "ALTER TABLE models ADD COLUMN endpoint TEXT"
        " CHECK (endpoint IS NULL OR json_type(endpoint) = 'object')"
    )
