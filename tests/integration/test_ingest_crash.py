"""kill -9 during ingestion of a folder, then the same ingestion again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.core.knowledge_models import KbVisibility
from desktop.core.services.accounts import AccountService
from desktop.security.passwords import Argon2PasswordHasher
from desktop.storage.db import create_database
from tests.fakes import FixedClock
from tests.integration.ingest_worker import build

REPO = Path(__file__).resolve().parents[2]
FILES = 24


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(FILES):
        body = "".join(f"文書{i}の第{j}文です。Sentence {j} of document {i}.\n" for j in range(60))
        (folder / f"doc{i:02}.txt").write_text(body, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_kill_9_mid_ingestion_then_rerun_leaves_each_document_once(tmp_path: Path) -> None:
    key = os.urandom(32)
    db = tmp_path / "kura.db"
    store = create_database(db, key, clock=FixedClock())
    hasher = Argon2PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    AccountService(store, hasher, FixedClock()).bootstrap_owner(
        "owner", "a long passphrase!", workspace_id="w"
    )
    store.close()
    folder = _folder(tmp_path)
    from desktop.core.models import Actor, Role

    owner = Actor(user_id=1, username="owner", role=Role.OWNER)
    knowledge = build(db, key)
    kb = knowledge.create(owner, "docs", visibility=KbVisibility.ALL)
    knowledge._store.close()  # type: ignore[attr-defined]

    child = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.ingest_worker", str(db), str(kb.id), str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=REPO,
        text=True,
    )
    assert child.stdin and child.stdout
    child.stdin.write(key.hex() + "\n")
    child.stdin.close()
    for line in child.stdout:
        if line.startswith("progress") and int(line.split()[1]) >= FILES - 4:
            break
    child.send_signal(signal.SIGKILL)
    child.wait()

    knowledge = build(db, key)
    store = knowledge._store  # type: ignore[attr-defined]
    try:
        with store.transaction() as tx:
            before = len(tx.knowledge.list_documents(kb.id))
        assert 0 < before < FILES, "the kill should land mid-ingestion"
        from desktop.cli.kb import files_to_add

        report = knowledge.ingest(owner, kb.id, files_to_add([str(folder)]))
        assert len(report.unchanged) == before and len(report.added) == FILES - before
        with store.transaction() as tx:
            docs = tx.knowledge.list_documents(kb.id)
            stamp = tx.knowledge.active_stamp(kb.id)
            active = sum(1 for _ in tx.knowledge.active_embeddings(kb.id))
        assert sorted(d.name for d in docs) == sorted(f"doc{i:02}.txt" for i in range(FILES))
        assert all(d.version == 1 for d in docs)
        assert active == sum(d.chunks for d in docs)
        assert store.integrity_check() == []
        index = knowledge._indexes.get(kb.id, 64)  # type: ignore[attr-defined]
        assert index.count() == active and stamp
        conn = store._conn  # the FTS5 index agrees with the chunks table
        conn.execute("INSERT INTO chunk_fts(chunk_fts) VALUES ('integrity-check')")
        assert store.verify_audit().ok
    finally:
        store.close()
