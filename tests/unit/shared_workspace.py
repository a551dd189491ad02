"""One workspace folder opened by several connections, as the GUI's lanes open it (real
SQLCipher, the fake chat model and hash embedder injected): a writer that ingests on its
own connection and thread beside what a test checks, and a damaged page."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from desktop import app
from desktop.core.models import Actor
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore, MemorySource
from tests.fakes_retrieval import HashEmbedder
from tests.tools import FAST_HASHER


@dataclass(frozen=True)
class SharedWorkspace:
    folder: Path
    key_store: MemoryKeyStore
    clock: FixedClock
    engines: app.Engines
    recovery_key: str

    def open(self) -> app.Workspace:
        """A connection of its own to the workspace."""
        return app.open_workspace(
            self.folder,
            key_store=self.key_store,
            hasher=FAST_HASHER,
            clock=self.clock,
            engines=self.engines,
        )


def owner_of(ws: app.Workspace) -> Actor:
    return ws.accounts.authenticate("owner", PEOPLE_PASSWORD)


def shared_workspace(folder: Path, key_store: MemoryKeyStore, clock: FixedClock) -> SharedWorkspace:
    """A new workspace in ``folder`` (its Owner signs in with PEOPLE_PASSWORD)."""
    engines = app.Engines(
        FakeInspector(), FakeChatModel(), embedder_factory=lambda _: HashEmbedder(64)
    )
    init = app.init_workspace(
        folder, "owner", PEOPLE_PASSWORD, key_store=key_store, hasher=FAST_HASHER, clock=clock
    )
    return SharedWorkspace(folder, key_store, clock, engines, init.recovery_key)


@contextmanager
def ingesting_beside(
    shared: SharedWorkspace, kb_id: int, *, pause: float, before: int
) -> Iterator[list[int]]:
    """While the block runs, another connection on its own thread adds documents to
    ``kb_id``, each with its chunks, embeddings and audit event in one transaction,
    ``pause`` seconds apart (a real embedder works outside the write transaction). The
    block starts once ``before`` documents are in; it gets the running count. A failure
    of the writer fails the test when the block ends."""
    stop, written, failures = threading.Event(), [0], []

    def write() -> None:
        try:
            with shared.open() as writer:
                me = owner_of(writer)
                while not stop.is_set():
                    n = written[0]
                    text = " ".join(
                        f"document {n} sentence {i} about the storehouse." for i in range(300)
                    )
                    source = MemorySource(f"d{n}.txt", text.encode())
                    writer.knowledge.ingest(me, kb_id, [source])
                    written[0] += 1
                    time.sleep(pause)
        except BaseException as exc:  # reported when the block ends
            failures.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    try:
        while written[0] < before and thread.is_alive():
            time.sleep(0.01)
        assert not failures, failures
        yield written
    finally:
        stop.set()
        thread.join()
    assert not failures, failures


def big_document(ws: app.Workspace) -> Path:
    """Ingest a document of some 900 kB into a new kb "docs"; the database file."""
    owner = owner_of(ws)
    kb = ws.knowledge.create(owner, "docs")
    text = " ".join(f"sentence {i} about the storehouse." for i in range(20000))
    ws.knowledge.ingest(owner, kb.id, [MemorySource("big.txt", text.encode())])
    return ws.layout.db


def damage_a_middle_page(db: Path) -> None:
    """Flip one bit in a page in the middle of the (closed) database file: a page of the
    big document's chunks, which opening the workspace does not read."""
    page = db.stat().st_size // 4096 // 2
    with db.open("r+b") as handle:
        handle.seek(page * 4096 + 1000)
        byte = handle.read(1)
        handle.seek(page * 4096 + 1000)
        handle.write(bytes([byte[0] ^ 0x01]))
