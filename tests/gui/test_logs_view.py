"""The Logs screen over fakes: traces and filters, a turn's full trace, annotating, the
signed export showing the key's fingerprint, and no access for a Member."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from desktop.core.chat_models import AppConfig
from desktop.core.models import Role, TraceFilter
from desktop.ui.context import Backend, UiContext
from desktop.ui.logs import LogsView
from desktop.ui.logs.view import TRACE_LIMIT
from desktop.verifier import bundle_verify
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel
from tests.gui.conftest import open_direct, sign_in_as


@pytest.fixture
def turns(workspace: Backend, fake_chat: FakeChatModel, tmp_path: Path) -> dict[str, int]:
    """Two turns: Mo asks the hr app (and rates it down), the Owner asks legal."""
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "mo", Role.MEMBER, PEOPLE_PASSWORD)
        mo = ws.accounts.authenticate("mo", PEOPLE_PASSWORD)
        model_id = ws.models.register(owner, str(model), name="tiny").id
        hr = ws.apps.create(owner, AppConfig(name="hr", model_id=model_id)).id
        legal = ws.apps.create(owner, AppConfig(name="legal", model_id=model_id)).id
        fake_chat.replies = [["Twenty ", "days."], ["The ", "director."]]
        first = ws.chat.send(mo, hr, "How many vacation days?").turn.id
        second = ws.chat.send(owner, legal, "Who signs contracts?").turn.id
        ws.logs.rate(mo, first, "down", "too vague")
    return {"hr": hr, "legal": legal, "first": first, "second": second}


def _loaded_view(qtbot: Any, ctx: UiContext, rows: int) -> LogsView:
    view = LogsView(ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: view.model.rowCount() == rows and not ctx.runner.busy)
    return view


def _turn_ids(view: LogsView) -> list[int]:
    return [view.model.trace(r)["trace"]["turn_id"] for r in range(view.model.rowCount())]


def test_traces_show_and_filters_narrow(
    qtbot: Any, owner_ctx: UiContext, turns: dict[str, int]
) -> None:
    view = _loaded_view(qtbot, owner_ctx, 2)
    assert _turn_ids(view) == [turns["second"], turns["first"]]  # newest first
    assert view.model.index(1, 2).data() == "hr"
    assert view.model.index(1, 5).data() == "Not helpful"
    assert view.user_filter.findData("mo") > 0

    view.app_filter.setCurrentIndex(view.app_filter.findData(turns["hr"]))
    qtbot.waitUntil(lambda: _turn_ids(view) == [turns["first"]])

    view.app_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    view.text_filter.setText("CONTRACTS")
    qtbot.waitUntil(lambda: _turn_ids(view) == [turns["second"]])

    view.text_filter.setText("")
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    view.rating_filter.setCurrentIndex(view.rating_filter.findData("down"))
    qtbot.waitUntil(lambda: _turn_ids(view) == [turns["first"]])
    view.rating_filter.setCurrentIndex(0)
    view.dates.enabled.setChecked(True)  # the last 30 days, today included
    view.dates.until_edit.setDate(QDate(2026, 1, 1))  # the day before both turns
    qtbot.waitUntil(lambda: view.model.rowCount() == 0 and not owner_ctx.runner.busy)
    view.dates.enabled.setChecked(False)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)

    view.text_filter.setText("nothing like this")
    qtbot.waitUntil(lambda: view.model.rowCount() == 0 and not owner_ctx.runner.busy)
    assert "No chat turns match" in view.empty.text()
    assert TRACE_LIMIT >= 200


def test_trace_dialog_shows_the_turn_and_saves_an_annotation(
    qtbot: Any, owner_ctx: UiContext, turns: dict[str, int], workspace: Backend
) -> None:
    view = _loaded_view(qtbot, owner_ctx, 2)
    dialog = view.open_trace(1)
    try:
        assert dialog.findChild(QPlainTextEdit, "traceInput").toPlainText() == (
            "How many vacation days?"
        )
        assert dialog.findChild(QPlainTextEdit, "traceOutput").toPlainText() == "Twenty days."
        assert "Not helpful" in dialog.findChild(QLabel, "traceRating").text()
        shown = [label.text() for label in dialog.findChildren(QLabel)]
        assert "Chat template" in shown and any(t.startswith("built-in: ") for t in shown)

        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # nothing written yet
        assert "Write the improved answer" in dialog.message.text()

        dialog.editor.setPlainText("Twenty-five days a year.")
        with qtbot.waitSignal(dialog.annotation_did_save, timeout=10_000) as saved:
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert saved.args == [turns["first"]]
        assert "Twenty-five days a year." in dialog.annotations.text()
    finally:
        dialog.close()
    qtbot.waitUntil(lambda: view.model.index(1, 6).data() == "1" and not owner_ctx.runner.busy)

    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        (trace,) = ws.logs.traces(owner, TraceFilter(app_id=turns["hr"]))
    assert [a["answer"] for a in trace["annotations"]] == ["Twenty-five days a year."]
    assert trace["annotations"][0]["author"] == "owner"


def test_export_writes_a_signed_bundle_and_shows_its_fingerprint(
    qtbot: Any, owner_ctx: UiContext, turns: dict[str, int], workspace: Backend, tmp_path: Path
) -> None:
    view = _loaded_view(qtbot, owner_ctx, 2)
    dialog = view.open_export()
    try:
        qtbot.waitUntil(dialog.export_button.isEnabled)
        shown_before = dialog.fingerprint.text()
        assert shown_before.startswith("SHA256:")
        out = tmp_path / "out"
        out.mkdir()
        dialog.folder.setText(str(out))
        dialog.file_name.setText("audit.zip")
        dialog.app_filter.setCurrentIndex(dialog.app_filter.findData(turns["hr"]))
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20_000)
        outcome = dialog.outcome
        assert outcome is not None
        assert dialog.fingerprint.text() == shown_before == outcome.fingerprint
        assert str(out / "audit.zip") in dialog.bundle_path.text()
        assert dialog.command.text().startswith("ssh-keygen -Y verify -f allowed_signers")
        assert shown_before in dialog.verify_text.toPlainText()
        assert not dialog.export_button.isEnabled()  # one bundle per dialog
    finally:
        dialog.close()

    again = view.open_export()  # the same name again: refused, nothing overwritten
    try:
        qtbot.waitUntil(again.export_button.isEnabled)
        again.folder.setText(str(out))
        again.file_name.setText("audit")  # .zip is added
        qtbot.mouseClick(again.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "already exists" in again.message.text(), timeout=20_000)
        assert again.outcome is None and again.export_button.isEnabled()
    finally:
        again.close()
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)

    bundle = out / "audit.zip"
    assert bundle.exists()
    assert bundle_verify.verify_bundle(str(bundle)).ok
    with open_direct(workspace) as ws, ws.store.transaction() as tx:
        exported = [e.payload for e in tx.audit.iter_events() if e.action == "logs.exported"]
    assert len(exported) == 1
    assert exported[0]["key_fingerprint"] == shown_before
    assert exported[0]["filter"]["app_id"] == turns["hr"]


def test_a_member_gets_no_logs(
    qtbot: Any,
    turns: dict[str, int],
    workspace: Backend,
    make_ctx: Callable[[], UiContext],
) -> None:
    ctx = make_ctx()
    ctx.attach()
    sign_in_as(ctx, workspace, "mo")
    view = LogsView(ctx)
    qtbot.addWidget(view)
    view.activate()
    assert view.pages.currentWidget() is view.denied
    assert "Only the Owner and Admins" in view.denied.text()
    assert not view.export_button.isVisibleTo(view)
    assert view.model.rowCount() == 0
    assert not ctx.runner.busy  # nothing was even asked of the service


def test_trace_dialog_shows_the_text_of_each_retrieved_passage(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, fake_chat: FakeChatModel, tmp_path: Path
) -> None:
    from desktop.core.knowledge_models import KbVisibility
    from tests.fakes import MemorySource

    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        kb = ws.knowledge.create(owner, "manuals", visibility=KbVisibility.ALL)
        text = "Reset the router with the PIN-CANARY button."
        ws.knowledge.ingest(owner, kb.id, [MemorySource("router.txt", text.encode())])
        model_id = ws.models.register(owner, str(model), name="tiny").id
        helper = ws.apps.create(owner, AppConfig(name="it", model_id=model_id, kb_ids=(kb.id,)))
        fake_chat.replies = [["Press it [1]."]]
        ws.chat.send(owner, helper.id, "How do I reset the router?")
    view = _loaded_view(qtbot, owner_ctx, 1)
    dialog = view.open_trace(0)
    try:
        box = dialog.findChild(QPlainTextEdit, "passageText")
        qtbot.waitUntil(lambda: "PIN-CANARY" in box.toPlainText())
        assert "router.txt · version 1 (current version)" in box.toPlainText()
    finally:
        dialog.close()
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)


def test_an_admin_sees_an_unreadable_knowledge_bases_passage_as_hidden(
    qtbot: Any, workspace: Backend, make_ctx: Callable[[], UiContext], fake_chat: FakeChatModel,
    tmp_path: Path,
) -> None:  # fmt: skip
    from PySide6.QtWidgets import QTableWidget

    from tests.fakes import MemorySource

    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "ada", Role.ADMIN, PEOPLE_PASSWORD)
        kb = ws.knowledge.create(owner, "owner-only")  # only the Owner reads it
        secret = "Bonus pool: PAY-CANARY."
        ws.knowledge.ingest(owner, kb.id, [MemorySource("salaries.txt", secret.encode())])
        model_id = ws.models.register(owner, str(model), name="tiny").id
        hr = ws.apps.create(owner, AppConfig(name="hr", model_id=model_id, kb_ids=(kb.id,)))
        fake_chat.replies = [["See [1]."]]
        ws.chat.send(owner, hr.id, "What is the bonus pool?")
    ctx = make_ctx()
    ctx.attach()
    sign_in_as(ctx, workspace, "ada")
    view = _loaded_view(qtbot, ctx, 1)
    dialog = view.open_trace(0)
    try:
        table = dialog.findChild(QTableWidget, "retrievedTable")
        box = dialog.findChild(QPlainTextEdit, "passageText")
        qtbot.waitUntil(lambda: "may not read" in box.toPlainText())
        cells = [table.item(0, c).text() for c in range(table.columnCount())]
        assert cells[0] == "(a knowledge base you may not read)" and cells[2] == "[1]"
        assert "salaries" not in " ".join(cells) and "PAY-CANARY" not in box.toPlainText()
    finally:
        dialog.close()
    qtbot.waitUntil(lambda: not ctx.runner.busy)
