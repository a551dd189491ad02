"""The message box: Enter sends, Shift+Enter is a new line, Esc stops, and the Enter that
confirms an input-method conversion (Japanese input) never sends."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from desktop.ui.chat.composer import ComposerEdit


def _composer(qtbot: Any) -> tuple[ComposerEdit, list[str]]:
    box = ComposerEdit()
    qtbot.addWidget(box)
    seen: list[str] = []
    box.send_requested.connect(lambda: seen.append("send"))
    box.stop_requested.connect(lambda: seen.append("stop"))
    return box, seen


def _preedit(box: ComposerEdit, text: str) -> None:
    QApplication.sendEvent(box, QInputMethodEvent(text, []))


def _commit(box: ComposerEdit, text: str) -> None:
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(box, event)


def test_enter_sends_and_shift_enter_starts_a_new_line(qtbot: Any) -> None:
    box, seen = _composer(qtbot)
    qtbot.keyClicks(box, "first line")
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(box, "second line")
    assert seen == [] and box.toPlainText() == "first line\nsecond line"
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.keyClick(box, Qt.Key.Key_Enter)  # the keypad's Enter too
    assert seen == ["send", "send"] and box.toPlainText() == "first line\nsecond line"
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert seen[-1] == "stop"


def test_enter_that_confirms_a_conversion_never_sends(qtbot: Any) -> None:
    box, seen = _composer(qtbot)
    _preedit(box, "にほんご")
    assert box.preediting
    qtbot.keyClick(box, Qt.Key.Key_Return)  # confirms the conversion
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # belongs to the input method as well
    assert seen == []
    _commit(box, "日本語")
    assert not box.preediting and box.toPlainText() == "日本語"
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert seen == ["send"] and box.toPlainText() == "日本語"


def test_a_conversion_left_open_ends_when_focus_leaves(qtbot: Any) -> None:
    box, seen = _composer(qtbot)
    _preedit(box, "かな")
    QApplication.sendEvent(box, _focus_out())
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert seen == ["send"]


def _focus_out() -> Any:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QFocusEvent

    return QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.OtherFocusReason)
