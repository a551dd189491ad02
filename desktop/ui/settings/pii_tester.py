""" "Test the detector" (any user): paste text, see each personal-data value it finds
highlighted, with its type. The text is sent to the model host's detector on a lane and
shown here only: it is never logged, audited or stored."""

from __future__ import annotations

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.core.models import Actor
from desktop.core.pii import PiiEntity
from desktop.core.privacy import TermMatcher
from desktop.core.pseudonymise import merge_entities
from desktop.core.rbac import Permission
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.pii_words import PiiWords
from desktop.ui.settings.common import Panel, hint
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.widgets import primary_button, spread_row

HIGHLIGHT = QColor(255, 214, 102)  # amber, readable in both themes with dark text
MAX_CHARS = 20_000


class NoDetector(Exception):
    """This Kura was built or started without the personal-data detector."""


def detect(lc: LaneContext, text: str, actor: Actor, owner: bool) -> list[PiiEntity]:
    """What chat would mask: the detector's finds and, for the Owner (who alone may read
    them), the workspace's saved terms, merged as the chat policies merge them."""
    detector = lc.ws.pii_detector
    if detector is None:
        raise NoDetector
    found = detector.detect([text], lc.token)[0]
    if not owner:
        return found
    terms = TermMatcher(tuple(lc.ws.privacy.terms(actor)))
    return merge_entities(terms.find(text), found)


class DetectorTester(Panel):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.words = PiiWords(self)
        self.content.addWidget(
            hint(
                self.tr(
                    "Paste text and press Detect to see what Kura would mask. The text "
                    "stays on this screen: it is not logged or stored."
                ),
                self,
            )
        )
        self.input = QPlainTextEdit(self)
        self.input.setObjectName("piiTestInput")
        self.input.setPlaceholderText(
            self.tr("e.g. 山田太郎さん（090-1234-5678）に taro@example.com で連絡")
        )
        self.input.setMaximumHeight(110)
        self.detect_button = primary_button(self.tr("Detect"), "piiTestButton", self)
        self.detect_button.clicked.connect(self._on_detect_clicked)
        self.message = InlineMessage(self)
        self.shown = QPlainTextEdit(self)
        self.shown.setObjectName("piiTestResult")
        self.shown.setReadOnly(True)
        self.shown.setMaximumHeight(110)
        self.found = QTableWidget(0, 2, self)
        self.found.setObjectName("piiTestFound")
        self.found.setHorizontalHeaderLabels([self.tr("Value"), self.tr("Type")])
        self.found.verticalHeader().hide()
        self.found.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.found.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.found.setMaximumHeight(160)
        self.content.addWidget(self.input)
        self.content.addLayout(spread_row([], [self.detect_button]))
        self.content.addWidget(self.message)
        self.content.addWidget(self.shown)
        self.content.addWidget(self.found)
        self._show_result(None)

    def title(self) -> str:
        return self.tr("Test the detector")

    def _on_detect_clicked(self) -> None:
        text = self.input.toPlainText()
        self.message.clear_message()
        if not text.strip():
            self.message.show_error(self.tr("Paste some text to test first."))
            return
        if len(text) > MAX_CHARS:
            self.message.show_error(
                self.tr("That is {n} characters: test at most {max} at a time.").format(
                    n=len(text), max=MAX_CHARS
                )
            )
            return
        actor, owner = self.actor(), self.ctx.can(Permission.MANAGE_SECURITY)
        self.detect_button.setEnabled(False)
        self.run(
            Lane.INFERENCE,
            lambda lc: detect(lc, text, actor, owner),
            key="detect",
            on_done=lambda found: self._on_detected(text, found),
            on_failed=self._on_failed,
            on_finally=lambda: self.detect_button.setEnabled(True),
        )

    def _on_failed(self, exc: BaseException) -> None:
        self._show_result(None)
        if isinstance(exc, NoDetector):
            self.message.show_error(
                self.tr(
                    "Personal-data detection is not available in this Kura: use a Kura "
                    "build that includes the personal-data detector."
                )
            )
            return
        self.message.show_error(exc)

    def _on_detected(self, text: str, found: list[PiiEntity]) -> None:
        self._show_result((text, found))
        if not found:
            self.message.show_info(self.tr("No personal data found."))
            return
        counts: dict[str, int] = {}
        for entity in found:
            counts[entity.type.value] = counts.get(entity.type.value, 0) + 1
        self.message.show_info(
            self.tr("Found: {parts}").format(
                parts=self.tr(", ").join(self.words.counted(k, n) for k, n in counts.items())
            )
        )

    def _show_result(self, result: tuple[str, list[PiiEntity]] | None) -> None:
        self.shown.setVisible(result is not None)
        self.found.setVisible(bool(result and result[1]))
        self.found.setRowCount(0)
        if result is None:
            self.shown.clear()
            return
        text, found = result
        self.shown.setPlainText(text)
        mark = QTextCharFormat()
        mark.setBackground(HIGHLIGHT)
        mark.setForeground(QColor(0, 0, 0))
        self.found.setRowCount(len(found))
        for row, entity in enumerate(found):
            cursor = QTextCursor(self.shown.document())
            cursor.setPosition(_utf16(text, entity.start))
            cursor.setPosition(_utf16(text, entity.end), QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(mark)
            name = self.words.type_name(entity.type.value)
            self.found.setItem(row, 0, QTableWidgetItem(entity.text))
            self.found.setItem(row, 1, QTableWidgetItem(name))


def _utf16(text: str, index: int) -> int:
    """A Python ``str`` offset as Qt's (UTF-16 code units: emoji count twice)."""
    return len(text[:index].encode("utf-16-le")) // 2
