"""Child process for the kill -9 ingestion test: ingests a folder, printing progress.

Reads the database key (hex) from stdin; argv: database path, kb id, folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

from desktop.cli.kb import files_to_add
from desktop.core.clock import SystemClock
from desktop.core.models import Actor, Role
from desktop.core.services.knowledge import KnowledgeService
from desktop.core.services.retrieval import TextTools
from desktop.retrieval.chunking import SentenceChunker
from desktop.retrieval.fusion import reciprocal_rank_fusion
from desktop.retrieval.parsers import FileParser
from desktop.retrieval.query import fulltext_terms
from desktop.retrieval.vector_index import FaissIndexFactory
from desktop.storage.db import open_database
from tests.fakes_retrieval import HashEmbedder


def build(db: Path, key: bytes) -> KnowledgeService:
    store = open_database(db, key, clock=SystemClock())
    return KnowledgeService(
        store,
        FileParser(),
        SentenceChunker(),
        lambda _: HashEmbedder(64),
        FaissIndexFactory(),
        TextTools(fulltext_terms, reciprocal_rank_fusion),
        SystemClock(),
    )


def main() -> None:
    key = bytes.fromhex(sys.stdin.readline().strip())
    knowledge = build(Path(sys.argv[1]), key)
    owner = Actor(user_id=1, username="owner", role=Role.OWNER)

    def progress(done: int, total: int | None, message: str = "") -> None:
        print(f"progress {done}", flush=True)

    knowledge.ingest(owner, int(sys.argv[2]), files_to_add([sys.argv[3]]), progress=progress)
    print("done", flush=True)


if __name__ == "__main__":
    main()
