"""The chat sidebar: the app picker (the apps, then "Quick chats"), New chat and New
quick chat, a search box, and the user's conversations grouped by date (Today,
Yesterday, Previous 7 days, Previous 30 days, then by month, in the computer's time
zone); rename and delete from the context menu.

Typing in the search box filters the titles on show at once; a moment later the view
asks the service, which searches the titles and messages of all the user's own
conversations, and the list shows what it found."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont
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
#: The app picker's entry for quick chats (no app: a model's built-in quick-chat app).
QUICK_CHATS = -1
#: How long the search box waits for more typing before it asks the service (ms).
SEARCH_DELAY_MS = 250


def local_date(ts: str, zone: tzinfo | None = None) -> date | None:
    """The day a stored UTC time falls on in ``zone`` (the computer's when None)."""
    try:
        moment = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()


def date_group(day: date | None, today: date) -> tuple[str, int, int]:
    """Which group a conversation last active on ``day`` goes in: ``("today"|"yesterday"
    |"week"|"month", 0, 0)`` or ``("older", year, month)``."""
    if day is None:
        return ("older", 0, 0)
    age = (today - day).days
    for limit, name in ((0, "today"), (1, "yesterday"), (7, "week"), (30, "month")):
        if age <= limit:
            return (name, 0, 0)
    return ("older", day.year, day.month)


class ConversationListModel(QAbstractListModel):
    """The conversations, newest first, as the service lists them, under a header row
    for each date group (headers carry no id and cannot be selected)."""

    def __init__(
        self, label: Callable[[tuple[str, int, int]], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._items: list[Conversation] = []
        self._rows: list[Conversation | str] = []
        self._label = label
        self.zone: tzinfo | None = None  # the computer's time zone
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)

    def set_conversations(self, items: Sequence[Conversation]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._rows = []
        today = self.now().astimezone(self.zone).date()
        last: tuple[str, int, int] | None = None
        for item in self._items:
            group = date_group(local_date(item.updated_at, self.zone), today)
            if group != last:
                self._rows.append(self._label(group))
                last = group
            self._rows.append(item)
        self.endResetModel()

    def headers(self) -> list[str]:
        return [r for r in self._rows if isinstance(r, str)]

    def find(self, conversation_id: int) -> Conversation | None:
        return next((c for c in self._items if c.id == conversation_id), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if index.isValid() and isinstance(self._rows[index.row()], str):
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        if isinstance(item, str):  # a date group's header
            return _header_data(item, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return item.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(f"{item.title}\n{local_time(item.updated_at)}")
        if role == ID_ROLE:
            return item.id
        return None


def _header_data(label: str, role: int) -> Any:
    if role == Qt.ItemDataRole.DisplayRole:
        return label
    if role == Qt.ItemDataRole.FontRole:
        font = QFont()
        font.setBold(True)
        return font
    return None


class _TitleFilter(QSortFilterProxyModel):
    """Filters the titles by the search text; date headers show only when unfiltered."""

    def filterAcceptsRow(self, row: int, parent: AnyIndex) -> bool:
        index = self.sourceModel().index(row, 0, parent)
        if index.data(ID_ROLE) is None:
            return not self.filterRegularExpression().pattern()
        return super().filterAcceptsRow(row, parent)


class ConversationPanel(QFrame):
    """Emits what the user picked; the view loads and acts."""

    app_chosen = Signal(int)
    conversation_chosen = Signal(int)
    new_requested = Signal()
    quick_requested = Signal()
    search_requested = Signal(str)
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
        self.quick_button = QPushButton(self.tr("New quick chat…"), self)
        self.quick_button.setObjectName("newQuickChat")
        self.quick_button.setToolTip(self.tr("Chat with a model directly, without an app"))
        self.quick_button.clicked.connect(self.quick_requested)
        layout.addWidget(self.quick_button)
        self.search = QLineEdit(self)
        self.search.setObjectName("conversationSearch")
        self.search.setPlaceholderText(self.tr("Search your conversations (Ctrl+K)"))
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(
            lambda: self.search_requested.emit(self.search.text().strip())
        )
        self.model = ConversationListModel(self._group_label, self)
        self.proxy = _TitleFilter(self)
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

    def set_apps(
        self, apps: Sequence[AppRecord], selected: int | None, *, quick: bool = False
    ) -> None:
        """The apps to pick from, then (``quick``: a model is registered) "Quick chats"."""
        self.app_picker.blockSignals(True)
        self.app_picker.clear()
        for app in apps:
            self.app_picker.addItem(app.config.name, app.id)
            self.app_picker.setItemData(
                self.app_picker.count() - 1,
                plain_tip(app.config.description),
                Qt.ItemDataRole.ToolTipRole,
            )
        if quick:
            self.app_picker.addItem(self.tr("Quick chats"), QUICK_CHATS)
        self.quick_button.setVisible(quick)
        self.pick(selected)
        self.app_picker.blockSignals(False)

    def pick(self, app_id: int | None) -> None:
        """Show ``app_id`` (or QUICK_CHATS) as picked, without emitting ``app_chosen``."""
        blocked = self.app_picker.blockSignals(True)
        index = self.app_picker.findData(app_id) if app_id is not None else -1
        self.app_picker.setCurrentIndex(index)
        self.app_picker.blockSignals(blocked)

    def set_conversations(self, items: Sequence[Conversation], selected: int | None) -> None:
        self.model.set_conversations(items)
        self.empty.setText(self.tr("No conversations yet — ask something to start one"))
        self.empty.setVisible(not items)
        self.select(selected)

    def show_found(self, text: str, items: Sequence[Conversation], selected: int | None) -> None:
        """What the service found for ``text`` in all your conversations (dropped when
        the search box has changed since)."""
        if self.search.text().strip() != text:
            return
        self.proxy.setFilterFixedString("")
        self.set_conversations(items, selected)
        self.empty.setText(self.tr("No conversation contains “{text}”").format(text=text))

    def _group_label(self, group: tuple[str, int, int]) -> str:
        name, year, month = group
        fixed = {
            "today": self.tr("Today"),
            "yesterday": self.tr("Yesterday"),
            "week": self.tr("Previous 7 days"),
            "month": self.tr("Previous 30 days"),
        }
        if name in fixed:
            return fixed[name]
        if not year:
            return self.tr("Earlier")
        return self.tr("{year}-{month}").format(year=year, month=f"{month:02d}")

    def select(self, conversation_id: int | None) -> None:
        self.list.clearSelection()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ID_ROLE) == conversation_id:
                self.list.setCurrentIndex(index)
                return

    def visible_titles(self) -> list[str]:
        """The conversations' titles on show (date headers left out)."""
        rows = (self.proxy.index(r, 0) for r in range(self.proxy.rowCount()))
        return [i.data() for i in rows if i.data(ID_ROLE) is not None]

    def conversation_index(self, n: int) -> QModelIndex:
        """The list's index of the ``n``-th conversation on show (headers skipped)."""
        rows = (self.proxy.index(r, 0) for r in range(self.proxy.rowCount()))
        return [i for i in rows if i.data(ID_ROLE) is not None][n]

    def visible_headers(self) -> list[str]:
        rows = (self.proxy.index(r, 0) for r in range(self.proxy.rowCount()))
        return [i.data() for i in rows if i.data(ID_ROLE) is None]

    # ------------------------------------------------------------------ slots

    def _on_picker_changed(self, index: int) -> None:
        app_id = self.app_picker.itemData(index)
        if app_id is not None:
            self.app_chosen.emit(int(app_id))

    def _on_search_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._search_timer.start()

    def _on_list_clicked(self, index: QModelIndex) -> None:
        if index.data(ID_ROLE) is not None:
            self.conversation_chosen.emit(int(index.data(ID_ROLE)))

    def _on_list_context_menu(self, pos: QPoint) -> None:
        index = self.list.indexAt(pos)
        if not index.isValid() or index.data(ID_ROLE) is None:
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
