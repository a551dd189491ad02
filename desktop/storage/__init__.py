"""SQLCipher storage: the open sequence, migrations and repositories (all SQL lives here)."""

from desktop.storage.db import SqlCipherStore, create_database, driver_info, open_database
from desktop.storage.migrations import MIGRATIONS, migrate
from desktop.storage.repo_audit import verify_log
from desktop.storage.repositories import SqlTransaction, transaction

__all__ = [
    "MIGRATIONS",
    "SqlCipherStore",
    "SqlTransaction",
    "create_database",
    "driver_info",
    "migrate",
    "open_database",
    "transaction",
    "verify_log",
]
