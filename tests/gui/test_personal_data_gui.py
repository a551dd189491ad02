"""The personal-data GUI over fakes (issue 18, item 5): the app's two policies in Studio,
redaction in a knowledge base's settings, the Personal data settings page (workspace
defaults, terms, "Test the detector") and the masked counts in a turn's trace."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel

from desktop import app
from desktop.core.chat_models import AppConfig
from desktop.core.knowledge_models import KbVisibility
from desktop.core.models import Role
from desktop.core.privacy import Term
from desktop.ui.context import Backend, UiContext
from desktop.ui.knowledge.view import KnowledgeView
from desktop.ui.logs import LogsView
from desktop.ui.pii_words import PiiWords
from desktop.ui.settings.personal_data import PersonalDataPage, parse_terms
from desktop.ui.settings.view import SettingsView
from desktop.ui.studio.view import StudioView
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FakeInspector
from tests.fakes_pii import FakePiiDetector
from tests.fakes_retrieval import HashEmbedder
from tests.gui.conftest import open_direct, sign_in_as

NAME, PHONE, MY_NUMBER = "山田太郎", "090-1234-5678", "123456789018"


@pytest.fixture
def detector() -> FakePiiDetector | None:
    return FakePiiDetector()


@pytest.fixture
def fake_engines(fake_chat: FakeChatModel, detector: FakePiiDetector | None) -> app.Engines:
    embedder = HashEmbedder()
    return app.Engines(FakeInspector(), fake_chat, lambda _dir: embedder, pii_detector=detector)


@pytest.fixture
def model_id(workspace: Backend, tmp_path: Path) -> int:
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF" + bytes(64))
    with open_direct(workspace) as ws:
        return ws.models.register(_owner(ws), str(model), name="tiny").id


def _owner(ws: app.Workspace) -> Any:
    return ws.accounts.authenticate("owner", PEOPLE_PASSWORD)


def _idle(qtbot: Any, ctx: UiContext) -> None:
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)


@pytest.fixture
def settings_page(qtbot: Any) -> Iterator[Callable[[UiContext], PersonalDataPage]]:
    made: list[tuple[SettingsView, UiContext]] = []

    def make(ctx: UiContext) -> PersonalDataPage:
        view = SettingsView(ctx)
        qtbot.addWidget(view)
        made.append((view, ctx))
        view.activate()
        page = view.show_section("personal_data")
        assert isinstance(page, PersonalDataPage)
        _idle(qtbot, ctx)
        return page

    yield make
    for view, ctx in made:
        _idle(qtbot, ctx)
        view.teardown()


# ---------------------------------------------------------------- Studio


def test_studio_saves_each_policy_as_workspace_default_on_or_off(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, model_id: int
) -> None:
    with open_direct(workspace) as ws:
        owner = _owner(ws)
        ws.privacy.set_defaults(owner, minimise_logs=True)
        app_id = ws.apps.create(owner, AppConfig(name="hr", model_id=model_id)).id
    view = StudioView(owner_ctx)
    qtbot.addWidget(view)
    view.activate()
    _idle(qtbot, owner_ctx)
    policies = view.editor.privacy
    # the default's item says what the workspace has now
    assert policies.minimise_logs.itemText(0) == "Workspace default (on)"
    assert policies.pseudonymise.itemText(0) == "Workspace default (off)"
    assert policies.values() == {"minimise_logs": None, "pseudonymise": None}
    assert not view.editor.dirty

    policies.minimise_logs.setCurrentIndex(policies.minimise_logs.findData("off"))
    policies.pseudonymise.setCurrentIndex(policies.pseudonymise.findData("on"))
    assert view.editor.dirty
    view.save_button.click()
    _idle(qtbot, owner_ctx)
    with open_direct(workspace) as ws:
        config = ws.apps.show(_owner(ws), app_id).config
    assert (config.minimise_logs, config.pseudonymise) == (False, True)
    assert not view.editor.dirty  # the saved app loaded back with the same choices

    policies.minimise_logs.setCurrentIndex(0)  # back to the workspace default
    view.save_button.click()
    _idle(qtbot, owner_ctx)
    with open_direct(workspace) as ws:
        config = ws.apps.show(_owner(ws), app_id).config
    assert (config.minimise_logs, config.pseudonymise) == (None, True)
    view.teardown()


# ---------------------------------------------------------------- Knowledge


def test_knowledge_settings_save_redaction_and_keep_original_only_with_it(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend
) -> None:
    with open_direct(workspace) as ws:
        kb_id = ws.knowledge.create(_owner(ws), "Customers", visibility=KbVisibility.ALL).id
    view = KnowledgeView(owner_ctx)
    qtbot.addWidget(view)
    view.activate()
    _idle(qtbot, owner_ctx)
    panel = view.settings
    redaction = panel.redaction
    assert "added from now on" in redaction.note.text()
    assert not redaction.redact.isChecked()
    assert not redaction.keep_original.isEnabled()  # meaningless without redaction

    redaction.redact.setChecked(True)
    assert redaction.keep_original.isEnabled()
    assert panel.save_button.isEnabled()
    panel.save_button.click()
    _idle(qtbot, owner_ctx)
    with open_direct(workspace) as ws:
        settings = ws.knowledge.get(_owner(ws), kb_id).settings
    assert (settings.redact_pii, settings.keep_original) == (True, False)

    redaction.keep_original.setChecked(True)
    panel.save_button.click()
    _idle(qtbot, owner_ctx)
    with open_direct(workspace) as ws:
        settings = ws.knowledge.get(_owner(ws), kb_id).settings
    assert (settings.redact_pii, settings.keep_original) == (True, True)
    assert redaction.redact.isChecked() and redaction.keep_original.isChecked()

    redaction.redact.setChecked(False)  # keeping the original goes with it
    assert redaction.values() == {"redact_pii": False, "keep_original": False}
    view.teardown()


# ---------------------------------------------------------------- Settings


def test_owner_sets_workspace_defaults_and_terms_with_a_bad_pattern_shown_inline(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, settings_page: Any
) -> None:
    page = settings_page(owner_ctx)
    assert not page.minimise_logs.isChecked() and page.minimise_logs.isEnabled()
    page.pseudonymise.setChecked(True)
    page.save_defaults.click()
    _idle(qtbot, owner_ctx)
    assert page.message.text() == "Defaults saved."
    assert page.terms is not None
    page.terms.setPlainText("Project Blue Sky\nre:CUST-(\n")
    page.save_terms.click()
    _idle(qtbot, owner_ctx)
    error = page.terms_message.text()
    assert "CUST-(" in error and "\n" not in error and "Traceback" not in error
    page.terms.setPlainText("Project Blue Sky\n\nre:CUST-\\d{6}\n")
    page.save_terms.click()
    _idle(qtbot, owner_ctx)
    assert page.terms_message.text() == "2 terms saved."
    with open_direct(workspace) as ws:
        owner = _owner(ws)
        assert ws.privacy.defaults(owner).pseudonymise
        assert ws.privacy.terms(owner) == [
            Term("Project Blue Sky"),
            Term("CUST-\\d{6}", regex=True),
        ]


def test_terms_are_read_one_a_line_with_re_before_a_pattern() -> None:
    assert parse_terms(" Acme \n\nre:ID-\\d+\n") == [Term("Acme"), Term("ID-\\d+", regex=True)]


def test_a_member_sees_the_defaults_read_only_and_no_terms(
    qtbot: Any,
    workspace: Backend,
    make_ctx: Callable[[], UiContext],
    settings_page: Any,
) -> None:
    with open_direct(workspace) as ws:
        owner = _owner(ws)
        ws.accounts.add_user(owner, "mo", Role.MEMBER, PEOPLE_PASSWORD)
        ws.privacy.set_defaults(owner, minimise_logs=True)
    ctx = make_ctx()
    ctx.attach()
    sign_in_as(ctx, workspace, "mo")
    page = settings_page(ctx)
    assert page.minimise_logs.isChecked() and not page.minimise_logs.isEnabled()
    assert page.terms is None and not page.save_defaults.isVisibleTo(page)
    assert page.tester.detect_button.isEnabled()  # the detector test is for everyone


def test_the_detector_test_highlights_each_value_with_its_type_and_stores_nothing(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    settings_page: Any,
    detector: FakePiiDetector,
) -> None:
    page = settings_page(owner_ctx)
    tester = page.tester
    text = f"😀 {NAME}さんの電話は {PHONE} です"
    tester.input.setPlainText(text)
    tester.detect_button.click()
    _idle(qtbot, owner_ctx)
    assert detector.seen == [text]  # the app's detector, run off the GUI thread
    rows = [
        (tester.found.item(r, 0).text(), tester.found.item(r, 1).text())
        for r in range(tester.found.rowCount())
    ]
    assert rows == [(NAME, "name"), (PHONE, "phone number")]
    assert tester.message.text() == "Found: 1 name, 1 phone number"
    highlighted = []
    block = tester.shown.document().begin()
    for fragment in (it.fragment() for it in block):
        if fragment.charFormat().background().color().name() == "#ffd666":
            highlighted.append(fragment.text())
    assert highlighted == [NAME, PHONE]  # the emoji before them does not shift the marks
    cursor = QTextCursor(tester.shown.document())
    assert cursor.document().toPlainText() == text


@pytest.mark.parametrize("detector", [None])
def test_without_a_detector_the_test_names_the_remedy(
    qtbot: Any, owner_ctx: UiContext, settings_page: Any
) -> None:
    page = settings_page(owner_ctx)
    page.tester.input.setPlainText(f"{NAME} {PHONE}")
    page.tester.detect_button.click()
    _idle(qtbot, owner_ctx)
    message = page.tester.message.text()
    assert message.startswith("Personal-data detection is not available")
    assert "use a Kura build" in message and "\n" not in message
    assert not page.tester.shown.isVisibleTo(page)


# ---------------------------------------------------------------- trace


def test_the_trace_shows_masked_counts_in_words_never_values(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    model_id: int,
    fake_chat: FakeChatModel,
) -> None:
    with open_direct(workspace) as ws:
        owner = _owner(ws)
        hr = ws.apps.create(owner, AppConfig(name="hr", model_id=model_id, minimise_logs=True)).id
        fake_chat.replies = [["Noted."]]
        ws.chat.send(owner, hr, f"{NAME} の電話は {PHONE}、佐藤花子 も同じ")
    view = LogsView(owner_ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and not owner_ctx.runner.busy)
    dialog = view.open_trace(0)
    try:
        label = dialog.findChild(QLabel, "tracePii")
        assert label is not None
        assert label.text() == (
            "Masked: 2 names, 1 phone number (minimise logs on, pseudonymise off)"
        )
        assert NAME not in label.text() and PHONE not in label.text()
    finally:
        dialog.close()
        _idle(qtbot, owner_ctx)
    view.teardown()


def test_masked_counts_read_as_words_in_the_types_order() -> None:
    words = PiiWords()
    assert words.masked({"PHONE_NUMBER": 1, "PERSON": 2}) == "Masked: 2 names, 1 phone number"
    assert words.masked({}) == "Masked: nothing"
    assert words.masked({"MY_NUMBER": 3, "CUSTOM": 1}) == "Masked: 3 My Numbers, 1 workspace term"


def test_the_owners_detector_test_also_finds_the_saved_workspace_terms(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, settings_page: Any
) -> None:
    with open_direct(workspace) as ws:
        ws.privacy.set_terms(_owner(ws), [Term("Project Blue Sky"), Term(r"CUST-\d{6}", True)])
    page = settings_page(owner_ctx)
    page.tester.input.setPlainText(f"{NAME} asked about project blue sky for CUST-123456")
    page.tester.detect_button.click()
    _idle(qtbot, owner_ctx)
    rows = [
        (page.tester.found.item(r, 0).text(), page.tester.found.item(r, 1).text())
        for r in range(page.tester.found.rowCount())
    ]
    assert rows == [
        (NAME, "name"),
        ("project blue sky", "workspace term"),
        ("CUST-123456", "workspace term"),
    ]
