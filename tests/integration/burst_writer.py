"""Child process for the kill -9 test: audited writes as fast as possible, forever.

Reads the database key (hex) from stdin, prints ``ready`` after the first commit.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from desktop.core.clock import SystemClock
from desktop.core.models import Actor, Role
from desktop.core.services.accounts import AccountService
from desktop.security.passwords import Argon2PasswordHasher
from desktop.storage.db import open_database


def main() -> None:
    key = bytes.fromhex(sys.stdin.readline().strip())
    store = open_database(Path(sys.argv[1]), key, clock=SystemClock())
    accounts = AccountService(
        store, Argon2PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1), SystemClock()
    )
    owner = Actor(user_id=1, username="owner", role=Role.OWNER)
    run = sys.argv[2]
    for i in itertools.count():
        accounts.add_user(owner, f"u{run}-{i}", Role.MEMBER, "burst password 1234")
        with store.transaction() as tx:
            tx.audit.append(
                actor="owner",
                action="burst.write",
                obj=f"run:{run}",
                payload={"i": i, "blob": "x" * (i % 977)},
            )
        if i == 0:
            print("ready", flush=True)


if __name__ == "__main__":
    main()
