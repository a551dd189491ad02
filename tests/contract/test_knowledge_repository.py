"""The KnowledgeRepository port's contract: kbs, versions, chunks, FTS5, embeddings, index.

``KnowledgeContract`` runs on the SQLCipher store and on the same repository code over a
plain stdlib ``sqlite3`` connection (skipped there when its SQLite lacks FTS5 trigram).
A second, raw connection to the same file checks what the tables hold. The end of the
file covers upgrading an m0002 database and what deleting a document leaves on disk.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from desktop.core.errors import NotFound
from desktop.core.knowledge_models import (
    Chunk,
    DocumentVersion,
    KbSettings,
    KbVisibility,
    KnowledgeBase,
    RetrievalMode,
    StoredChunk,
)
from desktop.core.ports import Transaction
from desktop.storage import create_database, migrate, open_database
from desktop.storage import repo_knowledge_pages as pages
from desktop.storage import repo_knowledge_search as search
from desktop.storage.migrations import MIGRATIONS
from desktop.storage.migrations.m0001_initial import m0001_initial
from desktop.storage.migrations.m0002_models_apps_conversations import (
    m0002_models_apps_conversations,
)
from tests.contract.test_chat_repositories import (
    INFO,
    ChatRepositoriesContract,
    PlainSecureStore,
    config,
    decrypted_pages,
)
from tests.fakes import FixedClock

KEY = bytes(range(32))
SHA = "cd" * 32
CANARY = "カナリア-kb-canary-51e0d2"

#: Tables emptied by deleting every knowledge base.
KB_TABLES = ("knowledge_bases", "documents", "document_versions", "chunks", "embeddings")


def at(minute: int) -> str:
    return f"2026-01-02T03:{minute:02d}:00.000000Z"


def trigram_in_stdlib() -> bool:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'trigram')")
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return True


def kb_record(name: str = "社内規程", **changes: Any) -> KnowledgeBase:
    base = KnowledgeBase(
        id=0,
        name=name,
        description="規程と手順 / policies",
        visibility=KbVisibility.PARTIAL,
        members=("alice", "さくら"),
        app_allowlist=(3, 1),
        settings=KbSettings(chunk_size=400, chunk_overlap=40, mode=RetrievalMode.FULLTEXT),
        created_by="admin",
        created_at=at(1),
        updated_at=at(1),
    )
    return base.with_changes(**changes)


def vector(n: int) -> bytes:
    """Distinct float32-sized bytes per chunk (zeros included, to catch truncation)."""
    return bytes([n % 256, 0, 0, 0]) * 96 + bytes([0, 0x80, n // 256 % 256, 0])


def chunked(*texts: str) -> list[Chunk]:
    """One chunk per text, with spans as if the texts were joined."""
    chunks, pos = [], 0
    for i, text in enumerate(texts):
        chunks.append(Chunk(index=i, start=pos, end=pos + len(text), text=text, heading=f"h{i}"))
        pos += len(text)
    return chunks


class _Counting:
    """A connection that notes every statement it runs."""

    def __init__(self, conn: Any, seen: list[str]) -> None:
        self._conn, self._seen = conn, seen

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Any:
        self._seen.append(sql)
        return self._conn.execute(sql, parameters)


class KnowledgeContract:
    """Inherit and provide ``store`` and ``raw`` (a second connection to the same file)."""

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[Any]:
        raise NotImplementedError

    @pytest.fixture
    def raw(self, store: Any, tmp_path: Path) -> Iterator[Any]:
        raise NotImplementedError

    # -------------------------------------------------------------- helpers

    @staticmethod
    def add(
        tx: Transaction, kb_id: int, name: str, *texts: str, minute: int = 10, sha: str = SHA
    ) -> tuple[DocumentVersion, list[int], list[int]]:
        chunks = chunked(*texts)
        return tx.knowledge.add_version(
            kb_id=kb_id,
            name=name,
            sha256=sha,
            size=sum(len(t.encode()) for t in texts),
            kind="txt",
            original="".join(texts).encode("shift_jis", errors="replace"),
            text="".join(texts),
            meta={"encoding": "shift_jis", "ページ": 1},
            chunks=chunks,
            vectors=[vector(minute * 100 + c.index) for c in chunks],
            added_by="ed",
            now=at(minute),
        )

    @staticmethod
    def ids(tx: Transaction, kb_id: int, phrases: Sequence[str], short: Sequence[str] = ()) -> Any:
        return [cid for cid, _ in tx.knowledge.fulltext(kb_id, phrases, short, 50)]

    @staticmethod
    def count(raw: Any, table: str) -> int:
        return int(raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    # -------------------------------------------------------------- knowledge bases

    def test_create_get_and_list_round_trip(self, store: Any) -> None:
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record(id=99))
            assert tx.knowledge.get_kb(kb.id) == kb
            assert tx.knowledge.kbs_named("社内規程") == [kb]
            assert tx.knowledge.list_kbs() == [kb]
            assert tx.knowledge.get_kb(kb.id + 1) is None
            assert tx.knowledge.kbs_named("nothing") == []
        assert kb == kb_record(id=kb.id) and kb.id != 99

    def test_kb_names_may_repeat_and_are_found_ignoring_case(self, store: Any) -> None:
        # who may reuse a name is the services' rule (per creator, as far as they see)
        with store.transaction() as tx:
            first = tx.knowledge.create_kb(kb_record("Policies"))
            other = tx.knowledge.create_kb(kb_record("Other"))
            again = tx.knowledge.create_kb(kb_record("POLICIES"))
            assert again.name == "POLICIES" and tx.knowledge.get_kb(again.id) == again
            tx.knowledge.update_kb(other.with_changes(name="policies"))
            renamed = other.with_changes(name="policies")
            assert tx.knowledge.get_kb(other.id) == renamed
            assert tx.knowledge.kbs_named("Policies") == [first, renamed, again]
            assert tx.knowledge.kbs_named("Polic") == []
            tx.knowledge.update_kb(first.with_changes(description="kept name"))
            assert tx.knowledge.get_kb(first.id) == first.with_changes(description="kept name")
            listed = [kb.id for kb in tx.knowledge.list_kbs()]
            assert listed == [first.id, other.id, again.id]  # by name (all alike), then id

    def test_word_index_finds_another_spelling_and_forgets_deleted_chunks(
        self, store: Any, raw: Any
    ) -> None:
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            self.add(tx, kb.id, "a.txt", "付属書の引っ越し手順。", "無関係な段落。")
            # asked as 附属 / 引越し: no substring meets the text, the normalised words do
            words = [("付属", 1.0), ("引っ越し", 1.0)]
            found = tx.knowledge.fulltext(kb.id, ["附属書"], ["附属"], 10, words=words)
            assert [cid for cid, _ in found][:1] and found[0][1] == 1.0
            first = found[0][0]
            assert "付属" in tx.knowledge.chunks([first])[0].text
            tx.knowledge.delete_document(kb.id, "a.txt")
        assert self.count(raw, "chunk_words") == 0

    def test_update_kb_changes_everything_but_its_origin(self, store: Any) -> None:
        settings = KbSettings(top_k=9, score_threshold=0.25, reranker="/models/ce")
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            changed = kb.with_changes(
                name="Renamed",
                description="",
                visibility=KbVisibility.ONLY_ME,
                members=(),
                app_allowlist=(7,),
                settings=settings,
                created_by="someone else",
                updated_at=at(30),
            )
            tx.knowledge.update_kb(changed)
            assert tx.knowledge.get_kb(kb.id) == changed.with_changes(created_by="admin")
            tx.knowledge.update_kb(changed.with_changes(name="RENAMED"))  # own name, new case
            with pytest.raises(NotFound):
                tx.knowledge.update_kb(changed.with_changes(id=kb.id + 50))

    def test_delete_kb(self, store: Any) -> None:
        with store.transaction() as tx:
            gone = tx.knowledge.create_kb(kb_record("Gone"))
            kept = tx.knowledge.create_kb(kb_record("Kept"))
            tx.knowledge.delete_kb(gone.id)
            assert tx.knowledge.list_kbs() == [kept]
            with pytest.raises(NotFound):
                tx.knowledge.delete_kb(gone.id)
            assert tx.knowledge.create_kb(kb_record("Gone")).id > kept.id  # ids never reused

    # -------------------------------------------------------------- versions

    def test_add_version_twice_makes_the_second_active(self, store: Any) -> None:
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            v1, ids1, old1 = self.add(tx, kb.id, "規程.txt", "第一版の本文です。", "二つ目。")
            v2, ids2, old2 = self.add(tx, kb.id, "規程.txt", "第二版の本文です。", minute=20)
            versions = tx.knowledge.versions(kb.id, "規程.txt")
            listed = tx.knowledge.list_documents(kb.id)
        assert (v1.version, v1.chunks, v1.active, old1) == (1, 2, True, [])
        assert (v2.version, v2.chunks, v2.active, old2) == (2, 1, True, ids1)
        assert len(ids1) == 2 and len(ids2) == 1 and ids2[0] > max(ids1)
        assert [(v.version, v.active) for v in versions] == [(1, False), (2, True)]
        assert listed == [v2]
        assert (v2.kb_id, v2.name, v2.sha256, v2.kind, v2.added_by, v2.added_at) == (
            kb.id,
            "規程.txt",
            SHA,
            "txt",
            "ed",
            at(20),
        )
        assert v2.size == len("第二版の本文です。".encode()) and v1.document_id == v2.document_id

    def test_chunks_come_back_in_the_order_asked(self, store: Any) -> None:
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            _, ids, _ = self.add(tx, kb.id, "a.md", "alpha text", "ベータ", "gamma")
            got = tx.knowledge.chunks([ids[2], 99_999, ids[0]])
            assert tx.knowledge.chunks([]) == []
        assert got == [
            StoredChunk(ids[2], kb.id, "a.md", 1, 2, 13, 18, "gamma", "h2"),
            StoredChunk(ids[0], kb.id, "a.md", 1, 0, 0, 10, "alpha text", "h0"),
        ]

    def test_chunks_of_versions_come_in_version_then_chunk_order_across_pages(
        self, store: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(pages, "PAGE", 2)  # 7 chunks: 4 pages, one split mid-version
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            old, _, _ = self.add(tx, kb.id, "a.md", "a0", "a1", "a2")
            new, _, _ = self.add(tx, kb.id, "a.md", "A0", minute=20)  # v1 inactive now
            other, _, _ = self.add(tx, kb.id, "b.md", "b0", "b1", "b2")
            queries: list[str] = []
            tx_conn = tx.knowledge._conn  # count the statements the read runs
            monkeypatch.setattr(tx.knowledge, "_conn", _Counting(tx_conn, queries))
            got = list(tx.knowledge.chunks_of_versions([other.id, 99_999, old.id, new.id]))
            assert list(tx.knowledge.chunks_of_versions([])) == []
        assert [(c.document, c.version, c.index, c.text) for c in got] == [
            ("b.md", 1, 0, "b0"),
            ("b.md", 1, 1, "b1"),
            ("b.md", 1, 2, "b2"),
            ("a.md", 1, 0, "a0"),
            ("a.md", 1, 1, "a1"),
            ("a.md", 1, 2, "a2"),
            ("a.md", 2, 0, "A0"),
        ]
        assert got[0].heading == "h0" and got[0].kb_id == kb.id
        assert len(queries) == 1 + 4  # the versions' sizes, then one query per page

    def test_documents_are_listed_by_name_per_kb(self, store: Any) -> None:
        with store.transaction() as tx:
            kb, other = (tx.knowledge.create_kb(kb_record(n)) for n in ("One", "Two"))
            for name in ("b.txt", "a.txt", "c.txt"):
                self.add(tx, kb.id, name, f"text of {name}")
            self.add(tx, other.id, "a.txt", "elsewhere")
            names = [d.name for d in tx.knowledge.list_documents(kb.id)]
            assert tx.knowledge.versions(kb.id, "missing.txt") == []
        assert names == ["a.txt", "b.txt", "c.txt"]

    def test_find_version_by_content_hash(self, store: Any) -> None:
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            v1, _, _ = self.add(tx, kb.id, "a.txt", "one", sha="1" * 64)
            self.add(tx, kb.id, "a.txt", "two", sha="2" * 64, minute=11)
            v3, _, _ = self.add(tx, kb.id, "a.txt", "one again", sha="1" * 64, minute=12)
            assert tx.knowledge.find_version(kb.id, "a.txt", "1" * 64) == v3
            tx.knowledge.set_active(kb.id, "a.txt", 1)
            found = tx.knowledge.find_version(kb.id, "a.txt", "1" * 64)
            assert tx.knowledge.find_version(kb.id, "a.txt", "3" * 64) is None
            assert tx.knowledge.find_version(kb.id, "b.txt", "1" * 64) is None
        assert found is not None and (found.id, found.active) == (v1.id, True)

    def test_add_version_refuses_bad_input(self, store: Any) -> None:
        with store.transaction() as tx:
            with pytest.raises(NotFound):
                self.add(tx, 999, "a.txt", "text")
            kb = tx.knowledge.create_kb(kb_record())
            with pytest.raises(ValueError, match="2 chunks but 1 vectors"):
                tx.knowledge.add_version(
                    kb_id=kb.id,
                    name="a.txt",
                    sha256=SHA,
                    size=1,
                    kind="txt",
                    original=b"x",
                    text="x",
                    meta={},
                    chunks=chunked("a", "b"),
                    vectors=[vector(1)],
                    added_by="ed",
                    now=at(3),
                )
            assert tx.knowledge.list_documents(kb.id) == []

    def test_rollback_and_forward_again(self, store: Any) -> None:
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            _, ids1, _ = self.add(tx, kb.id, "規程.txt", "旧規程では有給休暇は十日。")
            _, ids2, _ = self.add(tx, kb.id, "規程.txt", "新規程では有給休暇は二十日。", minute=20)
            assert self.ids(tx, kb.id, ["二十日"]) == ids2
            assert tx.knowledge.set_active(kb.id, "規程.txt", 1) == (ids1, ids2)
            assert self.ids(tx, kb.id, ["十日"]) == ids1
            assert self.ids(tx, kb.id, ["二十日"]) == []
            assert tx.knowledge.set_active(kb.id, "規程.txt", 1) == ([], [])  # already active
            assert [d.version for d in tx.knowledge.list_documents(kb.id)] == [1]
            assert tx.knowledge.set_active(kb.id, "規程.txt", 2) == (ids2, ids1)
            for name, version in (("規程.txt", 3), ("missing.txt", 1)):
                with pytest.raises(NotFound):
                    tx.knowledge.set_active(kb.id, name, version)

    def test_delete_document(self, store: Any, raw: Any) -> None:
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            self.add(tx, kb.id, "gone.txt", "first version text")
            _, active, _ = self.add(tx, kb.id, "gone.txt", "second version", "more", minute=11)
            _, kept, _ = self.add(tx, kb.id, "kept.txt", "kept version text")
            assert tx.knowledge.delete_document(kb.id, "gone.txt") == active
            assert [d.name for d in tx.knowledge.list_documents(kb.id)] == ["kept.txt"]
            assert tx.knowledge.versions(kb.id, "gone.txt") == []
            assert tx.knowledge.chunks(active) == []
            assert self.ids(tx, kb.id, ["version"]) == kept
            with pytest.raises(NotFound):
                tx.knowledge.delete_document(kb.id, "gone.txt")
            self.add(tx, kb.id, "gone.txt", "back again")
            assert [v.version for v in tx.knowledge.versions(kb.id, "gone.txt")] == [1]
        assert self.count(raw, "chunks") == self.count(raw, "embeddings") == 2
        assert self.count(raw, "document_versions") == 2
        raw.execute("INSERT INTO chunk_fts (chunk_fts) VALUES ('integrity-check')")

    # -------------------------------------------------------------- full-text search

    def test_japanese_phrases_with_the_trigram_tokenizer(self, store: Any) -> None:
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            _, ids, _ = self.add(
                tx,
                kb.id,
                "手順.md",
                "退職時の手続きについて説明します。",
                "有給休暇の申請は三日前までに行います。",
                "Employees file expense reports monthly.",
            )
            assert self.ids(tx, kb.id, ["有給休暇"]) == [ids[1]]
            assert self.ids(tx, kb.id, ["手続き", "EXPENSE report"]) == sorted([ids[0], ids[2]])
            assert self.ids(tx, kb.id, ["存在しない語句"]) == []
            assert self.ids(tx, kb.id, ['say "hi"']) == []  # quotes are escaped, not syntax
            assert tx.knowledge.fulltext(kb.id, [], [], 10) == []
            assert tx.knowledge.fulltext(kb.id, ["有給休暇"], [], 0) == []

    def test_ranking_is_best_first_and_scores_are_between_0_and_1(self, store: Any) -> None:
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            _, ids, _ = self.add(
                tx,
                kb.id,
                "r.txt",
                "契約 " + "その他の文章。" * 20,
                "契約の解除。契約の更新。契約の締結。",
                "契約について。" + "関係のない文章。" * 5,
            )
            ranked = tx.knowledge.fulltext(kb.id, ["契約"], [], 10)  # 2 chars: a short term
            scored = tx.knowledge.fulltext(kb.id, ["契約の"], [], 10)
            limited = tx.knowledge.fulltext(kb.id, ["契約の"], [], 1)
        assert {cid for cid, _ in ranked} == set(ids)
        assert next(cid for cid, _ in scored) == ids[1]
        assert scored[0][1] == 1.0 and all(0 < s <= 1 for _, s in scored)
        assert [s for _, s in scored] == sorted((s for _, s in scored), reverse=True)
        assert limited == scored[:1]

    def test_short_terms_match_substrings_anywhere(self, store: Any) -> None:
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            _, ids, _ = self.add(
                tx,
                kb.id,
                "s.txt",
                "AIで契約書を要約",  # "AI" first, "約" last
                "生成ai",  # at the very end, other case
                "社",  # a one-character chunk
                "nothing here",
            )
            # the shorter chunk first: BM25 normalises term counts by length
            assert self.ids(tx, kb.id, [], ["AI"]) == [ids[1], ids[0]]
            assert self.ids(tx, kb.id, [], ["約"]) == ids[:1]
            assert self.ids(tx, kb.id, [], ["社"]) == [ids[2]]
            assert self.ids(tx, kb.id, [], ["ai", "約"]) == ids[:2]  # both terms first
            scores = tx.knowledge.fulltext(kb.id, [], ["ai", "約", "x"], 10)
            assert [cid for cid, _ in scores] == ids[:2]  # "x" is nowhere: ignored
            assert scores[0][1] == 1.0 and 0 < scores[1][1] < 1
            assert self.ids(tx, kb.id, [], ["ng"]) == [ids[3]]
            assert self.ids(tx, kb.id, [], ["  "]) == []

    def test_phrases_and_short_terms_merge_without_duplicates(self, store: Any) -> None:
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            _, ids, _ = self.add(tx, kb.id, "m.txt", "権限ロールの設定", "権限の確認", "設定画面")
            merged = tx.knowledge.fulltext(kb.id, ["ロール"], ["権限"], 10)
            top = tx.knowledge.fulltext(kb.id, ["ロール"], ["権限"], 1)
        assert [cid for cid, _ in merged] == ids[:2]  # both terms, then one
        assert merged[0][1] == 1.0 and 0 < merged[1][1] < 1
        assert top == merged[:1]

    def test_common_terms_follow_the_rare_ones(
        self, store: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(search, "COMMON", 2)  # a term in 3+ chunks is common
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            texts = ["the cat sat", "the dog ran", "the retention period", "the end", "x"]
            _, ids, _ = self.add(tx, kb.id, "s.txt", *texts)
            both = tx.knowledge.fulltext(kb.id, ["the", "retention"], [], 10)
            # the rare term's chunk first; the common term's matches join the pool
            assert both[0] == (ids[2], 1.0)
            assert sorted(cid for cid, _ in both) == ids[:4]
            assert all(0 < score < 0.5 for _, score in both[1:])
            assert tx.knowledge.fulltext(kb.id, ["the", "retention"], [], 1) == both[:1]
            alone = tx.knowledge.fulltext(kb.id, ["the"], [], 10)
            assert sorted(cid for cid, _ in alone) == ids[:4]
            assert alone[0] == (ids[3], 1.0)  # "the end": the shortest holder of "the"
            ranked = tx.knowledge.fulltext(kb.id, ["the", "cat"], ["ω", "en"], 10)
            # "cat" (a phrase) and "en" (retention, end) are rare; "ω" is nowhere:
            # ignored; the chunk holding only the common "the" comes last
            assert {cid for cid, _ in ranked[:3]} == {ids[0], ids[2], ids[3]}
            assert ranked[3][0] == ids[1] and ranked[3][1] < ranked[2][1]

    def test_common_terms_stay_in_scope(self, store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(search, "COMMON", 1)
        with store.transaction() as tx:
            kb, other = (tx.knowledge.create_kb(kb_record(n)) for n in ("One", "Two"))
            self.add(tx, kb.id, "a.txt", "old common words", "more common")
            _, new, _ = self.add(tx, kb.id, "a.txt", "new common words", minute=11)
            self.add(tx, other.id, "b.txt", "common elsewhere", "common again")
            assert self.ids(tx, kb.id, ["common"]) == new
            assert self.ids(tx, kb.id, ["common", "words"], ["on"]) == new

    def test_a_short_term_with_many_followers_is_read_from_the_kbs_text(
        self, store: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(search, "MAX_VARIANTS", 2)
        with store.transaction() as tx:
            kb, other = (tx.knowledge.create_kb(kb_record(n)) for n in ("One", "Two"))
            _, ids, _ = self.add(tx, kb.id, "v.txt", "税金", "税率", "消費税", "nothing")
            self.add(tx, other.id, "w.txt", "税関", "税務")
            # every holder in this kb, whatever the other kb adds to the index
            assert sorted(self.ids(tx, kb.id, [], ["税"])) == ids[:3]
            assert self.ids(tx, kb.id, [], ["税率"]) == [ids[1]]

    def test_a_short_term_with_many_followers_is_read_from_a_bounded_sample(
        self, store: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Past SCAN chunks the count is estimated from the share read, and only the
        holders read are candidates: the cost no longer grows with the kb."""
        monkeypatch.setattr(search, "MAX_VARIANTS", 2)
        monkeypatch.setattr(search, "SCAN", 4)
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            texts = ["税金", "無関係", "税率", "無関係", "税関", *(["無関係"] * 7)]
            _, ids, _ = self.add(tx, kb.id, "v.txt", *texts)
            conn = tx.knowledge._conn
            term = search.short_term(conn, kb.id, "税")
            assert term is not None and term.found == (ids[0], ids[2])
            assert term.occurrences == 6  # 2 of the 4 read, of 12 chunks
            monkeypatch.setattr(search, "SCAN", 100)
            whole = search.short_term(conn, kb.id, "税")
            assert whole is not None and whole.found == (ids[0], ids[2], ids[4])
            assert whole.occurrences == 3

    def test_a_common_word_is_taken_from_the_kbs_statistics_not_the_trigrams(
        self, store: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A term that the kb's statistics show is a word in more than COMMON chunks is
        common without reading the trigram index (whose lists for it are long)."""
        monkeypatch.setattr(search, "COMMON", 2)
        with store.transaction() as tx:
            kb, other = (tx.knowledge.create_kb(kb_record(n)) for n in ("One", "Two"))
            texts = ["監査の記録", "監査の結果と鍵", "年次監査", "無関係な文"]
            _, ids, _ = self.add(tx, kb.id, "a.txt", *texts)
            self.add(tx, other.id, "b.txt", "監査", "監査", "監査")
            expected = tx.knowledge.fulltext(kb.id, [], ["監査", "鍵"], 10)

            def unread(*_: Any) -> None:
                raise AssertionError("the trigram index was read for a common word")

            monkeypatch.setattr(search, "short_term", unread)
            conn = tx.knowledge._conn
            ranked = search.fulltext(conn, kb.id, [], ["監査"], 10)
            assert sorted(cid for cid, _ in ranked) == ids[:3]
            with pytest.raises(AssertionError):
                search.fulltext(conn, kb.id, [], ["監査", "鍵"], 10)  # 鍵 is rare
            assert expected[0][0] == ids[1]  # the chunk holding both terms first

    def test_a_short_term_that_is_no_word_is_sampled_in_a_big_kb(
        self, store: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """In a kb of more than SCAN chunks, a short term that is none of its words is
        read from the bounded sample, never from the trigram vocabulary (whose scan
        reads the whole list of every trigram the term begins); a word is still exact."""
        monkeypatch.setattr(search, "SCAN", 4)
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            texts = ["障産の記録", "無関係", "障産と鍵", *(["無関係な文"] * 5), "障産", "鍵の保管"]
            _, ids, _ = self.add(tx, kb.id, "a.txt", *texts)
            conn = tx.knowledge._conn
            exact = search.fulltext(conn, kb.id, [], ["鍵"], 10)  # 鍵 is a word: exact

            def unread(*_: Any) -> None:
                raise AssertionError("the trigram vocabulary was read")

            monkeypatch.setattr(search, "short_term", unread)
            sampled = search.fulltext(conn, kb.id, [], ["障産"], 10)
            # the holders among the first SCAN chunks only, its count estimated
            assert sorted(cid for cid, _ in sampled) == [ids[0], ids[2]]
            with pytest.raises(AssertionError):
                search.fulltext(conn, kb.id, [], ["鍵"], 10)
            assert sorted(cid for cid, _ in exact) == [ids[2], ids[9]]

    def test_only_active_versions_of_this_kb_are_found(self, store: Any) -> None:
        with store.transaction() as tx:
            kb, other = (tx.knowledge.create_kb(kb_record(n)) for n in ("One", "Two"))
            self.add(tx, kb.id, "a.txt", "古い版の秘密の語句 X1")
            _, new, _ = self.add(tx, kb.id, "a.txt", "新しい版の語句 X1", minute=11)
            self.add(tx, other.id, "a.txt", "別の知識ベースの語句 X1")
            assert self.ids(tx, kb.id, ["語句"], ["X1"]) == new
            assert self.ids(tx, kb.id, ["秘密"]) == []
            assert len(self.ids(tx, other.id, ["語句"])) == 1
            assert self.ids(tx, 999, ["語句"], ["X"]) == []

    def test_full_width_and_half_width_forms_meet(self, store: Any) -> None:
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            _, ids, _ = self.add(
                tx, kb.id, "w.txt", "２０２４年のＰＤＦ版。", "操作ﾛｸﾞの保存期間。", "plain"
            )
            assert self.ids(tx, kb.id, ["2024年", "pdf"]) == ids[:1]  # queries come as NFKC
            assert self.ids(tx, kb.id, ["操作ログ"]) == ids[1:2]
            assert self.ids(tx, kb.id, [], ["ロ"]) == ids[1:2]
            (text,) = tx.knowledge.chunks(ids[:1])
            assert text.text == "２０２４年のＰＤＦ版。"  # the stored text is the original

    # -------------------------------------------------------------- embeddings and stamps

    def test_embeddings_round_trip_and_cover_exactly_the_active_chunks(self, store: Any) -> None:
        with store.transaction() as tx:
            kb, other = (tx.knowledge.create_kb(kb_record(n)) for n in ("One", "Two"))
            _, old, _ = self.add(tx, kb.id, "a.txt", "v1 a", "v1 b", minute=1)
            _, new, _ = self.add(tx, kb.id, "a.txt", "v2 a", minute=2)
            _, b_ids, _ = self.add(tx, kb.id, "b.txt", "b a", "b b", minute=3)
            self.add(tx, other.id, "a.txt", "elsewhere", minute=4)
            stored = tx.knowledge.embeddings([old[1], 12_345, new[0]])
            active = dict(tx.knowledge.active_embeddings(kb.id))
            assert tx.knowledge.embeddings([]) == []
        assert stored == [(old[1], vector(101)), (new[0], vector(200))]
        assert active == {new[0]: vector(200), b_ids[0]: vector(300), b_ids[1]: vector(301)}

    def test_active_stamp_follows_the_active_set(self, store: Any) -> None:
        with store.transaction() as tx:
            kb, other = (tx.knowledge.create_kb(kb_record(n)) for n in ("One", "Two"))
            stamps = [tx.knowledge.active_stamp(kb.id)]
            self.add(tx, kb.id, "a.txt", "one")
            stamps.append(tx.knowledge.active_stamp(kb.id))
            self.add(tx, kb.id, "a.txt", "two")
            stamps.append(tx.knowledge.active_stamp(kb.id))
            tx.knowledge.set_active(kb.id, "a.txt", 1)
            stamps.append(tx.knowledge.active_stamp(kb.id))
            self.add(tx, other.id, "b.txt", "elsewhere")
            assert tx.knowledge.active_stamp(kb.id) == stamps[-1]
            self.add(tx, kb.id, "b.txt", "three")
            stamps.append(tx.knowledge.active_stamp(kb.id))
            tx.knowledge.delete_document(kb.id, "b.txt")
            back = tx.knowledge.active_stamp(kb.id)
            tx.knowledge.delete_document(kb.id, "a.txt")
            stamps.append(tx.knowledge.active_stamp(kb.id))
        empty, v1, v2, rolled_back, with_b, emptied = stamps
        assert len({empty, v1, v2, with_b}) == 4, stamps
        assert rolled_back == v1 and back == v1  # the same set of chunks again
        assert emptied == empty

    def test_the_vector_index_is_saved_as_a_blob(self, store: Any) -> None:
        blob = bytes(range(256)) * 4 + b"\x00"
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            assert tx.knowledge.load_index(kb.id) is None
            tx.knowledge.save_index(kb.id, blob, "1:2:3")
            assert tx.knowledge.load_index(kb.id) == (blob, "1:2:3")
            tx.knowledge.save_index(kb.id, b"newer", "4:5:6")
            assert tx.knowledge.load_index(kb.id) == (b"newer", "4:5:6")

    # -------------------------------------------------------------- integrity

    def test_deleting_a_kb_cascades_to_everything(self, store: Any, raw: Any) -> None:
        with store.transaction() as tx:
            gone, kept = (tx.knowledge.create_kb(kb_record(n)) for n in ("Gone", "Kept"))
            self.add(tx, gone.id, "a.txt", "消える文章その一", "その二")
            self.add(tx, gone.id, "a.txt", "消える文章の第二版")
            tx.knowledge.save_index(gone.id, b"index", "s")
            _, kept_ids, _ = self.add(tx, kept.id, "k.txt", "残る文章")
        assert self.count(raw, "chunk_fts_terms") > 0
        with store.transaction() as tx:
            tx.knowledge.delete_kb(gone.id)
            assert self.ids(tx, kept.id, ["文章"]) == kept_ids
        assert [self.count(raw, t) for t in KB_TABLES] == [1, 1, 1, 1, 1]
        assert self.count(raw, "kb_index") == 0
        raw.execute("INSERT INTO chunk_fts (chunk_fts) VALUES ('integrity-check')")
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        with store.transaction() as tx:
            tx.knowledge.delete_kb(kept.id)
        assert [self.count(raw, t) for t in (*KB_TABLES, "chunk_fts_terms")] == [0] * 6

    def test_chunks_and_versions_are_immutable(self, store: Any, raw: Any) -> None:
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            _, ids, _ = self.add(tx, kb.id, "a.txt", "original text")
        for sql in (
            "UPDATE chunks SET text = 'changed'",
            "UPDATE chunks SET heading = 'changed'",
            "UPDATE document_versions SET text = 'changed'",
        ):
            with pytest.raises(Exception, match=r"immutable|append-only"):
                raw.execute(sql)
        with pytest.raises(Exception, match="own versions"):
            raw.execute("UPDATE documents SET active_version_id = 12345")
        with store.transaction() as tx:
            assert self.ids(tx, kb.id, ["original"]) == ids

    def test_rollback_of_the_transaction_discards_everything(self, store: Any, raw: Any) -> None:
        with pytest.raises(KeyError), store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            self.add(tx, kb.id, "a.txt", "never stored")
            raise KeyError("undo")
        assert [self.count(raw, t) for t in (*KB_TABLES, "chunk_fts_terms")] == [0] * 6


class TestSqlCipherKnowledge(KnowledgeContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[Any]:
        pytest.importorskip("sqlcipher3")
        s = create_database(tmp_path / "kura.db", KEY, clock=FixedClock())
        yield s
        s.close()

    @pytest.fixture
    def raw(self, store: Any, tmp_path: Path) -> Iterator[Any]:
        sqlcipher = pytest.importorskip("sqlcipher3.dbapi2")
        conn = sqlcipher.connect(str(tmp_path / "kura.db"), isolation_level=None)
        conn.execute(f"PRAGMA key = \"x'{KEY.hex()}'\"")
        yield conn
        conn.close()


class TestPlainSqliteKnowledge(KnowledgeContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[Any]:
        if not trigram_in_stdlib():
            pytest.skip("the stdlib sqlite3 has no FTS5 trigram tokenizer (SQLite < 3.34)")
        s = PlainSecureStore(tmp_path / "plain.db", FixedClock())
        yield s
        s.close()

    @pytest.fixture
    def raw(self, store: Any, tmp_path: Path) -> Iterator[Any]:
        conn = sqlite3.connect(tmp_path / "plain.db", isolation_level=None)
        yield conn
        conn.close()


# ------------------------------------------------------------------ upgrading an m0002 file


def test_an_m0002_database_upgrades_with_its_rows_intact(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    path, chat = tmp_path / "kura.db", ChatRepositoriesContract()
    old_steps = (m0001_initial, m0002_models_apps_conversations)
    with create_database(path, KEY, clock=FixedClock(), migrations=old_steps) as old:
        # the model row as m0002's code wrote it: today's repository names later columns
        model_id = (
            old._live()
            .execute(
                "INSERT INTO models (name, path, sha256, size, mtime_ns, info, settings,"
                " created_at, created_by) VALUES ('m', '/m.gguf', ?, 1, 1, ?, '{}', 't', 'o')"
                " RETURNING id",
                (SHA, json.dumps(INFO.as_dict())),
            )
            .fetchone()[0]
        )
        with old.transaction() as tx:
            alice = chat.user(tx, "alice")
            app = tx.apps.create(config(model_id, "Helper"), created_by="ed", now=at(2))
            conv = chat.chat(tx, app, alice, 10)
    with open_database(path, KEY, clock=FixedClock()) as store:
        assert store.schema_version() == len(MIGRATIONS)
        with store.transaction() as tx:
            assert tx.apps.get(app.id) == app
            assert tx.conversations.get(conv.id) == conv
            kb = tx.knowledge.create_kb(kb_record())
            _, ids, _ = KnowledgeContract.add(tx, kb.id, "a.txt", "移行後の文章")
            assert KnowledgeContract.ids(tx, kb.id, ["移行後"]) == ids
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kura.db"]  # no backup left


def test_a_plain_m0002_database_gets_the_knowledge_tables() -> None:
    if not trigram_in_stdlib():
        pytest.skip("the stdlib sqlite3 has no FTS5 trigram tokenizer")
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn, FixedClock(), migrations=MIGRATIONS[:2])
        applied = migrate(conn, FixedClock())
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert applied[0] == "m0003_knowledge" and applied == [m.__name__ for m in MIGRATIONS[2:]]
    assert {"knowledge_bases", "chunk_fts", "chunk_fts_terms", "kb_index"} <= tables


def test_an_m0004_database_gets_folded_full_text() -> None:
    """m0005 rebuilds the index over NFKC text, folding the chunks already stored."""
    if not trigram_in_stdlib():
        pytest.skip("the stdlib sqlite3 has no FTS5 trigram tokenizer")
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn, FixedClock(), migrations=MIGRATIONS[:4])
        conn.execute(
            "INSERT INTO knowledge_bases"
            " VALUES (1, 'kb', '', 'all', '[]', '[]', '{}', 'o', 't', 't')"
        )
        conn.execute("INSERT INTO documents VALUES (1, 1, 'a.txt', NULL, 't')")
        conn.execute(
            "INSERT INTO document_versions VALUES (1, 1, 1, 'h', 1, 'txt', '{}', 'o', 't', '', x'')"
        )
        conn.execute("UPDATE documents SET active_version_id = 1")
        for idx, text in enumerate(["ＡＰＩキー", "api key", "ｶﾀｶﾅ"]):
            conn.execute(
                'INSERT INTO chunks (version_id, kb_id, idx, start, "end", heading, text)'
                " VALUES (1, 1, ?, 0, 1, '', ?)",
                (idx, text),
            )
        assert migrate(conn, FixedClock(), migrations=MIGRATIONS[:5]) == ["m0005_folded_fulltext"]
        folded = conn.execute("SELECT folded FROM chunks ORDER BY id").fetchall()
        assert folded == [("APIキー",), (None,), ("カタカナ",)]
        conn.execute("INSERT INTO chunk_fts (chunk_fts) VALUES ('integrity-check')")
        migrate(conn, FixedClock())  # the search below reads statistics m0017 adds
        assert search.fulltext(conn, 1, ["api"], [], 10)[0][0] in {1, 2}
        assert {cid for cid, _ in search.fulltext(conn, 1, ["api"], [], 10)} == {1, 2}
        assert [cid for cid, _ in search.fulltext(conn, 1, ["カタカナ"], [], 10)] == [3]
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            conn.execute("UPDATE chunks SET text = 'x' WHERE id = 1")
        conn.execute("DELETE FROM chunks WHERE id = 3")  # the delete trigger is back too
        assert search.fulltext(conn, 1, ["カタカナ"], [], 10) == []
        conn.execute("INSERT INTO chunk_fts (chunk_fts) VALUES ('integrity-check')")
    finally:
        conn.close()


# ------------------------------------------------------------------ what a delete leaves on disk


def test_a_deleted_document_leaves_no_trace_in_the_encrypted_file(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    path, canary = tmp_path / "kura.db", CANARY.encode()
    text = f"機密の段落 {CANARY} です。" * 40
    with create_database(path, KEY, clock=FixedClock()) as store:
        with store.transaction() as tx:
            kb = tx.knowledge.create_kb(kb_record())
            KnowledgeContract.add(tx, kb.id, "secret.txt", text, text[:500])
            KnowledgeContract.add(tx, kb.id, "secret.txt", text, minute=11)
            KnowledgeContract.add(tx, kb.id, "other.txt", "無関係の文章")
        store.checkpoint()
        assert canary in decrypted_pages(path)  # the check sees plaintext when it is there
        with store.transaction() as tx:
            tx.knowledge.delete_document(kb.id, "secret.txt")
        store.checkpoint()
        assert canary not in decrypted_pages(path)
        assert canary not in path.read_bytes()
