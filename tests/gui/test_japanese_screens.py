"""No English in the Japanese window: every top-level screen (the first-run pages, sign-in,
the lock screen, and each screen and Settings page of the signed-in window) is walked in
Japanese, and every visible text a user reads (labels, buttons, tabs, group titles,
column headers, placeholders, tool tips, combo items, window titles) is collected.

A Latin-letter word fails the test unless it is user data (the fixture's names), a
model or format name, a key name, a file path, or on the allowlist below. Plain labels
are read too: they show user data, but also what the program reports about itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from desktop.core.chat_models import AppConfig
from desktop.core.knowledge_models import KbVisibility
from desktop.core.models import Role
from desktop.ui.context import Backend, UiContext
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, MemorySource
from tests.gui.conftest import open_direct

# Names a Japanese user reads as they are: formats, standards, keys, products, and
# "English" in the language menu (each language is named in its own words).
ALLOWED = frozenset(
    (
        *("kura", "gguf", "sha-256", "sha256", "totp", "pdf", "markdown", "csv", "json"),
        *("jsonl", "chatml", "top-p", "top-k", "enter", "shift", "ctrl", "esc", "tab", "alt"),
        *("del", "gpu", "cpu", "ram", "vram", "url", "id", "ok", "utc", "ssh", "ssh-keygen"),
        *("allowed_signers", "ms", "rrf", "bm25", "web", "usb", "llama", "llama.cpp"),
        *(
            "gemma",
            "python",
            "qt",
            "pyside6",
            "ai",
            "api",
            "html",
            "txt",
            "md",
            "docx",
            "xlsx",
            "pptx",
            "english",
        ),
    )
)
# The fixture's user names, model name and architecture, and the example user names of
# the placeholders (sign-in names are Latin letters in Japanese too).
USER_DATA = frozenset({"owner", "tanaka", "mika", "mo", "tiny", "fake"})
# The test key store names itself so on the keyring page (a real one shows its own name).
FIXTURE_TEXT = "memory (tests only)"
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.'’-]*[A-Za-z0-9]|[A-Za-z]")
TAG = re.compile(r"<[^>]+>")
# Not words: shortcuts (Ctrl+L, Shift+Enter), file paths (the workspace folder), key
# fingerprints (SHA256:...) and hashes, the verify command auditors type, a UUID (the
# workspace id in Settings › About's support details), {{variables}} in app
# instructions, file extensions, sizes (36 B, 1.2 GiB) and a `kura ...` command in backticks.
SKIPPED = re.compile(
    r"`kura [^`]+`|(?:Ctrl|Shift|Alt|Meta)\+(?:[A-Z0-9,]\b)?|\S*[/\\]\S*|SHA256:\S+"
    r"|ssh-keygen -Y verify|\b[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\b"
    r"|\b[0-9a-f]{8,}|\{\{\w+\}\}|\.\w+\b|\b\d+(?:\.\d+)? [KMG]?i?B\b"
)


def _texts(widget: QWidget) -> list[str]:
    """What a user reads on this one widget (not its children)."""
    texts = [widget.toolTip()]
    if widget.isWindow():
        texts.append(widget.windowTitle())
    if isinstance(widget, QLabel | QAbstractButton):
        texts.append(widget.text())
    elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        texts.append(widget.placeholderText())
    elif isinstance(widget, QGroupBox):
        texts.append(widget.title())
    elif isinstance(widget, QTabBar):
        texts += [widget.tabText(i) for i in range(widget.count())]
        texts += [widget.tabToolTip(i) for i in range(widget.count())]
    elif isinstance(widget, QComboBox):
        texts += [widget.itemText(i) for i in range(widget.count())]
    elif isinstance(widget, QListWidget):
        texts += [widget.item(i).text() for i in range(widget.count())]
    elif isinstance(widget, QHeaderView) and widget.model() is not None:
        model = widget.model()
        for section in range(widget.count()):
            texts.append(str(model.headerData(section, widget.orientation()) or ""))
    return texts


def _clean(text: str | None) -> str:
    return (text or "").replace(FIXTURE_TEXT, " ")


def english_words(root: QWidget) -> dict[str, set[str]]:
    """Latin words outside the allowlist, each with where it was read."""
    QApplication.processEvents()
    found: dict[str, set[str]] = {}
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        where = f"{type(widget).__name__}#{widget.objectName()}"
        for text in _texts(widget):
            for word in WORD.findall(SKIPPED.sub(" ", TAG.sub(" ", _clean(text)))):
                if word.lower() not in ALLOWED | USER_DATA:
                    found.setdefault(word, set()).add(f"{where}: {text[:60]!r}")
    return found


@pytest.fixture
def japanese(make_ctx: Callable[[], UiContext]) -> Iterator[Callable[[], Any]]:
    """A Japanese main window per call; every context is back in English afterwards."""
    contexts: list[UiContext] = []

    def window() -> Any:
        from desktop.ui.main_window import MainWindow

        ctx = make_ctx()
        contexts.append(ctx)
        ctx.set_language("ja")
        shown = MainWindow(ctx)
        shown.resize(1280, 800)
        shown.show()
        shown.start()
        return shown

    yield window
    for ctx in contexts:
        ctx.set_language("en")


def test_the_japanese_first_run_pages_show_no_english(
    qtbot: Any, backend: Backend, japanese: Callable[[], Any]
) -> None:
    window = japanese()
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.ctx.runner.busy)
    wizard = window.wizard
    found: dict[int, dict[str, set[str]]] = {}
    for index in range(wizard.pages.count()):
        wizard.pages.setCurrentIndex(index)
        found[index] = english_words(window)
    window.close()
    assert found == {index: {} for index in found}


@pytest.fixture
def filled(workspace: Backend, fake_chat: FakeChatModel, tmp_path: Path) -> Backend:
    """A member, a model, a knowledge base with a document, an app and a rated turn, so
    the screens show their lists and tables rather than their empty states."""
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "mo", Role.MEMBER, PEOPLE_PASSWORD)
        model_id = ws.models.register(owner, str(model), name="tiny").id
        kb = ws.knowledge.create(owner, "規程集", visibility=KbVisibility.ALL)
        ws.knowledge.ingest(owner, kb.id, [MemorySource("規程.md", "# 休暇\n年20日。".encode())])
        app_id = ws.apps.create(owner, AppConfig(name="人事", model_id=model_id)).id
        fake_chat.replies = [["年", "20日です。"]]
        turn = ws.chat.send(owner, app_id, "休暇は何日？").turn.id
        ws.logs.rate(owner, turn, "up", "")
    return workspace


@pytest.mark.parametrize("data", ["empty", "filled"])
def test_the_japanese_sign_in_lock_and_every_screen_show_no_english(
    qtbot: Any, workspace: Backend, japanese: Callable[[], Any], request: Any, data: str
) -> None:
    if data == "filled":
        request.getfixturevalue("filled")
    window = japanese()
    qtbot.addWidget(window)
    ctx = window.ctx
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    found = {"sign-in": english_words(window)}
    with qtbot.waitSignal(window.login.signed_in, timeout=10_000):
        window.login.username.setText("owner")
        window.login.password.setText(PEOPLE_PASSWORD)
        window.login.submit.click()
    qtbot.waitUntil(lambda: window.shell is not None and not ctx.runner.busy)
    shell = window.shell
    for screen in shell.visible_screens():
        view = shell.show_screen(screen.key)
        qtbot.waitUntil(lambda: not ctx.runner.busy)
        found[screen.key] = english_words(window)
        for key in getattr(view, "section_keys", list)()[1:]:
            view.show_section(key)
            qtbot.waitUntil(lambda: not ctx.runner.busy)
            found[f"{screen.key}/{key}"] = english_words(window)
    shell.lock_button.click()
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    found["locked"] = english_words(window)
    window.close()
    shown = {where: words for where, words in found.items() if words}
    assert shown == {}, "\n".join(f"{w}: {sorted(v)}" for w, v in shown.items())


def test_the_japanese_dialogs_show_no_english(
    qtbot: Any, filled: Backend, japanese: Callable[[], Any]
) -> None:
    """The member dialogs (add, reset password, change role), a turn's trace and the log
    export, each opened from its screen as a user opens it."""
    from desktop.ui.members_dialogs import AddMemberDialog, ChangeRoleDialog, ResetPasswordDialog

    window = japanese()
    qtbot.addWidget(window)
    ctx = window.ctx
    with qtbot.waitSignal(window.login.signed_in, timeout=10_000):
        window.login.username.setText("owner")
        window.login.password.setText(PEOPLE_PASSWORD)
        window.login.submit.click()
    qtbot.waitUntil(lambda: window.shell is not None and not ctx.runner.busy)
    found = {}
    members = window.shell.show_screen("members")
    qtbot.waitUntil(lambda: members.model.rowCount() == 2 and not ctx.runner.busy)
    for dialog in (
        AddMemberDialog(ctx, members),
        ResetPasswordDialog(ctx, "mo", members),
        ChangeRoleDialog(ctx, "mo", Role.MEMBER, members),
    ):
        dialog.show()
        qtbot.waitUntil(lambda: not ctx.runner.busy)
        found[dialog.objectName() or type(dialog).__name__] = english_words(dialog)
        dialog.close()
    logs = window.shell.show_screen("logs")
    qtbot.waitUntil(lambda: logs.model.rowCount() == 1 and not ctx.runner.busy)
    for dialog in (logs.open_trace(0), logs.open_export()):
        qtbot.waitUntil(lambda: not ctx.runner.busy)
        found[type(dialog).__name__] = english_words(dialog)
        dialog.close()
    window.close()
    shown = {where: words for where, words in found.items() if words}
    assert shown == {}, "\n".join(f"{w}: {sorted(v)}" for w, v in shown.items())
