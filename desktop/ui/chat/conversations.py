"""The chat sidebar: the app picker, a New chat button, and the user's conversations with
the chosen app, filtered by a search box; rename and delete from the context menu."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.chat_models import AppRecord, Conversation
from desktop.ui.plain import PlainLabel, ask, ask_text, plain_tip
from desktop.ui.times import local_time

ID_ROLE = Qt.ItemDataRole.UserRole
AnyIndex = QModelIndex | QPersistentModelIndex


class ConversationListModel(QAbstractListModel):
    """The conversations, newest first, as the service lists them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[Conversation] = []

    def set_conversations(self, items: Sequence[Conversation]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def conversation(self, row: int) -> Conversation:
        return self._items[row]

    def find(self, conversation_id: int) -> Conversation | None:
        return next((c for c in self._items if c.id == conversation_id), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(f"{item.title}\n{local_time(item.updated_at)}")
        if role == ID_ROLE:
            return item.id
        return None


class ConversationPanel(QFrame):
    """Emits what the user picked; the view loads and acts."""

    app_chosen = Signal(int)
    conversation_chosen = Signal(int)
    new_requested = Signal()
    rename_requested = Signal(int, str)
    delete_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatSidebar")
        self.setMinimumWidth(220)
        self.setMaximumWidth(320)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 8, 12)
        layout.setSpacing(8)
        self.app_picker = QComboBox(self)
        self.app_picker.setObjectName("appPicker")
        self.app_picker.setToolTip(self.tr("The app to chat with"))
        self.app_picker.currentIndexChanged.connect(self._on_picker_changed)
        layout.addWidget(self.app_picker)
        self.new_button = QPushButton(self.tr("New chat"), self)
        self.new_button.setObjectName("newConversation")
        self.new_button.clicked.connect(self.new_requested)
        layout.addWidget(self.new_button)
        self.search = QLineEdit(self)
        self.search.setObjectName("conversationSearch")
        self.search.setPlaceholderText(self.tr("Search conversations"))
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.model = ConversationListModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search.textChanged.connect(self._on_search_changed)
        self.list = QListView(self)
        self.list.setObjectName("conversationList")
        self.list.setModel(self.proxy)
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        # a long title is cut with an ellipsis (its tooltip holds all of it), never
        # scrolled sideways
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._on_list_context_menu)
        self.list.clicked.connect(self._on_list_clicked)
        layout.addWidget(self.list, 1)
        self.empty = PlainLabel(self.tr("No conversations yet — ask something to start one"), self)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)

    # ------------------------------------------------------------------ content

    def set_apps(self, apps: Sequence[AppRecord], selected: int | None) -> None:
        self.app_picker.blockSignals(True)
        self.app_picker.clear()
        for app in apps:
            self.app_picker.addItem(app.config.name, app.id)
            self.app_picker.setItemData(
                self.app_picker.count() - 1,
                plain_tip(app.config.description),
                Qt.ItemDataRole.ToolTipRole,
            )
        index = self.app_picker.findData(selected) if selected is not None else -1
        self.app_picker.setCurrentIndex(index)
        self.app_picker.blockSignals(False)

    def set_conversations(self, items: Sequence[Conversation], selected: int | None) -> None:
        self.model.set_conversations(items)
        self.empty.setVisible(not items)
        self.select(selected)

    def select(self, conversation_id: int | None) -> None:
        self.list.clearSelection()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ID_ROLE) == conversation_id:
                self.list.setCurrentIndex(index)
                return

    def visible_titles(self) -> list[str]:
        return [self.proxy.index(r, 0).data() for r in range(self.proxy.rowCount())]

    # ------------------------------------------------------------------ slots

    def _on_picker_changed(self, index: int) -> None:
        app_id = self.app_picker.itemData(index)
        if app_id is not None:
            self.app_chosen.emit(int(app_id))

    def _on_search_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())

    def _on_list_clicked(self, index: QModelIndex) -> None:
        self.conversation_chosen.emit(int(index.data(ID_ROLE)))

    def _on_list_context_menu(self, pos: QPoint) -> None:
        index = self.list.indexAt(pos)
        if not index.isValid():
            return
        conv_id, title = int(index.data(ID_ROLE)), str(index.data())
        menu = QMenu(self)
        rename = menu.addAction(self.tr("Rename…"))
        delete = menu.addAction(self.tr("Delete…"))
        chosen = menu.exec(self.list.viewport().mapToGlobal(pos))
        if chosen is rename:
            self.ask_rename(conv_id, title)
        elif chosen is delete:
            self.ask_delete(conv_id, title)

    def ask_rename(self, conversation_id: int, title: str) -> None:
        new, ok = ask_text(self, self.tr("Rename conversation"), self.tr("Title:"), title)
        if ok and new.strip() and new.strip() != title:
            self.rename_requested.emit(conversation_id, new.strip())

    def ask_delete(self, conversation_id: int, title: str) -> None:
        answer = ask(
            self,
            self.tr("Delete conversation"),
            self.tr("Delete “{title}” and all its messages? This cannot be undone.").format(
                title=title
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_requested.emit(conversation_id)
