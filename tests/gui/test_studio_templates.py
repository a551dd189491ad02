"""The Studio's template buttons: export the shown app (signed), import a template whose
model and knowledge base differ through the mapping dialog, and a Member sees neither."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from desktop import app
from desktop.core import app_template
from desktop.core.chat_models import AppConfig
from desktop.core.knowledge_models import KbVisibility
from desktop.core.models import Role
from desktop.ui.context import Backend, UiContext
from desktop.ui.studio.view import StudioView
from tests.conftest import PEOPLE_PASSWORD
from tests.gui.conftest import open_direct, sign_in_as


def _owner(ws: app.Workspace) -> Any:
    return ws.accounts.authenticate("owner", PEOPLE_PASSWORD)


@pytest.fixture
def tutor(workspace: Backend, tmp_path: Path) -> int:
    """An app "Tutor" on the model "tiny", linked to the knowledge base "Handbook"."""
    model_file = tmp_path / "tiny.gguf"
    model_file.write_bytes(b"GGUF" + bytes(64))
    with open_direct(workspace) as ws:
        owner = _owner(ws)
        model = ws.models.register(owner, str(model_file), name="tiny")
        kb = ws.knowledge.create(owner, "Handbook", visibility=KbVisibility.ALL)
        config = AppConfig(
            name="Tutor",
            model_id=model.id,
            instructions="Teach {{topic}} simply.",
            suggested_questions=("What is a fraction?",),
            kb_ids=(kb.id,),
        )
        return ws.apps.create(owner, config).id


@pytest.fixture
def make_view(qtbot: Any) -> Callable[[UiContext], StudioView]:
    def make(ctx: UiContext) -> StudioView:
        view = StudioView(ctx)
        qtbot.addWidget(view)
        view.activate()
        qtbot.waitUntil(lambda: not ctx.runner.busy)
        return view

    return make


def _dialog_returns(monkeypatch: pytest.MonkeyPatch, name: str, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, name, staticmethod(lambda *a, **k: (str(path), "")))


def test_export_writes_the_shown_app_signed(
    qtbot: Any,
    owner_ctx: UiContext,
    tutor: int,
    make_view: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = make_view(owner_ctx)
    buttons = view.templates
    assert view.current_id == tutor
    assert buttons.export_button.isVisibleTo(view) and buttons.import_button.isVisibleTo(view)
    target = tmp_path / "out" / "tutor.yaml"
    target.parent.mkdir()
    _dialog_returns(monkeypatch, "getSaveFileName", target)
    buttons.sign.setChecked(True)
    buttons.export_button.click()
    qtbot.waitUntil(lambda: "Wrote" in view.message.text())
    parsed = app_template.parse(target.read_bytes())
    assert (parsed.name, parsed.model_name, parsed.knowledge_bases) == (
        "Tutor",
        "tiny",
        ("Handbook",),
    )
    assert (tmp_path / "out" / "tutor.yaml.sig").read_bytes().startswith(b"-----BEGIN SSH")
    buttons.export_button.click()  # the same file again: refused, not overwritten
    qtbot.waitUntil(lambda: "exists" in view.message.text())


def test_import_maps_the_model_and_knowledge_base_in_the_dialog(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    tutor: int,
    make_view: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with open_direct(workspace) as ws:
        owner = _owner(ws)
        text = ws.app_templates.export(owner, tutor).data.decode()
        model = ws.models.get(owner, "tiny")
        handbook = ws.knowledge.list(owner)[0].id
    foreign = text.replace(model.sha256, "cd" * 32).replace("Handbook", "Elsewhere")
    source = tmp_path / "foreign.yaml"
    source.write_text(foreign, encoding="utf-8")
    view = make_view(owner_ctx)
    _dialog_returns(monkeypatch, "getOpenFileName", source)
    view.templates.import_button.click()
    qtbot.waitUntil(lambda: view.templates.dialog is not None)
    dialog = view.templates.dialog
    assert dialog is not None and dialog.isVisible()
    assert "Unsigned" in dialog.signer.text()
    assert dialog.findChild(object, "templateModelMissing") is not None
    assert dialog.model.currentData() is None and list(dialog.kbs) == ["Elsewhere"]
    assert not dialog.import_button.isEnabled()  # nothing mapped yet
    dialog.model.setCurrentIndex(dialog.model.findText("tiny"))
    assert not dialog.import_button.isEnabled()
    kb_box = dialog.kbs["Elsewhere"]
    kb_box.setCurrentIndex(kb_box.findText("Handbook"))
    assert dialog.findChild(object, "templateNameTaken") is not None
    assert not dialog.import_button.isEnabled()  # "Tutor" exists
    dialog.name.setText("Tutor (imported)")
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: view.app_list.count() == 2)
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    assert "Imported" in view.message.text()
    with open_direct(workspace) as ws:
        made = ws.apps.show(_owner(ws), "Tutor (imported)").config
    assert made.model_id == model.id and made.kb_ids == (handbook,)
    assert made.instructions == "Teach {{topic}} simply."
    assert view.current_id is not None and view.editor.name.text() == "Tutor (imported)"


def test_a_broken_template_shows_one_line_and_no_dialog(
    qtbot: Any,
    owner_ctx: UiContext,
    tutor: int,
    make_view: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = tmp_path / "bomb.yaml"
    source.write_text("a: &a [x, x]\nb: [*a, *a]\n", encoding="utf-8")
    view = make_view(owner_ctx)
    _dialog_returns(monkeypatch, "getOpenFileName", source)
    view.templates.import_button.click()
    qtbot.waitUntil(lambda: "alias" in view.message.text())
    assert view.templates.dialog is None and "\n" not in view.message.text()
    assert view.app_list.count() == 1


def test_a_member_sees_no_template_buttons(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, tutor: int, make_view: Any
) -> None:
    with open_direct(workspace) as ws:
        ws.accounts.add_user(_owner(ws), "mia", Role.MEMBER, PEOPLE_PASSWORD)
    sign_in_as(owner_ctx, workspace, "mia")
    view = make_view(owner_ctx)
    assert view.app_list.count() == 1
    assert not view.templates.import_button.isVisibleTo(view)
    assert not view.templates.export_button.isVisibleTo(view)
    assert not view.templates.sign.isVisibleTo(view)


def test_a_signed_template_opens_only_once_its_signer_is_trusted(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    tutor: int,
    make_view: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop.core.services.log_bundles import SIGNED_NAMESPACES
    from desktop.security import signing

    seed = signing.new_signing_key()  # another workspace's signing key
    with open_direct(workspace) as ws:
        data = ws.app_templates.export(_owner(ws), tutor).data
    source = tmp_path / "signed.yaml"
    source.write_bytes(data)
    (tmp_path / "signed.yaml.sig").write_text(
        signing.sshsig_sign(seed, data, app_template.NAMESPACE), encoding="ascii"
    )
    view = make_view(owner_ctx)
    _dialog_returns(monkeypatch, "getOpenFileName", source)
    view.templates.import_button.click()
    qtbot.waitUntil(lambda: "kura keys trust" in view.message.text())
    assert view.templates.dialog is None
    line = signing.allowed_signers_line(
        "kura-audit@elsewhere", signing.public_openssh(seed), SIGNED_NAMESPACES
    )
    with open_direct(workspace) as ws:
        ws.kb_packages.keys.trust(_owner(ws), line)
    view.templates.import_button.click()
    qtbot.waitUntil(lambda: view.templates.dialog is not None)
    dialog = view.templates.dialog
    assert dialog is not None
    assert "trusts (kura-audit@elsewhere)" in dialog.signer.text()
    assert signing.fingerprint(signing.public_openssh(seed)) in dialog.signer.text()
    dialog.reject()
