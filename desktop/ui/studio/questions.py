"""Suggested questions: an editable list users see as buttons when a chat starts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class QuestionsEditor(QWidget):
    """An editable list of suggested questions (double-click a row to edit it)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget(self)
        self.list.setObjectName("appQuestions")
        self.list.setMaximumHeight(110)
        row = QHBoxLayout()
        self.new_question = QLineEdit(self)
        self.new_question.setObjectName("appNewQuestion")
        self.new_question.setPlaceholderText(self.tr("A question users can click to start"))
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setObjectName("appAddQuestion")
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setObjectName("appRemoveQuestion")
        row.addWidget(self.new_question, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.new_question.returnPressed.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())

    def set_questions(self, questions: tuple[str, ...]) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for text in questions:
            self._append(text)
        self.list.blockSignals(False)

    def questions(self) -> tuple[str, ...]:
        texts = (self.list.item(i).text().strip() for i in range(self.list.count()))
        return tuple(t for t in texts if t)

    def add(self, text: str) -> None:
        if text.strip():
            self._append(text.strip())
            self.changed.emit()

    def _append(self, text: str) -> None:
        item = QListWidgetItem(text, self.list)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)

    def _on_add_clicked(self) -> None:
        self.add(self.new_question.text())
        self.new_question.clear()

    def _on_remove_clicked(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self.changed.emit()
