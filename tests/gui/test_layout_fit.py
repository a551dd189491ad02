"""What a new analyst sees at a small window: text fields wide enough to type in, and a
selected list row whose text stands out from its background (English and Japanese)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QListView,
    QWidget,
)

from desktop.core.chat_models import Conversation
from desktop.ui.context import Backend, UiContext
from desktop.ui.style import STYLE_SHEET
from tests.conftest import PEOPLE_PASSWORD

MIN_FIELD_WIDTH = 120
LANGUAGES = ("en", "ja")


@pytest.fixture
def styled(qapp: Any) -> Iterator[list[UiContext]]:
    """The application style sheet, as the launcher installs it; the contexts the test
    adds to the list it yields are back in English after it."""
    old = qapp.styleSheet()
    qapp.setStyleSheet(STYLE_SHEET)
    contexts: list[UiContext] = []
    yield contexts
    qapp.setStyleSheet(old)
    for ctx in contexts:
        ctx.set_language("en")


FIELD_PADDING = 4  # a frame and a little air above and below the text
SIZES = ((1280, 800), (1024, 700))


def _cramped_fields(root: QWidget) -> list[str]:
    """Visible text fields (line edits, spin boxes, combo boxes) that render smaller than
    they should: narrower than their minimum size hint (and MIN_FIELD_WIDTH for a line
    edit), shorter than their hint or a line of their font plus padding, or cut off by
    the window (their visible region smaller than the widget)."""
    QApplication.processEvents()
    found = []
    for field in root.findChildren(QWidget):
        if not isinstance(field, QLineEdit | QAbstractSpinBox | QComboBox):
            continue
        if not field.isVisible() or isinstance(field.parent(), QAbstractSpinBox | QComboBox):
            continue  # the line edit inside a spin or combo box is measured as that box
        hint = field.minimumSizeHint()
        wide = max(hint.width(), MIN_FIELD_WIDTH if isinstance(field, QLineEdit) else 0)
        tall = max(hint.height(), field.fontMetrics().height() + FIELD_PADDING)
        shown = field.visibleRegion().boundingRect()
        if field.width() < wide or field.height() < tall or shown.size() != field.size():
            found.append(
                f"{field.objectName() or type(field).__name__}: {field.width()}x"
                f"{field.height()} px, {shown.width()}x{shown.height()} shown, "
                f"needs {wide}x{tall}"
            )
    return found


def _window(
    make_ctx: Callable[[], UiContext],
    qtbot: Any,
    language: str,
    contexts: list[UiContext],
    size: tuple[int, int],
) -> Any:
    from desktop.ui.main_window import MainWindow

    ctx = make_ctx()
    contexts.append(ctx)
    ctx.set_language(language)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    window.start()
    qtbot.waitExposed(window)
    assert (window.width(), window.height()) == size
    return window


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", LANGUAGES)
def test_sign_in_and_lock_screen_render_their_fields_at_full_size(
    qtbot: Any,
    workspace: Backend,
    make_ctx: Callable[[], UiContext],
    styled: list[UiContext],
    language: str,
    size: tuple[int, int],
) -> None:
    window = _window(make_ctx, qtbot, language, styled, size)
    ctx = window.ctx
    assert _cramped_fields(window.login) == []
    assert window.login.username.isVisible() and window.login.password.isVisible()
    with qtbot.waitSignal(window.login.signed_in, timeout=10_000):
        window.login.username.setText("owner")
        window.login.password.setText(PEOPLE_PASSWORD)
        window.login.submit.click()
    qtbot.waitUntil(lambda: window.shell is not None and not ctx.runner.busy)
    window.shell.lock_button.click()
    assert window.pages.currentWidget() is window.login
    assert window.login.password.isVisible()
    assert _cramped_fields(window.login) == []
    window.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_first_run_page_renders_its_fields_at_full_size(
    qtbot: Any,
    backend: Backend,
    make_ctx: Callable[[], UiContext],
    styled: list[UiContext],
    language: str,
    size: tuple[int, int],
) -> None:
    """Each page of the wizard in turn (keyring, Owner, recovery key, model)."""
    window = _window(make_ctx, qtbot, language, styled, size)
    wizard = window.wizard
    qtbot.waitUntil(lambda: not window.ctx.runner.busy)
    cramped = {}
    for index in range(wizard.pages.count()):
        wizard.pages.setCurrentIndex(index)
        cramped[index] = _cramped_fields(wizard)
    assert cramped == {index: [] for index in range(wizard.pages.count())}
    wizard.pages.setCurrentIndex(1)
    assert wizard.owner_password.isVisible()  # the Owner page was measured with its fields
    window.close()


def _selected_row_colours(view: QListView, index: QModelIndex) -> tuple[set[int], QColor]:
    """The colours painted inside the selected row, and its background (the colour at
    the row's left edge, where no text is)."""
    view.setCurrentIndex(index)
    QApplication.processEvents()
    window = view.window()
    rect = view.visualRect(index)
    rect.moveTopLeft(view.viewport().mapTo(window, rect.topLeft()))
    image: QImage = window.grab(rect).toImage()
    background = image.pixelColor(2, image.height() // 2)
    colours = {
        image.pixelColor(x, y).rgb() for x in range(image.width()) for y in range(image.height())
    }
    return colours, background


@pytest.mark.parametrize("language", LANGUAGES)
def test_selected_conversation_row_text_differs_from_its_background(
    qtbot: Any, owner_ctx: UiContext, styled: list[UiContext], language: str
) -> None:
    from desktop.ui.chat.conversations import ConversationPanel
    from desktop.ui.chat.look import CHAT_STYLE_SHEET

    styled.append(owner_ctx)
    owner_ctx.set_language(language)
    panel = ConversationPanel()
    panel.setStyleSheet(CHAT_STYLE_SHEET)
    qtbot.addWidget(panel)
    panel.resize(260, 500)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_conversations(
        [_conversation(1, "USB memory policy"), _conversation(2, "x")],
        1,
    )
    other = QWidget()  # the row as it looks when another window has the focus
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not panel.isActiveWindow())
    colours, background = _selected_row_colours(panel.list, panel.conversation_index(0))
    different = {c for c in colours if _distance(QColor.fromRgb(c), background) > 120}
    assert different, "the selected row's text is drawn in its background colour"
    assert not panel.list.horizontalScrollBar().isVisible()


def _distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def _conversation(conv_id: int, title: str) -> Conversation:
    at = "2026-01-02T03:04:05.000000Z"
    return Conversation(conv_id, 1, 1, 1, title, {}, at, at)


def test_the_style_sheet_names_no_widget_of_qts_own_file_dialog(qapp: Any) -> None:
    import re

    from PySide6.QtWidgets import QFileDialog

    dialog = QFileDialog()
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    try:
        names = {child.objectName() for child in dialog.findChildren(QWidget)} - {""}
        styled_names = set(re.findall(r"#([A-Za-z_][\w-]*)", STYLE_SHEET))
        assert names & styled_names == set()
    finally:
        dialog.deleteLater()


@pytest.mark.parametrize("language", LANGUAGES)
def test_export_dialog_rows_do_not_repeat_their_label_in_a_check_box(
    qtbot: Any, owner_ctx: UiContext, styled: list[UiContext], language: str
) -> None:
    from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel

    from desktop.ui.logs.export_dialog import ExportDialog

    styled.append(owner_ctx)
    owner_ctx.set_language(language)
    dialog = ExportDialog(owner_ctx, {})
    qtbot.addWidget(dialog)
    repeated = []
    for form in dialog.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is None or field is None or field.widget() is None:
                continue
            text = label.widget().text() if isinstance(label.widget(), QLabel) else ""
            boxes = field.widget().findChildren(QCheckBox)
            repeated += [text for box in boxes if box.text().strip() == text.strip()]
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    dialog.close()
    assert repeated == []


def test_a_users_message_uses_most_of_the_conversation_width(qtbot: Any) -> None:
    from desktop.ui.chat.messages import UserBubble

    text = "What does the policy say about carrying USB sticks out of the office on trips?"
    bubble = UserBubble(text)
    qtbot.addWidget(bubble)
    bubble.resize(900, 200)
    bubble.show()
    qtbot.waitExposed(bubble)
    QApplication.processEvents()
    one_line = bubble.label.fontMetrics().horizontalAdvance(text)
    assert bubble.label.width() >= min(one_line, 500)
