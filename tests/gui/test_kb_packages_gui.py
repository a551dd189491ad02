"""The Knowledge screen's Export package… and Import package… dialogs: a knowledge base
exported to this workspace's own exchange key, deleted, imported back as a new one;
importing it again under a taken name shows the one-line error inline."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop import app
from desktop.ui.context import Backend, UiContext
from desktop.ui.knowledge import packages
from desktop.ui.knowledge.view import KnowledgeView
from desktop.ui.tasks import LaneContext
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import MemorySource
from tests.gui.conftest import open_direct


def _owner(ws: app.Workspace) -> Any:
    return ws.accounts.authenticate("owner", PEOPLE_PASSWORD)


def _make_view(qtbot: Any, ctx: UiContext) -> KnowledgeView:
    view = KnowledgeView(ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    return view


def _names(view: KnowledgeView) -> list[str]:
    return [view.kb_list.item(r).text() for r in range(view.kb_list.count())]


def test_export_then_import_a_package_from_the_knowledge_screen(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, tmp_path: Path
) -> None:
    with open_direct(workspace) as ws:
        owner = _owner(ws)
        kb = ws.knowledge.create(owner, "Manuals")
        ws.knowledge.ingest(
            owner,
            kb.id,
            [
                MemorySource("lever.txt", b"The red lever opens the gate."),
                MemorySource("switch.md", b"# Switch\nThe blue switch lights the hall."),
            ],
        )
        recipient = ws.kb_packages.keys.public_key(owner)
    view = _make_view(qtbot, owner_ctx)
    assert view.selected_kb_id() == kb.id and view.export_button.isVisibleTo(view)

    export = view.open_export()
    assert export is not None
    package = tmp_path / "manuals.kbpkg"
    export.recipients.setPlainText(recipient)
    export.path.setText(str(package))
    export.action_button.click()
    qtbot.waitUntil(lambda: export.outcome is not None, timeout=20_000)
    assert package.is_file() and b"red lever" not in package.read_bytes()
    assert "2 documents" in export.result_label.text()
    export.close()

    with open_direct(workspace) as ws:
        ws.knowledge.delete(_owner(ws), kb.id)
    view.activate()
    qtbot.waitUntil(lambda: view.kb_list.count() == 0)

    dialog = view.open_import()
    qtbot.waitUntil(lambda: dialog.exchange_key.text() == recipient)
    dialog.path.setText(str(package))
    with qtbot.waitSignal(dialog.package_did_import, timeout=20_000):
        dialog.action_button.click()
    assert dialog.outcome is not None and dialog.outcome.added == 2
    assert "2 versions added" in dialog.result_label.text()
    qtbot.waitUntil(lambda: _names(view) == ["Manuals"])
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)

    assert not dialog.action_button.isEnabled()  # imported: Done closes it
    dialog.close()

    # the same package again, as a new knowledge base: refused inline, nothing added
    dialog = view.open_import()
    qtbot.waitUntil(lambda: dialog.exchange_key.text() == recipient)
    dialog.path.setText(str(package))
    dialog.action_button.click()
    qtbot.waitUntil(lambda: "already exists" in dialog.message.text(), timeout=20_000)
    assert "\n" not in dialog.message.text()
    dialog.close()
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    with open_direct(workspace) as ws:
        names = [k.name for k in ws.knowledge.list(_owner(ws))]
        docs = [d.name for d in ws.knowledge.documents(_owner(ws), "Manuals")]
    assert names == ["Manuals"] and docs == ["lever.txt", "switch.md"]


def test_a_member_sees_no_package_buttons(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, make_ctx: Callable[[], UiContext]
) -> None:
    from desktop.core.models import Role
    from tests.gui.conftest import sign_in_as

    with open_direct(workspace) as ws:
        ws.accounts.add_user(_owner(ws), "mo", Role.MEMBER, PEOPLE_PASSWORD)
    ctx = make_ctx()
    ctx.attach()
    sign_in_as(ctx, workspace, "mo")
    view = _make_view(qtbot, ctx)
    assert not view.import_button.isVisibleTo(view)
    assert not view.export_button.isVisibleTo(view)


def test_cancel_import_stops_it_and_imports_nothing(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with open_direct(workspace) as ws:
        owner = _owner(ws)
        kb = ws.knowledge.create(owner, "Manuals")
        ws.knowledge.ingest(owner, kb.id, [MemorySource("lever.txt", b"The red lever.")])
        package = tmp_path / "manuals.kbpkg"
        ws.kb_packages.export(
            owner,
            kb.id,
            package.write_bytes,
            recipients=[ws.kb_packages.keys.public_key(owner)],
        )
        ws.knowledge.delete(owner, kb.id)
    real = packages.import_package
    started = threading.Event()

    def slow(lc: LaneContext, *args: Any) -> Any:  # an import that takes its time
        started.set()
        deadline = time.monotonic() + 20
        while not lc.token.cancelled and time.monotonic() < deadline:
            time.sleep(0.01)
        return real(lc, *args)  # it sees the cancel before it writes anything

    monkeypatch.setattr(packages, "import_package", slow)
    view = _make_view(qtbot, owner_ctx)
    dialog = view.open_import()
    qtbot.waitUntil(lambda: bool(dialog.exchange_key.text()))
    dialog.path.setText(str(package))
    dialog.action_button.click()
    qtbot.waitUntil(started.is_set, timeout=10_000)
    assert dialog.cancel_button.isVisibleTo(dialog) and not dialog.action_button.isEnabled()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: "nothing was imported" in dialog.message.text(), timeout=20_000)
    assert dialog.action_button.isEnabled() and not dialog.cancel_button.isVisibleTo(dialog)
    assert dialog.outcome is None
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    dialog.close()
    with open_direct(workspace) as ws:
        assert ws.knowledge.list(_owner(ws)) == []
