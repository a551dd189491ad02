"""The database check a log export makes first: beside another connection that writes
(the GUI's ingest lane) it reads one snapshot, not the live file, so a writer's pages half
way into the main file or the full-text index never read as damage; a page that fails
its authentication still refuses the export (real SQLCipher)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from desktop import app
from desktop.core.errors import DatabaseCorrupt
from desktop.core.models import Actor
from desktop.verifier import bundle_verify
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore, MemorySource
from tests.fakes_retrieval import HashEmbedder
from tests.tools import FAST_HASHER

EXPORTS = 8


def test_log_export_beside_a_writer_finds_no_false_damage(
    tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock
) -> None:
    engines = app.Engines(
        FakeInspector(), FakeChatModel(), embedder_factory=lambda _: HashEmbedder(64)
    )
    app.init_workspace(
        tmp_path / "w",
        "owner",
        PEOPLE_PASSWORD,
        key_store=key_store,
        hasher=FAST_HASHER,
        clock=clock,
    )

    def open_one() -> app.Workspace:
        return app.open_workspace(
            tmp_path / "w", key_store=key_store, hasher=FAST_HASHER, clock=clock, engines=engines
        )

    ws = open_one()
    owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
    kb = ws.knowledge.create(owner, "docs")
    stop, written, failures = threading.Event(), [0], []

    def write() -> None:  # its own connection, on its own thread, as a GUI lane
        try:
            with open_one() as writer:
                me = writer.accounts.authenticate("owner", PEOPLE_PASSWORD)
                _write(writer, me)
        except BaseException as exc:  # reported below
            failures.append(exc)

    def _write(writer: app.Workspace, me: Actor) -> None:
        while not stop.is_set():
            n = written[0]
            text = " ".join(f"document {n} sentence {i} about the storehouse." for i in range(300))
            writer.knowledge.ingest(me, kb.id, [MemorySource(f"d{n}.txt", text.encode())])
            written[0] += 1
            time.sleep(0.1)  # a real embedder works outside the write transaction

    thread = threading.Thread(target=write)
    thread.start()
    bundles = []
    try:
        while written[0] < 2 and thread.is_alive():
            time.sleep(0.01)
        for _ in range(EXPORTS):
            bundles.append(ws.logs.export(owner).data)
    finally:
        stop.set()
        thread.join()
        ws.close()
    assert not failures, failures
    assert written[0] > 2  # the writer really ran beside the exports
    for data in bundles:
        assert bundle_verify.verify_bundle_bytes(data).ok


def test_a_page_that_fails_authentication_refuses_the_export(
    tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock
) -> None:
    engines = app.Engines(
        FakeInspector(), FakeChatModel(), embedder_factory=lambda _: HashEmbedder(64)
    )
    app.init_workspace(
        tmp_path / "w",
        "owner",
        PEOPLE_PASSWORD,
        key_store=key_store,
        hasher=FAST_HASHER,
        clock=clock,
    )

    def open_one() -> app.Workspace:
        return app.open_workspace(
            tmp_path / "w", key_store=key_store, hasher=FAST_HASHER, clock=clock, engines=engines
        )

    with open_one() as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        kb = ws.knowledge.create(owner, "docs")
        text = " ".join(f"sentence {i} about the storehouse." for i in range(20000))
        ws.knowledge.ingest(owner, kb.id, [MemorySource("big.txt", text.encode())])
        assert ws.logs.export(owner).count > 0  # sound: exported
        db = ws.layout.db
    page = db.stat().st_size // 4096 // 2  # a page of the document's chunks
    with db.open("r+b") as handle:
        handle.seek(page * 4096 + 1000)
        byte = handle.read(1)
        handle.seek(page * 4096 + 1000)
        handle.write(bytes([byte[0] ^ 0x01]))
    with open_one() as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        with pytest.raises(DatabaseCorrupt) as caught:
            ws.logs.export(owner)
    assert caught.value.code == "logs.export_database_corrupt"
    assert "\n" not in str(caught.value)
