"""Knowledge bases through the services: roles, visibility, versions, search, chat.

Real parser, chunker, FTS5 and FAISS; a hash embedder stands in for the model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import app
from desktop.core.chat_models import AppConfig
from desktop.core.errors import Cancelled, InputError, NotFound, PermissionDenied
from desktop.core.knowledge_models import KbSettings, KbVisibility, RetrievalMode
from desktop.core.messages import Language
from desktop.core.models import Actor
from desktop.core.tasks import CancelToken
from tests.fakes import FakeChatModel, MemorySource
from tests.fakes_retrieval import HashEmbedder


def txt(name: str, text: str) -> MemorySource:
    return MemorySource(name, text.encode("utf-8"))


def _actions(ws: app.Workspace) -> list[str]:
    with ws.store.transaction() as tx:
        return [e.action for e in tx.audit.iter_events()]


def test_only_admins_and_up_manage_knowledge_bases(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    with pytest.raises(PermissionDenied):
        ws.knowledge.create(people["eve"], "docs")
    kb = ws.knowledge.create(people["ada"], "docs", visibility=KbVisibility.ALL)
    with pytest.raises(PermissionDenied):
        ws.knowledge.ingest(people["mo"], kb.id, [txt("a.txt", "hello")])
    assert [k.name for k in ws.knowledge.list(people["mo"])] == ["docs"]
    with pytest.raises(InputError):
        ws.knowledge.create(people["ada"], "bad", settings=KbSettings.from_dict({"top_k": 0}))


def test_hidden_knowledge_bases_do_not_exist_for_others(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    mine = ws.knowledge.create(people["ada"], "ada-only")
    shared = ws.knowledge.create(
        people["ada"], "team", visibility=KbVisibility.PARTIAL, members=("mia",)
    )
    ws.knowledge.ingest(people["ada"], shared.id, [txt("s.txt", "Secret plan: CANARY-KB-7.")])
    assert {k.name for k in ws.knowledge.list(people["owner"])} == set()
    assert [k.name for k in ws.knowledge.list(people["mia"])] == ["team"]
    for who in ("mo", "owner"):
        for ref in (mine.id, "team", "no-such-kb"):
            with pytest.raises(NotFound) as err:
                ws.knowledge.search(people[who], ref, "CANARY")
            assert "CANARY" not in str(err.value)
    assert ws.knowledge.search(people["mia"], "team", "CANARY-KB-7", mode=RetrievalMode.FULLTEXT)


def test_ingest_versions_rollback_and_search(ws: app.Workspace, people: dict[str, Actor]) -> None:
    ada = people["ada"]
    kb = ws.knowledge.create(ada, "docs", visibility=KbVisibility.ALL)
    first = ws.knowledge.ingest(
        ada,
        kb.id,
        [
            txt("tea.txt", "緑茶は日本で広く飲まれている。抹茶は茶道で使われる。"),
            txt("coffee.md", "# Coffee\nEspresso is brewed under pressure."),
        ],
    )
    assert [a["name"] for a in first.added] == ["tea.txt", "coffee.md"] and not first.failed
    again = ws.knowledge.ingest(
        ada, kb.id, [txt("tea.txt", "緑茶は日本で広く飲まれている。抹茶は茶道で使われる。")]
    )
    assert again.unchanged == ["tea.txt"] and not again.added  # idempotent
    ws.knowledge.ingest(ada, kb.id, [txt("tea.txt", "ほうじ茶は焙煎した緑茶である。")])
    assert [v.version for v in ws.knowledge.versions(ada, kb.id, "tea.txt")] == [1, 2]

    def found(query: str) -> list[str]:
        hits = ws.knowledge.search(people["mo"], kb.id, query, mode=RetrievalMode.FULLTEXT)
        return [f"{h.chunk.document}@{h.chunk.version}" for h in hits]

    assert found("焙煎") == ["tea.txt@2"] and found("茶道") == []
    ws.knowledge.rollback(ada, kb.id, "tea.txt", 1)
    assert found("茶道") == ["tea.txt@1"] and found("焙煎") == []
    hits = ws.knowledge.search(people["mo"], kb.id, "抹茶は茶道", mode=RetrievalMode.HYBRID)
    assert hits[0].chunk.document == "tea.txt" and set(hits[0].scores) >= {"fulltext"}
    vector = ws.knowledge.search(people["mo"], kb.id, "Espresso", mode=RetrievalMode.VECTOR)
    assert len(vector) == 2 and all("vector" in h.scores for h in vector)
    assert {"kb.document_added", "kb.document_rolled_back", "kb.searched"} <= set(_actions(ws))


def test_one_bad_file_never_aborts_the_batch(ws: app.Workspace, people: dict[str, Actor]) -> None:
    kb = ws.knowledge.create(people["ada"], "docs")
    report = ws.knowledge.ingest(
        people["ada"],
        kb.id,
        [
            txt("good.txt", "A perfectly good sentence."),
            MemorySource("empty.txt", b""),
            MemorySource("binary.txt", bytes(range(256)) * 4),
            txt("notes.exe", "unsupported"),
            txt("also-good.txt", "Another good sentence."),
        ],
    )
    assert [a["name"] for a in report.added] == ["good.txt", "also-good.txt"]
    assert {f["name"] for f in report.failed} == {"empty.txt", "binary.txt", "notes.exe"}
    assert all("\n" not in f["error"] for f in report.failed)
    assert {f["name"]: f["error"] for f in report.failed} == {
        name: error.message for name, error in report.errors.items()
    }
    assert report.errors["empty.txt"].render(Language.JA).startswith("「empty.txt」は空です")
    assert len(ws.knowledge.documents(people["ada"], kb.id)) == 2


def test_cancel_keeps_finished_files_and_a_rerun_completes(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    kb = ws.knowledge.create(people["ada"], "docs")
    files = [txt(f"f{i}.txt", f"Document number {i}. " * 40) for i in range(6)]
    cancel = CancelToken()

    def progress(done: int, total: int | None, message: str = "") -> None:
        if done == 3:
            cancel.cancel()

    with pytest.raises(Cancelled):
        ws.knowledge.ingest(people["ada"], kb.id, files, cancel, progress)
    partial = {d.name for d in ws.knowledge.documents(people["ada"], kb.id)}
    assert len(partial) < 6
    report = ws.knowledge.ingest(people["ada"], kb.id, files)
    names = [d.name for d in ws.knowledge.documents(people["ada"], kb.id)]
    assert sorted(names) == sorted(f.name for f in files)  # each exactly once
    assert set(report.unchanged) == partial


def test_chat_retrieves_only_readable_linked_kbs_and_stores_citations(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> None:
    ada = people["ada"]
    open_kb = ws.knowledge.create(ada, "open", visibility=KbVisibility.ALL)
    secret = ws.knowledge.create(ada, "secret")  # only ada
    ws.knowledge.ingest(ada, open_kb.id, [txt("open.txt", "The launch code word is PUBLIC-ALPHA.")])
    ws.knowledge.ingest(ada, secret.id, [txt("s.txt", "The launch code word is SECRET-OMEGA.")])
    model_file = tmp_path / "m.gguf"
    model_file.write_bytes(b"GGUF" + b"\0" * 32)
    model = ws.models.register(people["owner"], str(model_file), name="m")
    helper = ws.apps.create(
        people["eve"], AppConfig(name="helper", model_id=model.id, kb_ids=(open_kb.id, secret.id))
    )
    fake.replies = [["See [1]."], ["See [1]."]]
    as_mo = ws.chat.send(people["mo"], helper.id, "What is the launch code word?")
    assert "PUBLIC-ALPHA" in fake.prompts[-1] and "SECRET-OMEGA" not in fake.prompts[-1]
    cited = as_mo.turn.citations
    assert cited and {c["document"] for c in cited} == {"open.txt"} and cited[0]["cited"]
    assert cited[0]["version"] == 1 and len(cited[0]["span"]) == 2
    ws.chat.send(ada, helper.id, "What is the launch code word?")
    assert "SECRET-OMEGA" in fake.prompts[-1]
    with ws.store.transaction() as tx:
        traces = [e.payload for e in tx.audit.iter_events() if e.action == "chat.turn"]
    assert traces[0]["retrieved"][0]["document"] == "open.txt"  # type: ignore[index]


def test_a_reranker_reorders_and_is_loaded_once(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    from desktop.core.services.retrieval import Retriever, TextTools
    from desktop.retrieval.fusion import reciprocal_rank_fusion
    from desktop.retrieval.query import fulltext_terms

    loads: list[str] = []

    class LengthReranker:  # prefers the longest passage
        def scores(self, query: str, texts: list[str]) -> list[float]:
            return [len(t) / 1000 for t in texts]

    def factory(folder: str) -> LengthReranker:
        loads.append(folder)
        return LengthReranker()

    ada = people["ada"]
    kb = ws.knowledge.create(ada, "docs", settings=KbSettings(reranker="some-folder"))
    ws.knowledge.ingest(
        ada,
        kb.id,
        [txt("short.txt", "Lighthouse."), txt("long.txt", "Lighthouse keepers kept the lamp lit.")],
    )
    retriever = Retriever(
        ws.store,
        lambda _: HashEmbedder(64),
        ws.knowledge._indexes,
        TextTools(fulltext_terms, reciprocal_rank_fusion, factory),
    )
    for _ in range(2):
        hits = retriever.search(kb, "Lighthouse", k=2, mode=RetrievalMode.FULLTEXT)
        assert [h.chunk.document for h in hits] == ["long.txt", "short.txt"]
        assert "rerank" in hits[0].scores
    assert loads == ["some-folder"]


@pytest.mark.parametrize(
    ("languages", "query", "vector_counts"),
    [
        (("en",), "緑茶と抹茶の茶道", False),  # an English-only model, a Japanese question
        (("en",), "Espresso brewed under pressure", True),
        (("ja", "en"), "緑茶と抹茶の茶道", True),
        (None, "緑茶と抹茶の茶道", True),  # languages unknown: trusted
    ],
)
def test_hybrid_leaves_out_a_vector_ranking_the_model_cannot_read(
    ws: app.Workspace,
    people: dict[str, Actor],
    languages: tuple[str, ...] | None,
    query: str,
    vector_counts: bool,
) -> None:
    from desktop.core.services.retrieval import Retriever, TextTools
    from desktop.retrieval.fusion import reciprocal_rank_fusion
    from desktop.retrieval.query import fulltext_terms

    ada = people["ada"]
    kb = ws.knowledge.create(ada, "docs")
    ws.knowledge.ingest(
        ada,
        kb.id,
        [
            txt("tea.txt", "緑茶は日本で広く飲まれている。"),
            txt("matcha.txt", "抹茶は茶道で使われる。"),
            txt("coffee.md", "Espresso is brewed under pressure."),
            txt("more.md", "Filter coffee is brewed slowly."),
        ],
    )
    embedder = HashEmbedder(64, languages=languages)
    retriever = Retriever(
        ws.store,
        lambda _: embedder,
        ws.knowledge._indexes,
        TextTools(fulltext_terms, reciprocal_rank_fusion),
    )
    hybrid = retriever.search(kb, query, k=4, mode=RetrievalMode.HYBRID)
    text = retriever.search(kb, query, k=4, mode=RetrievalMode.FULLTEXT)
    if vector_counts:
        assert any("vector" in h.scores for h in hybrid)
        assert len(hybrid) == 4  # the vector ranking brings in the rest
    else:  # exactly the full-text ranking: no vector-only hits trail it
        assert [h.chunk.id for h in hybrid] == [h.chunk.id for h in text]
        assert all("vector" not in h.scores for h in hybrid)


def test_chunks_of_a_document_come_in_order_with_headings_for_readers_only(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    ada = people["ada"]
    kb = ws.knowledge.create(ada, "team", visibility=KbVisibility.PARTIAL, members=("mia",))
    body = "# Leave\n\n## Annual\n\nTwenty days a year.\n\n## Sick\n\nTell your manager."
    ws.knowledge.ingest(ada, kb.id, [txt("leave.md", body)])
    [doc] = ws.knowledge.documents(ada, kb.id)
    chunks = ws.knowledge.chunks_of(people["mia"], "team", "leave.md")
    assert len(chunks) == doc.chunks >= 1
    assert [c.index for c in chunks] == list(range(len(chunks)))
    assert any("Twenty days" in c.text for c in chunks)
    assert any("Leave" in c.heading for c in chunks)
    with pytest.raises(NotFound):
        ws.knowledge.chunks_of(people["mo"], kb.id, "leave.md")  # not a reader
    with pytest.raises(NotFound):
        ws.knowledge.chunks_of(ada, kb.id, "missing.md")


@pytest.mark.parametrize(("languages", "fits"), [(("en",), False), (None, True), (("ja",), True)])
def test_language_fit_tells_an_english_embedder_from_japanese_documents(
    ws: app.Workspace,
    people: dict[str, Actor],
    monkeypatch: pytest.MonkeyPatch,
    languages: tuple[str, ...] | None,
    fits: bool,
) -> None:
    ada = people["ada"]
    kb = ws.knowledge.create(ada, "docs")
    ws.knowledge.ingest(
        ada,
        kb.id,
        [txt("tea.txt", "緑茶は日本で広く飲まれている。"), txt("b.txt", "抹茶は茶道で使われる。")],
    )
    embedder = HashEmbedder(64, languages=languages)
    monkeypatch.setattr(ws.knowledge, "_embedder", lambda _kb: embedder)
    share = ws.knowledge.language_fit(ada, kb.id)
    assert (share >= 0.5) is fits
