"""Exhaustive mode in the chat window (issue 17): "Read every document" next to Send asks
one question of every chunk of the app's documents, the answer shows "Reading batch 3 of
12…" while it runs and every item with citation chips when done, and Stop keeps what
was merged."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from desktop.core.chat_models import AppConfig, SamplingParams
from desktop.core.knowledge_models import KbVisibility
from desktop.core.tasks import CancelToken
from desktop.ui.chat import ChatView
from desktop.ui.chat.messages import AnswerBubble
from desktop.ui.context import Backend, UiContext
from tests.fakes import ExtractingChatModel, FakeGeneration, MemorySource
from tests.gui.test_chat_quick_files_search import _drop
from tests.gui.test_chat_view import _arrange, _open, _wait_answer

ITEM = r"PART-\d{4}"
FILLER = (
    "The maintenance handbook describes the routine checks of the plant in some detail. "
    "Operators read it at the start of each shift and note anything unusual. "
)


class HeldReader(ExtractingChatModel):
    """A perfect reader that can be held at the start of one batch (``hold_at``, from 1)
    until the test releases it: Stop can then land between two batches."""

    def __init__(self) -> None:
        super().__init__(ITEM, n_ctx=900)
        self.hold_at: int | None = None
        self.held = threading.Event()
        self.release = threading.Event()

    def generate(
        self,
        prompt: str,
        params: SamplingParams,
        cancel: CancelToken,
        stop: tuple[str, ...] = (),
    ) -> FakeGeneration:
        if self.hold_at is not None and len(self.prompts) + 1 == self.hold_at:
            self.held.set()
            self.release.wait(60)  # a safety net only: the test releases it at once
        return super().generate(prompt, params, cancel, stop)


@pytest.fixture
def fake_chat() -> HeldReader:
    return HeldReader()


@pytest.fixture
def view(qtbot: Any, owner_ctx: UiContext) -> Any:
    chat = ChatView(owner_ctx)
    qtbot.addWidget(chat, before_close_func=lambda w: w.teardown())
    yield chat
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)


def _seed_app(backend: Backend, tmp_path: Path, *, exhaustive: bool, docs: int = 10) -> set[str]:
    """An app on a knowledge base of ``docs`` manuals with 4 part numbers each."""
    items: set[str] = set()
    sources = []
    for d in range(docs):
        body = []
        for i in range(4):
            item = f"PART-{d:02d}{i:02d}"
            items.add(item)
            body.append(f"{FILLER * 3}Replace the seal with {item} when it leaks. ")
        sources.append(MemorySource(f"manual-{d:02d}.txt", "".join(body).encode()))

    def create(ws: Any, owner: Any, model_id: int) -> None:
        kb = ws.knowledge.create(owner, "parts", visibility=KbVisibility.ALL)
        ws.knowledge.ingest(owner, kb.id, sources)
        config = AppConfig(
            name="parts",
            model_id=model_id,
            kb_ids=(kb.id,),
            params=SamplingParams(max_tokens=200),
            exhaustive=exhaustive,
        )
        ws.apps.create(owner, config)

    _arrange(backend, tmp_path, create)
    return items


def _record_progress(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    original = AnswerBubble.show_progress

    def spy(self: AnswerBubble, text: str) -> None:
        shown.append(text)
        original(self, text)

    monkeypatch.setattr(AnswerBubble, "show_progress", spy)
    return shown


def _chips(answer: AnswerBubble) -> list[str]:
    chips = answer.sources.findChildren(QPushButton, "citationChip")
    return [b.text() for b in chips if b.isVisibleTo(answer)]


def test_an_exhaustive_question_lists_every_seeded_item_with_chips_and_batch_progress(
    qtbot: Any,
    view: ChatView,
    workspace: Backend,
    fake_chat: HeldReader,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seeded = _seed_app(workspace, tmp_path, exhaustive=True)
    shown = _record_progress(monkeypatch)
    _open(qtbot, view)
    toggle = view.pane.read_all_button
    assert toggle.isVisibleTo(view) and toggle.isChecked()  # the app's setting
    assert toggle.text() == "Read every document"

    view.send_text("List every part number.")
    answer = _wait_answer(qtbot, view)

    assert answer.turn is not None
    listed = re.findall(ITEM, answer.body.toPlainText())
    assert sorted(listed) == sorted(seeded)  # all 40, each once
    chips = _chips(answer)
    assert len(chips) == len(answer.turn.citations) > 1
    assert {re.sub(r"^\[\d+\] | · v\d+$", "", c) for c in chips} == {
        f"manual-{d:02d}.txt" for d in range(10)
    }
    batches = len(fake_chat.prompts)
    assert batches > 1
    expected = [f"Reading batch {n} of {batches}…" for n in range(1, batches + 1)]
    assert [s for s in shown if s.startswith("Reading batch")] == expected
    assert "Reading batch" not in answer.meta.text()  # the stored answer's line once done


def test_stop_between_batches_keeps_the_items_merged_so_far(
    qtbot: Any,
    view: ChatView,
    workspace: Backend,
    fake_chat: HeldReader,
    tmp_path: Path,
) -> None:
    seeded = _seed_app(workspace, tmp_path, exhaustive=True)
    _open(qtbot, view)
    fake_chat.hold_at = 2
    view.send_text("List every part number.")
    qtbot.waitUntil(fake_chat.held.is_set)
    answer = view.transcript.answers[-1]
    # the first batch's items are on show while the second one is being read
    qtbot.waitUntil(lambda: bool(re.findall(ITEM, answer.body.toPlainText())))
    qtbot.waitUntil(lambda: answer.meta.text().startswith("Reading batch 2 of "))
    first = set(re.findall(ITEM, answer.body.toPlainText()))
    view.stop_button.click()
    fake_chat.release.set()
    answer = _wait_answer(qtbot, view)

    assert answer.turn is not None and answer.turn.stop_reason == "cancelled"
    kept = re.findall(ITEM, answer.turn.answer)
    assert set(kept) == first and len(kept) == len(first) and set(kept) < seeded
    assert len(fake_chat.prompts) == 2  # nothing read after Stop
    assert answer.meta.text().startswith("Stopped")
    assert len(_chips(answer)) == len(answer.turn.citations) > 0


def test_the_toggle_overrides_the_app_setting_both_ways(
    qtbot: Any, view: ChatView, workspace: Backend, fake_chat: HeldReader, tmp_path: Path
) -> None:
    seeded = _seed_app(workspace, tmp_path, exhaustive=False, docs=3)
    _open(qtbot, view)
    toggle = view.pane.read_all_button
    assert toggle.isVisibleTo(view) and not toggle.isChecked()  # the app's setting
    toggle.click()
    view.send_text("List every part number.")
    answer = _wait_answer(qtbot, view)
    assert sorted(re.findall(ITEM, answer.body.toPlainText())) == sorted(seeded)
    assert all("List EVERY item" in p for p in fake_chat.prompts)

    def exhaustive_app(ws: Any, owner: Any, _model_id: int) -> None:
        app = next(a for a in ws.apps.list(owner) if a.config.name == "parts")
        ws.apps.edit(owner, app.id, {"exhaustive": True})

    _arrange(workspace, tmp_path, exhaustive_app)
    view.activate()  # the newer version of the app, in a new conversation
    qtbot.waitUntil(lambda: view._app is not None and view._app.config.exhaustive)
    view._on_sidebar_new_requested()
    assert toggle.isChecked()  # a new conversation starts from the app's setting
    toggle.click()
    fake_chat.prompts.clear()
    view.send_text("List every part number.")
    answer = _wait_answer(qtbot, view, count=1)
    assert len(fake_chat.prompts) == 1 and "List EVERY item" not in fake_chat.prompts[0]


def test_the_toggle_shows_only_with_documents_to_read(
    qtbot: Any, view: ChatView, workspace: Backend, fake_chat: HeldReader, tmp_path: Path
) -> None:
    def plain_app(ws: Any, owner: Any, model_id: int) -> None:
        ws.apps.create(owner, AppConfig(name="plain", model_id=model_id))

    _arrange(workspace, tmp_path, plain_app)
    _open(qtbot, view)
    toggle = view.pane.read_all_button
    assert not toggle.isVisibleTo(view)  # no knowledge base, no files: nothing to read
    note = tmp_path / "parts.txt"
    note.write_text("Replace the seal with PART-7777 when it leaks.", encoding="utf-8")
    _drop(view.composer, [note])
    qtbot.waitUntil(lambda: toggle.isVisibleTo(view))
    assert not toggle.isChecked()
    conversation = view._conversation_id
    assert conversation is not None
    view._on_sidebar_new_requested()
    assert not toggle.isVisibleTo(view)  # a new conversation has no files yet
    qtbot.waitUntil(lambda: view.sidebar.model.find(conversation) is not None)
    view._on_sidebar_conversation_chosen(conversation)
    qtbot.waitUntil(lambda: toggle.isVisibleTo(view))  # reopened: its files are there
    toggle.click()
    view.send_text("List every part number.")
    answer = _wait_answer(qtbot, view)
    assert re.findall(ITEM, answer.body.toPlainText()) == ["PART-7777"]
