"""The database check a log export makes first: beside another connection that writes
(the GUI's ingest lane) it reads one snapshot, not the live file, so a writer's pages half
way into the main file or the full-text index never read as damage; a page that fails
its authentication still refuses the export (real SQLCipher)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.errors import DatabaseCorrupt
from desktop.verifier import bundle_verify
from tests.fakes import FixedClock, MemoryKeyStore
from tests.unit.shared_workspace import (
    big_document,
    damage_a_middle_page,
    ingesting_beside,
    owner_of,
    shared_workspace,
)

EXPORTS = 8


def test_log_export_beside_a_writer_finds_no_false_damage(
    tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock
) -> None:
    shared = shared_workspace(tmp_path / "w", key_store, clock)
    bundles = []
    with shared.open() as ws:
        owner = owner_of(ws)
        kb = ws.knowledge.create(owner, "docs")
        with ingesting_beside(shared, kb.id, pause=0.1, before=2) as written:
            for _ in range(EXPORTS):
                bundles.append(ws.logs.export(owner).data)
    assert written[0] > 2  # the writer really ran beside the exports
    for data in bundles:
        assert bundle_verify.verify_bundle_bytes(data).ok


def test_a_page_that_fails_authentication_refuses_the_export(
    tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock
) -> None:
    shared = shared_workspace(tmp_path / "w", key_store, clock)
    with shared.open() as ws:
        db = big_document(ws)
        assert ws.logs.export(owner_of(ws)).count > 0  # sound: exported
    damage_a_middle_page(db)
    with shared.open() as ws, pytest.raises(DatabaseCorrupt) as caught:
        ws.logs.export(owner_of(ws))
    assert caught.value.code == "logs.export_database_corrupt"
    assert "\n" not in str(caught.value)
