"""The Knowledge screen: create a knowledge base, drop a folder and watch each file end
stored, cancel an ingest half-way, roll back through the versions dialog, search with
scores, and a Member's read-only view."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from desktop import app
from desktop.core.chat_models import AppConfig
from desktop.core.knowledge_models import KbSettings, KbVisibility
from desktop.core.models import Role
from desktop.ui.context import Backend, UiContext
from desktop.ui.knowledge import widgets
from desktop.ui.knowledge.sources import SUPPORTED_SUFFIXES
from desktop.ui.knowledge.view import KnowledgeView
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FakeInspector, MemorySource
from tests.fakes_retrieval import HashEmbedder
from tests.gui.conftest import open_direct, sign_in_as


class GateEmbedder(HashEmbedder):
    """Blocks inside its ``block_on``-th embed call until ``release`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.block_on: int | None = None
        self.entered = threading.Event()
        self.release = threading.Event()

    def embed(self, texts: Sequence[str]) -> Any:
        if self.block_on is not None and self.calls + 1 == self.block_on:
            self.entered.set()
            self.release.wait(10)
        return super().embed(texts)


@pytest.fixture
def gate() -> GateEmbedder:
    return GateEmbedder()


@pytest.fixture
def fake_engines(fake_chat: FakeChatModel, gate: GateEmbedder) -> app.Engines:
    return app.Engines(FakeInspector(), fake_chat, lambda _model_dir: gate)


def _owner(ws: app.Workspace) -> Any:
    return ws.accounts.authenticate("owner", PEOPLE_PASSWORD)


@pytest.fixture
def make_view(qtbot: Any) -> Callable[[UiContext], KnowledgeView]:
    def make(ctx: UiContext) -> KnowledgeView:
        view = KnowledgeView(ctx)
        qtbot.addWidget(view)
        view.activate()
        qtbot.waitUntil(lambda: not ctx.runner.busy)
        return view

    return make


def _wait_idle(qtbot: Any, ctx: UiContext) -> None:
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)


def _folder_mime(path: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    return mime


def test_the_folder_walk_knows_what_the_parser_reads() -> None:
    from desktop.retrieval.parsers import SUPPORTED_EXTENSIONS

    assert frozenset(SUPPORTED_EXTENSIONS) == SUPPORTED_SUFFIXES


def test_create_a_kb_then_drop_a_folder(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, make_view: Any, tmp_path: Path
) -> None:
    view = make_view(owner_ctx)
    assert view.list_empty.isVisibleTo(view) or view.kb_list.count() == 0
    view.new_button.click()
    view.settings.name.setText("Manuals")
    view.settings.description.setPlainText("How things work")
    view.settings.visibility.setCurrentIndex(
        view.settings.visibility.findData(KbVisibility.ALL.value)
    )
    view.settings.save_button.click()
    qtbot.waitUntil(lambda: view.kb_list.count() == 1)
    _wait_idle(qtbot, owner_ctx)
    with open_direct(workspace) as ws:
        [kb] = ws.knowledge.list(_owner(ws))
    assert (kb.name, kb.description, kb.visibility) == ("Manuals", "How things work", "all")
    assert view.selected_kb_id() == kb.id

    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "alpha.txt").write_text("Alpha explains the red lever. " * 20)
    (docs / "sub" / "beta.md").write_text("# Beta\n\nBeta covers the blue switch.\n")
    (docs / "sound.mp3").write_bytes(b"ID3 not a document")  # skipped by the walk
    (docs / ".hidden.txt").write_text("never")
    mime = _folder_mime(docs)  # the event does not own it: keep it alive
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.ingest.drop_zone.dropEvent(event)
    assert event.isAccepted()
    qtbot.waitUntil(lambda: view.ingest.row_states() != [] and not view.ingest.running)
    assert view.ingest.row_states() == [("alpha.txt", "stored"), ("sub/beta.md", "stored")]
    qtbot.waitUntil(lambda: view.documents.table.rowCount() == 2)
    _wait_idle(qtbot, owner_ctx)
    with open_direct(workspace) as ws:
        stored = ws.knowledge.documents(_owner(ws), kb.id)
    assert sorted((d.name, d.version) for d in stored) == [("alpha.txt", 1), ("sub/beta.md", 1)]
    shown = {view.documents.table.item(r, 0).text() for r in range(2)}
    assert shown == {"alpha.txt", "sub/beta.md"}


def test_cancel_keeps_the_files_already_stored(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    make_view: Any,
    gate: GateEmbedder,
    tmp_path: Path,
) -> None:
    with open_direct(workspace) as ws:
        kb = ws.knowledge.create(
            _owner(ws), "Big", settings=KbSettings(chunk_size=200, chunk_overlap=0)
        )
    folder = tmp_path / "many"
    folder.mkdir()
    # The first file alone fills an embedding batch, so it is stored before the rest.
    big = " ".join(f"Sentence number {i} talks about topic {i}." for i in range(600))
    (folder / "a_big.txt").write_text(big)
    for name in ("b.txt", "c.txt", "d.md"):
        (folder / name).write_text(f"{name} is a short note about cancelling.")
    gate.block_on = 2  # the second batch (b, c, d) blocks half-way

    view = make_view(owner_ctx)
    assert view.selected_kb_id() == kb.id
    assert view.handle_drop(_folder_mime(folder))
    qtbot.waitUntil(gate.entered.is_set, timeout=10_000)
    assert view.ingest.cancel_button.isVisibleTo(view)
    view.ingest.cancel_button.click()
    gate.release.set()
    qtbot.waitUntil(lambda: not view.ingest.running, timeout=10_000)
    states = dict(view.ingest.row_states())
    assert states == {
        "a_big.txt": "stored",
        "b.txt": "cancelled",
        "c.txt": "cancelled",
        "d.md": "cancelled",
    }
    assert "1 file(s) stored before the cancel stay" in view.ingest.message.text()
    _wait_idle(qtbot, owner_ctx)
    with open_direct(workspace) as ws:
        names = [d.name for d in ws.knowledge.documents(_owner(ws), kb.id)]
        hits = ws.knowledge.search(_owner(ws), kb.id, "short note about cancelling")
    assert names == ["a_big.txt"]
    assert all(h.chunk.document == "a_big.txt" for h in hits)
    assert view.documents.table.rowCount() == 1


def test_versions_dialog_rolls_back_and_deletes(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    make_view: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with open_direct(workspace) as ws:
        owner = _owner(ws)
        kb = ws.knowledge.create(owner, "Policies")
        for text in ("First rule: be kind.", "Second rule: be brief."):
            ws.knowledge.ingest(owner, kb.id, [MemorySource("rules.txt", text.encode())])
    asked: list[str] = []
    monkeypatch.setattr(widgets, "confirm", lambda _p, _t, text, _a: asked.append(text) or True)

    view = make_view(owner_ctx)
    qtbot.waitUntil(lambda: view.documents.table.rowCount() == 1)
    assert view.documents.table.item(0, 1).text() == "2"
    view.documents.table.selectRow(0)
    view.documents.versions_button.click()
    dialog = view.documents.versions_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    dialog.select_version(2)
    assert not dialog.rollback_button.isEnabled()  # already active
    dialog.select_version(1)
    assert dialog.rollback_button.isEnabled()
    dialog.rollback_button.click()
    qtbot.waitUntil(lambda: any(v.active and v.version == 1 for v in dialog.versions))
    assert asked and "version 1" in asked[0]
    qtbot.waitUntil(lambda: view.documents.table.item(0, 1).text() == "1")
    _wait_idle(qtbot, owner_ctx)
    with open_direct(workspace) as ws:
        [doc] = ws.knowledge.documents(_owner(ws), kb.id)
    assert (doc.name, doc.version) == ("rules.txt", 1)

    dialog.delete_button.click()  # deleting the document closes the dialog
    qtbot.waitUntil(lambda: view.documents.versions_dialog is None)
    qtbot.waitUntil(lambda: view.documents.table.rowCount() == 0)
    _wait_idle(qtbot, owner_ctx)
    assert "all its versions" in asked[1]
    with open_direct(workspace) as ws:
        assert ws.knowledge.documents(_owner(ws), kb.id) == []


def test_search_tester_says_how_a_passage_was_found_with_numbers_on_demand(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, make_view: Any
) -> None:
    passage = "The backup runs every night at two o'clock."
    with open_direct(workspace) as ws:
        owner = _owner(ws)
        kb = ws.knowledge.create(owner, "Ops")
        ws.knowledge.ingest(
            owner,
            kb.id,
            [
                MemorySource("backup.md", f"## Backups\n\n{passage}".encode()),
                MemorySource("lunch.txt", b"Lunch is served at noon in the hall."),
            ],
        )
    view = make_view(owner_ctx)
    assert view.selected_kb_id() == kb.id
    view.tabs.setCurrentIndex(2)
    tester = view.search
    tester.search_button.click()
    assert tester.message.text()  # an empty query is refused inline
    tester.query.setText(passage)
    tester.mode.setCurrentIndex(tester.mode.findData("hybrid"))
    tester.k.setValue(2)
    tester.search_button.click()
    qtbot.waitUntil(lambda: tester.table.rowCount() > 0)
    _wait_idle(qtbot, owner_ctx)
    assert tester.table.rowCount() <= 2
    table = tester.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    found, doc, text = (headers.index(h) for h in ("Found by", "Document", "Passage"))
    assert table.item(0, found).text() == "Both"  # matched words and similar meaning
    assert table.item(0, doc).text().startswith("backup.md v1")
    shown = table.item(0, text).text()
    assert passage in shown and "Backups" in shown and "#" not in shown  # no raw Markdown
    # no developer numbers until asked for; the tooltip has them too
    visible = [table.item(0, c).text() for c in range(table.columnCount())]
    visible = [t for c, t in enumerate(visible) if not table.isColumnHidden(c)]
    assert not any("rrf" in t or "fulltext" in t for t in visible)
    assert "rrf" not in " ".join(visible)
    assert "0." in table.item(0, found).toolTip()
    tester.show_scores.setChecked(True)
    score = headers.index("Score")
    assert not table.isColumnHidden(score)
    assert float(table.item(0, score).text()) == pytest.approx(tester.hits[0].score, abs=1e-3)


def test_match_words_name_each_way_a_passage_was_found() -> None:
    from desktop.ui.knowledge.search_tester import found_by

    assert found_by({"fulltext": 1.0, "fulltext_rank": 1, "rrf": 0.016}) == "words"
    assert found_by({"vector": 0.8, "vector_rank": 2, "rrf": 0.016}) == "meaning"
    assert found_by({"vector": 0.8, "fulltext": 2.0, "rrf": 0.03}) == "both"


def test_markdown_in_a_passage_becomes_plain_text() -> None:
    from desktop.ui.knowledge.passage_text import plain_passage

    text = "## Leave\n\n**Twenty** days, see `policy` and [HR](x).\n\n- one\n- two"
    assert plain_passage(text) == "Leave\nTwenty days, see policy and HR.\none\ntwo"


def test_a_member_reads_and_searches_but_cannot_manage(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, make_view: Any
) -> None:
    with open_direct(workspace) as ws:
        owner = _owner(ws)
        ws.accounts.add_user(owner, "mia", Role.MEMBER, PEOPLE_PASSWORD)
        shared = ws.knowledge.create(owner, "Shared", visibility=KbVisibility.ALL)
        ws.knowledge.create(owner, "Private")
        ws.knowledge.ingest(owner, shared.id, [MemorySource("faq.txt", b"Ask the desk.")])
    sign_in_as(owner_ctx, workspace, "mia")
    view = make_view(owner_ctx)
    assert [view.kb_list.item(i).text() for i in range(view.kb_list.count())] == ["Shared"]
    assert not view.new_button.isVisibleTo(view)
    assert not view.ingest.isVisibleTo(view)
    assert not view.settings.save_button.isVisibleTo(view)
    assert not view.settings.name.isEnabled()
    assert not view.handle_drop(_folder_mime(Path("/nonexistent")))
    qtbot.waitUntil(lambda: view.documents.table.rowCount() == 1)
    view.search.query.setText("desk")
    view.search.search_button.click()
    qtbot.waitUntil(lambda: view.search.table.rowCount() == 1)
    _wait_idle(qtbot, owner_ctx)


def test_settings_change_visibility_members_and_allowed_apps(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, make_view: Any, tmp_path: Path
) -> None:
    model_file = tmp_path / "tiny.gguf"
    model_file.write_bytes(b"GGUF" + bytes(16))
    with open_direct(workspace) as ws:
        owner = _owner(ws)
        ws.accounts.add_user(owner, "mia", Role.MEMBER, PEOPLE_PASSWORD)
        model = ws.models.register(owner, str(model_file), name="tiny")
        kb = ws.knowledge.create(owner, "Team notes")
        helper = ws.apps.create(owner, AppConfig("Helper", model.id, kb_ids=(kb.id,)))
    view = make_view(owner_ctx)
    panel = view.settings
    assert panel.kb is not None and panel.kb.id == kb.id
    assert panel.linked.text() == "Helper"
    assert not panel.save_button.isEnabled()
    assert not panel.members.isVisibleTo(panel)
    panel.visibility.setCurrentIndex(panel.visibility.findData(KbVisibility.PARTIAL.value))
    assert panel.members.isVisibleTo(panel)
    assert "mia" in panel.members.list.ids()  # the Owner may list accounts
    panel.members.set_selected(["mia"])
    panel.allowlist.set_checked([helper.id])
    panel.top_k.setValue(7)
    assert panel.save_button.isEnabled()
    panel.save_button.click()
    qtbot.waitUntil(lambda: panel.message.text() == "Saved.")
    _wait_idle(qtbot, owner_ctx)
    with open_direct(workspace) as ws:
        saved = ws.knowledge.get(_owner(ws), kb.id)
    assert (saved.visibility, saved.members) == (KbVisibility.PARTIAL, ("mia",))
    assert saved.app_allowlist == (helper.id,)
    assert saved.settings.top_k == 7
    assert not panel.save_button.isEnabled()


def test_a_new_kb_takes_an_embedding_model_folder(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    make_view: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    folder = tmp_path / "multilingual-e5-small"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    view = make_view(owner_ctx)
    view.new_button.click()
    view.settings.name.setText("社内規程")
    view.settings.embedding_default.click()
    assert view.settings.embedding_model.text() == ""
    view.settings.embedding_choose.click()
    assert view.settings.embedding_model.text() == str(folder)
    view.settings.save_button.click()
    qtbot.waitUntil(lambda: view.kb_list.count() == 1)
    _wait_idle(qtbot, owner_ctx)
    with open_direct(workspace) as ws:
        [kb] = ws.knowledge.list(_owner(ws))
    assert kb.settings.embedding_model == str(folder)
    assert view.settings.embedding_model.text() == str(folder)  # shown after the reload
    qtbot.waitUntil(lambda: view.documents.kb_id == kb.id)
    _wait_idle(qtbot, owner_ctx)


def test_the_chunk_viewer_shows_how_a_document_was_split(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, make_view: Any
) -> None:
    body = "# Leave\n\n## Annual\n\nTwenty days a year.\n\n## Sick\n\nTell your manager."
    with open_direct(workspace) as ws:
        owner = _owner(ws)
        kb = ws.knowledge.create(owner, "HR")
        ws.knowledge.ingest(owner, kb.id, [MemorySource("leave.md", body.encode())])
        expected = ws.knowledge.chunks_of(owner, kb.id, "leave.md")
    view = make_view(owner_ctx)
    qtbot.waitUntil(lambda: view.documents.table.rowCount() == 1)
    view.documents.table.selectRow(0)
    view.documents.chunks_button.click()
    dialog = view.documents.chunks_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.rowCount() == len(expected))
    first = expected[0]
    assert dialog.table.item(0, 0).text() == "1"
    assert dialog.table.item(0, 1).text() == (first.heading or "—")
    assert any("Leave" in dialog.table.item(r, 1).text() for r in range(len(expected)))
    assert dialog.table.item(0, 2).text() == str(len(first.text))
    assert dialog.text.isReadOnly() and dialog.text.toPlainText() == first.text
    dialog.close()


def test_an_english_embedder_on_japanese_documents_is_explained(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, make_view: Any, gate: GateEmbedder
) -> None:
    gate._languages = ("en",)  # like all-MiniLM-L6-v2
    with open_direct(workspace) as ws:
        owner = _owner(ws)
        kb = ws.knowledge.create(owner, "社内規程")
        ws.knowledge.ingest(
            owner, kb.id, [MemorySource("休暇.txt", "年次有給休暇は二十日です。".encode())]
        )
    view = make_view(owner_ctx)
    note = view.search.language_note
    qtbot.waitUntil(lambda: not note.isHidden())
    assert "multilingual" in note.text() and "still works" in note.text()
