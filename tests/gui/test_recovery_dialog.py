"""RecoveryKeyDialog: continue only after confirming, a copy that clears itself (but not
what the user copied since), a private file on Save, and no key left after closing."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QDialog, QFileDialog, QPlainTextEdit, QPushButton

from desktop.ui import recovery
from desktop.ui.recovery import RecoveryKeyDialog

KEY = "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789"


@pytest.fixture
def dialog(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> RecoveryKeyDialog:
    monkeypatch.setattr(RecoveryKeyDialog, "CLEAR_AFTER_MS", 50)
    made = RecoveryKeyDialog(KEY)
    qtbot.addWidget(made)
    return made


def _button(dialog: QDialog, name: str) -> QPushButton:
    button = dialog.findChild(QPushButton, name)
    assert button is not None, name
    return button


def test_continue_is_disabled_until_stored_is_ticked(qtbot: Any, dialog: RecoveryKeyDialog) -> None:
    text = dialog.findChild(QPlainTextEdit, "recoveryKeyText")
    assert text.toPlainText() == KEY
    assert text.isReadOnly()
    proceed = _button(dialog, "continueButton")
    assert not proceed.isEnabled()
    dialog.open()
    dialog.reject()  # Escape and the close button do not get past the confirmation
    dialog.close()
    assert dialog.isVisible()

    dialog.findChild(QCheckBox, "storedCheck").setChecked(True)
    assert proceed.isEnabled()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(proceed, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert text.toPlainText() == ""


def test_key_is_not_kept_in_attributes(dialog: RecoveryKeyDialog) -> None:
    assert all(value != KEY for value in vars(dialog).values())


def test_copy_puts_the_key_on_the_clipboard_and_clears_it(
    qtbot: Any, dialog: RecoveryKeyDialog
) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("before")
    qtbot.mouseClick(_button(dialog, "copyButton"), Qt.MouseButton.LeftButton)
    assert clipboard.text() == KEY
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=2000)


def test_copy_leaves_what_the_user_copied_since(
    qtbot: Any, dialog: RecoveryKeyDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    fired: list[bool] = []
    check = recovery._clear_clipboard_if
    monkeypatch.setattr(recovery, "_clear_clipboard_if", lambda d: fired.append(check(d) or True))
    clipboard = QGuiApplication.clipboard()
    qtbot.mouseClick(_button(dialog, "copyButton"), Qt.MouseButton.LeftButton)
    assert clipboard.text() == KEY
    clipboard.setText("something else")
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)
    assert clipboard.text() == "something else"
    clipboard.clear()


def test_save_writes_a_file_only_the_user_can_read(
    tmp_path: Path, dialog: RecoveryKeyDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "key.txt"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    _button(dialog, "saveButton").click()
    assert KEY in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_save_cancelled_writes_nothing(
    tmp_path: Path, dialog: RecoveryKeyDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    _button(dialog, "saveButton").click()
    assert list(tmp_path.iterdir()) == []
